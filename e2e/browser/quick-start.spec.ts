// The README's quick start as a newcomer meets it: the production server started with no
// BETTER_AUTH_SECRET and no BETTER_AUTH_URL (so a generated secret under DATA_DIR), opened at the
// address it listens on. The first visit gets a session, the chat console answers with the
// embedded local:tiny (no provider key is set), Settings loads and its streaming choice works. And when no session can be had, the page says so in words instead of waiting.
import { expect, test } from '@playwright/test';
import { startAppServer, type AppServer } from '../harness/appServer';
import { ConsolePage } from './console-page';
import { HeaderAccount, SettingsPage } from './settings-page';

const APP_URL = process.env.APP_URL!;

test.describe('the quick start, with no secret set', () => {
  let server: AppServer;
  test.beforeAll(async () => {
    // As `npm start` runs it: nothing configured (the harness's own test secret unset too).
    server = await startAppServer({ nice: 10, env: { BETTER_AUTH_SECRET: undefined } });
  });
  test.afterAll(() => server?.stop());

  test('the first visit gets a session', async ({ page }) => {
    const header = new HeaderAccount(page);
    await page.goto(server.url);
    await header.expectGuest();
    expect((await page.request.get(`${server.url}/api/me`)).status()).toBe(200);
  });

  test('the chat console answers a prompt with local:tiny, the default model with no provider keys', async ({ page }) => {
    const console = new ConsolePage(page);
    await console.open(server.url);
    // Nothing chosen: with no key configured, the embedded model is what the console starts on.
    await expect(page.getByTestId('model-select')).toContainText('tiny');
    await console.prompt.fill('The ship sailed out of the harbour and');
    await console.start.click();
    await console.expectStatus('done');
    await expect(console.answer).not.toBeEmpty();
    await expect(console.error).toHaveCount(0);
  });

  test('Settings loads and the streaming choice is saved', async ({ page }) => {
    const settings = new SettingsPage(page);
    await settings.open(server.url);
    await expect(settings.choice('rollout')).toHaveAttribute('aria-checked', 'true');

    await settings.choose('off');
    await expect(settings.evaluation).toHaveAttribute('data-enabled', 'false');

    await page.reload();
    await expect(settings.card).toHaveAttribute('data-state', 'ready');
    await expect(settings.choice('off')).toHaveAttribute('aria-checked', 'true');
  });
});

test('when the session cannot be read, Settings and the header say so instead of loading forever', async ({ page }) => {
  // The failure the quick start used to have: every auth call answering 500.
  await page.route(`${APP_URL}/api/auth/**`, (route) => route.fulfill({ status: 500, contentType: 'application/json', body: '{"message":"Internal Server Error"}' }));
  const settings = new SettingsPage(page);
  await page.goto(`${APP_URL}/settings`);

  await expect(settings.card).toHaveAttribute('data-state', 'error');
  await expect(page.getByTestId('streaming-error')).toContainText('could not start your session');
  await expect(page.getByTestId('streaming-error')).toContainText('Reload the page');
  await expect(page.getByTestId('user-session-error')).toHaveText('No session');
});
