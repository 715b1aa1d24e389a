// The `streaming` flag as people meet it, in Debian's Chromium against the production server:
// one user streams while another, with streaming off, gets the same result whole; nobody opens
// another's run; an admin's rollout is stable as it grows; the kill switch reaches everyone's next
// run; a refused start counts down, then lets the user retry.
import { expect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { adminApi } from './admin-api';
import { ConsolePage, numbered } from './console-page';
import { SettingsPage } from './settings-page';

const APP_URL = process.env.APP_URL!;
const SCREENSHOTS = process.env.SCREENSHOT_DIR;

async function setFlag(admin: APIRequestContext, patch: Record<string, unknown>): Promise<void> {
  const response = await admin.put('/api/admin/flags', { data: patch });
  expect(response.status(), await response.text()).toBe(200);
}

let admin: APIRequestContext;
test.beforeAll(async () => {
  admin = await adminApi(APP_URL);
});
// Each test starts from streaming on for everyone.
test.beforeEach(async () => {
  await setFlag(admin, { killSwitch: false, percentage: 0, defaultValue: true, allowlist: [] });
});
test.afterAll(async () => {
  await setFlag(admin, { killSwitch: false, percentage: 0, defaultValue: true, allowlist: [] });
  await admin.dispose();
});

/** A person: their own browser context (own cookies, own anonymous account) and the console page. */
async function person(browser: Browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  /** Every response that was an event stream, in order. */
  const eventStreams: string[] = [];
  page.on('response', (response) => {
    if ((response.headers()['content-type'] ?? '').includes('text/event-stream')) eventStreams.push(response.url());
  });
  return { context, page, console: new ConsolePage(page), eventStreams };
}

/** Starts a chat run and returns its id (from the POST's `X-Run-Id`) and delivery mode. */
async function ask(page: Page, console: ConsolePage, model: string): Promise<{ runId: string; mode: string }> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url() === `${APP_URL}/api/runs` && r.request().method() === 'POST'),
    console.ask(model),
  ]);
  return { runId: response.headers()['x-run-id']!, mode: response.headers()['x-run-mode']! };
}

/** Records, inside the page, every length the answer passes through. */
async function recordAnswerLengths(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: number[] = [];
    (window as unknown as { answerLengths: number[] }).answerLengths = seen;
    new MutationObserver(() => {
      const length = document.querySelector('[data-testid="answer"]')?.textContent?.length ?? 0;
      if (length > 0 && seen.at(-1) !== length) seen.push(length);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

async function answerLengths(page: Page): Promise<number[]> {
  return page.evaluate(() => (window as unknown as { answerLengths: number[] }).answerLengths);
}

/** The saved JSON transcript, less what differs between any two runs (ids, clocks). */
async function savedTranscript(page: Page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-json').click()]);
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  const { runId: _runId, clientTiming: _clientTiming, savedAt: _savedAt, serverMetrics, ...rest } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  return { ...rest, serverTokens: serverMetrics?.tokens };
}

test('user A streams; user B turns streaming off and gets the same result whole; B cannot open A\'s run', async ({ browser }) => {
  const a = await person(browser);
  const b = await person(browser);

  const settings = new SettingsPage(b.page);
  await settings.open(APP_URL);
  await settings.choose('off');
  await expect(settings.evaluation).toHaveAttribute('data-enabled', 'false');

  await a.console.open(APP_URL);
  const runA = await ask(a.page, a.console, 'openai:slow-40-50');
  expect(runA.mode).toBe('streaming');
  await a.console.expectStatus('streaming');
  await a.console.expectStatus('done');
  await expect(a.console.answer).toHaveText(numbered(40).trim());

  await b.console.open(APP_URL);
  await recordAnswerLengths(b.page);
  const runB = await ask(b.page, b.console, 'openai:slow-40-50');
  expect(runB.mode).toBe('blocking');
  // Progress while it works, and no text until the whole result is in.
  await b.console.expectStatus('waiting');
  const progress = b.page.getByTestId('run-progress');
  await expect(progress).toHaveAttribute('data-tokens', /^[1-9]\d*$/);
  await expect(progress).toContainText('tokens so far');
  if (SCREENSHOTS) await b.page.screenshot({ path: `${SCREENSHOTS}/blocking-progress.png` });
  await b.console.expectStatus('done');
  await expect(b.console.answer).toHaveText(numbered(40).trim());
  // The answer appeared in one piece: the only length it ever had is the whole one.
  expect(await answerLengths(b.page)).toEqual([numbered(40).length]);
  await expect(b.page.getByTestId('run-delivery')).toHaveAttribute('data-state', 'ended');

  // The same result: the transcripts match, apart from ids and clocks.
  expect(await savedTranscript(b.page)).toEqual(await savedTranscript(a.page));
  expect(a.eventStreams.length).toBeGreaterThanOrEqual(1);
  expect(b.eventStreams).toEqual([]);

  // B cannot read, resume, look at, wait on or cancel A's run.
  for (const [path, method] of [
    [`/api/runs/${runA.runId}/events`, 'GET'],
    [`/api/runs/${runA.runId}`, 'GET'],
    [`/api/runs/${runA.runId}/result?waitMs=0`, 'GET'],
    [`/api/runs/${runA.runId}/cancel`, 'POST'],
  ] as const) {
    const response = await b.page.request.fetch(`${APP_URL}${path}`, { method, headers: { origin: APP_URL, 'Last-Event-ID': '1' } });
    expect(response.status(), `${method} ${path}`).toBe(404);
  }
  // While A, its owner, can.
  expect((await a.page.request.get(`${APP_URL}/api/runs/${runA.runId}`)).status()).toBe(200);

  await a.context.close();
  await b.context.close();
});

test('at 30% the share of 1,000 synthetic users is 30% ± 3%, and nobody who had it at 30% loses it at 50%', async () => {
  const userIds = Array.from({ length: 1000 }, (_, i) => `synthetic-user-${i}`);
  const shareAt = async (percentage: number) => {
    await setFlag(admin, { killSwitch: false, defaultValue: false, allowlist: [], percentage });
    const response = await admin.post('/api/admin/flags/share', { data: { userIds } });
    expect(response.status()).toBe(200);
    return (await response.json()) as { total: number; enabled: number; share: number; byRule: Record<string, number>; enabledUserIds: string[] };
  };

  const at30 = await shareAt(30);
  expect(at30.total).toBe(1000);
  expect(at30.share).toBeGreaterThanOrEqual(0.27);
  expect(at30.share).toBeLessThanOrEqual(0.33);
  expect(at30.byRule).toMatchObject({ rollout: at30.enabled, default: 1000 - at30.enabled });

  const at50 = await shareAt(50);
  expect(at50.share).toBeGreaterThanOrEqual(0.47);
  expect(at50.share).toBeLessThanOrEqual(0.53);
  const kept = new Set(at50.enabledUserIds);
  expect(at30.enabledUserIds.filter((id) => !kept.has(id))).toEqual([]);
});

test('the kill switch turns streaming off for everyone on their next run', async ({ browser }) => {
  const a = await person(browser);
  await a.console.open(APP_URL);
  expect((await ask(a.page, a.console, 'openrouter:count-5')).mode).toBe('streaming');
  await a.console.expectStatus('done');
  const streamsBefore = a.eventStreams.length;
  expect(streamsBefore).toBeGreaterThanOrEqual(1);

  await setFlag(admin, { killSwitch: true });
  try {
    expect((await ask(a.page, a.console, 'openrouter:count-5')).mode).toBe('blocking');
    await a.console.expectStatus('done');
    await expect(a.console.answer).toHaveText(numbered(5).trim());
    expect(a.eventStreams.length).toBe(streamsBefore);
    const mine = await (await a.page.request.get(`${APP_URL}/api/me/flags`)).json();
    expect(mine.flags.streaming).toMatchObject({ enabled: false, rule: 'kill_switch' });
  } finally {
    await setFlag(admin, { killSwitch: false });
  }
  await a.context.close();
});

test('a start refused for a limit counts down its Retry-After, then lets the user try again', async ({ page }) => {
  const console = new ConsolePage(page);
  await console.open(APP_URL);
  // The server's limits are set high for the suite; the first start meets a 429 as the limiter writes it.
  let refused = false;
  await page.route(`${APP_URL}/api/runs`, async (route) => {
    if (refused || route.request().method() !== 'POST') return route.fallback();
    refused = true;
    await route.fulfill({
      status: 429,
      headers: { 'Content-Type': 'application/json', 'Retry-After': '3' },
      body: JSON.stringify({ error: { code: 'rate_limited:runs', message: 'Too many runs started. Try again in 3 seconds.' } }),
    });
  });

  await console.ask('openrouter:count-5');
  await console.expectStatus('error');
  await expect(console.error).toContainText('Too many runs at once');
  const countdown = page.getByTestId('retry-countdown');
  const retry = page.getByTestId('retry-run');
  await expect(countdown).toContainText(/try again in [1-3] s/);
  await expect(retry).toBeDisabled();
  if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/retry-countdown.png` });
  // Counting down, one second at a time.
  await expect(countdown).toHaveAttribute('data-seconds-left', '2');
  await expect(countdown).toHaveAttribute('data-seconds-left', '0', { timeout: 5_000 });
  await expect(retry).toBeEnabled();

  await retry.click();
  await console.expectStatus('done');
  await expect(console.answer).toHaveText(numbered(5).trim());
  await expect(console.error).toHaveCount(0);
});
