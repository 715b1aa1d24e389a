/** Page objects of Settings (/settings) and Admin (/admin), and the header's account corner. */
import { expect, type Locator, type Page } from '@playwright/test';

export class HeaderAccount {
  readonly menu: Locator;
  readonly signIn: Locator;
  readonly adminLink: Locator;

  constructor(readonly page: Page) {
    this.menu = page.getByTestId('user-menu');
    this.signIn = page.getByTestId('sign-in-button');
    this.adminLink = page.getByTestId('nav-admin');
  }

  /** Waits for the session bootstrap: the corner shows a guest. */
  async expectGuest(): Promise<void> {
    await expect(this.menu).toHaveAttribute('data-state', 'anonymous');
    await expect(this.menu).toHaveAttribute('data-user-id', /.+/);
  }
}

/** The sign-in / sign-up dialog. */
export class AuthDialog {
  readonly dialog: Locator;

  constructor(readonly page: Page) {
    this.dialog = page.getByTestId('auth-dialog');
  }

  async signIn({ email, password }: { email: string; password: string }): Promise<void> {
    await expect(this.dialog).toBeVisible();
    await expect(this.dialog.getByTestId('auth-submit')).toHaveText('Sign in');
    await this.dialog.getByTestId('auth-email').fill(email);
    await this.dialog.getByTestId('auth-password').fill(password);
    await this.dialog.getByTestId('auth-submit').click();
    await expect(this.dialog).toBeHidden();
  }

  async signUp({ email, password }: { email: string; password: string }): Promise<void> {
    await expect(this.dialog).toBeVisible();
    await this.dialog.getByTestId('auth-switch-mode').click();
    await expect(this.dialog.getByTestId('auth-submit')).toHaveText('Create account');
    await this.dialog.getByTestId('auth-email').fill(email);
    await this.dialog.getByTestId('auth-password').fill(password);
    await this.dialog.getByTestId('auth-submit').click();
    await expect(this.dialog).toBeHidden();
  }
}

export class SettingsPage {
  readonly card: Locator;
  readonly evaluation: Locator;
  readonly reason: Locator;
  readonly rule: Locator;

  constructor(readonly page: Page) {
    this.card = page.getByTestId('streaming-settings');
    this.evaluation = page.getByTestId('streaming-evaluation');
    this.reason = page.getByTestId('streaming-reason');
    this.rule = page.getByTestId('streaming-rule');
  }

  async open(baseUrl: string): Promise<void> {
    await this.page.goto(`${baseUrl}/settings`);
    await expect(this.card).toHaveAttribute('data-state', 'ready');
  }

  choice(value: 'on' | 'off' | 'rollout'): Locator {
    return this.page.getByTestId(`streaming-${value}`);
  }

  async choose(value: 'on' | 'off' | 'rollout'): Promise<void> {
    await this.choice(value).click();
    await expect(this.choice(value)).toHaveAttribute('aria-checked', 'true');
    await expect(this.choice(value)).toBeEnabled();
  }
}

export class AdminPage {
  readonly panel: Locator;
  readonly forbidden: Locator;
  readonly killSwitch: Locator;
  readonly killSwitchCard: Locator;
  readonly rolloutCard: Locator;
  readonly percentage: Locator;
  readonly saveRollout: Locator;
  readonly defaultValue: Locator;
  readonly share: Locator;
  readonly sharePercent: Locator;
  readonly shareCounts: Locator;
  readonly evaluateInput: Locator;
  readonly evaluateResult: Locator;

  constructor(readonly page: Page) {
    this.panel = page.getByTestId('admin-flags');
    this.forbidden = page.getByTestId('admin-forbidden');
    this.killSwitch = page.getByTestId('kill-switch');
    this.killSwitchCard = page.getByTestId('kill-switch-card');
    this.rolloutCard = page.getByTestId('rollout-card');
    this.percentage = page.getByTestId('rollout-percentage');
    this.saveRollout = page.getByTestId('rollout-save');
    this.defaultValue = page.getByTestId('default-value');
    this.share = page.getByTestId('streaming-share');
    this.sharePercent = page.getByTestId('share-percent');
    this.shareCounts = page.getByTestId('share-counts');
    this.evaluateInput = page.getByTestId('evaluate-input');
    this.evaluateResult = page.getByTestId('evaluate-result');
  }

  async open(baseUrl: string): Promise<void> {
    await this.page.goto(`${baseUrl}/admin`);
  }

  async setRollout(percentage: number): Promise<void> {
    await this.percentage.fill(String(percentage));
    await this.saveRollout.click();
    await expect(this.rolloutCard).toHaveAttribute('data-percentage', String(percentage));
    await this.shareCounted();
  }

  /** Waits until the share card shows the count taken after the last save. */
  async shareCounted(): Promise<void> {
    await expect(this.share).toHaveAttribute('data-state', 'ready');
  }

  /** The share card's numbers, as its data attributes carry them. */
  async shareNumbers(): Promise<{ total: number; enabled: number; share: number }> {
    await this.shareCounted();
    const [total, enabled, share] = await Promise.all(['data-total', 'data-enabled', 'data-share'].map((a) => this.share.getAttribute(a)));
    return { total: Number(total), enabled: Number(enabled), share: Number(share) };
  }

  async evaluate(who: string): Promise<void> {
    await this.evaluateInput.fill(who);
    await this.page.getByTestId('evaluate-submit').click();
    await expect(this.evaluateResult).toBeVisible();
  }
}
