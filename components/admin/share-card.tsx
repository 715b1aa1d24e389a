'use client';

/** What share of all users (guests included) gets streaming right now, and which rule decided for how many. */
import { RefreshCw } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { cn } from '@/lib/cn';
import type { StreamingShare } from './types';

const RULE_LABELS: [keyof StreamingShare['byRule'], string][] = [
  ['kill_switch', 'Kill switch'],
  ['user_preference', 'Own choice'],
  ['allowlist', 'Allowlist'],
  ['rollout', 'Rollout'],
  ['default', 'Default'],
];

export function ShareCard({ share, refreshing, onRefresh }: { share: StreamingShare; refreshing: boolean; onRefresh: () => void }) {
  const percent = Math.round(share.share * 1000) / 10;
  return (
    <Card data-testid="streaming-share" data-state={refreshing ? 'counting' : 'ready'} aria-busy={refreshing} data-total={share.total} data-enabled={share.enabled} data-share={share.share}>
      <CardHeader>
        <CardTitle>Who gets streaming now</CardTitle>
        <CardDescription>Every user in the database, guests included. Admins count by the other rules here (they always stream).</CardDescription>
        <CardAction>
          <Button variant="ghost" size="icon-sm" onClick={onRefresh} disabled={refreshing} aria-label="Count again" data-testid="share-refresh">
            <RefreshCw className={cn(refreshing && 'animate-spin')} />
          </Button>
        </CardAction>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        <div className="flex items-baseline gap-3">
          <span className="text-4xl font-semibold tabular-nums" data-testid="share-percent">
            {percent}%
          </span>
          <span className="text-muted-foreground text-sm" data-testid="share-counts">
            {share.enabled} of {share.total} {share.total === 1 ? 'user' : 'users'}
          </span>
        </div>
        <div className="bg-muted h-2 overflow-hidden rounded-full" aria-hidden>
          <div className="bg-primary h-full transition-[width]" style={{ width: `${percent}%` }} />
        </div>
        <dl className="grid grid-cols-3 gap-2 text-center text-xs sm:grid-cols-5">
          {RULE_LABELS.map(([rule, label]) => (
            <div key={rule} className="rounded-md border p-2" data-testid={`share-rule-${rule}`}>
              <dt className="text-muted-foreground leading-tight">{label}</dt>
              <dd className="text-sm font-medium tabular-nums">{share.byRule[rule]}</dd>
            </div>
          ))}
        </dl>
      </CardContent>
    </Card>
  );
}
