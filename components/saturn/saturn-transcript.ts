/**
 * Saturn transcripts: a Saturn run turned into a document to save, as Markdown (to read) or JSON
 * (to process). Pure functions of the run store's state; the download is the view's business.
 */
import type { Payload } from '@/lib/protocol/envelope';
import type { RunInput } from '@/lib/kinds';
import type { RunError, RunState } from '@/stores/run-store';
import { errorLines, fenced, figureLines, predictionLines, solverTranscriptFileName, transcriptToJson } from '@/stores/transcript-markdown';
import { describePhase, type SaturnImage } from '@/lib/kinds/saturn';

export interface SaturnTranscriptPhase {
  phase: string;
  /** `Pair 2 · predict` */
  title: string;
  /** The worker's step messages in this phase. */
  steps: { step: number; message: string }[];
  images: { label: string; url: string; width?: number; height?: number }[];
  /** The model's text in this phase. */
  text: string;
}

export interface SaturnTranscript {
  kind: 'saturn';
  runId: string | null;
  input: RunInput<'saturn'> | null;
  status: RunState['status'];
  phases: SaturnTranscriptPhase[];
  outcome: Payload<'saturn.done'> | null;
  tokenCount: number;
  /** Measured in the browser. */
  clientTiming: { ttftMs?: number; tokensPerSecond?: number; elapsedMs?: number };
  /** Reported by the server's `metrics` envelopes. */
  serverMetrics?: Record<string, number | undefined>;
  error?: RunError;
  savedAt: string;
}

type TranscriptSource = Pick<RunState, 'runId' | 'request' | 'status' | 'saturn' | 'tokenCount' | 'timing' | 'result' | 'error'>;

/**
 * The transcript of the run in `state`. Image URLs are made absolute against `origin` when given
 * (a saved Markdown file is read away from the page).
 */
export function saturnTranscriptOf(state: TranscriptSource, options: { savedAt?: Date; origin?: string } = {}): SaturnTranscript {
  const saturn = state.saturn;
  const byPhase = new Map<string, SaturnTranscriptPhase>();
  const phaseOf = (phase: string | undefined): SaturnTranscriptPhase => {
    const key = phase ?? 'run';
    let entry = byPhase.get(key);
    if (!entry) {
      const { title, purpose } = describePhase(key);
      byPhase.set(key, (entry = { phase: key, title: purpose ? `${title} · ${purpose}` : title, steps: [], images: [], text: '' }));
    }
    return entry;
  };
  const absolute = (url: string) => (options.origin && url.startsWith('/') ? `${options.origin}${url}` : url);
  for (const step of saturn?.steps ?? []) phaseOf(step.phase).steps.push({ step: step.step, message: step.message });
  for (const image of saturn?.images ?? []) phaseOf(image.phase).images.push(imageEntry(image, absolute));
  for (const phase of saturn?.phases ?? []) phaseOf(phase.phase).text = phase.segments.map((s) => s.text).join('');

  const { ttftMs, tokensPerSecond, elapsedMs } = state.timing;
  return {
    kind: 'saturn',
    runId: state.runId,
    input: state.request?.kind === 'saturn' ? state.request.input : null,
    status: state.status,
    phases: [...byPhase.values()],
    outcome: saturn?.done ?? null,
    tokenCount: state.tokenCount,
    clientTiming: { ttftMs, tokensPerSecond, elapsedMs },
    serverMetrics: state.result.metrics,
    error: state.error ?? undefined,
    savedAt: (options.savedAt ?? new Date()).toISOString(),
  };
}

function imageEntry(image: SaturnImage, absolute: (url: string) => string): SaturnTranscriptPhase['images'][number] {
  return {
    label: image.label,
    // A data: URL would bloat the document; it is named, not embedded.
    url: image.url.startsWith('data:') ? '(inline image)' : absolute(image.url),
    ...(image.width !== undefined ? { width: image.width } : {}),
    ...(image.height !== undefined ? { height: image.height } : {}),
  };
}

export function saturnTranscriptToJson(transcript: SaturnTranscript): string {
  return transcriptToJson(transcript);
}

/** Square brackets would end a Markdown link text early. */
const linkText = (text: string) => text.replace(/[[\]]/g, (c) => `\\${c}`);

export function saturnTranscriptToMarkdown(t: SaturnTranscript): string {
  const lines: string[] = [`# Saturn run${t.runId ? ` ${t.runId}` : ''}`, ''];
  if (t.input) {
    lines.push(`- Task: \`${t.input.taskId}\``);
    lines.push(`- Model: \`${t.input.model}\``);
    if (t.input.tokensPerSecond !== undefined) lines.push(`- Pace: ${t.input.tokensPerSecond === 0 ? 'instant' : `${t.input.tokensPerSecond} tokens/s`}`);
  }
  lines.push(`- Status: ${t.status}`);
  if (t.outcome) lines.push(`- Outcome: ${t.outcome.solved ? 'solved' : 'not solved'}`);
  lines.push(...figureLines(t));

  for (const phase of t.phases) {
    lines.push(`## ${phase.title}`, '');
    for (const step of phase.steps) lines.push(`- Step ${step.step}: ${step.message}`);
    if (phase.steps.length > 0) lines.push('');
    for (const image of phase.images) lines.push(`![${linkText(image.label)}](${image.url})`, '');
    lines.push('### Model output', '', phase.text ? fenced(phase.text, 'markdown') : '_No text._', '');
  }

  if (t.outcome) {
    lines.push('## Outcome', '', t.outcome.solved ? 'Solved.' : 'Not solved.', '');
    lines.push(...predictionLines(t.outcome));
  }
  lines.push(...errorLines(t.error));
  return lines.join('\n');
}

/** `saturn-<task>-<run id or time>.<ext>`, safe on every file system. */
export function saturnTranscriptFileName(t: SaturnTranscript, extension: 'md' | 'json'): string {
  return solverTranscriptFileName('saturn', t, extension);
}
