'use client';

/**
 * The /steer console: a prompt, features chosen by search with a dial each, sampling settings,
 * the default and steered panes side by side, the activation chart and the 2-D trajectory.
 * Any change of a dial or setting regenerates after 500 ms of quiet; starting a run cancels the
 * one in flight (the run store's `startRun`). Blocking delivery shows the same views at the end.
 * Opened from a share link (`shared`), it starts from that steer's settings and shows its saved
 * text until a new run starts; after a run of your own ends, "Share" makes a link to it.
 */
import * as React from 'react';
import { Button } from '@/components/ui/button';
import { Label } from '@/components/ui/label';
import { Textarea } from '@/components/ui/textarea';
import { RunDeliveryNote } from '@/components/run-delivery-note';
import { RunErrorAlert } from '@/components/run-error-alert';
import { RunStatusBadge } from '@/components/run-status-badge';
import { ShareRunButton } from '@/components/share-run-button';
import { PACE_LIMITS } from '@/lib/kinds/fields';
import { STEER_LIMITS, type SteerInput, type SteerMethod, type SteerView } from '@/lib/kinds/steer';
import { useRunStore } from '@/stores/run-store-provider';
import { ActivationChart } from './activation-chart';
import { FeatureDial } from './feature-dial';
import { FeatureSearch } from './feature-search';
import { SteerPane } from './steer-pane';
import { TrajectoryChart } from './trajectory-chart';

export const AUTO_GENERATE_DELAY_MS = 500;

interface ChosenFeature {
  index: number;
  label: string;
  strength: number;
}

const inputClass = 'border-input bg-background h-9 w-full rounded-md border px-2 text-sm';

/** A steer opened from a share link: its settings, its features' labels and its saved result. */
export interface SharedSteerProps {
  input: SteerInput;
  labels: Record<number, string>;
  view: SteerView | null;
}

export function SteerConsole({ shared }: { shared?: SharedSteerProps }) {
  const startRun = useRunStore((s) => s.startRun);
  const stop = useRunStore((s) => s.stop);
  const status = useRunStore((s) => s.status);
  const runId = useRunStore((s) => s.runId);
  const liveSteer = useRunStore((s) => s.steer);
  // The shared steer's saved text shows until a run of this page has output of its own.
  const steer = liveSteer ?? (runId === null ? (shared?.view ?? null) : null);

  const [prompt, setPrompt] = React.useState(shared?.input.prompt ?? 'The ship sailed');
  const [features, setFeatures] = React.useState<ChosenFeature[]>(
    () => shared?.input.features.map(({ index, strength }) => ({ index, strength, label: shared.labels[index] ?? `#${index}` })) ?? [],
  );
  const [temperature, setTemperature] = React.useState(shared?.input.temperature ?? 0.7);
  const [maxTokens, setMaxTokens] = React.useState(shared?.input.maxTokens ?? 48);
  const [seed, setSeed] = React.useState(shared?.input.seed ?? 16);
  const [method, setMethod] = React.useState<SteerMethod>(shared?.input.method ?? 'SIMPLE_ADDITIVE');
  const [strengthMultiplier, setStrengthMultiplier] = React.useState(shared?.input.strengthMultiplier ?? 1);
  const [pace, setPace] = React.useState(shared?.input.tokensPerSecond ?? 0);

  const input: SteerInput = React.useMemo(
    () => ({
      prompt,
      // A shared steer keeps its model (and its Neuronpedia source and penalty, if it had them).
      model: shared?.input.model ?? 'local:tiny',
      ...(shared?.input.source !== undefined ? { source: shared.input.source } : {}),
      ...(shared?.input.freqPenalty !== undefined ? { freqPenalty: shared.input.freqPenalty } : {}),
      maxTokens,
      temperature,
      seed,
      method,
      strengthMultiplier,
      ...(pace > 0 ? { tokensPerSecond: pace } : {}),
      features: features.map(({ index, strength }) => ({ index, strength })),
    }),
    [shared, prompt, maxTokens, temperature, seed, method, strengthMultiplier, pace, features],
  );

  const generate = React.useCallback(() => {
    if (input.prompt.trim() === '') return;
    startRun({ kind: 'steer', input });
  }, [input, startRun]);

  // Auto-generate: a dial or setting change regenerates after a quiet spell (the first render does not).
  const settingsKey = JSON.stringify({ ...input, prompt: undefined });
  const mounted = React.useRef(false);
  const latestGenerate = React.useRef(generate);
  latestGenerate.current = generate;
  React.useEffect(() => {
    if (!mounted.current) {
      mounted.current = true;
      return;
    }
    const timer = setTimeout(() => latestGenerate.current(), AUTO_GENERATE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [settingsKey]);

  const running = status === 'connecting' || status === 'streaming' || status === 'reconnecting' || status === 'waiting';

  return (
    <div className="grid gap-6 lg:grid-cols-[320px_minmax(0,1fr)]" data-testid="steer-console" data-status={status} data-shared={shared ? 'true' : undefined}>
      <aside className="grid content-start gap-4">
        <div className="grid gap-1.5">
          <Label htmlFor="steer-prompt">Prompt</Label>
          <Textarea id="steer-prompt" data-testid="steer-prompt" value={prompt} maxLength={STEER_LIMITS.promptChars} onChange={(e) => setPrompt(e.target.value)} rows={3} />
        </div>
        <div className="grid gap-2">
          <Label>Features</Label>
          {features.map((f) => (
            <FeatureDial
              key={f.index}
              index={f.index}
              label={f.label}
              strength={f.strength}
              onStrengthChange={(strength) => setFeatures((list) => list.map((x) => (x.index === f.index ? { ...x, strength } : x)))}
              onRemove={() => setFeatures((list) => list.filter((x) => x.index !== f.index))}
            />
          ))}
          {features.length < STEER_LIMITS.features && (
            <FeatureSearch chosen={features.map((f) => f.index)} onChoose={(f) => setFeatures((list) => [...list, { index: f.index, label: f.label, strength: 8 }])} />
          )}
        </div>
        <div className="grid grid-cols-2 gap-3">
          <label className="grid gap-1 text-sm">
            Temperature
            <input className={inputClass} data-testid="steer-temperature" type="number" min={0} max={STEER_LIMITS.temperatureMax} step={0.1} value={temperature} onChange={(e) => setTemperature(Number(e.target.value))} />
          </label>
          <label className="grid gap-1 text-sm">
            Tokens
            <input className={inputClass} data-testid="steer-tokens" type="number" min={1} max={STEER_LIMITS.maxTokens} value={maxTokens} onChange={(e) => setMaxTokens(Math.max(1, Math.min(STEER_LIMITS.maxTokens, Math.round(Number(e.target.value)) || 1)))} />
          </label>
          <label className="grid gap-1 text-sm">
            Seed
            <input className={inputClass} data-testid="steer-seed" type="number" value={seed} onChange={(e) => setSeed(Math.round(Number(e.target.value)) || 0)} />
          </label>
          <label className="grid gap-1 text-sm">
            Multiplier
            <input className={inputClass} data-testid="steer-multiplier" type="number" min={0} max={STEER_LIMITS.strengthMultiplierMax} step={0.5} value={strengthMultiplier} onChange={(e) => setStrengthMultiplier(Math.max(0, Number(e.target.value)))} />
          </label>
          <label className="grid gap-1 text-sm" title="Tokens per second per pane; 0 is as fast as the model writes">
            Pace (tokens/s)
            <input className={inputClass} data-testid="steer-pace" type="number" min={0} max={PACE_LIMITS.max} step={1} value={pace} onChange={(e) => setPace(Math.max(0, Math.min(PACE_LIMITS.max, Number(e.target.value) || 0)))} />
          </label>
          <label className="grid gap-1 text-sm">
            Method
            <select className={inputClass} data-testid="steer-method" value={method} onChange={(e) => setMethod(e.target.value as SteerMethod)}>
              <option value="SIMPLE_ADDITIVE">Simple additive</option>
              <option value="ORTHOGONAL_DECOMP">Orthogonal decomposition</option>
            </select>
          </label>
        </div>
        <div className="flex items-center gap-2">
          <Button type="button" onClick={generate} data-testid="steer-generate">
            Generate
          </Button>
          {running && (
            <Button type="button" variant="outline" onClick={() => void stop()} data-testid="steer-stop">
              Stop
            </Button>
          )}
          <RunStatusBadge className="ml-auto" />
        </div>
        {runId && status === 'done' && <ShareRunButton runId={runId} />}
        <RunDeliveryNote />
        <RunErrorAlert />
      </aside>
      <div className="grid content-start gap-6">
        <div className="grid gap-4 md:grid-cols-2">
          <SteerPane channel="default" view={steer?.default} />
          <SteerPane channel="steered" view={steer?.steered} />
        </div>
        <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_260px]">
          <ActivationChart view={steer} features={features} />
          <TrajectoryChart view={steer} />
        </div>
      </div>
    </div>
  );
}
