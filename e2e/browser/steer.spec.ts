// The /steer page against the embedded local:tiny engine (its weights: lib/local/tiny/weights, or TINY_WEIGHTS_DIR).
import { expect, test } from '@playwright/test';
import { SteerPage } from './steer-page';

const APP_URL = process.env.APP_URL!;

test('both panes stream at once and the chart gains a point per token', async ({ page }) => {
  const steer = new SteerPage(page);
  await steer.open(APP_URL);
  await steer.chooseFirstFeature();
  await steer.setTokens(200);
  // Record, inside the page, each pair of token counts the panes pass through.
  await page.evaluate(() => {
    const seen: [number, number][] = [];
    (window as unknown as { paneCounts: typeof seen }).paneCounts = seen;
    const read = (id: string) => Number(document.querySelector(`[data-testid="${id}"]`)?.getAttribute('data-tokens') ?? 0);
    new MutationObserver(() => seen.push([read('steer-pane-default'), read('steer-pane-steered')])).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-tokens'] });
  });
  await steer.generate();
  await steer.expectStatus('done');

  const finalDefault = await steer.tokens(steer.defaultPane);
  const finalSteered = await steer.tokens(steer.steeredPane);
  const counts = await page.evaluate(() => (window as unknown as { paneCounts: [number, number][] }).paneCounts);
  // Some moment had both panes part-way: each had tokens and neither had all of its own.
  expect(counts.some(([d, s]) => d > 0 && s > 0 && d < finalDefault && s < finalSteered)).toBe(true);
  await expect(steer.chart).toHaveAttribute('data-points', String(Math.max(finalDefault, finalSteered)));
  await expect(steer.trajectory).toHaveAttribute('data-points', String(finalDefault + finalSteered));
});

// fixme: against the random-weight fixture (the only local:tiny weights there were when this was
// written: d_model 32) a 256-token run ends long before the dial's 500 ms debounce fires, so no run
// is in flight to cancel and the cancel request never comes. Re-enable with the trained weights
// (lib/local/tiny/weights), where a run lasts longer than the debounce.
test.fixme('moving a dial regenerates and cancels the run in flight', async ({ page }) => {
  const steer = new SteerPage(page);
  await steer.open(APP_URL);
  const feature = await steer.chooseFirstFeature();
  await steer.setTokens(256);
  const firstRun = page.waitForResponse((r) => r.url().endsWith('/api/runs') && r.request().method() === 'POST');
  await steer.generate();
  const firstRunId = (await (await firstRun).headerValue('x-run-id')) ?? '';
  await expect.poll(() => steer.tokens(steer.steeredPane)).toBeGreaterThan(0);

  const cancel = page.waitForRequest((r) => r.url().endsWith(`/api/runs/${firstRunId}/cancel`));
  const secondRun = page.waitForRequest((r) => r.url().endsWith('/api/runs') && r.method() === 'POST');
  await steer.nudgeDial(feature);
  const body = (await secondRun).postDataJSON() as { input: { features: { index: number; strength: number }[] } };
  await cancel;

  expect(body.input.features).toEqual([{ index: feature, strength: 8.5 }]);
  await steer.expectStatus('done');
});
