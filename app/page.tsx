/** Landing page: what StreamConsole is, and the way into the console. */
import Link from 'next/link';
import { ArrowRight, Gauge, RefreshCw, Square } from 'lucide-react';
import { Button } from '@/components/ui/button';

const FEATURES = [
  {
    icon: Gauge,
    title: 'Measured as it happens',
    body: 'Time to first token, tokens per second and token counts, taken in your browser while the answer streams.',
  },
  {
    icon: RefreshCw,
    title: 'Survives a dropped connection',
    body: 'Every event carries a sequence number; a reconnecting tab picks up exactly where it left off.',
  },
  {
    icon: Square,
    title: 'Stop means stop',
    body: 'Stopping a run cancels the model call on the server, not just the view.',
  },
] as const;

export default function HomePage() {
  return (
    <main className="mx-auto max-w-6xl px-4 py-16 sm:px-6 sm:py-24">
      <section className="max-w-2xl">
        <p className="text-muted-foreground mb-3 text-sm font-medium">StreamConsole</p>
        <h1 className="text-4xl font-semibold tracking-tight text-balance sm:text-5xl">Watch language models think, live.</h1>
        <p className="text-muted-foreground mt-5 text-lg leading-relaxed text-pretty">
          Send a prompt, watch the reasoning and the answer arrive token by token, and keep an eye on how fast they come.
        </p>
        <div className="mt-8 flex gap-3">
          <Button asChild size="lg">
            <Link href="/console">
              Open the console
              <ArrowRight aria-hidden />
            </Link>
          </Button>
        </div>
      </section>
      <section className="mt-20 grid gap-6 sm:grid-cols-3">
        {FEATURES.map(({ icon: Icon, title, body }) => (
          <div key={title} className="bg-card rounded-xl border p-5 shadow-xs">
            <Icon className="text-muted-foreground size-5" aria-hidden />
            <h2 className="mt-4 font-medium">{title}</h2>
            <p className="text-muted-foreground mt-1.5 text-sm leading-relaxed">{body}</p>
          </div>
        ))}
      </section>
    </main>
  );
}
