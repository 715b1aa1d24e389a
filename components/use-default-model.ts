'use client';

/**
 * The model a run form starts with: the server's default model (or the first usable one) once
 * the list arrives, until the user chooses another. ARC solvers ask for the server's default
 * puzzle model (`local:arc` with no provider), chat for its default text model (`local:tiny`).
 */
import { useEffect, useState } from 'react';
import { useModels } from './use-models';

export interface DefaultModel {
  models: ReturnType<typeof useModels>;
  model: string;
  setModel: (model: string) => void;
}

export function useDefaultModel(purpose: 'text' | 'arc' = 'text'): DefaultModel {
  const models = useModels();
  const [model, setModel] = useState('');
  useEffect(() => {
    if (models.status !== 'ready' || model) return;
    const usable = models.models.filter((m) => m.configured);
    const wanted = purpose === 'arc' ? models.defaultArcModel : models.defaultModel;
    const preferred = usable.find((m) => m.id === wanted) ?? usable[0];
    if (preferred) setModel(preferred.id);
  }, [models, model, purpose]);
  return { models, model, setModel };
}
