/**
 * Transcripts: a run's state turned into a document to save, as Markdown (to read) or JSON (to
 * process). Pure functions of the store's state; the download itself is the view's business.
 */
import { formatCount, formatDuration, formatRate } from '@/lib/format';
import { MAIN_CHANNEL } from '@/lib/runs/reducer';
import type { RunError, RunState } from './run-store';

export interface Transcript {
  runId: string | null;
  model: string | null;
  prompt: string | null;
  status: RunState['status'];
  answer: string;
  reasoning: string;
  tokenCount: number;
  finishReason?: string;
  usage?: Record<string, number | undefined>;
  /** Measured in the browser. */
  clientTiming: { ttftMs?: number; tokensPerSecond?: number; elapsedMs?: number };
  /** Reported by the server's `metrics` envelopes. */
  serverMetrics?: Record<string, number | undefined>;
  error?: RunError;
  savedAt: string;
}

type TranscriptSource = Pick<RunState, 'runId' | 'input' | 'status' | 'answer' | 'reasoning' | 'tokenCount' | 'timing' | 'result' | 'error'>;

export function transcriptOf(state: TranscriptSource, savedAt: Date = new Date()): Transcript {
  const main = state.result.generations[MAIN_CHANNEL];
  const { ttftMs, tokensPerSecond, elapsedMs } = state.timing;
  return {
    runId: state.runId,
    model: state.input?.model ?? null,
    prompt: state.input?.prompt ?? null,
    status: state.status,
    answer: state.answer.map((s) => s.text).join(''),
    reasoning: state.reasoning.map((s) => s.text).join(''),
    tokenCount: state.tokenCount,
    finishReason: main?.finishReason,
    usage: main?.usage,
    clientTiming: { ttftMs, tokensPerSecond, elapsedMs },
    serverMetrics: state.result.metrics,
    error: state.error ?? undefined,
    savedAt: savedAt.toISOString(),
  };
}

export function transcriptToJson(transcript: Transcript): string {
  return `${JSON.stringify(transcript, null, 2)}\n`;
}

const quote = (text: string) =>
  text
    .split(/\r\n|\r|\n/)
    .map((line) => (line ? `> ${line}` : '>'))
    .join('\n');

export function transcriptToMarkdown(t: Transcript): string {
  const lines: string[] = [`# StreamConsole run${t.runId ? ` ${t.runId}` : ''}`, ''];
  if (t.model) lines.push(`- Model: \`${t.model}\``);
  lines.push(`- Status: ${t.status}${t.finishReason ? ` (${t.finishReason})` : ''}`);
  lines.push(`- Time to first token: ${formatDuration(t.clientTiming.ttftMs)}`);
  lines.push(`- Tokens: ${formatCount(t.tokenCount)} at ${formatRate(t.clientTiming.tokensPerSecond)} tokens/s`);
  lines.push(`- Elapsed: ${formatDuration(t.clientTiming.elapsedMs)}`);
  lines.push(`- Saved: ${t.savedAt}`, '');
  if (t.prompt !== null) lines.push('## Prompt', '', quote(t.prompt), '');
  if (t.reasoning) lines.push('## Reasoning', '', quote(t.reasoning), '');
  lines.push('## Answer', '', t.answer || '_No answer._', '');
  if (t.error) lines.push('## Error', '', `\`${t.error.code}\`: ${t.error.message}`, '');
  return lines.join('\n');
}

/** `streamconsole-<run id or time>.<ext>`, safe on every file system. */
export function transcriptFileName(t: Transcript, extension: 'md' | 'json'): string {
  const stem = (t.runId ?? t.savedAt).replace(/[^A-Za-z0-9_-]+/g, '-');
  return `streamconsole-${stem}.${extension}`;
}
