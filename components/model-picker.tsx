'use client';

/**
 * The model picker: the models the server offers, grouped by provider. Models whose provider is
 * not configured are listed but disabled, naming the environment variable that would enable them.
 */
import { AlertCircle, RotateCw } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Select, SelectContent, SelectGroup, SelectItem, SelectLabel, SelectTrigger, SelectValue } from '@/components/ui/select';
import type { ModelOption, ModelsState } from './use-models';

export interface ModelPickerProps {
  id: string;
  models: ModelsState & { reload: () => void };
  value: string;
  onValueChange: (value: string) => void;
  disabled?: boolean;
  invalid?: boolean;
  describedBy?: string;
  /** `data-testid` of the trigger (default `model-select`), for a page with two pickers. */
  testId?: string;
}

const PROVIDER_NAMES: Record<string, string> = {
  openai: 'OpenAI',
  xai: 'xAI',
  openrouter: 'OpenRouter',
  compatible: 'OpenAI-compatible',
  local: 'Local',
};

function byProvider(models: ModelOption[]): [string, ModelOption[]][] {
  const groups = new Map<string, ModelOption[]>();
  for (const model of models) {
    const group = groups.get(model.provider) ?? [];
    group.push(model);
    groups.set(model.provider, group);
  }
  return [...groups];
}

export function ModelPicker({ id, models, value, onValueChange, disabled, invalid, describedBy, testId = 'model-select' }: ModelPickerProps) {
  if (models.status === 'error') {
    return (
      <div
        data-testid="models-error"
        role="alert"
        className="border-destructive/30 bg-destructive/5 text-destructive flex items-start gap-2 rounded-md border px-3 py-2 text-sm"
      >
        <AlertCircle className="mt-0.5 size-4 shrink-0" aria-hidden />
        <div className="grid flex-1 gap-1">
          <p className="font-medium">Couldn&apos;t load the models</p>
          <p className="text-destructive/90">{models.message}</p>
        </div>
        <Button type="button" variant="ghost" size="sm" onClick={models.reload} className="text-destructive -my-1">
          <RotateCw aria-hidden />
          Retry
        </Button>
      </div>
    );
  }

  const ready = models.status === 'ready';
  const empty = ready && models.models.length === 0;
  const unusable = ready && !empty && models.models.every((m) => !m.configured);
  const missing = ready ? [...new Set(models.models.flatMap((m) => (m.missingEnv ? [m.missingEnv] : [])))] : [];
  return (
    <>
      <Select value={value} onValueChange={onValueChange} disabled={disabled || !ready || empty}>
        <SelectTrigger
          id={id}
          data-testid={testId}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy}
          className="w-full"
        >
          <SelectValue placeholder={!ready ? 'Loading models…' : empty ? 'No models offered' : 'Choose a model'} />
        </SelectTrigger>
        {ready && (
          <SelectContent position="popper" align="start">
            {byProvider(models.models).map(([provider, group]) => (
              <SelectGroup key={provider}>
                <SelectLabel>{PROVIDER_NAMES[provider] ?? provider}</SelectLabel>
                {group.map((model) => (
                  <SelectItem key={model.id} value={model.id} disabled={!model.configured} data-testid={`model-option-${model.id}`}>
                    {model.label}
                    {!model.configured && (
                      <span className="text-muted-foreground text-xs">
                        {model.missingEnv ? `set ${model.missingEnv}` : 'not configured'}
                      </span>
                    )}
                  </SelectItem>
                ))}
              </SelectGroup>
            ))}
          </SelectContent>
        )}
      </Select>
      {unusable && (
        <p data-testid="models-unconfigured" className="text-muted-foreground text-xs leading-relaxed">
          No model is configured yet.
          {missing.length > 0 && (
            <>
              {' Set '}
              {missing.map((name, i) => (
                <span key={name}>
                  {i > 0 && (i === missing.length - 1 ? ' or ' : ', ')}
                  <code className="bg-muted rounded px-1 py-0.5 font-mono text-[11px]">{name}</code>
                </span>
              ))}
              {' on the server to enable one.'}
            </>
          )}
        </p>
      )}
    </>
  );
}
