/**
 * How far the answer can be trusted as written: a banner when the stream broke off
 * (`interrupted`), when the answer could not be read as JSON at all (`fallback`, with the raw
 * text), a quieter notice when it had to be repaired or came from the non-streaming fallback call,
 * and any other warning the producer sent. Also the metadata line of a finished analysis.
 */
import * as React from 'react';
import { CircleAlert, FileWarning, Info, Unplug, Wrench } from 'lucide-react';
import { cn } from '@/lib/cn';
import { formatCount, formatDuration } from '@/lib/format';
import type { AnalysisComplete, AnalysisWarning } from '@/lib/kinds/analysis';

type Tone = 'warn' | 'info';

function Notice({ tone, icon: Icon, title, testId, children }: { tone: Tone; icon: typeof Info; title: string; testId: string; children?: React.ReactNode }) {
  return (
    <div
      role="status"
      data-testid={testId}
      className={cn(
        'grid grid-cols-[auto_minmax(0,1fr)] items-start gap-x-3 gap-y-1 rounded-lg border px-4 py-3 text-sm',
        tone === 'warn' ? 'border-amber-500/30 bg-amber-500/[0.06]' : 'bg-muted/40',
      )}
    >
      <Icon className={cn('mt-0.5 size-4', tone === 'warn' ? 'text-amber-600 dark:text-amber-400' : 'text-muted-foreground')} aria-hidden />
      <p className="font-medium">{title}</p>
      {children && <div className="text-muted-foreground col-start-2 grid min-w-0 gap-2">{children}</div>}
    </div>
  );
}

const KNOWN_WARNINGS = new Set(['fallback', 'interrupted', 'parse_error']);

export function AnalysisNotices({ complete, warnings, className }: { complete: AnalysisComplete | null; warnings: readonly AnalysisWarning[]; className?: string }) {
  const metadata = complete?.payload.metadata;
  const interrupted = complete?.status === 'interrupted';
  const nonStreaming = metadata?.fallback === 'non-streaming' || warnings.some((w) => w.type === 'fallback');
  const interruptedMessage = warnings.find((w) => w.type === 'interrupted')?.message;
  const parseProblem = warnings.find((w) => w.type === 'parse_error')?.message;
  const others = warnings.filter((w) => !KNOWN_WARNINGS.has(w.type));
  const notices: React.ReactNode[] = [];

  if (interrupted) {
    notices.push(
      <Notice key="interrupted" tone="warn" icon={Unplug} title="Interrupted: the stream broke off before the answer was complete" testId="analysis-interrupted">
        <p>What was read before the break is kept below; the last field may be cut short.</p>
        {interruptedMessage && <p className="text-xs">{interruptedMessage}</p>}
      </Notice>,
    );
  }
  if (metadata?.parseStatus === 'fallback' && !interrupted) {
    notices.push(
      <Notice key="fallback" tone="warn" icon={FileWarning} title="The answer could not be read as JSON" testId="analysis-fallback">
        <p>{parseProblem ?? 'Nothing usable came out of it, even after repair.'} The model wrote:</p>
        {metadata.rawText !== undefined && (
          <pre data-testid="analysis-fallback-raw" className="bg-background text-foreground max-h-56 overflow-auto rounded-md border px-3 py-2 font-mono text-xs leading-5 whitespace-pre-wrap">
            {metadata.rawText || '(no text)'}
          </pre>
        )}
      </Notice>,
    );
  }
  // An interrupted answer is always mended to be read; its own banner says so.
  if (metadata?.parseStatus === 'repaired' && !interrupted) {
    notices.push(
      <Notice key="repaired" tone="info" icon={Wrench} title="The JSON was malformed and has been repaired" testId="analysis-repaired">
        <p>The fields below come from the repaired text; the original is under “Model output”.</p>
      </Notice>,
    );
  }
  if (nonStreaming) {
    notices.push(
      <Notice key="non-streaming" tone="info" icon={Info} title="Answered without streaming" testId="analysis-non-streaming">
        <p>The stream failed before its first token, so the answer came from a regular (non-streaming) call.</p>
      </Notice>,
    );
  }
  for (const [i, warning] of others.entries()) {
    notices.push(
      <Notice key={`w${i}`} tone="info" icon={CircleAlert} title={warning.message} testId="analysis-warning" />,
    );
  }
  if (notices.length === 0) return null;
  return <div className={cn('grid gap-3', className)}>{notices}</div>;
}

const PARSE_LABELS = { ok: 'Parsed', repaired: 'Repaired', fallback: 'Unreadable' } as const;

export function parseStatusLabel(status: keyof typeof PARSE_LABELS | null | undefined): string {
  return status ? PARSE_LABELS[status] : '—';
}

/** Duration, tokens and parse status of a finished analysis, as a definition list. */
export function AnalysisMetadata({ complete, className }: { complete: AnalysisComplete | null; className?: string }) {
  const metadata = complete?.payload.metadata;
  const usage = metadata?.usage;
  const items: [string, string, string][] = [
    ['Parse', parseStatusLabel(metadata?.parseStatus), 'meta-parse'],
    ['Duration', formatDuration(metadata?.durationMs), 'meta-duration'],
    ['Input tokens', usage?.inputTokens !== undefined ? formatCount(usage.inputTokens) : '—', 'meta-input-tokens'],
    ['Output tokens', usage?.outputTokens !== undefined ? formatCount(usage.outputTokens) : '—', 'meta-output-tokens'],
  ];
  return (
    <dl data-testid="analysis-metadata" className={cn('grid grid-cols-2 gap-x-6 gap-y-3 sm:grid-cols-4', className)}>
      {items.map(([label, value, testId]) => (
        <div key={label} className="min-w-0">
          <dt className="text-muted-foreground text-xs">{label}</dt>
          <dd data-testid={testId} className="mt-0.5 font-mono text-sm tabular-nums">
            {value}
          </dd>
        </div>
      ))}
    </dl>
  );
}
