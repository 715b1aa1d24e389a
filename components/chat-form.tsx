'use client';

/**
 * The run form: model, prompt, and Start / Stop / Clear. Field errors from the server's 400
 * answer are shown beside the field they name. Ctrl+Enter (⌘+Enter) starts.
 */
import { useEffect, useId, useState, type FormEvent, type KeyboardEvent } from 'react';
import { Eraser, Loader2, Play, Square } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Label } from '@/components/ui/label';
import { Textarea } from '@/components/ui/textarea';
import { isSettled } from '@/stores/run-store';
import { useRunStore } from '@/stores/run-store-provider';
import { ModelPicker } from './model-picker';
import { useModels } from './use-models';

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
  const models = useModels();
  const [model, setModel] = useState('');
  const [prompt, setPrompt] = useState('');

  const status = useRunStore((s) => s.status);
  const stopping = useRunStore((s) => s.stopping);
  const hasRun = useRunStore((s) => s.status !== 'idle');
  const fieldErrors = useRunStore((s) => s.error?.fieldErrors);
  const start = useRunStore((s) => s.start);
  const stop = useRunStore((s) => s.stop);
  const clear = useRunStore((s) => s.clear);

  // Pick the server's default model (or the first usable one) once the list arrives.
  useEffect(() => {
    if (models.status !== 'ready' || model) return;
    const usable = models.models.filter((m) => m.configured);
    const preferred = usable.find((m) => m.id === models.defaultModel) ?? usable[0];
    if (preferred) setModel(preferred.id);
  }, [models, model]);

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

      <div className="flex flex-wrap items-center gap-2">
        <Button type="submit" data-testid="start" disabled={!canStart}>
          {status === 'connecting' ? <Loader2 className="animate-spin" aria-hidden /> : <Play aria-hidden />}
          Start
        </Button>
        <Button type="button" variant="outline" data-testid="stop" disabled={!running || stopping} onClick={() => void stop()}>
          {stopping ? <Loader2 className="animate-spin" aria-hidden /> : <Square aria-hidden />}
          Stop
        </Button>
        <Button type="button" variant="ghost" data-testid="clear" disabled={running || !hasRun} onClick={clear} className="ml-auto">
          <Eraser aria-hidden />
          Clear
        </Button>
      </div>
    </form>
  );
}
