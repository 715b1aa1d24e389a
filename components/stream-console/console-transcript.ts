/**
 * The transcript of both panes of the StreamConsole page: one document with the Saturn run and
 * the Grover run, as Markdown (each run's own transcript, its headings one level down) or JSON.
 */
import type { GroverTranscript } from '@/stores/grover-transcript';
import { groverTranscriptToMarkdown } from '@/stores/grover-transcript';
import { saturnTranscriptToMarkdown, type SaturnTranscript } from '@/components/saturn/saturn-transcript';

export interface ConsoleTranscript {
  kind: 'stream-console';
  taskId: string;
  savedAt: string;
  saturn: SaturnTranscript | null;
  grover: GroverTranscript | null;
}

/**
 * Moves every ATX heading of `markdown` one level down (`#` -> `##`), leaving fenced code alone,
 * so a document can be nested under another's title.
 */
export function demoteHeadings(markdown: string): string {
  let fence: string | null = null;
  return markdown
    .split('\n')
    .map((line) => {
      const opening = /^ {0,3}(`{3,}|~{3,})/.exec(line);
      if (opening) {
        const marker = opening[1]!;
        if (fence === null) fence = marker;
        else if (marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = null;
        return line;
      }
      if (fence === null && /^#{1,5} /.test(line)) return `#${line}`;
      return line;
    })
    .join('\n');
}

const statusLine = (name: string, t: { status: string; outcome: { solved: boolean } | null } | null) =>
  `- ${name}: ${t ? `${t.status}${t.outcome ? `, ${t.outcome.solved ? 'solved' : 'not solved'}` : ''}` : 'not run'}`;

export function consoleTranscriptToMarkdown(t: ConsoleTranscript): string {
  const lines = [`# StreamConsole · task \`${t.taskId}\``, '', statusLine('Saturn', t.saturn), statusLine('Grover', t.grover), `- Saved: ${t.savedAt}`, ''];
  for (const [name, body] of [
    ['Saturn', t.saturn ? saturnTranscriptToMarkdown(t.saturn) : null],
    ['Grover', t.grover ? groverTranscriptToMarkdown(t.grover) : null],
  ] as const) {
    lines.push(body ? demoteHeadings(body).trimEnd() : `## ${name}\n\n_Not run._`, '');
  }
  return lines.join('\n');
}

export function consoleTranscriptToJson(t: ConsoleTranscript): string {
  return `${JSON.stringify(t, null, 2)}\n`;
}

/** `stream-console-<task>-<time>.<ext>`, safe on every file system. */
export function consoleTranscriptFileName(t: ConsoleTranscript, extension: 'md' | 'json'): string {
  return `stream-console-${`${t.taskId}-${t.savedAt}`.replace(/[^A-Za-z0-9_-]+/g, '-')}.${extension}`;
}
