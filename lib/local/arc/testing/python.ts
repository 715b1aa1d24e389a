/**
 * Test helper: run rendered Python programs with the system `python3` (one process for a whole
 * batch) and collect each program's output per grid, null where the program raised.
 */
import { spawnSync } from 'node:child_process';
import type { Grid } from '../grid';

const RUNNER = `
import json, sys
jobs = json.load(sys.stdin)
results = []
for job in jobs:
    ns = {}
    outs = []
    try:
        exec(job['source'], ns)
    except Exception as e:
        results.append({'error': repr(e), 'outputs': [None for _ in job['grids']]})
        continue
    for grid in job['grids']:
        try:
            out = ns['transform'](json.loads(json.dumps(grid)))
            outs.append(out)
        except Exception:
            outs.append(None)
    results.append({'error': None, 'outputs': outs})
json.dump(results, sys.stdout)
`;

export function hasPython(): boolean {
  return spawnSync('python3', ['--version']).status === 0;
}

export interface PythonJob {
  source: string;
  grids: Grid[];
}

export interface PythonResult {
  error: string | null;
  outputs: (Grid | null)[];
}

export function runPythonJobs(jobs: PythonJob[]): PythonResult[] {
  const res = spawnSync('python3', ['-c', RUNNER], { input: JSON.stringify(jobs), maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`python3 failed: ${res.stderr}`);
  return JSON.parse(res.stdout) as PythonResult[];
}
