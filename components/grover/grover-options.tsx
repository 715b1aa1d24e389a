'use client';

/**
 * Grover's run form: model, iterations, programs per iteration and (for the embedded engine) the
 * pace of its text, with Start / Stop / Clear. Numbers are checked here against the server's
 * limits, and field errors from a 400 answer are shown beside their field.
 */
import * as React from 'react';
import { Cpu } from 'lucide-react';
import {
  isLocalModelId,
  LOCAL_ENGINE_NOTE,
  ModelField,
  NumberField,
  PaceField,
  parseNumberField,
  parsePace,
  RunButtons,
  serverFieldError,
} from '@/components/run-form-fields';
import { useConsolePane } from '@/components/stream-console/console-panes';
import { useDefaultModel } from '@/components/use-default-model';
import { GROVER_LIMITS } from '@/lib/kinds/grover';
import { isSettled } from '@/stores/run-store';
import { useRunStore } from '@/stores/run-store-provider';

type Field = 'iterations' | 'programsPerIteration' | 'tokensPerSecond';

export function GroverOptions({ taskId, actions }: { taskId: string; actions?: React.ReactNode }) {
  const ids = React.useId();
  const { models, model, setModel } = useDefaultModel('arc');
  const [values, setValues] = React.useState<Record<Field, string>>({
    iterations: String(GROVER_LIMITS.iterations.default),
    programsPerIteration: String(GROVER_LIMITS.programsPerIteration.default),
    tokensPerSecond: '150',
  });
  const [touched, setTouched] = React.useState(false);

  const status = useRunStore((s) => s.status);
  const serverErrors = useRunStore((s) => s.error?.fieldErrors);
  const startRun = useRunStore((s) => s.startRun);

  const local = isLocalModelId(model);
  const running = !isSettled(status);
  const parsed = {
    iterations: parseNumberField(values.iterations, GROVER_LIMITS.iterations),
    programsPerIteration: parseNumberField(values.programsPerIteration, GROVER_LIMITS.programsPerIteration),
    tokensPerSecond: parsePace(values.tokensPerSecond),
  };
  const errorOf = (field: Field): string | undefined => {
    const own = parsed[field];
    if ('error' in own && (touched || values[field] !== '')) return own.error;
    return serverFieldError(serverErrors, field);
  };
  const modelError = serverFieldError(serverErrors, 'model');
  const valid = 'value' in parsed.iterations && 'value' in parsed.programsPerIteration && (!local || 'value' in parsed.tokensPerSecond);
  const canStart = !running && model !== '' && valid;

  const begin = (): boolean => {
    setTouched(true);
    if (!canStart || !('value' in parsed.iterations) || !('value' in parsed.programsPerIteration)) return false;
    startRun({
      kind: 'grover',
      input: {
        taskId,
        model,
        iterations: parsed.iterations.value,
        programsPerIteration: parsed.programsPerIteration.value,
        ...(local && 'value' in parsed.tokensPerSecond ? { tokensPerSecond: parsed.tokensPerSecond.value } : {}),
      },
    });
    return true;
  };
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    begin();
  };
  // The StreamConsole toolbar's "Start both" starts this pane as its Start button does.
  useConsolePane('grover', begin);
  const set = (field: Field) => (value: string) => setValues((v) => ({ ...v, [field]: value }));

  return (
    <form onSubmit={submit} noValidate className="grid gap-4" data-testid="grover-options">
      <div className="grid gap-4 sm:grid-cols-2 2xl:grid-cols-4">
        <ModelField id={`${ids}-model`} className="sm:col-span-2" models={models} value={model} onValueChange={setModel} disabled={running} error={modelError} />
        <NumberField
          id={`${ids}-iterations`}
          testId="grover-iterations"
          label="Iterations"
          hint={`${GROVER_LIMITS.iterations.min} to ${GROVER_LIMITS.iterations.max}; stops early when solved.`}
          value={values.iterations}
          onChange={set('iterations')}
          limits={GROVER_LIMITS.iterations}
          disabled={running}
          error={errorOf('iterations')}
        />
        <NumberField
          id={`${ids}-programs`}
          testId="grover-programs"
          label="Programs per iteration"
          hint={`${GROVER_LIMITS.programsPerIteration.min} to ${GROVER_LIMITS.programsPerIteration.max} candidates each time.`}
          value={values.programsPerIteration}
          onChange={set('programsPerIteration')}
          limits={GROVER_LIMITS.programsPerIteration}
          disabled={running}
          error={errorOf('programsPerIteration')}
        />
      </div>

      {local && (
        <div
          data-testid="local-engine-note"
          className="bg-muted/40 grid items-center gap-x-4 gap-y-3 rounded-lg border px-3 py-3 sm:grid-cols-[minmax(0,1fr)_12rem]"
        >
          <p className="flex items-start gap-2.5 text-sm">
            <Cpu className="text-muted-foreground mt-0.5 size-4 shrink-0" aria-hidden />
            <span>
              <span className="font-medium">{LOCAL_ENGINE_NOTE}</span>
              <span className="text-muted-foreground block text-xs">It searches a DSL of grid transformations and writes its candidates as Python.</span>
            </span>
          </p>
          <PaceField
            id={`${ids}-pace`}
            testId="grover-pace"
            value={values.tokensPerSecond}
            onChange={set('tokensPerSecond')}
            disabled={running}
            error={errorOf('tokensPerSecond')}
          />
        </div>
      )}

      <RunButtons testIdPrefix="grover-" canStart={canStart} actions={actions} />
    </form>
  );
}
