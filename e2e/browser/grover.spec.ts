// Grover in the solver console, as a user sees it: Debian's Chromium against the production
// server, with the embedded ARC engine (`local:arc`) writing at a visible pace.
import { expect, test } from '@playwright/test';
import { GroverPage } from './grover-page';

const APP_URL = process.env.APP_URL!;

test('a run streams its text, shows each program before the response ends, and ends solved', async ({ page }) => {
  const grover = new GroverPage(page);
  await grover.open(APP_URL, 'sc-flip-h');
  await expect(page.getByTestId('local-engine-note')).toHaveCount(0);
  await grover.chooseModel('local:arc');
  await expect(page.getByTestId('local-engine-note')).toContainText('Embedded ARC engine — no key, no network');

  await grover.solve({ model: 'local:arc', tokensPerSecond: 150, iterations: 3, programsPerIteration: 4 });
  const samples = await grover.recordUntilSettled();
  await grover.expectStatus('done');

  const streaming = samples.filter((s) => s.status === 'streaming');
  // The text grew through many lengths, not all at once.
  expect(new Set(streaming.map((s) => s.tokens)).size).toBeGreaterThanOrEqual(8);

  // A program card was on screen while the model was still writing: the run was streaming then,
  // and the text went on growing after it.
  const firstCard = streaming.findIndex((s) => s.cards > 0);
  expect(firstCard).toBeGreaterThanOrEqual(0);
  const atFirstCard = streaming[firstCard]!;
  expect(streaming.slice(firstCard + 1).some((s) => s.tokens > atFirstCard.tokens)).toBe(true);

  // The chart took points one by one during the run.
  const pointCounts = [...new Set(streaming.map((s) => s.points))];
  expect(pointCounts.filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
  expect(pointCounts).toEqual([...pointCounts].sort((a, b) => a - b));

  // The end: every program graded and plotted, the best marked, the prediction against the answer.
  const cards = await grover.programCards.count();
  expect(cards).toBeGreaterThanOrEqual(2);
  await expect(grover.chart).toHaveAttribute('data-points', String(cards));
  await expect(grover.programCards.filter({ has: grover.bestBadge })).toHaveAttribute('data-score', '10');
  await expect(grover.bestBadge).toHaveCount(1);
  await expect(grover.outcome).toHaveAttribute('data-solved', 'true');
  await expect(grover.prediction.getByTestId('grid-diff')).toHaveAttribute('data-solved', 'true');
  await expect(grover.prediction.getByTestId('grid-diff-summary')).toContainText('exact match');

  // A card's code is highlighted once it is scrolled to (plain text until then, the same text).
  const lastCard = grover.programCards.last();
  const code = lastCard.locator('[data-slot="code-view"]');
  const plainText = await code.textContent();
  await lastCard.scrollIntoViewIfNeeded();
  await expect(code).toHaveAttribute('data-highlighted', 'true');
  await expect(code.locator('.hljs-keyword').first()).toBeVisible();
  expect(await code.textContent()).toBe(plainText);
});

test('the text follows its end as it grows, stays where the reader scrolled up to, and follows again from the end', async ({ page }) => {
  const grover = new GroverPage(page);
  await grover.open(APP_URL, 'sc-flip-h');
  await grover.solve({ model: 'local:arc', tokensPerSecond: 40, iterations: 1, programsPerIteration: 6 });
  // The scroll box around the text.
  const box = grover.tokens.locator('xpath=..');
  await box.scrollIntoViewIfNeeded();
  const geometry = () => box.evaluate((el) => ({ top: el.scrollTop, end: el.scrollHeight - el.clientHeight }));
  const distanceFromEnd = async () => {
    const { top, end } = await geometry();
    return end - top;
  };

  // Overflowing, and kept at its end.
  await expect.poll(async () => (await geometry()).end, { timeout: 20_000 }).toBeGreaterThan(100);
  await expect.poll(distanceFromEnd).toBeLessThanOrEqual(1);

  // The reader scrolls up: the text goes on growing below, and the box stays where they left it.
  await box.hover();
  await page.mouse.wheel(0, -10_000);
  await expect.poll(async () => (await geometry()).top).toBe(0);
  const endWhenUp = (await geometry()).end;
  await expect.poll(async () => (await geometry()).end).toBeGreaterThan(endWhenUp + 48);
  expect((await geometry()).top).toBe(0);

  // Back at the end, it follows again.
  await page.mouse.wheel(0, 100_000);
  await expect.poll(distanceFromEnd).toBeLessThanOrEqual(1);
  const endWhenBack = (await geometry()).end;
  await expect.poll(async () => (await geometry()).end).toBeGreaterThan(endWhenBack + 48);
  await expect.poll(distanceFromEnd).toBeLessThanOrEqual(1);
  await grover.stop.click();
});

test('Stop ends the run as cancelled and the text stops growing', async ({ page }) => {
  const grover = new GroverPage(page);
  await grover.open(APP_URL, 'sc-connect-pairs');
  // An unsolvable task for the engine at a slow pace: the run would go on for a long while.
  await grover.solve({ model: 'local:arc', tokensPerSecond: 60, iterations: 5 });
  await expect.poll(async () => (await grover.sample()).tokens, { timeout: 20_000 }).toBeGreaterThan(40);
  await grover.expectStatus('streaming');

  await grover.stop.click();
  await grover.expectStatus('cancelled');
  const stoppedAt = (await grover.sample()).tokens;
  await page.waitForTimeout(600);
  expect((await grover.sample()).tokens).toBe(stoppedAt);
  await expect(grover.outcome).toHaveCount(0);
  await expect(grover.start).toBeEnabled();
});

test('Save transcript downloads Markdown and JSON with the programs, and Clear empties the pane', async ({ page }) => {
  const grover = new GroverPage(page);
  await grover.open(APP_URL, 'sc-gravity-down');
  await grover.solve({ model: 'local:arc', tokensPerSecond: 0 });
  await grover.expectStatus('done');
  await expect(grover.outcome).toHaveAttribute('data-solved', 'true');

  const [markdown] = await Promise.all([page.waitForEvent('download'), page.getByTestId('grover-save-md').click()]);
  const md = Buffer.concat(await (await markdown.createReadStream()).toArray()).toString('utf8');
  expect(md).toContain('- Task: `sc-gravity-down`');
  expect(md).toMatch(/### Program 1\.1 — 10\/10/);
  expect(md).toContain('def transform(');

  const [json] = await Promise.all([page.waitForEvent('download'), page.getByTestId('grover-save-json').click()]);
  const parsed = JSON.parse(Buffer.concat(await (await json.createReadStream()).toArray()).toString('utf8')) as {
    kind: string;
    outcome: { solved: boolean };
    iterations: { programs: unknown[] }[];
  };
  expect(parsed.kind).toBe('grover');
  expect(parsed.outcome.solved).toBe(true);
  expect(parsed.iterations[0]?.programs.length).toBeGreaterThan(0);

  await grover.clear.click();
  await grover.expectStatus('idle');
  await expect(grover.programCards).toHaveCount(0);
  await expect(grover.tokens).toHaveCount(0);
  await expect(grover.chart).toHaveAttribute('data-points', '0');
});

test('the console shows the puzzle beside Grover and links back to it', async ({ page }) => {
  const grover = new GroverPage(page);
  await grover.open(APP_URL, 'sc-flip-h');
  await expect(page.getByTestId('console-task-id')).toHaveText('sc-flip-h');
  await expect(page.getByTestId('console-puzzle').getByTestId('train-pair-0')).toBeVisible();
  await page.getByTestId('back-to-puzzle').click();
  await expect(page).toHaveURL(/\/puzzles\/sc-flip-h$/);
});

test('an unknown task id is a not-found page', async ({ page }) => {
  const response = await page.goto(`${APP_URL}/console/no-such-task`);
  expect(response?.status()).toBe(404);
  await expect(page.getByTestId('console-task-not-found')).toBeVisible();
});
