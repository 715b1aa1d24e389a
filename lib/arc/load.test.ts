import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { AppError } from '@/lib/errors';
import { createTaskLoader, readTaskFile, resolveTaskDirectories, TaskFileError, type TaskDirectory } from './load';
import { taskSchema } from './task';

let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'arc-load-'));
  vi.spyOn(console, 'warn').mockImplementation(() => {});
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
  vi.restoreAllMocks();
});

const task = (n = 1) => ({
  train: Array.from({ length: n }, (_, i) => ({ input: [[i, 1], [2, 3]], output: [[3, 2], [1, i]] })),
  test: [{ input: [[4]], output: [[5]] }],
});

function writeTasks(dir: string, files: Record<string, unknown>): string {
  const path = join(root, dir);
  mkdirSync(path, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(path, name), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return path;
}

const loaderOf = (dirs: TaskDirectory[]) => createTaskLoader({ directories: () => dirs });

test('lists tasks of every directory in order, with summaries', async () => {
  const a = writeTasks('a', { 'b2.json': task(2), 'a1.json': task(3) });
  const b = writeTasks('b', { 'c3.json': task(1) });
  const { tasks, total } = await loaderOf([{ dir: a, source: 'shipped' }, { dir: b, source: 'extra' }]).listTasks();
  expect(total).toBe(3);
  expect(tasks.map((t) => `${t.source}/${t.id}`)).toEqual(['shipped/a1', 'shipped/b2', 'extra/c3']);
  expect(tasks[0]).toEqual({ id: 'a1', source: 'shipped', trainCount: 3, testCount: 1, thumbnail: [[0, 1], [2, 3]], size: [2, 2] });
});

test('searches ids by case-insensitive substring and filters by source', async () => {
  const a = writeTasks('a', { 'sc-flip-h.json': task(), 'sc-rotate.json': task() });
  const b = writeTasks('b', { 'FLIPPED.json': task(), 'other.json': task() });
  const loader = loaderOf([{ dir: a, source: 'shipped' }, { dir: b, source: 'extra' }]);
  expect((await loader.listTasks({ query: 'flip' })).tasks.map((t) => t.id)).toEqual(['sc-flip-h', 'FLIPPED']);
  expect((await loader.listTasks({ query: 'flip', source: 'extra' })).tasks.map((t) => t.id)).toEqual(['FLIPPED']);
  expect(await loader.listTasks({ source: 'nowhere' })).toEqual({ tasks: [], total: 0 });
});

test('pages with offset and limit and reports the total over all pages', async () => {
  const files = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`t${i}.json`, task()]));
  const loader = loaderOf([{ dir: writeTasks('a', files), source: 'shipped' }]);
  const page = await loader.listTasks({ offset: 5, limit: 4 });
  expect(page.total).toBe(7);
  expect(page.tasks.map((t) => t.id)).toEqual(['t5', 't6']);
  expect((await loader.listTasks({ offset: 20, limit: 4 })).tasks).toEqual([]);
});

test('the first directory holding an id wins', async () => {
  const a = writeTasks('a', { 'same.json': task(1) });
  const b = writeTasks('b', { 'same.json': task(4) });
  const loader = loaderOf([{ dir: a, source: 'shipped' }, { dir: b, source: 'extra' }]);
  const found = await loader.getTaskOrThrow({ id: 'same' });
  expect(found.source).toBe('shipped');
  expect(found.train).toHaveLength(1);
  expect((await loader.listTasks()).total).toBe(1);
});

test('gets a task by id with its source', async () => {
  const loader = loaderOf([{ dir: writeTasks('a', { 'x1.json': task(2) }), source: 'shipped' }]);
  expect(await loader.getTaskOrThrow({ id: 'x1' })).toEqual({ id: 'x1', source: 'shipped', ...task(2) });
});

test('an unknown id is a 404 AppError', async () => {
  const loader = loaderOf([{ dir: writeTasks('a', { 'x1.json': task() }), source: 'shipped' }]);
  const error = await loader.getTaskOrThrow({ id: 'nope' }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).status).toBe(404);
  expect((error as AppError).code).toBe('not_found:task');
});

test('a malformed id is a 400 AppError and reads no file', async () => {
  const loader = loaderOf([{ dir: writeTasks('a', { 'x1.json': task() }), source: 'shipped' }]);
  for (const id of ['../a/x1', 'x 1', '', 'a'.repeat(65)]) {
    const error = await loader.getTaskOrThrow({ id }).catch((e: unknown) => e);
    expect((error as AppError).status).toBe(400);
  }
});

test('a task file with a bad grid names the file and the zod issue', async () => {
  const bad = { train: [{ input: [[1, 2], [3]], output: [[1]] }], test: [{ input: [[1]] }] };
  const dir = writeTasks('a', { 'bad.json': bad });
  const error = await createTaskLoader({ directories: () => [{ dir, source: 'shipped' }] })
    .getTaskOrThrow({ id: 'bad' })
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(TaskFileError);
  expect((error as Error).message).toContain(join(dir, 'bad.json'));
  expect((error as Error).message).toContain('train.0.input');
  expect((error as Error).message).toContain('same length');
});

test('a task file that is not JSON says so', async () => {
  const dir = writeTasks('a', { 'junk.json': '{"train": [' });
  await expect(readTaskFile(join(dir, 'junk.json'))).rejects.toThrow(/junk\.json: not valid JSON/);
});

test('a colour out of range is reported with its path', async () => {
  const dir = writeTasks('a', { 'c.json': { train: [{ input: [[10]], output: [[1]] }], test: [{ input: [[1]] }] } });
  await expect(readTaskFile(join(dir, 'c.json'))).rejects.toThrow(/train\.0\.input\.0\.0/);
});

test('malformed files are skipped in listings with a warning', async () => {
  const warn = vi.mocked(console.warn);
  const dir = writeTasks('a', { 'a-good.json': task(), 'b-bad.json': '{', 'c-good.json': task(), 'd-good.json': task() });
  const loader = loaderOf([{ dir, source: 'shipped' }]);
  const first = await loader.listTasks({ limit: 3 });
  expect(first.tasks.map((t) => t.id)).toEqual(['a-good', 'c-good', 'd-good']);
  expect(first.total).toBe(3);
  expect(warn).toHaveBeenCalledWith(expect.stringContaining('b-bad.json'));
  expect((await loader.listTasks()).total).toBe(3);
});

test('test pairs without answers are accepted', async () => {
  const dir = writeTasks('a', { 'eval.json': { train: task().train, test: [{ input: [[1]] }] } });
  const found = await loaderOf([{ dir, source: 'evaluation' }]).getTaskOrThrow({ id: 'eval' });
  expect(found.test[0]!.output).toBeUndefined();
});

test('the index is cached until reset; task files are read lazily', async () => {
  const dir = writeTasks('a', { 'one.json': task() });
  const loader = loaderOf([{ dir, source: 'shipped' }]);
  expect((await loader.listTasks()).total).toBe(1);
  writeTasks('a', { 'two.json': task() });
  expect((await loader.listTasks()).total).toBe(1);
  loader.reset();
  expect((await loader.listTasks()).total).toBe(2);
  // A file written after indexing but before first read is read with its current content.
  writeTasks('a', { 'three.json': '{' });
  loader.reset();
  writeTasks('a', { 'three.json': task(4) });
  expect((await loader.getTaskOrThrow({ id: 'three' })).train).toHaveLength(4);
});

test('ignores files that are not json or whose names are not task ids', async () => {
  const dir = writeTasks('a', { 'ok.json': task(), 'README.md': '# hi', 'has space.json': task() });
  expect((await loaderOf([{ dir, source: 'shipped' }]).listTasks()).tasks.map((t) => t.id)).toEqual(['ok']);
});

test('lists sources with their task counts', () => {
  const a = writeTasks('a', { 'x.json': task(), 'y.json': task() });
  const b = writeTasks('b', { 'z.json': task() });
  expect(loaderOf([{ dir: a, source: 'shipped' }, { dir: b, source: 'b' }]).listTaskSources()).toEqual([
    { source: 'shipped', count: 2 },
    { source: 'b', count: 1 },
  ]);
});

test('resolves the shipped dir, ARC_DATA_DIR entries by basename, and ../shared/arc/training', () => {
  const repo = join(root, 'repo');
  writeTasks('repo/lib/arc/tasks', { 's.json': task() });
  const training = writeTasks('ARC/data/training', {});
  const evaluation = writeTasks('ARC/data/evaluation', {});
  const shared = writeTasks('shared/arc/training', {});
  expect(resolveTaskDirectories({ root: repo, arcDataDir: `${training}:${evaluation}` })).toEqual([
    { dir: join(repo, 'lib/arc/tasks'), source: 'shipped' },
    { dir: training, source: 'training' },
    { dir: evaluation, source: 'evaluation' },
    { dir: shared, source: 'arc-training' },
  ]);
});

test('resolving skips missing directories, keeps a directory once and tells clashing labels apart', () => {
  const repo = join(root, 'repo');
  writeTasks('repo/lib/arc/tasks', {});
  const one = writeTasks('ARC-1/training', {});
  const two = writeTasks('ARC-2/training', {});
  symlinkSync(one, join(root, 'link'));
  const dirs = resolveTaskDirectories({ root: repo, arcDataDir: `${one}:${join(root, 'missing')}:${join(root, 'link')}:${two}` });
  expect(dirs.map((d) => d.source)).toEqual(['shipped', 'training', 'ARC-2-training']);
  expect(console.warn).toHaveBeenCalledWith(expect.stringContaining('missing'));
});

test('every shipped task is valid, named as an sc- id, and has 3-4 train and 1-2 test pairs with answers', async () => {
  const dir = join(import.meta.dirname, 'tasks');
  const names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  expect(names.length).toBeGreaterThanOrEqual(24);
  for (const name of names) {
    expect(name).toMatch(/^sc-[a-z0-9-]+\.json$/);
    const data = taskSchema.parse(await readTaskFile(join(dir, name)));
    expect(data.train.length).toBeGreaterThanOrEqual(3);
    expect(data.train.length).toBeLessThanOrEqual(4);
    expect(data.test.length).toBeGreaterThanOrEqual(1);
    expect(data.test.length).toBeLessThanOrEqual(2);
    for (const pair of data.test) expect(pair.output).toBeDefined();
  }
});
