/**
 * Tools a model may call while analysing a puzzle, each shown live as `analysis.tool`:
 * `run_program` runs a Python `transform` in the Grover sandbox on the training inputs and
 * reports how it did (the same confinement and the same global cap on sandbox processes as
 * Grover; a sandbox that cannot confine throws `sandbox:unconfined`, shown as the tool call's
 * error); `render_grid` draws a grid as a PNG through the Saturn worker.
 */
import { tool } from 'ai';
import { z } from 'zod';
import { gridSchema, type ArcTask } from '../../arc/task';
import { gradeRun } from '../grover/grade';
import { runProgram } from '../grover/sandbox';
import type { SaturnWorker } from '../saturn/bridge';

export interface AnalysisToolContext {
  task: ArcTask;
  signal: AbortSignal;
  /** Starts (once) the worker that draws images for this run. */
  worker(): Promise<SaturnWorker>;
}

export function analysisTools({ task, signal, worker }: AnalysisToolContext) {
  return {
    run_program: tool({
      description: 'Run a Python program `def transform(grid): ...` on every training input and report, per pair, whether its output is exactly right.',
      inputSchema: z.object({ code: z.string().min(1).max(20_000) }),
      execute: async ({ code }) => {
        const run = await runProgram({ code, inputs: task.train.map((pair) => pair.input), signal });
        const grade = gradeRun(run, task.train);
        return {
          score: grade.score,
          pairs: grade.pairs.map((pair, i) => ({ pair: i + 1, exact: pair.exact, accuracy: pair.accuracy, ...(pair.error ? { error: pair.error } : {}) })),
          ...(grade.error ? { error: grade.error } : {}),
        };
      },
    }),
    render_grid: tool({
      description: 'Draw a grid (a list of rows of colours 0-9) as an image; returns its URL.',
      inputSchema: z.object({ grid: gridSchema, label: z.string().max(120).default('Grid') }),
      execute: async ({ grid, label }) => {
        const urls: string[] = [];
        for await (const event of (await worker()).request({ phase: 'analysis', step: 0, message: `Rendering ${label}`, images: [{ kind: 'grid', label, grid }] })) {
          if (event.type === 'saturn.image') urls.push(event.data.url);
        }
        return { url: urls[0] ?? null };
      },
    }),
  };
}
