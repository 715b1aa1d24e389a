/** Number formatting for run figures, shared by the console and saved transcripts. */

/** `412 ms`, `3.4 s`, `2 min 05 s`; an em dash when unknown. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.floor((ms % 60_000) / 1000);
  return `${minutes} min ${String(seconds).padStart(2, '0')} s`;
}

/** Tokens per second with one decimal; an em dash when unknown. */
export function formatRate(perSecond: number | undefined): string {
  if (perSecond === undefined || !Number.isFinite(perSecond)) return '—';
  return perSecond >= 100 ? Math.round(perSecond).toString() : perSecond.toFixed(1);
}

/** A count with thousands separators. */
const COUNT_FORMAT = new Intl.NumberFormat('en-US');

export function formatCount(count: number): string {
  // One formatter for all calls: live figures are formatted every animation frame, and
  // `toLocaleString` builds a new formatter each time.
  return COUNT_FORMAT.format(count);
}
