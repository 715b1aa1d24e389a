/** The analysis pages' links and dates, the same on the server and in every browser. */

/** `12 Mar 2025, 14:05 UTC`: the same on the server and in every browser. */
export function formatWhen(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC' }).format(date)} UTC`;
}

export function analysisHref(taskId: string): string {
  return `/analysis/${encodeURIComponent(taskId)}`;
}

export function historyHref(taskId: string): string {
  return `/puzzles/${encodeURIComponent(taskId)}/analyses`;
}

export function savedAnalysisHref(taskId: string, runId: string): string {
  return `${historyHref(taskId)}/${encodeURIComponent(runId)}`;
}

export function compareHref(taskId: string, a: string, b: string): string {
  return `${historyHref(taskId)}/compare?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`;
}
