'use client';

/** Search the SAE's features by label (`GET /api/steer/features`), each shown with its top tokens; choosing one adds a dial. */
import * as React from 'react';

export interface SteerFeatureInfo {
  index: number;
  label: string;
  density: number;
  topTokens: string[];
}

export type FeatureSearchProps = {
  chosen: readonly number[];
  onChoose(feature: SteerFeatureInfo): void;
};

const SHOWN = 12;

export function FeatureSearch({ chosen, onChoose }: FeatureSearchProps) {
  const [features, setFeatures] = React.useState<SteerFeatureInfo[] | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const [query, setQuery] = React.useState('');

  React.useEffect(() => {
    let live = true;
    fetch('/api/steer/features', { headers: { Accept: 'application/json' } })
      .then(async (response) => {
        const body = (await response.json()) as { features?: SteerFeatureInfo[]; error?: { message?: string } };
        if (!live) return;
        if (!response.ok || !body.features) setError(body.error?.message ?? `The features could not be loaded (${response.status}).`);
        else setFeatures(body.features);
      })
      .catch(() => live && setError('The features could not be loaded.'));
    return () => {
      live = false;
    };
  }, []);

  const needle = query.trim().toLowerCase();
  const matches = (features ?? [])
    .filter((f) => !chosen.includes(f.index))
    .filter((f) => needle === '' || f.label.toLowerCase().includes(needle) || f.topTokens.some((t) => t.toLowerCase().includes(needle)))
    .slice(0, SHOWN);

  return (
    <div data-slot="feature-search" className="grid gap-2">
      <input
        type="search"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        placeholder="Search features by label (whale, war, ...)"
        aria-label="Search features"
        data-testid="feature-search"
        className="border-input bg-background h-9 rounded-md border px-3 text-sm"
      />
      {error && <p className="text-destructive text-sm">{error}</p>}
      {features === null && !error && <p className="text-muted-foreground text-sm">Loading features…</p>}
      <ul className="grid max-h-72 gap-1 overflow-y-auto" data-testid="feature-results">
        {matches.map((f) => (
          <li key={f.index}>
            <button
              type="button"
              onClick={() => onChoose(f)}
              data-testid={`feature-option-${f.index}`}
              className="hover:bg-accent grid w-full gap-0.5 rounded-md px-2 py-1.5 text-left text-sm"
            >
              <span>
                <span className="font-medium">#{f.index}</span> {f.label}
              </span>
              <span className="text-muted-foreground truncate font-mono text-xs">{f.topTokens.slice(0, 8).map((t) => JSON.stringify(t)).join(' ')}</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
