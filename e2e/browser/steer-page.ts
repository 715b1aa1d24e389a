// Page object of /steer for the browser specs: data-testid selectors only.
import { expect, type Locator, type Page } from '@playwright/test';

export class SteerPage {
  readonly console: Locator;
  readonly defaultPane: Locator;
  readonly steeredPane: Locator;
  readonly chart: Locator;
  readonly trajectory: Locator;

  constructor(readonly page: Page) {
    this.console = page.getByTestId('steer-console');
    this.defaultPane = page.getByTestId('steer-pane-default');
    this.steeredPane = page.getByTestId('steer-pane-steered');
    this.chart = page.getByTestId('activation-chart');
    this.trajectory = page.getByTestId('trajectory-chart');
  }

  async open(appUrl: string): Promise<void> {
    await this.page.goto(`${appUrl}/steer`);
    await expect(this.page.getByTestId('feature-results').locator('button').first()).toBeVisible();
  }

  /** Chooses the first feature the search lists; returns its index. */
  async chooseFirstFeature(): Promise<number> {
    const option = this.page.getByTestId('feature-results').locator('button').first();
    const testId = (await option.getAttribute('data-testid')) ?? '';
    await option.click();
    return Number(testId.replace('feature-option-', ''));
  }

  async setTokens(n: number): Promise<void> {
    await this.page.getByTestId('steer-tokens').fill(String(n));
  }

  /** Sets the pace (tokens per second per pane; 0 is full speed). */
  async setPace(n: number): Promise<void> {
    await this.page.getByTestId('steer-pace').fill(String(n));
  }

  async generate(): Promise<void> {
    await this.page.getByTestId('steer-generate').click();
  }

  /** Moves a dial one step with the keyboard, as a user would. */
  async nudgeDial(index: number): Promise<void> {
    await this.page.getByTestId(`feature-thumb-${index}`).press('ArrowRight');
  }

  async expectStatus(status: string): Promise<void> {
    await expect(this.console).toHaveAttribute('data-status', status);
  }

  async tokens(pane: Locator): Promise<number> {
    return Number(await pane.getAttribute('data-tokens'));
  }
}
