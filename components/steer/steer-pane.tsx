'use client';

/** One channel's text, token by token; hovering a token shows its probability and the alternatives. */
import { cn } from '@/lib/cn';
import type { SteerChannelView } from '@/lib/kinds/steer';

export type SteerPaneProps = {
  channel: 'default' | 'steered';
  view: SteerChannelView | undefined;
  className?: string;
};

function percent(logprob: number): string {
  return `${(Math.exp(logprob) * 100).toFixed(1)}%`;
}

export function SteerPane({ channel, view, className }: SteerPaneProps) {
  const tokens = view?.tokens ?? [];
  return (
    <section data-slot="steer-pane" data-testid={`steer-pane-${channel}`} data-tokens={tokens.length} className={cn('grid content-start gap-2 rounded-md border p-3', className)}>
      <header className="flex items-center gap-2 text-sm font-medium">
        {channel === 'default' ? 'Default' : 'Steered'}
        <span className="text-muted-foreground ml-auto text-xs font-normal">
          {tokens.length} tokens{view?.finishReason ? ` · ${view.finishReason}` : ''}
        </span>
      </header>
      <p className="min-h-24 text-sm leading-6 whitespace-pre-wrap" data-testid={`steer-text-${channel}`}>
        {tokens.map((token, i) => (
          <span key={i} className="group hover:bg-accent relative rounded-sm" data-testid="steer-token">
            {token.text}
            {token.logprob !== undefined && (
              <span
                role="tooltip"
                className="bg-popover text-popover-foreground pointer-events-none absolute top-full left-0 z-10 hidden w-max rounded-md border p-2 text-xs shadow group-hover:block"
              >
                <span className="block font-medium">
                  {JSON.stringify(token.text)} {percent(token.logprob)}
                </span>
                {token.topLogprobs?.map((alt) => (
                  <span key={alt.token} className="text-muted-foreground block font-mono">
                    {JSON.stringify(alt.token)} {percent(alt.logprob)}
                  </span>
                ))}
              </span>
            )}
          </span>
        ))}
      </p>
    </section>
  );
}
