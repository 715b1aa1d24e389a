// Share links in Chromium: the owner of a steer run shares it from /steer, a visitor with no
// account opens the link and gets the same settings and the saved default and steered text, and
// after the owner revokes it the link opens nothing; the same from a saved analysis's page
// (docs/security.md, "Saved runs and sharing").
import { expect, test, type Page } from '@playwright/test';
import { AnalysisPage } from './analysis-page';
import { SteerPage } from './steer-page';

const APP_URL = process.env.APP_URL!;

/** A pane's text: each token's own text (its tooltip, hidden until hover, left out). */
function paneText(page: Page, channel: 'default' | 'steered'): Promise<string> {
  return page
    .getByTestId(`steer-text-${channel}`)
    .evaluate((el) => [...el.querySelectorAll('[data-testid="steer-token"]')].map((token) => token.firstChild?.textContent ?? '').join(''));
}

test('a shared steer opens with its settings and text for a visitor, until revoked', async ({ page, browser }) => {
  const steer = new SteerPage(page);
  await steer.open(APP_URL);
  const feature = await steer.chooseFirstFeature();
  await page.getByTestId('steer-seed').fill('42');
  await steer.setTokens(12);
  await page.getByTestId('steer-method').selectOption('ORTHOGONAL_DECOMP');
  await steer.expectStatus('done');

  const shared = page.waitForResponse((r) => /\/api\/runs\/[^/]+\/share$/.test(r.url()) && r.request().method() === 'POST');
  await page.getByTestId('share-create').click();
  const { url, token } = (await (await shared).json()) as { url: string; token: string };
  await expect(page.getByTestId('share-url')).toHaveValue(url);
  // What the run saved, as anyone holding the link reads it.
  const saved = (await (await page.request.get(`${APP_URL}/api/shared/${token}`)).json()) as {
    input: { prompt: string; seed: number; maxTokens: number; method: string; features: { index: number; strength: number }[] };
    result: { steer: Record<'default' | 'steered', { text: string }> };
  };
  expect(saved.input).toMatchObject({ seed: 42, maxTokens: 12, method: 'ORTHOGONAL_DECOMP', features: [{ index: feature }] });

  const visitor = await browser.newContext();
  try {
    const other = await visitor.newPage();
    await other.goto(url);
    await expect(other).toHaveURL(new RegExp(`/steer\\?share=${token}$`));
    await expect(other.getByTestId('steer-shared-note')).toBeVisible();
    await expect(other.getByTestId('steer-prompt')).toHaveValue(saved.input.prompt);
    await expect(other.getByTestId('steer-seed')).toHaveValue('42');
    await expect(other.getByTestId('steer-tokens')).toHaveValue('12');
    await expect(other.getByTestId('steer-method')).toHaveValue('ORTHOGONAL_DECOMP');
    await expect(other.getByTestId(`feature-dial-${feature}`)).toBeVisible();
    expect(await paneText(other, 'default')).toBe(saved.result.steer.default.text);
    expect(await paneText(other, 'steered')).toBe(saved.result.steer.steered.text);

    await page.getByTestId('share-revoke').click();
    await expect(page.getByTestId('share-note')).toContainText('revoked');

    await other.goto(url);
    expect((await other.request.get(`${APP_URL}/api/shared/${token}`)).status()).toBe(404);
    await expect(other.getByText('This page could not be found')).toBeVisible();
  } finally {
    await visitor.close();
  }
});

test('a saved analysis shared from its page opens for a visitor, until revoked', async ({ page, browser }) => {
  const analysis = new AnalysisPage(page);
  await analysis.open(APP_URL, 'sc-flip-h');
  await analysis.analyse({ model: 'local:arc', tokensPerSecond: 0 });
  await analysis.expectStatus('done');
  const runId = await analysis.savedRunId();

  await page.goto(`${APP_URL}/puzzles/sc-flip-h/analyses/${runId}`);
  await page.getByTestId('share-create').click();
  const url = await page.getByTestId('share-url').inputValue();
  expect(new URL(url).pathname).toMatch(/^\/s\/[A-Za-z0-9_-]{43}$/);

  const visitor = await browser.newContext();
  try {
    const other = await visitor.newPage();
    // Without the link, the visitor finds nothing of the owner's.
    await other.goto(`${APP_URL}/puzzles/sc-flip-h/analyses/${runId}`);
    await expect(other.getByTestId('puzzle-not-found')).toBeVisible();

    await other.goto(url);
    await expect(other.getByTestId('shared-run')).toHaveAttribute('data-kind', 'analysis');
    await expect(other.getByTestId('field-patternDescription')).toHaveAttribute('data-state', 'complete');

    await page.getByTestId('share-revoke').click();
    await expect(page.getByTestId('share-note')).toContainText('revoked');
    await other.goto(url);
    await expect(other.getByText('This page could not be found')).toBeVisible();
  } finally {
    await visitor.close();
  }
});
