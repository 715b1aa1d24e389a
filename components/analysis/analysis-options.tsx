'use client';

/**
 * The analysis form: model, the embedded engine's pace (for `local:*` models), whether to run the
 * checks after the answer, and Start / Stop. Field errors from a 400 answer show beside the model.
 */
import * as React from 'react';
import { Cpu } from 'lucide-react';
import { isLocalModelId, ModelField, PaceField, parsePace, RunButtons } from '@/components/run-form-fields';
import { useDefaultModel } from '@/components/use-default-model';
import { cn } from '@/lib/cn';
import { isSettled } from '@/stores/run-store';
import { useRunStore } from '@/stores/run-store-provider';

export function AnalysisOptions({ taskId }: { taskId: string }) {
  const ids = React.useId();
  const { models, model, setModel } = useDefaultModel('arc');
  const [pace, setPace] = React.useState('120');
  const [enrichments, setEnrichments] = React.useState(true);

  const status = useRunStore((s) => s.status);
  const fieldErrors = useRunStore((s) => s.error?.fieldErrors);
  const startRun = useRunStore((s) => s.startRun);

  const running = !isSettled(status);
  const local = isLocalModelId(model);
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
        <ModelField id={`${ids}-model`} models={models} value={model} onValueChange={setModel} disabled={running} error={modelError} />
        {local && <PaceField id={`${ids}-pace`} testId="analysis-pace" value={pace} onChange={setPace} disabled={running} error={paceError} />}
      </div>
      {local && (
        <p data-testid="analysis-local-note" className="text-muted-foreground flex items-center gap-2 text-xs">
          <Cpu className="size-3.5 shrink-0" aria-hidden />
          Embedded ARC engine: no key, no network. It searches a DSL of grid transformations and writes what it found as JSON.
        </p>
      )}
      <div className="flex flex-wrap items-center gap-x-4 gap-y-3">
        <RunButtons testIdPrefix="analysis-" canStart={canStart} clear={false} />
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
