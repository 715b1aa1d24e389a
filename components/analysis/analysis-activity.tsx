/**
 * What happens around the answer: the model's tool calls (name, input, live status, output), the
 * enrichment passes after it (chips: pending, complete with a summary, or failed), and the images
 * they drew. No hooks: the live pane and the saved pages share them.
 */
import * as React from 'react';
import { CircleCheck, CircleX, ImageIcon, Wrench } from 'lucide-react';
import { InProgressMark } from '@/components/stream-marks';
import { cn } from '@/lib/cn';
import type { AnalysisArtifact, EnrichmentState, AnalysisToolCall } from '@/lib/kinds/analysis';

const ENRICHMENT_LABELS: Record<string, string> = {
  verify: 'Verify',
  similar: 'Earlier analyses',
  render: 'Draw',
};

function pretty(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

/** A tool's input: a program's code as code, anything else as JSON. */
function inputText(input: unknown): string {
  const code = (input as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : pretty(input);
}

const TOOL_STATUS = {
  started: { label: 'Running', className: 'text-sky-700 dark:text-sky-300 border-sky-500/30 bg-sky-500/10' },
  done: { label: 'Done', className: 'text-emerald-700 dark:text-emerald-300 border-emerald-500/30 bg-emerald-500/10' },
  error: { label: 'Failed', className: 'text-destructive border-destructive/30 bg-destructive/10' },
} as const;

function Block({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div className="grid min-w-0 gap-1">
      <span className="text-muted-foreground text-[11px] font-medium tracking-wide uppercase">{title}</span>
      <pre className="bg-muted/40 max-h-48 overflow-auto rounded-md border px-2.5 py-2 font-mono text-xs leading-5 whitespace-pre-wrap">{children}</pre>
    </div>
  );
}

function ToolCallCard({ call, className }: { call: AnalysisToolCall; className?: string }) {
  const status = TOOL_STATUS[call.status];
  return (
    <article data-testid="tool-call" data-status={call.status} data-name={call.name} className={cn('bg-card grid min-w-0 gap-3 rounded-lg border p-3', className)}>
      <header className="flex items-center gap-2">
        <Wrench className="text-muted-foreground size-3.5" aria-hidden />
        <span className="font-mono text-sm font-medium">{call.name}</span>
        <span className={cn('ml-auto inline-flex items-center gap-1 rounded-full border px-2 py-0.5 text-[11px] font-medium', status.className)}>
          {call.status === 'started' ? (
            <InProgressMark className="size-3" />
          ) : call.status === 'done' ? (
            <CircleCheck className="size-3" aria-hidden />
          ) : (
            <CircleX className="size-3" aria-hidden />
          )}
          {status.label}
        </span>
      </header>
      {call.input !== undefined && <Block title="Input">{inputText(call.input)}</Block>}
      {call.output !== undefined && <Block title="Output">{pretty(call.output)}</Block>}
      {call.error && <p className="text-destructive text-xs">{call.error}</p>}
    </article>
  );
}

export function ToolCalls({ calls, className }: { calls: readonly AnalysisToolCall[]; className?: string }) {
  if (calls.length === 0) return null;
  return (
    <div data-testid="tool-calls" className={cn('grid gap-3', className)}>
      {calls.map((call) => (
        <ToolCallCard key={call.id} call={call} />
      ))}
    </div>
  );
}

function EnrichmentChip({ enrichment }: { enrichment: EnrichmentState }) {
  const label = enrichment.label ?? ENRICHMENT_LABELS[enrichment.key] ?? enrichment.key;
  const detail = enrichment.status === 'error' ? enrichment.message : enrichment.summary;
  return (
    <li
      data-testid={`enrichment-${enrichment.key}`}
      data-status={enrichment.status}
      title={detail ? `${label}: ${detail}` : label}
      className={cn(
        'inline-flex max-w-full min-w-0 items-center gap-1.5 rounded-full border px-3 py-1 text-xs',
        enrichment.status === 'pending' && 'text-muted-foreground',
        enrichment.status === 'complete' && 'bg-card',
        enrichment.status === 'error' && 'border-destructive/30 bg-destructive/5 text-destructive',
      )}
    >
      {enrichment.status === 'pending' ? (
        <InProgressMark className="shrink-0" />
      ) : enrichment.status === 'complete' ? (
        <CircleCheck className="size-3.5 shrink-0 text-emerald-600 dark:text-emerald-400" aria-hidden />
      ) : (
        <CircleX className="size-3.5 shrink-0" aria-hidden />
      )}
      <span className="shrink-0 font-medium">{label}</span>
      {detail && <span className={cn('truncate', enrichment.status !== 'error' && 'text-muted-foreground')}>· {detail}</span>}
      {enrichment.status === 'pending' && <span className="sr-only">running</span>}
    </li>
  );
}

export function EnrichmentChips({ enrichments, className }: { enrichments: readonly EnrichmentState[]; className?: string }) {
  if (enrichments.length === 0) return null;
  return (
    <ul data-testid="enrichments" aria-label="Checks after the answer" className={cn('flex flex-wrap gap-2', className)}>
      {enrichments.map((enrichment) => (
        <EnrichmentChip key={enrichment.key} enrichment={enrichment} />
      ))}
    </ul>
  );
}

export function Artifacts({ artifacts, className }: { artifacts: readonly AnalysisArtifact[]; className?: string }) {
  if (artifacts.length === 0) return null;
  return (
    <div className={cn('flex flex-wrap gap-4', className)}>
      {artifacts.map((artifact, i) => (
        <figure key={`${artifact.url}-${i}`} data-testid="analysis-artifact" className="grid gap-1.5">
          {/* A PNG the server drew; its size is its own, so a plain img. */}
          {/* eslint-disable-next-line @next/next/no-img-element */}
          <img src={artifact.url} alt={artifact.label} className="bg-muted/30 max-h-48 max-w-full rounded-md border object-contain" />
          <figcaption className="text-muted-foreground flex items-center gap-1.5 text-xs">
            <ImageIcon className="size-3" aria-hidden />
            {artifact.label}
          </figcaption>
        </figure>
      ))}
    </div>
  );
}
