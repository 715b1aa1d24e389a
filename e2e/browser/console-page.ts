/** Page object of the chat console (/console): what a user does and sees there. */
import { expect, type Locator, type Page } from '@playwright/test';
import { chooseModel } from './model-picker';

export class ConsolePage {
  readonly prompt: Locator;
  readonly start: Locator;
  readonly stop: Locator;
  readonly clear: Locator;
  readonly answer: Locator;
  readonly reasoning: Locator;
  readonly status: Locator;
  readonly error: Locator;

  constructor(readonly page: Page) {
    this.prompt = page.getByTestId('prompt');
    this.start = page.getByTestId('start');
    this.stop = page.getByTestId('stop');
    this.clear = page.getByTestId('clear');
    this.answer = page.getByTestId('answer');
    this.reasoning = page.getByTestId('reasoning');
    this.status = page.getByTestId('run-status');
    this.error = page.getByTestId('run-error');
  }

  async open(baseUrl: string): Promise<void> {
    await this.page.goto(`${baseUrl}/console`);
    await expect(this.page.getByTestId('model-select')).toBeEnabled();
  }

  async chooseModel(id: string): Promise<void> {
    await chooseModel(this.page, this.page.getByTestId('model-select'), id);
  }

  async ask(model: string, prompt = 'Count for me, please.'): Promise<void> {
    await this.chooseModel(model);
    await this.prompt.fill(prompt);
    await this.start.click();
  }

  async expectStatus(status: string): Promise<void> {
    await expect(this.status).toHaveAttribute('data-status', status);
  }
}

export function numbered(n: number): string {
  return Array.from({ length: n }, (_, i) => `t${i + 1} `).join('');
}
