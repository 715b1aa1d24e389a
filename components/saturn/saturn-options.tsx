'use client';

/**
 * Saturn's run form: the model and (for the embedded engine) the pace of its text, with Start /
 * Stop / Clear and a slot for the save buttons. Field errors from a 400 answer are shown beside
 * their field. Inside the StreamConsole page it registers its start with the page toolbar.
 */
import * as React from 'react';
import { Cpu, Eraser, Loader2, Play, Square } from 'lucide-react';
import { isLocalModelId, LOCAL_ENGINE_NOTE, parseField } from '@/components/grover/grover-options';
import { ModelPicker } from '@/components/model-picker';
import { useConsolePane } from '@/components/stream-console/console-panes';
import { Button } from '@/components/ui/button';
import { Label } from '@/components/ui/label';
import { useModels } from '@/components/use-models';
import { cn } from '@/lib/cn';
import { isSettled } from '@/stores/run-store';
import { useRunStore } from '@/stores/run-store-provider';

const PACE_LIMITS = { min: 0, max: 10_000, integer: false };
/** Slow enough to watch the phases go by with the embedded engine. */
export const DEFAULT_SATURN_PACE = 40;

const INPUT_CLASS =
  'border-input placeholder:text-muted-foreground focus-visible:border-ring focus-visible:ring-ring/50 aria-invalid:ring-destructive/20 aria-invalid:border-destructive dark:bg-input/30 h-9 w-full min-w-0 rounded-md border bg-transparent px-3 py-1 pr-16 text-sm tabular-nums shadow-xs transition-[color,box-shadow] outline-none focus-visible:ring-[3px] disabled:cursor-not-allowed disabled:opacity-50';

function fieldErrors(errors: { path: string; message: string }[] | undefined, field: string): string | undefined {
  return (errors ?? []).filter((f) => f.path.split('.').at(-1) === field).map((f) => f.message).join(' ') || undefined;
}

export function SaturnOptions({ taskId, actions }: { taskId: string; actions?: React.ReactNode }) {
  const ids = React.useId();
  const models = useModels();
  const [model, setModel] = React.useState('');
  const [pace, setPace] = React.useState(String(DEFAULT_SATURN_PACE));

  const status = useRunStore((s) => s.status);
  const stopping = useRunStore((s) => s.stopping);
  const hasRun = useRunStore((s) => s.status !== 'idle');
  const serverErrors = useRunStore((s) => s.error?.fieldErrors);
  const startRun = useRunStore((s) => s.startRun);
  const stop = useRunStore((s) => s.stop);
  const clear = useRunStore((s) => s.clear);

  // The server's default model (or the first usable one), once the list arrives.
  React.useEffect(() => {
    if (models.status !== 'ready' || model) return;
    const usable = models.models.filter((m) => m.configured);
    const preferred = usable.find((m) => m.id === models.defaultArcModel) ?? usable[0];
    if (preferred) setModel(preferred.id);
  }, [models, model]);

  const local = isLocalModelId(model);
  const running = !isSettled(status);
  const parsedPace = parseField(pace, PACE_LIMITS);
  const paceError = 'error' in parsedPace ? parsedPace.error : fieldErrors(serverErrors, 'tokensPerSecond');
  const modelError = fieldErrors(serverErrors, 'model');
  const canStart = !running && model !== '' && (!local || 'value' in parsedPace);

  const begin = (): boolean => {
    if (!canStart) return false;
    startRun({ kind: 'saturn', input: { taskId, model, ...(local && 'value' in parsedPace ? { tokensPerSecond: parsedPace.value } : {}) } });
    return true;
  };
  useConsolePane('saturn', begin);

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        begin();
      }}
      noValidate
      className="grid gap-4"
      data-testid="saturn-options"
    >
      <div className={cn('grid gap-4', local && 'sm:grid-cols-[minmax(0,1fr)_11rem]')}>
        <div className="grid content-start gap-2">
          <Label htmlFor={`${ids}-model`}>Model</Label>
          <ModelPicker
            id={`${ids}-model`}
            testId="saturn-model-select"
            models={models}
            value={model}
            onValueChange={setModel}
            disabled={running}
            invalid={modelError !== undefined}
            describedBy={modelError ? `${ids}-model-error` : undefined}
          />
          {modelError ? (
            <p id={`${ids}-model-error`} className="text-destructive text-xs">
              {modelError}
            </p>
          ) : (
            local && (
              <p data-testid="saturn-local-note" className="text-muted-foreground flex items-center gap-1.5 text-xs">
                <Cpu className="size-3.5 shrink-0" aria-hidden />
                {LOCAL_ENGINE_NOTE}; hosted models look at the pictures.
              </p>
            )
          )}
        </div>
        {local && (
          <div className="grid content-start gap-2">
            <Label htmlFor={`${ids}-pace`}>Pace</Label>
            <div className="relative">
              <input
                id={`${ids}-pace`}
                data-testid="saturn-pace"
                type="number"
                inputMode="decimal"
                min={PACE_LIMITS.min}
                max={PACE_LIMITS.max}
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

      <div className="flex flex-wrap items-center gap-2">
        <Button type="submit" data-testid="saturn-start" disabled={!canStart}>
          {status === 'connecting' ? <Loader2 className="animate-spin" aria-hidden /> : <Play aria-hidden />}
          Start
        </Button>
        <Button type="button" variant="outline" data-testid="saturn-stop" disabled={!running || stopping} onClick={() => void stop()}>
          {stopping ? <Loader2 className="animate-spin" aria-hidden /> : <Square aria-hidden />}
          Stop
        </Button>
        <Button type="button" variant="ghost" data-testid="saturn-clear" disabled={running || !hasRun} onClick={clear}>
          <Eraser aria-hidden />
          Clear
        </Button>
        {actions && <div className="ml-auto flex items-center gap-2">{actions}</div>}
      </div>
    </form>
  );
}
