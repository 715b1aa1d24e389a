/**
 * Page object of the StreamConsole (/console/<task id>): the toolbar that drives both panes,
 * the Saturn pane on the left and the Grover pane on the right, as a user drives and reads them.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import { chooseModel } from './model-picker';

/** What both panes show at one instant, read in one go inside the page. */
export interface ConsoleSample {
  /** `performance.now()` in the page. */
  t: number;
  saturn: string | null;
  grover: string | null;
  /** Characters of Saturn's text over all phases. */
  saturnChars: number;
  /** Grover's text tokens so far. */
  groverTokens: number;
  images: number;
  steps: number;
}

/** A main-thread task the page's `longtask` observer saw. */
export interface LongTask {
  startTime: number;
  duration: number;
  name: string;
  attribution: string;
}

declare global {
  interface Window {
    __longTasks?: LongTask[];
    __consoleSamples?: ConsoleSample[];
    __maxFrameGap?: number;
    __readConsole?: () => ConsoleSample;
  }
}

export class StreamConsolePage {
  readonly startBoth: Locator;
  readonly stopBoth: Locator;
  readonly pause: Locator;
  readonly clearBoth: Locator;
  readonly saveMd: Locator;
  readonly saveJson: Locator;
  readonly puzzle: Locator;

  readonly saturnPane: Locator;
  readonly saturnModel: Locator;
  readonly saturnPace: Locator;
  readonly saturnStart: Locator;
  readonly saturnStop: Locator;
  readonly saturnClear: Locator;
  readonly saturnStatus: Locator;
  readonly saturnTokens: Locator;
  readonly saturnSteps: Locator;
  readonly saturnImages: Locator;
  readonly saturnOutcome: Locator;
  readonly imageDialog: Locator;
  readonly imageDialogImg: Locator;

  readonly groverPane: Locator;
  readonly groverModel: Locator;
  readonly groverPace: Locator;
  readonly groverStatus: Locator;
  readonly groverOutcome: Locator;

  constructor(readonly page: Page) {
    this.startBoth = page.getByTestId('console-start-both');
    this.stopBoth = page.getByTestId('console-stop-both');
    this.pause = page.getByTestId('console-pause');
    this.clearBoth = page.getByTestId('console-clear-both');
    this.saveMd = page.getByTestId('console-save-md');
    this.saveJson = page.getByTestId('console-save-json');
    this.puzzle = page.getByTestId('console-puzzle');

    this.saturnPane = page.getByTestId('saturn-pane');
    this.saturnModel = page.getByTestId('saturn-model-select');
    this.saturnPace = page.getByTestId('saturn-pace');
    this.saturnStart = page.getByTestId('saturn-start');
    this.saturnStop = page.getByTestId('saturn-stop');
    this.saturnClear = page.getByTestId('saturn-clear');
    this.saturnStatus = page.getByTestId('saturn-status');
    this.saturnTokens = page.getByTestId('saturn-tokens');
    this.saturnSteps = page.getByTestId('saturn-step');
    this.saturnImages = page.getByTestId('saturn-image');
    this.saturnOutcome = page.getByTestId('saturn-outcome');
    this.imageDialog = page.getByTestId('image-dialog');
    this.imageDialogImg = page.getByTestId('image-dialog-img');

    this.groverPane = page.getByTestId('grover-pane');
    this.groverModel = this.groverPane.getByTestId('model-select');
    this.groverPace = page.getByTestId('grover-pace');
    this.groverStatus = page.getByTestId('grover-status');
    this.groverOutcome = page.getByTestId('grover-outcome');
  }

  /**
   * Records every main-thread task over 50 ms from the first script on (call before `open`):
   * a `longtask` PerformanceObserver, and the longest gap between animation frames.
   */
  async watchLongTasks(): Promise<void> {
    await this.page.addInitScript(() => {
      const tasks: LongTask[] = [];
      window.__longTasks = tasks;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          const attribution = (entry as PerformanceEntry & { attribution?: { containerType?: string; containerName?: string; name?: string }[] }).attribution ?? [];
          tasks.push({
            startTime: entry.startTime,
            duration: entry.duration,
            name: entry.name,
            attribution: attribution.map((a) => [a.name, a.containerType, a.containerName].filter(Boolean).join(':')).join(', '),
          });
        }
      }).observe({ type: 'longtask', buffered: true });
    });
  }

  async open(baseUrl: string, taskId: string): Promise<void> {
    // One reader of both panes, installed in the page, for `sample()` and the per-frame recorder.
    await this.page.addInitScript(() => {
      const byTestId = (id: string) => document.querySelector(`[data-testid="${id}"]`);
      window.__readConsole = () => ({
        t: performance.now(),
        saturn: byTestId('saturn-status')?.getAttribute('data-status') ?? null,
        grover: byTestId('grover-status')?.getAttribute('data-status') ?? null,
        saturnChars: Number(byTestId('saturn-tokens')?.getAttribute('data-characters') ?? 0),
        groverTokens: Number((byTestId('grover-token-count')?.textContent ?? '0').replace(/\D/g, '') || 0),
        images: document.querySelectorAll('[data-testid="saturn-image"]').length,
        steps: document.querySelectorAll('[data-testid="saturn-step"]:not([data-state="pending"])').length,
      });
    });
    await this.page.goto(`${baseUrl}/console/${encodeURIComponent(taskId)}`);
    await expect(this.saturnModel).toBeEnabled();
    await expect(this.groverModel).toBeEnabled();
  }


  /** Chooses Saturn's model and pace. */
  async setUpSaturn(options: { model: string; tokensPerSecond?: number }): Promise<void> {
    await chooseModel(this.page, this.saturnModel, options.model);
    if (options.tokensPerSecond !== undefined) await this.saturnPace.fill(String(options.tokensPerSecond));
  }

  /** Chooses Grover's model and pace. */
  async setUpGrover(options: { model: string; tokensPerSecond?: number }): Promise<void> {
    await chooseModel(this.page, this.groverModel, options.model);
    if (options.tokensPerSecond !== undefined) await this.groverPace.fill(String(options.tokensPerSecond));
  }

  /** `performance.now()` in the page. */
  now(): Promise<number> {
    return this.page.evaluate(() => performance.now());
  }

  /** What both panes show now (after `open`). */
  sample(): Promise<ConsoleSample> {
    return this.page.evaluate(() => window.__readConsole!());
  }

  /**
   * Records what both panes show on every animation frame, inside the page, from now until both
   * have settled (done, error or cancelled); returns the samples that differ from the one before.
   * Also keeps the longest gap between two frames in `window.__maxFrameGap`.
   *
   * The wait for the end is a promise inside the page, not Playwright polling the page: each poll
   * is a task on the page's main thread, which the responsiveness test would count as the page's.
   */
  async recordUntilBothSettled(timeoutMs = 45_000): Promise<ConsoleSample[]> {
    const outcome = await this.page.evaluate(
      (timeoutMs) =>
        new Promise<{ samples: ConsoleSample[] } | { timedOut: ConsoleSample | undefined }>((resolve) => {
          const samples: ConsoleSample[] = [];
          window.__consoleSamples = samples;
          window.__maxFrameGap = 0;
          const settled = (s: string | null) => s === 'done' || s === 'error' || s === 'cancelled';
          const startedAt = performance.now();
          let last = startedAt;
          const tick = (now: number) => {
            window.__maxFrameGap = Math.max(window.__maxFrameGap ?? 0, now - last);
            last = now;
            const sample = window.__readConsole!();
            const prev = samples.at(-1);
            if (
              !prev ||
              prev.saturn !== sample.saturn ||
              prev.grover !== sample.grover ||
              prev.saturnChars !== sample.saturnChars ||
              prev.groverTokens !== sample.groverTokens ||
              prev.images !== sample.images ||
              prev.steps !== sample.steps
            ) {
              samples.push(sample);
            }
            if (settled(sample.saturn) && settled(sample.grover)) resolve({ samples });
            else if (now - startedAt > timeoutMs) resolve({ timedOut: samples.at(-1) });
            else requestAnimationFrame(tick);
          };
          requestAnimationFrame(tick);
        }),
      timeoutMs,
    );
    if ('timedOut' in outcome) {
      throw new Error(`the panes did not both settle within ${timeoutMs} ms; last seen: ${JSON.stringify(outcome.timedOut)}`);
    }
    return outcome.samples;
  }

  longTasks(): Promise<LongTask[]> {
    return this.page.evaluate(() => window.__longTasks ?? []);
  }

  maxFrameGap(): Promise<number> {
    return this.page.evaluate(() => window.__maxFrameGap ?? 0);
  }

  /** Reads a download started by clicking `button` as text. */
  async download(button: Locator): Promise<{ name: string; text: string }> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), button.click()]);
    const text = Buffer.concat(await (await download.createReadStream()).toArray()).toString('utf8');
    return { name: download.suggestedFilename(), text };
  }
}
