'use client';

/**
 * The percentage rollout (slider and number, saved together) and what users outside it get.
 * A user's bucket is a stable hash of the flag and their id, so raising the percentage only
 * ever adds users.
 */
import { useEffect, useId, useState } from 'react';
import { Slider, Switch } from 'radix-ui';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from '@/components/ui/card';
import { Label } from '@/components/ui/label';
import { Input } from '@/components/ui/input';
import type { FlagsPatch } from './types';

const clamp = (n: number) => Math.min(100, Math.max(0, Math.round(n)));

export function RolloutCard({
  percentage,
  defaultValue,
  killSwitch,
  onSave,
}: {
  percentage: number;
  defaultValue: boolean;
  killSwitch: boolean;
  onSave: (patch: FlagsPatch) => Promise<boolean>;
}) {
  const id = useId();
  const [draft, setDraft] = useState(String(percentage));
  const [saving, setSaving] = useState(false);
  useEffect(() => setDraft(String(percentage)), [percentage]);

  const parsed = Number(draft);
  const valid = draft.trim() !== '' && Number.isFinite(parsed) && parsed >= 0 && parsed <= 100;
  const value = valid ? clamp(parsed) : percentage;
  const changed = valid && value !== percentage;

  async function save(patch: FlagsPatch) {
    setSaving(true);
    try {
      await onSave(patch);
    } finally {
      setSaving(false);
    }
  }

  return (
    <Card data-testid="rollout-card" data-percentage={percentage}>
      <CardHeader>
        <CardTitle>Rollout</CardTitle>
        <CardDescription>
          Streaming for <strong className="text-foreground">{percentage}%</strong> of users, picked by a stable hash of their id.
          {killSwitch && ' The kill switch overrides it while on.'}
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-5">
        <div className="flex items-center gap-4">
          <Slider.Root
            value={[value]}
            min={0}
            max={100}
            step={1}
            onValueChange={([v]) => setDraft(String(v ?? 0))}
            aria-label="Rollout percentage"
            data-testid="rollout-slider"
            className="relative flex h-5 w-full touch-none items-center select-none"
          >
            <Slider.Track className="bg-muted relative h-1.5 grow overflow-hidden rounded-full">
              <Slider.Range className="bg-primary absolute h-full" />
            </Slider.Track>
            <Slider.Thumb className="border-primary bg-background focus-visible:ring-ring/50 block size-4 rounded-full border shadow-sm outline-none focus-visible:ring-[3px]" />
          </Slider.Root>
          <div className="flex items-center gap-1">
            <Input
              id={`${id}-percentage`}
              type="number"
              inputMode="numeric"
              min={0}
              max={100}
              step={1}
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && changed) void save({ percentage: value });
              }}
              aria-label="Rollout percentage (number)"
              aria-invalid={!valid || undefined}
              className="w-20 text-right tabular-nums"
              data-testid="rollout-percentage"
            />
            <span className="text-muted-foreground text-sm">%</span>
          </div>
        </div>
        {!valid && <p className="text-destructive text-xs">Enter a whole number from 0 to 100.</p>}

        <div className="flex items-center justify-between gap-4 rounded-lg border p-3">
          <Label htmlFor={`${id}-default`} className="flex flex-col items-start gap-1">
            <span>Everyone else gets streaming</span>
            <span className="text-muted-foreground text-xs font-normal">
              {defaultValue ? 'On: users outside the rollout stream too, so the percentage changes nothing.' : 'Off: only the rollout, the allowlist and admins stream.'}
            </span>
          </Label>
          <Switch.Root
            id={`${id}-default`}
            checked={defaultValue}
            disabled={saving}
            onCheckedChange={(on) => void save({ defaultValue: on })}
            data-testid="default-value"
            className="data-[state=checked]:bg-primary bg-input focus-visible:ring-ring/50 inline-flex h-6 w-11 shrink-0 items-center rounded-full border border-transparent transition-colors outline-none focus-visible:ring-[3px] disabled:opacity-50"
          >
            <Switch.Thumb className="bg-background pointer-events-none block size-5 rounded-full shadow-sm transition-transform data-[state=checked]:translate-x-5 data-[state=unchecked]:translate-x-0.5" />
          </Switch.Root>
        </div>
      </CardContent>
      <CardFooter className="justify-end gap-2">
        {changed && (
          <Button variant="ghost" size="sm" onClick={() => setDraft(String(percentage))} disabled={saving}>
            Reset
          </Button>
        )}
        <Button size="sm" onClick={() => void save({ percentage: value })} disabled={!changed || saving} data-testid="rollout-save">
          {saving ? 'Saving…' : `Save ${value}%`}
        </Button>
      </CardFooter>
    </Card>
  );
}
