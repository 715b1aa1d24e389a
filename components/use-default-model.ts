'use client';

/**
 * The model a run form starts with: the server's default model (or the first usable one) once
 * the list arrives, until the user chooses another.
 */
import { useEffect, useState } from 'react';
import { useModels } from './use-models';

export interface DefaultModel {
  models: ReturnType<typeof useModels>;
  model: string;
  setModel: (model: string) => void;
}

export function useDefaultModel(): DefaultModel {
  const models = useModels();
  const [model, setModel] = useState('');
  useEffect(() => {
    if (models.status !== 'ready' || model) return;
    const usable = models.models.filter((m) => m.configured);
    const preferred = usable.find((m) => m.id === models.defaultModel) ?? usable[0];
    if (preferred) setModel(preferred.id);
  }, [models, model]);
  return { models, model, setModel };
}
