/** Page objects of puzzle analysis: the live page (/analysis/<task id>) and the saved analyses (/puzzles/<id>/analyses). */
import { expect, type Locator, type Page } from '@playwright/test';
import { chooseModel } from './model-picker';

export const FIELDS = ['patternDescription', 'solvingStrategy', 'hints', 'predictedOutput', 'confidence'] as const;
export type FieldName = (typeof FIELDS)[number];

/** What the pane shows at one instant, read in one go so the values agree with each other. */
export interface AnalysisSample {
  status: string | null;
  states: Record<FieldName, string | null>;
  /** Characters of the pattern description shown. */
  pattern: number;
  enrichments: Record<string, string | null>;
}

export class AnalysisPage {
  readonly start: Locator;
  readonly stop: Locator;
  readonly status: Locator;
  readonly pace: Locator;
  readonly toolCalls: Locator;
  readonly savedLink: Locator;

  constructor(readonly page: Page) {
    this.start = page.getByTestId('analysis-start');
    this.stop = page.getByTestId('analysis-stop');
    this.status = page.getByTestId('analysis-status');
    this.pace = page.getByTestId('analysis-pace');
    this.toolCalls = page.getByTestId('tool-call');
    this.savedLink = page.getByTestId('saved-analysis-link');
  }

  field(name: FieldName): Locator {
    return this.page.getByTestId(`field-${name}`);
  }

  enrichment(key: string): Locator {
    return this.page.getByTestId(`enrichment-${key}`);
  }

  async open(baseUrl: string, taskId: string): Promise<void> {
    await this.page.goto(`${baseUrl}/analysis/${encodeURIComponent(taskId)}`);
    await expect(this.page.getByTestId('model-select')).toBeEnabled();
  }

  async chooseModel(id: string): Promise<void> {
    await chooseModel(this.page, this.page.getByTestId('model-select'), id);
  }

  /** Chooses the model (and the engine's pace) and presses Start. */
  async analyse(options: { model: string; tokensPerSecond?: number }): Promise<void> {
    await this.chooseModel(options.model);
    if (options.tokensPerSecond !== undefined) await this.pace.fill(String(options.tokensPerSecond));
    await this.start.click();
  }

  async expectStatus(status: string, timeout?: number): Promise<void> {
    await expect(this.status).toHaveAttribute('data-status', status, { timeout });
  }

  /** The run id, from the link to the saved analysis shown once the run ends. */
  async savedRunId(): Promise<string> {
    const href = await this.savedLink.getAttribute('href');
    const runId = href?.split('/').at(-1);
    if (!runId) throw new Error(`no run id in ${href}`);
    return decodeURIComponent(runId);
  }

  /**
   * Starts recording what the pane shows on every animation frame, inside the page (sampling from
   * the test would take a round trip per sample and miss short states). Call before Start; the
   * recording stops when the run settles.
   */
  async startRecording(): Promise<void> {
    await this.page.evaluate((fields) => {
      const w = window as unknown as { __analysisSamples?: unknown[] };
      const samples: string[] = [];
      const parsed: unknown[] = [];
      w.__analysisSamples = parsed;
      const byTestId = (id: string) => document.querySelector(`[data-testid="${id}"]`);
      const tick = () => {
        const status = byTestId('analysis-status')?.getAttribute('data-status') ?? null;
        const sample = {
          status,
          states: Object.fromEntries(fields.map((f) => [f, byTestId(`field-${f}`)?.getAttribute('data-state') ?? null])),
          pattern: byTestId('field-patternDescription')?.querySelector('p')?.textContent?.length ?? 0,
          enrichments: Object.fromEntries(
            [...document.querySelectorAll('[data-testid^="enrichment-"]')].map((el) => [el.getAttribute('data-testid')!.slice('enrichment-'.length), el.getAttribute('data-status')]),
          ),
        };
        const key = JSON.stringify(sample);
        if (samples.at(-1) !== key) {
          samples.push(key);
          parsed.push(sample);
        }
        if (status !== 'done' && status !== 'error' && status !== 'cancelled') requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    }, FIELDS as readonly string[]);
  }

  /** Waits for the run to settle (at most `timeoutMs`); returns the recorded samples that differ from the one before, in order. */
  async recordedUntilSettled(timeoutMs = 30_000): Promise<AnalysisSample[]> {
    await expect(this.status).toHaveAttribute('data-status', /^(done|error|cancelled)$/, { timeout: timeoutMs });
    await expect
      .poll(() => this.page.evaluate(() => ((window as unknown as { __analysisSamples: AnalysisSample[] }).__analysisSamples.at(-1)?.status)))
      .toMatch(/^(done|error|cancelled)$/);
    return this.page.evaluate(() => (window as unknown as { __analysisSamples: AnalysisSample[] }).__analysisSamples);
  }
}

export class AnalysisHistoryPage {
  readonly rows: Locator;
  readonly compare: Locator;
  readonly columns: Locator;

  constructor(readonly page: Page) {
    this.rows = page.getByTestId('analysis-row');
    this.compare = page.getByTestId('compare-button');
    this.columns = page.getByTestId('compare-column');
  }

  async open(baseUrl: string, taskId: string): Promise<void> {
    await this.page.goto(`${baseUrl}/puzzles/${encodeURIComponent(taskId)}/analyses`);
  }

  row(runId: string): Locator {
    return this.page.locator(`[data-testid="analysis-row"][data-run-id="${runId}"]`);
  }

  async pick(runId: string): Promise<void> {
    await this.row(runId).getByTestId('analysis-pick').check();
  }
}
