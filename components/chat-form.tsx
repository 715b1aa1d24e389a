'use client';

/**
 * The run form: model, prompt, and Start / Stop / Clear. Field errors from the server's 400
 * answer are shown beside the field they name. Ctrl+Enter (⌘+Enter) starts.
 */
import { useId, useState, type FormEvent, type KeyboardEvent } from 'react';
import { Label } from '@/components/ui/label';
import { Textarea } from '@/components/ui/textarea';
import { isSettled } from '@/stores/run-store';
import { useRunStore } from '@/stores/run-store-provider';
import { ModelPicker } from './model-picker';
import { RunButtons } from './run-form-fields';
import { useDefaultModel } from './use-default-model';

/** Which form field a server field error belongs to. */
export function fieldOf(path: string): 'prompt' | 'model' | undefined {
  if (/(^|\.)prompt$/.test(path)) return 'prompt';
  if (/(^|\.)model$/.test(path)) return 'model';
  return undefined;
}

function FieldError({ id, testId, messages }: { id: string; testId: string; messages: string[] }) {
  if (messages.length === 0) return null;
  return (
    <p id={id} data-testid={testId} className="text-destructive text-sm">
      {messages.join(' ')}
    </p>
  );
}

export function ChatForm() {
  const ids = useId();
  const { models, model, setModel } = useDefaultModel();
  const [prompt, setPrompt] = useState('');

  const status = useRunStore((s) => s.status);
  const fieldErrors = useRunStore((s) => s.error?.fieldErrors);
  const start = useRunStore((s) => s.start);

  const running = !isSettled(status);
  const canStart = !running && model !== '' && prompt.trim() !== '';
  const errorsFor = (field: 'prompt' | 'model') => (fieldErrors ?? []).filter((f) => fieldOf(f.path) === field).map((f) => f.message);
  const promptErrors = errorsFor('prompt');
  const modelErrors = errorsFor('model');

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (canStart) start({ prompt, model });
  };
  const onPromptKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.metaKey || event.ctrlKey)) submit();
  };

  return (
    <form onSubmit={submit} className="grid gap-5" noValidate>
      <div className="grid gap-2">
        <Label htmlFor={`${ids}-model`}>Model</Label>
        <ModelPicker
          id={`${ids}-model`}
          models={models}
          value={model}
          onValueChange={setModel}
          disabled={running}
          invalid={modelErrors.length > 0}
          describedBy={modelErrors.length > 0 ? `${ids}-model-error` : undefined}
        />
        <FieldError id={`${ids}-model-error`} testId="model-error" messages={modelErrors} />
      </div>

      <div className="grid gap-2">
        <div className="flex items-baseline justify-between">
          <Label htmlFor={`${ids}-prompt`}>Prompt</Label>
          <span className="text-muted-foreground text-xs">Ctrl + Enter to start</span>
        </div>
        <Textarea
          id={`${ids}-prompt`}
          data-testid="prompt"
          value={prompt}
          onChange={(event) => setPrompt(event.target.value)}
          onKeyDown={onPromptKeyDown}
          placeholder="Ask anything…"
          rows={8}
          className="max-h-80 min-h-40 resize-y"
          aria-invalid={promptErrors.length > 0 || undefined}
          aria-describedby={promptErrors.length > 0 ? `${ids}-prompt-error` : undefined}
        />
        <FieldError id={`${ids}-prompt-error`} testId="prompt-error" messages={promptErrors} />
      </div>

      <RunButtons testIdPrefix="" canStart={canStart} clearClassName="ml-auto" />
    </form>
  );
}
