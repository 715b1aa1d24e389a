'use client';

/**
 * Saturn's run form: the model and (for the embedded engine) the pace of its text, with Start /
 * Stop / Clear and a slot for the save buttons. Field errors from a 400 answer are shown beside
 * their field. Inside the StreamConsole page it registers its start with the page toolbar.
 */
import * as React from 'react';
import { Cpu } from 'lucide-react';
import { isLocalModelId, LOCAL_ENGINE_NOTE, ModelField, PaceField, parsePace, RunButtons, serverFieldError } from '@/components/run-form-fields';
import { useConsolePane } from '@/components/stream-console/console-panes';
import { useDefaultModel } from '@/components/use-default-model';
import { cn } from '@/lib/cn';
import { isSettled } from '@/stores/run-store';
import { useRunStore } from '@/stores/run-store-provider';

/** Slow enough to watch the phases go by with the embedded engine. */
const DEFAULT_SATURN_PACE = 40;

export function SaturnOptions({ taskId, actions }: { taskId: string; actions?: React.ReactNode }) {
  const ids = React.useId();
  const { models, model, setModel } = useDefaultModel('arc');
  const [pace, setPace] = React.useState(String(DEFAULT_SATURN_PACE));

  const status = useRunStore((s) => s.status);
  const serverErrors = useRunStore((s) => s.error?.fieldErrors);
  const startRun = useRunStore((s) => s.startRun);

  const local = isLocalModelId(model);
  const running = !isSettled(status);
  const parsedPace = parsePace(pace);
  const paceError = 'error' in parsedPace ? parsedPace.error : serverFieldError(serverErrors, 'tokensPerSecond');
  const modelError = serverFieldError(serverErrors, 'model');
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
        <ModelField
          id={`${ids}-model`}
          testId="saturn-model-select"
          models={models}
          value={model}
          onValueChange={setModel}
          disabled={running}
          error={modelError}
          note={
            local && (
              <p data-testid="saturn-local-note" className="text-muted-foreground flex items-center gap-1.5 text-xs">
                <Cpu className="size-3.5 shrink-0" aria-hidden />
                {LOCAL_ENGINE_NOTE}; hosted models look at the pictures.
              </p>
            )
          }
        />
        {local && <PaceField id={`${ids}-pace`} testId="saturn-pace" value={pace} onChange={setPace} disabled={running} error={paceError} />}
      </div>
      <RunButtons testIdPrefix="saturn-" canStart={canStart} actions={actions} />
    </form>
  );
}
