// Accounts, Settings and Admin as a visitor and an admin meet them: Debian's Chromium against the
// production server, where the global setup made admin@streamconsole.test an admin with the
// operator's tool (`npm run admin -- grant`).
import { expect, test } from '@playwright/test';
import { adminApi } from './admin-api';
import { E2E_ADMIN_EMAIL as ADMIN_EMAIL, E2E_ADMIN_PASSWORD as ADMIN_PASSWORD } from './global-setup';
import { AdminPage, AuthDialog, HeaderAccount, SettingsPage } from './settings-page';

const APP_URL = process.env.APP_URL!;
const SCREENSHOTS = process.env.SCREENSHOT_DIR;

// The flag's settings are shared with every other spec on this server: put streaming back on.
test.afterAll(async () => {
  const api = await adminApi(APP_URL);
  try {
    await api.put('/api/admin/flags', { data: { killSwitch: false, percentage: 0, defaultValue: true, allowlist: [] } });
  } finally {
    await api.dispose();
  }
});

test('a first visit gets an anonymous session, with no sign-up', async ({ page, context }) => {
  const header = new HeaderAccount(page);
  await page.goto(APP_URL);
  await header.expectGuest();
  await expect(header.signIn).toBeVisible();
  await expect(header.adminLink).toHaveCount(0);

  const cookie = (await context.cookies()).find((c) => c.name.endsWith('session_token'));
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });

  const me = await page.request.get(`${APP_URL}/api/me`);
  expect(me.status()).toBe(200);
  const { viewer } = await me.json();
  expect(viewer).toMatchObject({ role: 'user', isAnonymous: true });
  await expect(header.menu).toHaveAttribute('data-user-id', viewer.userId);

  // The same visitor on the next page keeps the same account.
  await page.goto(`${APP_URL}/puzzles`);
  await expect(header.menu).toHaveAttribute('data-user-id', viewer.userId);
});

test('a user turns streaming off in Settings and the evaluation shows it', async ({ page }) => {
  const settings = new SettingsPage(page);
  await settings.open(APP_URL);
  await expect(settings.choice('rollout')).toHaveAttribute('aria-checked', 'true');
  await expect(settings.evaluation).toHaveAttribute('data-enabled', 'true');

  await settings.choose('off');
  await expect(settings.evaluation).toHaveAttribute('data-enabled', 'false');
  await expect(settings.evaluation).toHaveAttribute('data-rule', 'user_preference');
  await expect(settings.reason).toHaveText('user_preference');
  await expect(settings.rule).toHaveText('Your own choice: streaming off.');
  if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/settings.png`, fullPage: true });

  // Saved on the server: a reload shows the same, and so does the API.
  await page.reload();
  await expect(settings.card).toHaveAttribute('data-state', 'ready');
  await expect(settings.choice('off')).toHaveAttribute('aria-checked', 'true');
  await expect(settings.evaluation).toHaveAttribute('data-enabled', 'false');
  const flags = await (await page.request.get(`${APP_URL}/api/me/flags`)).json();
  expect(flags).toMatchObject({ flags: { streaming: { enabled: false, rule: 'user_preference' } }, preferences: { streaming: false } });

  // Following the rollout again hands the decision back to the flag's rules.
  await settings.choose('rollout');
  await expect(settings.evaluation).not.toHaveAttribute('data-rule', 'user_preference');
  await expect(settings.evaluation).toHaveAttribute('data-enabled', 'true');
});

test('a wrong password gets a readable error, and the visitor stays a guest', async ({ page }) => {
  const header = new HeaderAccount(page);
  await page.goto(APP_URL);
  await header.expectGuest();
  await header.signIn.click();
  const dialog = page.getByTestId('auth-dialog');
  await dialog.getByTestId('auth-email').fill('nobody@streamconsole.test');
  await dialog.getByTestId('auth-password').fill('not the password');
  await dialog.getByTestId('auth-submit').click();
  await expect(dialog.getByTestId('auth-error')).toHaveText('That email and password do not match an account. Check them, or create an account.');
  if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/sign-in-error.png` });
  await page.keyboard.press('Escape');
  await header.expectGuest();
});

test('a non-admin sees a readable 403 at /admin and gets 403 from the admin API', async ({ page }) => {
  const admin = new AdminPage(page);
  await admin.open(APP_URL);
  await expect(admin.forbidden).toContainText('Admins only');
  if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/admin-forbidden.png` });
  await expect(admin.panel).toHaveCount(0);
  await new HeaderAccount(page).expectGuest();
  const response = await page.request.get(`${APP_URL}/api/admin/flags`);
  expect(response.status()).toBe(403);
  expect((await response.json()).error.code).toBe('forbidden:role');
});

test('an admin sets a 30% rollout, sees the share, and flips the kill switch', async ({ page, playwright }) => {
  // More users than the visitors of the other tests, so the share has something to count.
  for (let i = 0; i < 10; i++) {
    const visitor = await playwright.request.newContext({ baseURL: APP_URL, extraHTTPHeaders: { origin: APP_URL } });
    expect((await visitor.post('/api/auth/sign-in/anonymous', { data: {} })).status()).toBe(200);
    await visitor.dispose();
  }

  const admin = new AdminPage(page);
  const header = new HeaderAccount(page);
  await admin.open(APP_URL);
  await expect(admin.forbidden).toBeVisible();
  await header.expectGuest();

  // Sign in to the admin account from the guest session: the page turns into the admin page.
  await page.getByTestId('admin-sign-in').click();
  await new AuthDialog(page).signIn({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
  await expect(admin.panel).toBeVisible();
  await expect(header.menu).toHaveAttribute('data-state', 'signed-in');
  await expect(page.getByTestId('user-email')).toHaveText(ADMIN_EMAIL);
  await expect(header.adminLink).toBeVisible();

  // Outside the rollout: off, so that the percentage decides.
  await expect(admin.defaultValue).toHaveAttribute('aria-checked', 'true');
  await admin.defaultValue.click();
  await expect(admin.defaultValue).toHaveAttribute('aria-checked', 'false');
  await admin.setRollout(30);

  const share = await admin.shareNumbers();
  expect(share.total).toBeGreaterThanOrEqual(12);
  expect(share.enabled).toBeLessThan(share.total);
  await expect(admin.shareCounts).toHaveText(`${share.enabled} of ${share.total} users`);
  await expect(admin.sharePercent).toHaveText(`${Math.round(share.share * 1000) / 10}%`);
  // The card and the API agree.
  const fromApi = await (await page.request.get(`${APP_URL}/api/admin/flags/share`)).json();
  expect(fromApi).toMatchObject({ total: share.total, enabled: share.enabled });
  expect(fromApi.byRule.rollout + fromApi.byRule.default + fromApi.byRule.user_preference + fromApi.byRule.allowlist).toBe(share.total);

  // Each evaluation's reason, for any user: the admin is allowlisted by role.
  await admin.evaluate(ADMIN_EMAIL);
  await expect(admin.evaluateResult).toHaveAttribute('data-rule', 'allowlist');
  await expect(page.getByTestId('evaluate-reason')).toHaveText('TARGETING_MATCH');
  if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/admin.png`, fullPage: true });

  // The kill switch: nobody streams, whatever else applies.
  await admin.killSwitch.click();
  await expect(admin.killSwitchCard).toHaveAttribute('data-state', 'on');
  await expect(admin.share).toHaveAttribute('data-enabled', '0');
  await expect(admin.sharePercent).toHaveText('0%');
  await admin.evaluate(ADMIN_EMAIL);
  await expect(admin.evaluateResult).toHaveAttribute('data-rule', 'kill_switch');
  await expect(page.getByTestId('evaluate-reason')).toHaveText('DISABLED');
  const mine = await (await page.request.get(`${APP_URL}/api/me/flags`)).json();
  expect(mine.flags.streaming).toMatchObject({ enabled: false, reason: 'DISABLED', rule: 'kill_switch' });
  if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/admin-kill-switch.png`, fullPage: true });

  // And back.
  await admin.killSwitch.click();
  await expect(admin.killSwitchCard).toHaveAttribute('data-state', 'off');
  await expect(admin.share).toHaveAttribute('data-enabled', String(share.enabled));
});
