// Puzzle analysis as a user sees it: Debian's Chromium against the production server, with the fake
// provider's analysis scenarios for `sc-flip-h` (e2e/fake-providers/scenarios.ts) and the embedded
// ARC engine (`local:arc`).
import { expect, test } from '@playwright/test';
import { AnalysisHistoryPage, AnalysisPage, FIELDS } from './analysis-page';

const APP_URL = process.env.APP_URL!;
const TASK = 'sc-flip-h';

test('the pattern shows while the model is still writing, then the result completes, is checked and is drawn against the answer', async ({ page }) => {
  const analysis = new AnalysisPage(page);
  await analysis.open(APP_URL, TASK);
  await expect(page.getByTestId('analysis-empty')).toBeVisible();

  // 8-character deltas, one every 60 ms: the answer takes a few seconds to write.
  await analysis.startRecording();
  await analysis.analyse({ model: 'openai:analysis-json-60' });
  const samples = await analysis.recordedUntilSettled();
  await analysis.expectStatus('done');

  // Before the stream ended: a skeleton with every field pending, then the pattern with text,
  // while the prediction was still to come.
  const streaming = samples.filter((s) => s.status === 'streaming');
  expect(streaming.some((s) => FIELDS.every((f) => s.states[f] === 'pending'))).toBe(true);
  const patternEarly = streaming.find((s) => (s.states.patternDescription === 'partial' || s.states.patternDescription === 'complete') && s.pattern > 0);
  expect(patternEarly, 'the pattern was on screen while streaming').toBeDefined();
  expect(patternEarly!.states.predictedOutput).toBe('pending');
  // It was written in front of the reader: partial first, complete later, still streaming.
  expect(streaming.some((s) => s.states.patternDescription === 'partial')).toBe(true);
  expect(streaming.some((s) => s.states.patternDescription === 'complete' && s.states.confidence !== 'complete')).toBe(true);
  // The checks ran after the answer and before the end, one at least seen pending (drawing starts a worker).
  expect(streaming.some((s) => Object.values(s.enrichments).includes('pending'))).toBe(true);

  // The end: every field complete, every check complete, the prediction against the answer.
  for (const field of FIELDS) await expect(analysis.field(field)).toHaveAttribute('data-state', 'complete');
  await expect(analysis.field('patternDescription')).toContainText('Each row of the grid is mirrored left to right');
  await expect(analysis.field('hints').locator('li')).toHaveCount(2);
  await expect(page.getByTestId('confidence-value')).toHaveText('85%');
  for (const key of ['verify', 'similar', 'render']) await expect(analysis.enrichment(key)).toHaveAttribute('data-status', 'complete');
  await expect(analysis.enrichment('verify')).toContainText('1 of 1 test predictions correct');
  const prediction = analysis.field('predictedOutput');
  await expect(prediction.getByTestId('prediction')).toHaveAttribute('data-check', 'correct');
  await expect(prediction.getByTestId('grid-diff')).toHaveAttribute('data-solved', 'true');
  await expect(prediction.getByTestId('grid-diff-summary')).toContainText('exact match');
  await expect(page.getByTestId('analysis-artifact').locator('img')).toHaveJSProperty('complete', true);
  expect(await page.getByTestId('analysis-artifact').locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await expect(page.getByTestId('meta-parse')).toHaveText('Parsed');
  await expect(page.getByTestId('analysis-fallback')).toHaveCount(0);
  await expect(page.getByTestId('analysis-interrupted')).toHaveCount(0);

  // The saved analysis is a link away, and the history lists it first.
  const runId = await analysis.savedRunId();
  await analysis.savedLink.click();
  await expect(page).toHaveURL(new RegExp(`/puzzles/${TASK}/analyses/${runId}$`));
  await expect(page.getByTestId('saved-analysis')).toHaveAttribute('data-run-id', runId);
  await expect(page.getByTestId('field-patternDescription')).toHaveAttribute('data-state', 'complete');
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-correct', 'true');

  const history = new AnalysisHistoryPage(page);
  await history.open(APP_URL, TASK);
  await expect(history.rows.first()).toHaveAttribute('data-run-id', runId);
  await expect(history.row(runId)).toContainText('openai:analysis-json-60');
  await expect(history.row(runId)).toContainText('85%');
  await expect(history.row(runId).getByTestId('verdict')).toHaveAttribute('data-correct', 'true');
  await expect(history.row(runId).getByTestId('parse-status')).toHaveAttribute('data-parse', 'ok');
});

test('the history compares two analyses side by side', async ({ page }) => {
  const analysis = new AnalysisPage(page);
  await analysis.open(APP_URL, TASK);
  await analysis.analyse({ model: 'local:arc', tokensPerSecond: 0 });
  await analysis.expectStatus('done');
  const first = await analysis.savedRunId();

  await analysis.open(APP_URL, TASK);
  await analysis.analyse({ model: 'openai:analysis-broken-json' });
  await analysis.expectStatus('done');
  await expect(page.getByTestId('analysis-repaired')).toBeVisible();
  const second = await analysis.savedRunId();

  // The API lists the same, newest first.
  const listed = await page.request.get(`${APP_URL}/api/tasks/${TASK}/analyses?limit=2`);
  expect(listed.status()).toBe(200);
  const body = (await listed.json()) as { taskId: string; analyses: { runId: string; parseStatus: string; verdict: { right: number } }[] };
  expect(body.analyses.map((a) => a.runId)).toEqual([second, first]);
  expect(body.analyses[0]).toMatchObject({ parseStatus: 'repaired', verdict: { right: 1 } });
  expect((await page.request.get(`${APP_URL}/api/tasks/${TASK}/analyses?limit=0`)).status()).toBe(400);
  expect((await page.request.get(`${APP_URL}/api/tasks/no-such-task/analyses`)).status()).toBe(404);

  const history = new AnalysisHistoryPage(page);
  await history.open(APP_URL, TASK);
  // Newest first.
  await expect(history.rows.nth(0)).toHaveAttribute('data-run-id', second);
  await expect(history.rows.nth(1)).toHaveAttribute('data-run-id', first);
  await expect(history.row(second).getByTestId('parse-status')).toHaveAttribute('data-parse', 'repaired');
  await expect(history.compare).toBeDisabled();
  await history.pick(first);
  await expect(history.compare).toBeDisabled();
  await history.pick(second);
  await history.compare.click();

  await expect(page).toHaveURL(new RegExp(`/puzzles/${TASK}/analyses/compare\\?a=${first}&b=${second}$`));
  await expect(history.columns).toHaveCount(2);
  await expect(history.columns.nth(0)).toHaveAttribute('data-run-id', first);
  await expect(history.columns.nth(0).getByTestId('saved-model')).toHaveText('local:arc');
  await expect(history.columns.nth(1).getByTestId('saved-model')).toHaveText('openai:analysis-broken-json');
  await expect(history.columns.nth(1).getByTestId('meta-parse')).toHaveText('Repaired');
  for (const column of [history.columns.nth(0), history.columns.nth(1)]) {
    await expect(column.getByTestId('field-patternDescription')).toHaveAttribute('data-state', 'complete');
    await expect(column.getByTestId('grid-diff')).toBeVisible();
    await expect(column.getByTestId('meta-duration')).not.toHaveText('—');
  }
});

test('reasoning and a tool call show live, then the answer', async ({ page }) => {
  const analysis = new AnalysisPage(page);
  await analysis.open(APP_URL, TASK);
  await analysis.analyse({ model: 'openai:analysis-reasoning-tool' });
  await analysis.expectStatus('done', 30_000);

  await expect(analysis.toolCalls).toHaveCount(1);
  await expect(analysis.toolCalls).toHaveAttribute('data-name', 'run_program');
  await expect(analysis.toolCalls).toHaveAttribute('data-status', 'done');
  await expect(analysis.toolCalls).toContainText('def transform(grid):');
  await expect(page.getByTestId('analysis-reasoning')).toContainText('mirrored left to right');
  await expect(analysis.field('patternDescription')).toHaveAttribute('data-state', 'complete');
});

test('a stream that breaks off is shown as interrupted, keeping the pattern it had written', async ({ page }) => {
  const analysis = new AnalysisPage(page);
  await analysis.open(APP_URL, TASK);
  await analysis.analyse({ model: 'openai:analysis-midstream' });
  await analysis.expectStatus('done');

  await expect(page.getByTestId('analysis-interrupted')).toBeVisible();
  await expect(analysis.field('patternDescription')).toContainText('Each row of the grid is mirrored');
  await expect(analysis.field('predictedOutput')).toHaveAttribute('data-state', 'pending');
  await expect(analysis.field('solvingStrategy')).toHaveAttribute('data-state', /partial|complete/);
  await expect(page.getByTestId('enrichments')).toHaveCount(0);

  // Saved as interrupted, with no prediction to grade.
  const runId = await analysis.savedRunId();
  const history = new AnalysisHistoryPage(page);
  await history.open(APP_URL, TASK);
  await expect(history.row(runId).getByTestId('interrupted-badge')).toBeVisible();
  await expect(history.row(runId).getByTestId('verdict')).toHaveAttribute('data-correct', 'none');
});

test('the puzzle page links to a new analysis and to the saved ones', async ({ page }) => {
  await page.goto(`${APP_URL}/puzzles/${TASK}`);
  await expect(page.getByTestId('puzzle-analyses')).toBeVisible();
  await page.getByTestId('analyse-link').click();
  await expect(page).toHaveURL(new RegExp(`/analysis/${TASK}$`));
  await expect(page.getByTestId('analysis-task-id')).toHaveText(TASK);

  await page.goto(`${APP_URL}/puzzles/${TASK}`);
  await page.getByTestId('analyses-link').click();
  await expect(page).toHaveURL(new RegExp(`/puzzles/${TASK}/analyses$`));
});

test('an unknown task id is a not-found page', async ({ page }) => {
  const response = await page.goto(`${APP_URL}/analysis/no-such-task`);
  expect(response?.status()).toBe(404);
  await expect(page.getByTestId('puzzle-not-found')).toBeVisible();
});
