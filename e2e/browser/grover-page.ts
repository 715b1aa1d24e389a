/** Page object of the solver console (/console/<task id>): Grover's pane, as a user drives and reads it. */
import { expect, type Locator, type Page } from '@playwright/test';
import { chooseModel } from './model-picker';

/** What the pane shows at one instant, read in one go so the values agree with each other. */
export interface GroverSample {
  status: string | null;
  /** Characters of the current iteration's text. */
  tokens: number;
  cards: number;
  /** `data-points` of the score chart. */
  points: number;
}

export class GroverPage {
  readonly start: Locator;
  readonly stop: Locator;
  readonly clear: Locator;
  readonly status: Locator;
  readonly tokens: Locator;
  readonly programCards: Locator;
  readonly chart: Locator;
  readonly outcome: Locator;
  readonly prediction: Locator;
  readonly bestBadge: Locator;
  readonly pace: Locator;
  readonly iterations: Locator;
  readonly programs: Locator;

  constructor(readonly page: Page) {
    this.start = page.getByTestId('grover-start');
    this.stop = page.getByTestId('grover-stop');
    this.clear = page.getByTestId('grover-clear');
    this.status = page.getByTestId('grover-status');
    this.tokens = page.getByTestId('grover-tokens');
    this.programCards = page.getByTestId('program-card');
    this.chart = page.getByTestId('score-chart');
    this.outcome = page.getByTestId('grover-outcome');
    this.prediction = page.getByTestId('grover-prediction');
    this.bestBadge = page.getByTestId('best-badge');
    this.pace = page.getByTestId('grover-pace');
    this.iterations = page.getByTestId('grover-iterations');
    this.programs = page.getByTestId('grover-programs');
  }

  async open(baseUrl: string, taskId: string): Promise<void> {
    await this.page.goto(`${baseUrl}/console/${encodeURIComponent(taskId)}`);
    await expect(this.page.getByTestId('model-select')).toBeEnabled();
  }

  async chooseModel(id: string): Promise<void> {
    await chooseModel(this.page, this.page.getByTestId('model-select'), id);
  }

  /** Chooses the model and settings and presses Start. */
  async solve(options: { model: string; tokensPerSecond?: number; iterations?: number; programsPerIteration?: number }): Promise<void> {
    await this.chooseModel(options.model);
    if (options.iterations !== undefined) await this.iterations.fill(String(options.iterations));
    if (options.programsPerIteration !== undefined) await this.programs.fill(String(options.programsPerIteration));
    if (options.tokensPerSecond !== undefined) await this.pace.fill(String(options.tokensPerSecond));
    await this.start.click();
  }

  async expectStatus(status: string): Promise<void> {
    await expect(this.status).toHaveAttribute('data-status', status);
  }

  sample(): Promise<GroverSample> {
    return this.page.evaluate(() => {
      const byTestId = (id: string) => document.querySelector(`[data-testid="${id}"]`);
      return {
        status: byTestId('grover-status')?.getAttribute('data-status') ?? null,
        tokens: byTestId('grover-tokens')?.textContent?.length ?? 0,
        cards: document.querySelectorAll('[data-testid="program-card"]').length,
        points: Number(byTestId('score-chart')?.getAttribute('data-points') ?? 0),
      };
    });
  }

  /**
   * Records what the pane shows on every animation frame, inside the page (sampling from the test
   * would take one round trip, and a trace snapshot, per sample), until the run settles or
   * `timeoutMs` passes; returns the samples that differ from the one before, in order.
   */
  async recordUntilSettled(timeoutMs = 30_000): Promise<GroverSample[]> {
    await this.page.evaluate(() => {
      const w = window as unknown as { __groverSamples?: GroverSample[] };
      const samples: GroverSample[] = [];
      w.__groverSamples = samples;
      const byTestId = (id: string) => document.querySelector(`[data-testid="${id}"]`);
      const tick = () => {
        const sample = {
          status: byTestId('grover-status')?.getAttribute('data-status') ?? null,
          tokens: byTestId('grover-tokens')?.textContent?.length ?? 0,
          cards: document.querySelectorAll('[data-testid="program-card"]').length,
          points: Number(byTestId('score-chart')?.getAttribute('data-points') ?? 0),
        };
        const last = samples.at(-1);
        if (!last || last.status !== sample.status || last.tokens !== sample.tokens || last.cards !== sample.cards || last.points !== sample.points) {
          samples.push(sample);
        }
        if (sample.status !== 'done' && sample.status !== 'error' && sample.status !== 'cancelled') requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    await expect(this.status).toHaveAttribute('data-status', /^(done|error|cancelled)$/, { timeout: timeoutMs });
    await expect
      .poll(() => this.page.evaluate(() => (window as unknown as { __groverSamples: GroverSample[] }).__groverSamples.at(-1)?.status))
      .toMatch(/^(done|error|cancelled)$/);
    return this.page.evaluate(() => (window as unknown as { __groverSamples: GroverSample[] }).__groverSamples);
  }
}
