'use client';

/** One chosen feature's steering strength: a Radix slider with the feature's label and a remove button. */
import { Slider } from 'radix-ui';
import { X } from 'lucide-react';
import { cn } from '@/lib/cn';

export const DIAL_MIN = -20;
export const DIAL_MAX = 20;

export type FeatureDialProps = {
  index: number;
  label: string;
  strength: number;
  onStrengthChange(strength: number): void;
  onRemove(): void;
  className?: string;
};

export function FeatureDial({ index, label, strength, onStrengthChange, onRemove, className }: FeatureDialProps) {
  return (
    <div data-slot="feature-dial" data-testid={`feature-dial-${index}`} className={cn('grid gap-2 rounded-md border p-3', className)}>
      <div className="flex items-center gap-2 text-sm">
        <span className="font-medium">#{index}</span>
        <span className="text-muted-foreground truncate">{label}</span>
        <span className="ml-auto tabular-nums" data-testid={`feature-strength-${index}`}>
          {strength.toFixed(1)}
        </span>
        <button type="button" aria-label={`Remove feature ${index}`} onClick={onRemove} className="text-muted-foreground hover:text-foreground">
          <X className="size-4" />
        </button>
      </div>
      <Slider.Root
        className="relative flex h-5 w-full touch-none items-center select-none"
        min={DIAL_MIN}
        max={DIAL_MAX}
        step={0.5}
        value={[strength]}
        onValueChange={(values) => onStrengthChange(values[0] ?? 0)}
        aria-label={`Strength of feature ${index}`}
      >
        <Slider.Track className="bg-muted relative h-1.5 grow rounded-full">
          <Slider.Range className="bg-primary absolute h-full rounded-full" />
        </Slider.Track>
        <Slider.Thumb data-testid={`feature-thumb-${index}`} className="border-primary bg-background block size-4 rounded-full border-2 shadow focus:outline-none focus-visible:ring-2" />
      </Slider.Root>
    </div>
  );
}
