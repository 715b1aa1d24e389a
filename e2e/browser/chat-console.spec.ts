// The chat console as a user sees it, in Debian's Chromium against the production server.
import { expect, test } from '@playwright/test';
import { startTcpProxy, type TcpProxy } from '../harness/tcpProxy';
import { ConsolePage, numbered } from './console-page';

const APP_URL = process.env.APP_URL!;
const FAKE_URL = process.env.FAKE_URL!;

test('tokens appear one after another, not all at once', async ({ page }) => {
  const console = new ConsolePage(page);
  await console.open(APP_URL);
  // Record every length the answer passes through, inside the page, as the DOM changes.
  await page.evaluate(() => {
    const seen: { length: number; at: number }[] = [];
    (window as unknown as { answerLengths: typeof seen }).answerLengths = seen;
    new MutationObserver(() => {
      const length = document.querySelector('[data-testid="answer"]')?.textContent?.length ?? 0;
      if (seen.at(-1)?.length !== length) seen.push({ length, at: performance.now() });
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await console.ask('openai:slow-24-60');
  await console.expectStatus('done');
  await expect(console.answer).toHaveText(numbered(24).trim());
  const lengths = await page.evaluate(() => (window as unknown as { answerLengths: { length: number; at: number }[] }).answerLengths);
  const growing = lengths.filter((entry) => entry.length > 0);
  expect(growing.length).toBeGreaterThanOrEqual(6);
  // The text grew over time, not in one paint: the first and last growth are far apart.
  expect(growing.at(-1)!.at - growing[0]!.at).toBeGreaterThan(500);
});

test('reasoning is shown apart from the answer', async ({ page }) => {
  const console = new ConsolePage(page);
  await console.open(APP_URL);
  await console.ask('xai:reason-4');
  await console.expectStatus('done');
  await expect(console.answer).toHaveText('Answer after reasoning.');
  await expect(console.reasoning).toContainText('r1 r2 r3 r4');
  await expect(console.answer).not.toContainText('r1');
});

test.describe('through a connection that drops', () => {
  let proxy: TcpProxy;
  test.beforeEach(async () => {
    proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(process.env.APP_PORT) });
  });
  test.afterEach(async () => proxy.close());

  test('a connection killed mid-stream resumes with the exact transcript', async ({ page }) => {
    const console = new ConsolePage(page);
    await console.open(proxy.url);
    await console.ask('openai:slow-40-50');
    await expect(console.answer).toContainText('t8 ');
    expect(proxy.cutAll()).toBeGreaterThan(0);
    await expect(console.answer).toContainText('t20 ');
    proxy.cutAll();
    await console.expectStatus('done');
    await expect(console.answer).toHaveText(numbered(40).trim());
    // Nothing doubled, nothing missing: the resumed connections were new ones.
    expect(proxy.connections()).toBeGreaterThanOrEqual(3);
  });
});

test('Stop cancels the upstream model call', async ({ page, request }) => {
  await request.post(`${FAKE_URL}/__control/reset`);
  const console = new ConsolePage(page);
  await console.open(APP_URL);
  await console.ask('openai:hang');
  await expect(console.answer).toContainText('t3');
  await console.stop.click();
  await console.expectStatus('cancelled');
  await expect
    .poll(async () => {
      const requests = (await (await request.get(`${FAKE_URL}/__control/requests`)).json()) as { model: string; aborted: boolean }[];
      return requests.find((r) => r.model === 'hang')?.aborted;
    })
    .toBe(true);
  await expect(console.answer).toHaveText('t1 t2 t3');
});

test('a provider error shows a readable message', async ({ page }) => {
  const console = new ConsolePage(page);
  await console.open(APP_URL);
  await console.ask('openai:error-401');
  await console.expectStatus('error');
  await expect(console.error).toContainText('rejected the credentials');
  await expect(console.error).not.toContainText('sk-test');
});

test('Clear empties the transcript for the next prompt', async ({ page }) => {
  const console = new ConsolePage(page);
  await console.open(APP_URL);
  await console.ask('openrouter:count-5');
  await console.expectStatus('done');
  await expect(console.answer).toHaveText(numbered(5).trim());
  await console.clear.click();
  await expect(console.answer).toHaveCount(0);
});

test('Save transcript downloads Markdown and JSON with the answer', async ({ page }) => {
  const console = new ConsolePage(page);
  await console.open(APP_URL);
  await console.ask('openrouter:count-5');
  await console.expectStatus('done');
  const [markdown] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-md').click()]);
  const md = await (await markdown.createReadStream()).toArray();
  expect(Buffer.concat(md).toString('utf8')).toContain('t1 t2 t3 t4 t5');
  const [json] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-json').click()]);
  const parsed = JSON.parse(Buffer.concat(await (await json.createReadStream()).toArray()).toString('utf8'));
  expect(JSON.stringify(parsed)).toContain('t1 t2 t3 t4 t5');
});
