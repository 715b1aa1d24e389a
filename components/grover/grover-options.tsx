'use client';

/**
 * Grover's run form: model, iterations, programs per iteration and (for the embedded engine) the
 * pace of its text, with Start / Stop / Clear. Numbers are checked here against the server's
 * limits, and field errors from a 400 answer are shown beside their field.
 */
import * as React from 'react';
import { Cpu, Eraser, Loader2, Play, Square } from 'lucide-react';
import { ModelPicker } from '@/components/model-picker';
import { useConsolePane } from '@/components/stream-console/console-panes';
import { useModels } from '@/components/use-models';
import { Button } from '@/components/ui/button';
import { Label } from '@/components/ui/label';
import { cn } from '@/lib/cn';
import { isSettled } from '@/stores/run-store';
import { useRunStore } from '@/stores/run-store-provider';

export const LOCAL_ENGINE_NOTE = 'Embedded ARC engine — no key, no network';

export function isLocalModelId(model: string | undefined | null): boolean {
  return typeof model === 'string' && model.startsWith('local:');
}

/** A field's limits, as the server checks them. */
interface Limits {
  min: number;
  max: number;
  integer: boolean;
}

const LIMITS = {
  iterations: { min: 1, max: 10, integer: true },
  programsPerIteration: { min: 1, max: 8, integer: true },
  tokensPerSecond: { min: 0, max: 10_000, integer: false },
} satisfies Record<string, Limits>;

type Field = keyof typeof LIMITS;

/** The value of a number field, or why it is not one. */
export function parseField(raw: string, limits: Limits): { value: number } | { error: string } {
  const text = raw.trim();
  if (text === '') return { error: 'Enter a number.' };
  const value = Number(text);
  if (!Number.isFinite(value)) return { error: 'Enter a number.' };
  if (limits.integer && !Number.isInteger(value)) return { error: 'Enter a whole number.' };
  if (value < limits.min || value > limits.max) return { error: `Between ${limits.min} and ${limits.max.toLocaleString('en-US')}.` };
  return { value };
}

/** Which field a server field error (`input.iterations`) belongs to. */
function fieldOfPath(path: string): Field | 'model' | undefined {
  const last = path.split('.').at(-1);
  if (last === 'model') return 'model';
  return last && last in LIMITS ? (last as Field) : undefined;
}

const INPUT_CLASS =
  'border-input placeholder:text-muted-foreground focus-visible:border-ring focus-visible:ring-ring/50 aria-invalid:ring-destructive/20 aria-invalid:border-destructive dark:bg-input/30 h-9 w-full min-w-0 rounded-md border bg-transparent px-3 py-1 text-sm tabular-nums shadow-xs transition-[color,box-shadow] outline-none focus-visible:ring-[3px] disabled:cursor-not-allowed disabled:opacity-50';

function NumberField({
  id,
  label,
  hint,
  value,
  onChange,
  limits,
  disabled,
  error,
  testId,
  suffix,
}: {
  id: string;
  label: string;
  hint?: string;
  value: string;
  onChange: (value: string) => void;
  limits: Limits;
  disabled?: boolean;
  error?: string;
  testId: string;
  suffix?: string;
}) {
  return (
    <div className="grid content-start gap-2">
      <Label htmlFor={id}>{label}</Label>
      <div className="relative">
        <input
          id={id}
          data-testid={testId}
          type="number"
          inputMode={limits.integer ? 'numeric' : 'decimal'}
          min={limits.min}
          max={limits.max}
          step={limits.integer ? 1 : 'any'}
          value={value}
          disabled={disabled}
          onChange={(event) => onChange(event.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : hint ? `${id}-hint` : undefined}
          className={cn(INPUT_CLASS, suffix && 'pr-16')}
        />
        {suffix && <span className="text-muted-foreground pointer-events-none absolute inset-y-0 right-3 flex items-center text-xs">{suffix}</span>}
      </div>
      {error ? (
        <p id={`${id}-error`} className="text-destructive text-xs">
          {error}
        </p>
      ) : (
        hint && (
          <p id={`${id}-hint`} className="text-muted-foreground text-xs">
            {hint}
          </p>
        )
      )}
    </div>
  );
}

export function GroverOptions({ taskId, actions }: { taskId: string; actions?: React.ReactNode }) {
  const ids = React.useId();
  const models = useModels();
  const [model, setModel] = React.useState('');
  const [values, setValues] = React.useState<Record<Field, string>>({ iterations: '3', programsPerIteration: '4', tokensPerSecond: '150' });
  const [touched, setTouched] = React.useState(false);

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
  const parsed = {
    iterations: parseField(values.iterations, LIMITS.iterations),
    programsPerIteration: parseField(values.programsPerIteration, LIMITS.programsPerIteration),
    tokensPerSecond: parseField(values.tokensPerSecond, LIMITS.tokensPerSecond),
  };
  const errorOf = (field: Field): string | undefined => {
    const own = parsed[field];
    if ('error' in own && (touched || values[field] !== '')) return own.error;
    return (serverErrors ?? []).filter((f) => fieldOfPath(f.path) === field).map((f) => f.message).join(' ') || undefined;
  };
  const modelError = (serverErrors ?? []).filter((f) => fieldOfPath(f.path) === 'model').map((f) => f.message).join(' ') || undefined;
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
        <div className="grid content-start gap-2 sm:col-span-2">
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
        <NumberField
          id={`${ids}-iterations`}
          testId="grover-iterations"
          label="Iterations"
          hint="1 to 10; stops early when solved."
          value={values.iterations}
          onChange={set('iterations')}
          limits={LIMITS.iterations}
          disabled={running}
          error={errorOf('iterations')}
        />
        <NumberField
          id={`${ids}-programs`}
          testId="grover-programs"
          label="Programs per iteration"
          hint="1 to 8 candidates each time."
          value={values.programsPerIteration}
          onChange={set('programsPerIteration')}
          limits={LIMITS.programsPerIteration}
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
          <NumberField
            id={`${ids}-pace`}
            testId="grover-pace"
            label="Pace"
            suffix="tokens/s"
            value={values.tokensPerSecond}
            onChange={set('tokensPerSecond')}
            limits={LIMITS.tokensPerSecond}
            disabled={running}
            error={errorOf('tokensPerSecond')}
            hint="0 writes instantly."
          />
        </div>
      )}

      <div className="flex flex-wrap items-center gap-2">
        <Button type="submit" data-testid="grover-start" disabled={!canStart}>
          {status === 'connecting' ? <Loader2 className="animate-spin" aria-hidden /> : <Play aria-hidden />}
          Start
        </Button>
        <Button type="button" variant="outline" data-testid="grover-stop" disabled={!running || stopping} onClick={() => void stop()}>
          {stopping ? <Loader2 className="animate-spin" aria-hidden /> : <Square aria-hidden />}
          Stop
        </Button>
        <Button type="button" variant="ghost" data-testid="grover-clear" disabled={running || !hasRun} onClick={clear}>
          <Eraser aria-hidden />
          Clear
        </Button>
        {actions && <div className="ml-auto flex items-center gap-2">{actions}</div>}
      </div>
    </form>
  );
}
