'use client';

/**
 * Loads the model list (`GET /api/models`) once per mount. A failure is kept as a readable
 * message rather than thrown, so the console still renders without its API.
 */
import { useCallback, useEffect, useState } from 'react';

export interface ModelOption {
  id: string;
  label: string;
  provider: string;
  configured: boolean;
  /** The environment variable to set when the model is not configured. */
  missingEnv?: string;
}

export type ModelsState =
  | { status: 'loading' }
  | { status: 'ready'; models: ModelOption[]; defaultModel: string | null; defaultArcModel: string | null }
  | { status: 'error'; message: string };

async function readModels(signal: AbortSignal): Promise<{ models: ModelOption[]; defaultModel: string | null; defaultArcModel: string | null }> {
  let response: Response;
  try {
    response = await fetch('/api/models', { headers: { Accept: 'application/json' }, signal, cache: 'no-store' });
  } catch (error) {
    if (signal.aborted) throw error;
    throw new Error('The server could not be reached.');
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const message = (body as { error?: { message?: unknown } } | null)?.error?.message;
    throw new Error(typeof message === 'string' ? message : `The server answered ${response.status} ${response.statusText}.`.trim());
  }
  const data = body as { models?: unknown; defaultModel?: unknown; defaultArcModel?: unknown } | null;
  if (!data || !Array.isArray(data.models)) throw new Error('The server sent a model list this page does not understand.');
  const defaultModel = typeof data.defaultModel === 'string' ? data.defaultModel : null;
  // The default for ARC work (Grover, Saturn, analysis): local:arc rather than local:tiny when no provider is configured.
  const defaultArcModel = typeof data.defaultArcModel === 'string' ? data.defaultArcModel : defaultModel;
  return { models: data.models as ModelOption[], defaultModel, defaultArcModel };
}

export function useModels(): ModelsState & { reload: () => void } {
  const [state, setState] = useState<ModelsState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setState({ status: 'loading' });
    readModels(controller.signal).then(
      (data) => setState({ status: 'ready', ...data }),
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ status: 'error', message: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => controller.abort();
  }, [attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...state, reload };
}
