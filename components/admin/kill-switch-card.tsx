'use client';

/** The kill switch: streaming off for everyone, at once, whatever the other rules say. */
import { useState } from 'react';
import { Switch } from 'radix-ui';
import { OctagonX } from 'lucide-react';
import { Card, CardAction, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { cn } from '@/lib/cn';

export function KillSwitchCard({ killSwitch, onChange }: { killSwitch: boolean; onChange: (on: boolean) => Promise<boolean> }) {
  const [saving, setSaving] = useState(false);
  return (
    <Card className={cn(killSwitch && 'border-destructive/60 bg-destructive/5')} data-testid="kill-switch-card" data-state={killSwitch ? 'on' : 'off'}>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <OctagonX className={cn('size-4', killSwitch ? 'text-destructive' : 'text-muted-foreground')} aria-hidden />
          Kill switch
        </CardTitle>
        <CardDescription data-testid="kill-switch-status">
          {killSwitch
            ? 'On: streaming is off for everyone. Runs answer when done. Users’ own choices, the allowlist and the rollout are ignored.'
            : 'Off: the rules below decide. Turn it on to stop streaming for everyone at once.'}
        </CardDescription>
        <CardAction>
          <Switch.Root
            checked={killSwitch}
            disabled={saving}
            aria-label="Kill switch: streaming off for everyone"
            data-testid="kill-switch"
            onCheckedChange={async (on) => {
              setSaving(true);
              try {
                await onChange(on);
              } finally {
                setSaving(false);
              }
            }}
            className="data-[state=checked]:bg-destructive bg-input focus-visible:ring-ring/50 inline-flex h-6 w-11 shrink-0 items-center rounded-full border border-transparent transition-colors outline-none focus-visible:ring-[3px] disabled:opacity-50"
          >
            <Switch.Thumb className="bg-background pointer-events-none block size-5 rounded-full shadow-sm transition-transform data-[state=checked]:translate-x-5 data-[state=unchecked]:translate-x-0.5" />
          </Switch.Root>
        </CardAction>
      </CardHeader>
    </Card>
  );
}
