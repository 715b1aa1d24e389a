/**
 * The ARC colour palette: the ten colours of the official ARC testing interface, indexed by cell
 * value, with the names people use for them.
 */
export const ARC_PALETTE = [
  '#000000',
  '#0074D9',
  '#FF4136',
  '#2ECC40',
  '#FFDC00',
  '#AAAAAA',
  '#F012BE',
  '#FF851B',
  '#7FDBFF',
  '#870C25',
] as const;

export const ARC_COLOUR_NAMES = ['black', 'blue', 'red', 'green', 'yellow', 'grey', 'magenta', 'orange', 'light blue', 'maroon'] as const;

/** The hex colour of a cell value (values outside 0-9 fall back to black). */
export function colourOf(value: number): string {
  return ARC_PALETTE[value] ?? ARC_PALETTE[0];
}

/** The name of a cell value's colour, e.g. `red` for 2. */
export function colourNameOf(value: number): string {
  return ARC_COLOUR_NAMES[value] ?? 'unknown';
}
