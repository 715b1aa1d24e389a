'use client';

/**
 * The fields and buttons every run form shares: the model picker with its error, number fields
 * checked against the limits the kind modules declare (`lib/kinds`), the engine's pace
 * ({@link PaceField}, limits from `PACE_LIMITS`), and Start / Stop / Clear.
 */
import * as React from 'react';
import { Eraser, Loader2, Play, Square } from 'lucide-react';
import { ModelPicker } from '@/components/model-picker';
import type { DefaultModel } from '@/components/use-default-model';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { cn } from '@/lib/cn';
import { PACE_LIMITS } from '@/lib/kinds';
import { isSettled } from '@/stores/run-store';
import { useRunStore } from '@/stores/run-store-provider';

export const LOCAL_ENGINE_NOTE = 'Embedded ARC engine — no key, no network';

/** Whether a model id names the embedded engine (`local:*`). */
export function isLocalModelId(model: string | undefined | null): boolean {
  return typeof model === 'string' && model.startsWith('local:');
}

/** A number field's limits, as the server checks them. */
export interface NumberLimits {
  readonly min: number;
  readonly max: number;
  readonly integer: boolean;
}

/** The value of a number field, or why it is not one. */
export function parseNumberField(raw: string, limits: NumberLimits): { value: number } | { error: string } {
  const text = raw.trim();
  if (text === '') return { error: 'Enter a number.' };
  const value = Number(text);
  if (!Number.isFinite(value)) return { error: 'Enter a number.' };
  if (limits.integer && !Number.isInteger(value)) return { error: 'Enter a whole number.' };
  if (value < limits.min || value > limits.max) return { error: `Between ${limits.min} and ${limits.max.toLocaleString('en-US')}.` };
  return { value };
}

/** The server's messages for one input field (`input.<field>`) of a 400 answer, joined; undefined when none. */
export function serverFieldError(errors: readonly { path: string; message: string }[] | undefined, field: string): string | undefined {
  return (errors ?? []).filter((f) => f.path.split('.').at(-1) === field).map((f) => f.message).join(' ') || undefined;
}

export interface NumberFieldProps {
  id: string;
  label: string;
  hint?: string;
  value: string;
  onChange: (value: string) => void;
  limits: NumberLimits;
  disabled?: boolean;
  error?: string;
  testId: string;
  suffix?: string;
}

export function NumberField({ id, label, hint, value, onChange, limits, disabled, error, testId, suffix }: NumberFieldProps) {
  return (
    <div className="grid content-start gap-2">
      <Label htmlFor={id}>{label}</Label>
      <div className="relative">
        <Input
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
          className={cn('tabular-nums', suffix && 'pr-16')}
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

/** The embedded engine's pace in tokens per second, within the server's limits. */
export function PaceField(props: Omit<NumberFieldProps, 'label' | 'limits' | 'suffix' | 'hint'>) {
  return <NumberField {...props} label="Pace" suffix="tokens/s" limits={PACE_LIMITS} hint="0 writes instantly." />;
}

/** Parses a pace typed into a {@link PaceField}. */
export function parsePace(raw: string): { value: number } | { error: string } {
  return parseNumberField(raw, PACE_LIMITS);
}

export interface ModelFieldProps {
  id: string;
  models: DefaultModel['models'];
  value: string;
  onValueChange: (model: string) => void;
  disabled?: boolean;
  error?: string;
  testId?: string;
  /** Shown under the picker when there is no error. */
  note?: React.ReactNode;
  className?: string;
}

export function ModelField({ id, models, value, onValueChange, disabled, error, testId, note, className }: ModelFieldProps) {
  return (
    <div className={cn('grid content-start gap-2', className)}>
      <Label htmlFor={id}>Model</Label>
      <ModelPicker
        id={id}
        testId={testId}
        models={models}
        value={value}
        onValueChange={onValueChange}
        disabled={disabled}
        invalid={error !== undefined}
        describedBy={error ? `${id}-error` : undefined}
      />
      {error ? (
        <p id={`${id}-error`} className="text-destructive text-xs">
          {error}
        </p>
      ) : (
        note
      )}
    </div>
  );
}

export interface RunButtonsProps {
  /** `data-testid` prefix of the buttons (`grover-` gives `grover-start`, ...). */
  testIdPrefix: string;
  canStart: boolean;
  /** Show Clear (forget the finished run). */
  clear?: boolean;
  clearClassName?: string;
  className?: string;
  /** More buttons after Clear, on the right. */
  actions?: React.ReactNode;
}

/** Start (submits the form), Stop and Clear, wired to the run store. */
export function RunButtons({ testIdPrefix, canStart, clear = true, clearClassName, className, actions }: RunButtonsProps) {
  const status = useRunStore((s) => s.status);
  const stopping = useRunStore((s) => s.stopping);
  const stop = useRunStore((s) => s.stop);
  const clearRun = useRunStore((s) => s.clear);
  const running = !isSettled(status);
  return (
    <div className={cn('flex flex-wrap items-center gap-2', className)}>
      <Button type="submit" data-testid={`${testIdPrefix}start`} disabled={!canStart}>
        {status === 'connecting' ? <Loader2 className="animate-spin" aria-hidden /> : <Play aria-hidden />}
        Start
      </Button>
      <Button type="button" variant="outline" data-testid={`${testIdPrefix}stop`} disabled={!running || stopping} onClick={() => void stop()}>
        {stopping ? <Loader2 className="animate-spin" aria-hidden /> : <Square aria-hidden />}
        Stop
      </Button>
      {clear && (
        <Button type="button" variant="ghost" data-testid={`${testIdPrefix}clear`} disabled={running || status === 'idle'} onClick={clearRun} className={clearClassName}>
          <Eraser aria-hidden />
          Clear
        </Button>
      )}
      {actions && <div className="ml-auto flex items-center gap-2">{actions}</div>}
    </div>
  );
}
