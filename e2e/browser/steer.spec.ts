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

// fixme: tried on the trained weights, where a 256-token run outlasts the 500 ms debounce. The cancel
// and the new run do come, but this test takes the wrong run as the first: choosing a feature and
// setting the length are changes too, so they start a run (strength 8) after the quiet spell, and the
// request awaited as the dial's is that one. Before re-enabling, take the auto-started 256-token run
// as the first (no Generate click), and make sure it cannot end before the dial's debounce (a pace, or
// a longer run), so the test cannot flake on a fast machine.
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
