'use client';

/**
 * The analysis form: model, the embedded engine's pace (for `local:*` models), whether to run the
 * checks after the answer, and Start / Stop. Field errors from a 400 answer show beside the model.
 */
import * as React from 'react';
import { Cpu, Loader2, Play, Square } from 'lucide-react';
import { ModelPicker } from '@/components/model-picker';
import { useModels } from '@/components/use-models';
import { Button } from '@/components/ui/button';
import { Label } from '@/components/ui/label';
import { cn } from '@/lib/cn';
import { isSettled } from '@/stores/run-store';
import { useRunStore } from '@/stores/run-store-provider';

const INPUT_CLASS =
  'border-input focus-visible:border-ring focus-visible:ring-ring/50 aria-invalid:border-destructive dark:bg-input/30 h-9 w-full min-w-0 rounded-md border bg-transparent px-3 py-1 pr-16 text-sm tabular-nums shadow-xs outline-none focus-visible:ring-[3px] disabled:cursor-not-allowed disabled:opacity-50';

const MAX_PACE = 10_000;

export function isLocalModel(model: string | null | undefined): boolean {
  return typeof model === 'string' && model.startsWith('local:');
}

/** The pace typed in, or why it is not one. */
function parsePace(raw: string): { value: number } | { error: string } {
  const value = Number(raw.trim());
  if (raw.trim() === '' || !Number.isFinite(value)) return { error: 'Enter a number.' };
  if (value < 0 || value > MAX_PACE) return { error: `Between 0 and ${MAX_PACE.toLocaleString('en-US')}.` };
  return { value };
}

export function AnalysisOptions({ taskId }: { taskId: string }) {
  const ids = React.useId();
  const models = useModels();
  const [model, setModel] = React.useState('');
  const [pace, setPace] = React.useState('120');
  const [enrichments, setEnrichments] = React.useState(true);

  const status = useRunStore((s) => s.status);
  const stopping = useRunStore((s) => s.stopping);
  const fieldErrors = useRunStore((s) => s.error?.fieldErrors);
  const startRun = useRunStore((s) => s.startRun);
  const stop = useRunStore((s) => s.stop);

  // The server's default model (or the first usable one), once the list arrives.
  React.useEffect(() => {
    if (models.status !== 'ready' || model) return;
    const usable = models.models.filter((m) => m.configured);
    const preferred = usable.find((m) => m.id === models.defaultArcModel) ?? usable[0];
    if (preferred) setModel(preferred.id);
  }, [models, model]);

  const running = !isSettled(status);
  const local = isLocalModel(model);
  const parsedPace = parsePace(pace);
  const paceError = local && 'error' in parsedPace ? parsedPace.error : undefined;
  const modelError = (fieldErrors ?? []).filter((f) => f.path.endsWith('model')).map((f) => f.message).join(' ') || undefined;
  const canStart = !running && model !== '' && paceError === undefined;

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (!canStart) return;
    startRun({
      kind: 'analysis',
      input: {
        taskId,
        model,
        enrichments,
        ...(local && 'value' in parsedPace ? { tokensPerSecond: parsedPace.value } : {}),
      },
    });
  };

  return (
    <form onSubmit={submit} noValidate className="grid gap-4" data-testid="analysis-options">
      <div className={cn('grid gap-4', local && 'sm:grid-cols-[minmax(0,1fr)_11rem]')}>
        <div className="grid content-start gap-2">
          <Label htmlFor={`${ids}-model`}>Model</Label>
          <ModelPicker
            id={`${ids}-model`}
            models={models}
            value={model}
            onValueChange={setModel}
            disabled={running}
            invalid={modelError !== undefined}
            describedBy={modelError ? `${ids}-model-error` : undefined}
          />
          {modelError && (
            <p id={`${ids}-model-error`} className="text-destructive text-xs">
              {modelError}
            </p>
          )}
        </div>
        {local && (
          <div className="grid content-start gap-2">
            <Label htmlFor={`${ids}-pace`}>Pace</Label>
            <div className="relative">
              <input
                id={`${ids}-pace`}
                data-testid="analysis-pace"
                type="number"
                inputMode="decimal"
                min={0}
                max={MAX_PACE}
                step="any"
                value={pace}
                disabled={running}
                onChange={(event) => setPace(event.target.value)}
                aria-invalid={paceError ? true : undefined}
                aria-describedby={`${ids}-pace-hint`}
                className={INPUT_CLASS}
              />
              <span className="text-muted-foreground pointer-events-none absolute inset-y-0 right-3 flex items-center text-xs">tokens/s</span>
            </div>
            <p id={`${ids}-pace-hint`} className={cn('text-xs', paceError ? 'text-destructive' : 'text-muted-foreground')}>
              {paceError ?? '0 writes instantly.'}
            </p>
          </div>
        )}
      </div>
      {local && (
        <p data-testid="analysis-local-note" className="text-muted-foreground flex items-center gap-2 text-xs">
          <Cpu className="size-3.5 shrink-0" aria-hidden />
          Embedded ARC engine: no key, no network. It searches a DSL of grid transformations and writes what it found as JSON.
        </p>
      )}
      <div className="flex flex-wrap items-center gap-x-4 gap-y-3">
        <div className="flex items-center gap-2">
          <Button type="submit" data-testid="analysis-start" disabled={!canStart}>
            {status === 'connecting' ? <Loader2 className="animate-spin" aria-hidden /> : <Play aria-hidden />}
            Start
          </Button>
          <Button type="button" variant="outline" data-testid="analysis-stop" disabled={!running || stopping} onClick={() => void stop()}>
            {stopping ? <Loader2 className="animate-spin" aria-hidden /> : <Square aria-hidden />}
            Stop
          </Button>
        </div>
        <label className="text-muted-foreground flex cursor-pointer items-center gap-2 text-sm select-none">
          <input
            type="checkbox"
            data-testid="analysis-enrichments"
            checked={enrichments}
            disabled={running}
            onChange={(event) => setEnrichments(event.target.checked)}
            className="accent-foreground size-4"
          />
          Check the answer afterwards (verify, earlier analyses, drawing)
        </label>
      </div>
    </form>
  );
}
