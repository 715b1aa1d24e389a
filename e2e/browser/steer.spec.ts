// The /steer page against the embedded local:tiny engine (its weights: lib/local/tiny/weights, or TINY_WEIGHTS_DIR).
import { expect, test } from '@playwright/test';
import { SettingsPage } from './settings-page';
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

test('moving a dial regenerates and cancels the run in flight', async ({ page }) => {
  const steer = new SteerPage(page);
  // Every start of a run, in order, with its id and the features it asked for.
  const starts: { id: string; features: { index: number; strength: number }[] }[] = [];
  page.on('response', async (response) => {
    if (!response.url().endsWith('/api/runs') || response.request().method() !== 'POST') return;
    const body = response.request().postDataJSON() as { input: { features: { index: number; strength: number }[] } };
    starts.push({ id: (await response.headerValue('x-run-id')) ?? '', features: body.input.features });
  });
  await steer.open(APP_URL);
  // Slow enough (256 tokens at 16 a second) that the run cannot end before the dial's debounce.
  await steer.setTokens(256);
  await steer.setPace(16);
  const feature = await steer.chooseFirstFeature();

  // Choosing the feature is a change too: after the quiet spell it starts a run, at strength 8.
  await expect.poll(() => starts.at(-1)?.features).toEqual([{ index: feature, strength: 8 }]);
  await expect.poll(() => steer.tokens(steer.steeredPane)).toBeGreaterThan(0);
  const inFlight = starts.at(-1)!.id;
  expect(inFlight).not.toBe('');

  const cancel = page.waitForRequest((r) => r.url().endsWith(`/api/runs/${inFlight}/cancel`) && r.method() === 'POST');
  await steer.nudgeDial(feature);
  await cancel;
  await expect.poll(() => starts.at(-1)?.features).toEqual([{ index: feature, strength: 8.5 }]);
  expect(starts.at(-1)!.id).not.toBe(inFlight);
  // The new run streams into the panes (the old one's text is gone with it).
  await expect.poll(() => steer.tokens(steer.steeredPane)).toBeGreaterThan(0);
});

test('with streaming off, a steer arrives whole: both panes, the chart and the trajectory at the end', async ({ page }) => {
  const settings = new SettingsPage(page);
  await settings.open(APP_URL);
  await settings.choose('off');
  await expect(settings.evaluation).toHaveAttribute('data-enabled', 'false');

  const steer = new SteerPage(page);
  await steer.open(APP_URL);
  await steer.chooseFirstFeature();
  // Choosing the feature starts the run after the quiet spell; it is delivered blocking.
  await expect(page.getByTestId('run-delivery')).toHaveAttribute('data-delivery', 'blocking');
  await steer.expectStatus('done');
  await expect(page.getByTestId('run-delivery')).toHaveAttribute('data-state', 'ended');
  const finalDefault = await steer.tokens(steer.defaultPane);
  const finalSteered = await steer.tokens(steer.steeredPane);
  expect(finalDefault).toBeGreaterThan(0);
  expect(finalSteered).toBeGreaterThan(0);
  await expect(steer.chart).toHaveAttribute('data-points', String(Math.max(finalDefault, finalSteered)));
  await expect(steer.trajectory).toHaveAttribute('data-points', String(finalDefault + finalSteered));
});
