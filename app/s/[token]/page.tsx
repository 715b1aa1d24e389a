/**
 * A share link, `/s/<token>`: the saved run it opens, readable without an account (docs/security.md,
 * "Saved runs and sharing"). A kind with a page of its own for shared runs (`sharedPage` in
 * `lib/kinds`: a steer opens on /steer with its settings and text) is sent there; an analysis is
 * shown as on its saved page; any other kind as its input and saved result. An unknown or revoked
 * link is a 404.
 */
import type { Metadata } from 'next';
import { notFound, redirect } from 'next/navigation';
import { SavedAnalysisHeading, SavedAnalysisReport } from '@/components/analysis/saved-analysis';
import { findTaskByParam } from '@/lib/arc/load';
import { findSharedRun } from '@/lib/db';
import { sharedPageOf, sharePathOf } from '@/lib/kinds';
import { analysisSummaryOf, savedAnalysisOf } from '@/lib/kinds/analysis-saved';

export const dynamic = 'force-dynamic';

// The token is in the URL: never send it on to another site (`same-origin`, not `no-referrer`,
// which would make the browser send `Origin: null` on this page's own POSTs), never index it.
export const metadata: Metadata = { title: 'Shared run', referrer: 'same-origin', robots: { index: false, follow: false } };

type Props = { params: Promise<{ token: string }> };

export default async function SharedRunPage({ params }: Props) {
  const { token } = await params;
  const run = await findSharedRun({ token });
  if (!run) notFound();
  const page = sharedPageOf(run.kind, token);
  if (page !== sharePathOf(token)) redirect(page);

  const taskId = (run.input as { taskId?: unknown } | null)?.taskId;
  const task = run.kind === 'analysis' && typeof taskId === 'string' ? await findTaskByParam(taskId) : undefined;

  return (
    <main className="mx-auto max-w-5xl px-4 py-8 sm:px-6 sm:py-10" data-testid="shared-run" data-kind={run.kind}>
      <p className="text-muted-foreground mb-1 text-sm font-medium">Shared {run.kind} run</p>
      {task ? (
        <>
          <h1 className="mb-3 text-2xl font-semibold tracking-tight">
            Analysis of <span className="font-mono break-all">{task.id}</span>
          </h1>
          <SavedAnalysisHeading saved={savedAnalysisOf(run, task.test)} className="mb-6" />
          <div data-testid="saved-analysis" className="bg-card rounded-xl border p-5 shadow-xs sm:p-6">
            <SavedAnalysisReport saved={savedAnalysisOf(run, task.test)} summary={analysisSummaryOf(run)} task={task} />
          </div>
        </>
      ) : (
        <>
          <h1 className="mb-6 text-2xl font-semibold tracking-tight">
            {run.model ?? run.kind} <span className="text-muted-foreground text-base font-normal">· {run.status}</span>
          </h1>
          <section className="mb-6 grid gap-2">
            <h2 className="text-sm font-medium">Input</h2>
            <pre className="bg-muted overflow-x-auto rounded-md p-3 text-xs" data-testid="shared-input">{JSON.stringify(run.input, null, 2)}</pre>
          </section>
          <section className="grid gap-2">
            <h2 className="text-sm font-medium">Result</h2>
            <pre className="bg-muted overflow-x-auto rounded-md p-3 text-xs" data-testid="shared-result">{JSON.stringify(run.result, null, 2)}</pre>
          </section>
        </>
      )}
    </main>
  );
}
