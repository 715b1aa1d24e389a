/**
 * The load benchmark's figure: p99 and p50 delivery latency against concurrent streams, one colour
 * per server (app backends and the raw baseline), with the fan-out case beside it. A dotted line
 * adds p99 counted from when each token was due (it shows a saturated server's lateness, which
 * the delivery latency cannot), and cases that held fewer streams than asked are listed. Drawn as SVG in
 * code and turned into a PNG by a headless Chromium (Playwright, already a dependency), so the
 * figure needs no plotting library.
 */
import { writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

export interface PlotPoint {
  connections: number;
  p50: number;
  p99: number;
  /** p99 of arrival minus the time the token was due. */
  scheduleP99: number;
  /** Streams open at the end of the window (fewer than `connections` when some failed to open or dropped). */
  held: number;
}

export interface PlotSeries {
  label: string;
  /** A word or two for the fan-out panel's columns. */
  shortLabel: string;
  color: string;
  /** One point per connection count, each stream on its own run. */
  perRun: PlotPoint[];
  /** The fan-out case: many clients on one run. */
  fanout: PlotPoint[];
}

export interface PlotSpec {
  title: string;
  subtitle: string;
  series: PlotSeries[];
  /** A horizontal line across the latency axis, e.g. the p99 bar. */
  bar?: { ms: number; label: string };
}

const WIDTH = 1100;
const HEIGHT = 660;
const FONT = `font-family="DejaVu Sans, Helvetica, Arial, sans-serif"`;

function escapeXml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
}

/** Latencies span three or four decades (sub-ms medians, tails near the bar): a log axis. */
function logScale(min: number, max: number, from: number, to: number): (value: number) => number {
  const low = Math.log10(min);
  const high = Math.log10(max);
  return (value) => from + ((Math.log10(Math.max(value, min)) - low) / (high - low)) * (to - from);
}

function formatMs(value: number): string {
  return value >= 1 ? String(value) : value.toFixed(Math.max(0, -Math.floor(Math.log10(value))));
}

/** The latency decades covering every point and the bar. */
function latencyDomain(spec: PlotSpec): [number, number] {
  const values = spec.series.flatMap((s) => [...s.perRun, ...s.fanout].flatMap((p) => [p.p50, p.p99, p.scheduleP99])).filter((v) => Number.isFinite(v) && v > 0);
  if (spec.bar) values.push(spec.bar.ms);
  const min = Math.min(...values, 1);
  const max = Math.max(...values, 10);
  return [10 ** Math.floor(Math.log10(min)), 10 ** Math.ceil(Math.log10(max * 1.05))];
}

function marker(x: number, y: number, color: string, filled: boolean): string {
  return `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="4.5" fill="${filled ? color : 'white'}" stroke="${color}" stroke-width="2"/>`;
}

function squareMarker(x: number, y: number, color: string): string {
  return `<rect x="${(x - 3.5).toFixed(1)}" y="${(y - 3.5).toFixed(1)}" width="7" height="7" fill="white" stroke="${color}" stroke-width="1.5"/>`;
}

/** "app (memory backend): held 737 of 1,000, 786 of 2,000" for a series whose cases did not hold every stream; empty otherwise. */
function shortfall(series: PlotSeries): string {
  const short = series.perRun.filter((p) => p.held < p.connections);
  if (short.length === 0) return '';
  return `${series.label}: held ${short.map((p) => `${p.held.toLocaleString('en-US')} of ${p.connections.toLocaleString('en-US')}`).join(', ')}`;
}

/** Horizontal grid lines and labels for a log latency axis between `top` and `bottom`. */
function latencyAxis(y: (ms: number) => number, [min, max]: [number, number], left: number, right: number): string {
  let out = '';
  for (let decade = min; decade <= max * 1.0001; decade *= 10) {
    const at = y(decade);
    out += `<line x1="${left}" x2="${right}" y1="${at}" y2="${at}" stroke="#d0d0d0"/>`;
    out += `<text x="${left - 8}" y="${at + 4}" text-anchor="end" font-size="12" ${FONT}>${formatMs(decade)}</text>`;
    for (let minor = 2; minor < 10 && decade * minor < max; minor++) {
      const m = y(decade * minor);
      out += `<line x1="${left}" x2="${right}" y1="${m}" y2="${m}" stroke="#efefef"/>`;
    }
  }
  return out;
}

function barLine(spec: PlotSpec, y: (ms: number) => number, left: number, right: number, labelled: boolean): string {
  if (!spec.bar) return '';
  const at = y(spec.bar.ms);
  // Labelled at the left, where the fewest streams (and so the lowest latencies) are.
  const label = labelled ? `<text x="${left + 6}" y="${at - 6}" font-size="12" fill="#c0392b" ${FONT}>${escapeXml(spec.bar.label)}</text>` : '';
  return `<line x1="${left}" x2="${right}" y1="${at}" y2="${at}" stroke="#c0392b" stroke-width="1.5" stroke-dasharray="8 5"/>${label}`;
}

/** The whole figure as an SVG document. */
export function renderLoadSvg(spec: PlotSpec): string {
  const domain = latencyDomain(spec);
  const top = 90;
  const bottom = HEIGHT - 130;
  const y = logScale(domain[0], domain[1], bottom, top);

  // Left panel: latency against connections (log x: the counts grow by factors).
  const left = { x0: 90, x1: 730 };
  const counts = [...new Set(spec.series.flatMap((s) => s.perRun.map((p) => p.connections)))].sort((a, b) => a - b);
  const xMin = (counts[0] ?? 100) / 1.4;
  const xMax = (counts[counts.length - 1] ?? 2000) * 1.4;
  const x = logScale(xMin, xMax, left.x0, left.x1);
  let svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}">`;
  svg += `<rect width="100%" height="100%" fill="white"/>`;
  svg += `<text x="${WIDTH / 2}" y="32" text-anchor="middle" font-size="20" font-weight="bold" ${FONT}>${escapeXml(spec.title)}</text>`;
  svg += `<text x="${WIDTH / 2}" y="56" text-anchor="middle" font-size="13" fill="#444" ${FONT}>${escapeXml(spec.subtitle)}</text>`;
  svg += latencyAxis(y, domain, left.x0, left.x1);
  for (const count of counts) {
    svg += `<line x1="${x(count)}" x2="${x(count)}" y1="${top}" y2="${bottom}" stroke="#efefef"/>`;
    svg += `<text x="${x(count)}" y="${bottom + 20}" text-anchor="middle" font-size="12" ${FONT}>${count.toLocaleString('en-US')}</text>`;
  }
  svg += barLine(spec, y, left.x0, left.x1, true);
  svg += `<rect x="${left.x0}" y="${top}" width="${left.x1 - left.x0}" height="${bottom - top}" fill="none" stroke="#333"/>`;
  svg += `<text x="${(left.x0 + left.x1) / 2}" y="${top - 12}" text-anchor="middle" font-size="14" font-weight="bold" ${FONT}>One run per stream, 20 tokens/s each</text>`;
  svg += `<text x="${(left.x0 + left.x1) / 2}" y="${bottom + 44}" text-anchor="middle" font-size="13" ${FONT}>Concurrent SSE streams (log scale)</text>`;
  svg += `<text transform="translate(28 ${(top + bottom) / 2}) rotate(-90)" text-anchor="middle" font-size="13" ${FONT}>Latency to the client parsing the token (ms, log scale)</text>`;
  for (const series of spec.series) {
    for (const [key, dash, width] of [['scheduleP99', '2 3', 1.5], ['p99', '', 2.5], ['p50', '6 4', 2.5]] as const) {
      const points = series.perRun.filter((p) => Number.isFinite(p[key]));
      if (points.length === 0) continue;
      svg += `<polyline fill="none" stroke="${series.color}" stroke-width="${width}" ${dash ? `stroke-dasharray="${dash}"` : ''} points="${points.map((p) => `${x(p.connections).toFixed(1)},${y(p[key]).toFixed(1)}`).join(' ')}"/>`;
      for (const p of points) {
        svg += key === 'scheduleP99' ? squareMarker(x(p.connections), y(p[key]), series.color) : marker(x(p.connections), y(p[key]), series.color, key === 'p99');
      }
    }
  }
  // Cases that held fewer streams than asked, listed in the panel's top left corner.
  spec.series
    .map((series) => ({ series, text: shortfall(series) }))
    .filter(({ text }) => text !== '')
    .forEach(({ series, text }, index) => {
      // A white halo keeps the note readable where a line passes under it.
      svg += `<text x="${left.x0 + 8}" y="${top + 18 + index * 16}" font-size="12" fill="${series.color}" stroke="white" stroke-width="4" paint-order="stroke" ${FONT}>${escapeXml(text)}</text>`;
    });

  // Right panel: fan-out, one column per server.
  const right = { x0: 800, x1: 1070 };
  const fanSeries = spec.series.filter((s) => s.fanout.length > 0);
  svg += latencyAxis(y, domain, right.x0, right.x1);
  svg += barLine(spec, y, right.x0, right.x1, false);
  svg += `<rect x="${right.x0}" y="${top}" width="${right.x1 - right.x0}" height="${bottom - top}" fill="none" stroke="#333"/>`;
  const fanCounts = [...new Set(fanSeries.flatMap((s) => s.fanout.map((p) => p.connections)))];
  svg += `<text x="${(right.x0 + right.x1) / 2}" y="${top - 12}" text-anchor="middle" font-size="14" font-weight="bold" ${FONT}>Fan-out: ${escapeXml(fanCounts.map((c) => c.toLocaleString('en-US')).join(', ') || 'not run')} clients, one run</text>`;
  const slot = (right.x1 - right.x0) / Math.max(1, fanSeries.length);
  fanSeries.forEach((series, index) => {
    const cx = right.x0 + slot * (index + 0.5);
    for (const point of series.fanout) {
      svg += `<line x1="${cx}" x2="${cx}" y1="${y(point.p50)}" y2="${y(point.p99)}" stroke="${series.color}" stroke-width="2.5"/>`;
      if (Number.isFinite(point.scheduleP99)) {
        svg += `<line x1="${cx}" x2="${cx}" y1="${y(point.p99)}" y2="${y(point.scheduleP99)}" stroke="${series.color}" stroke-width="1.5" stroke-dasharray="2 3"/>`;
        svg += squareMarker(cx, y(point.scheduleP99), series.color);
      }
      svg += marker(cx, y(point.p99), series.color, true) + marker(cx, y(point.p50), series.color, false);
      if (point.held < point.connections) {
        svg += `<text x="${cx}" y="${bottom + 34}" text-anchor="middle" font-size="11" fill="${series.color}" ${FONT}>held ${point.held.toLocaleString('en-US')}</text>`;
      }
    }
    svg += `<text x="${cx}" y="${bottom + 20}" text-anchor="middle" font-size="12" ${FONT}>${escapeXml(series.shortLabel)}</text>`;
  });
  svg += `<text x="${(right.x0 + right.x1) / 2}" y="${bottom + 52}" text-anchor="middle" font-size="13" ${FONT}>Server</text>`;

  // Legend: colours, then what filled and hollow markers mean.
  let lx = 90;
  const ly = HEIGHT - 50;
  for (const series of spec.series) {
    svg += `<line x1="${lx}" x2="${lx + 28}" y1="${ly}" y2="${ly}" stroke="${series.color}" stroke-width="3"/>`;
    svg += `<text x="${lx + 36}" y="${ly + 5}" font-size="13" ${FONT}>${escapeXml(series.label)}</text>`;
    lx += 48 + series.label.length * 7.5;
  }
  const ky = ly + 22;
  let kx = 90;
  svg += `<line x1="${kx}" x2="${kx + 28}" y1="${ky}" y2="${ky}" stroke="#333" stroke-width="2.5"/>${marker(kx + 14, ky, '#333', true)}`;
  svg += `<text x="${kx + 36}" y="${ky + 5}" font-size="13" ${FONT}>p99 (producer stamp to arrival)</text>`;
  kx += 290;
  svg += `<line x1="${kx}" x2="${kx + 28}" y1="${ky}" y2="${ky}" stroke="#333" stroke-width="2.5" stroke-dasharray="6 4"/>${marker(kx + 14, ky, '#333', false)}`;
  svg += `<text x="${kx + 36}" y="${ky + 5}" font-size="13" ${FONT}>p50 (same)</text>`;
  kx += 150;
  svg += `<line x1="${kx}" x2="${kx + 28}" y1="${ky}" y2="${ky}" stroke="#333" stroke-width="1.5" stroke-dasharray="2 3"/>${squareMarker(kx + 14, ky, '#333')}`;
  svg += `<text x="${kx + 36}" y="${ky + 5}" font-size="13" ${FONT}>p99 from when the token was due (includes a saturated server's lateness)</text>`;
  return `${svg}</svg>`;
}

/** Renders `svg` in headless Chromium and writes a PNG of it to `out`. */
export async function writeSvgAsPng(svg: string, out: string, executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'): Promise<void> {
  const browser = await chromium.launch({ executablePath });
  try {
    const page = await browser.newPage({ viewport: { width: WIDTH, height: HEIGHT }, deviceScaleFactor: 1 });
    await page.setContent(`<!doctype html><html><body style="margin:0">${svg}</body></html>`);
    const png = await page.locator('svg').screenshot({ type: 'png' });
    writeFileSync(out, png);
  } finally {
    await browser.close();
  }
}
