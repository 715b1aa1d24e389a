/**
 * Where ARC tasks come from, and how they are listed and read. Tasks are `<id>.json` files in a
 * few directories, in this order (the first directory holding an id wins):
 *
 * 1. `lib/arc/tasks`, the tasks StreamConsole ships (source `shipped`);
 * 2. each directory of `ARC_DATA_DIR` (colon-separated), labelled with the directory's name;
 * 3. `../shared/arc/training` beside the checkout when it exists (source `arc-training`), a
 *    development convenience the app never depends on.
 *
 * The index (which ids live where) is read once and kept in memory; task files are read only when
 * a task or a listing page needs them, and what was read is cached. A file that is not valid JSON
 * or not a valid task is skipped in listings with a logged warning, and reading it by id throws a
 * {@link TaskFileError} naming the file and the problem.
 */
import 'server-only';
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { getConfig } from '@/lib/config';
import { AppError, isAppError } from '@/lib/errors';
import { taskIdSchema, taskSchema, type ArcTask, type ArcTaskData, type Grid } from './task';

/** A directory of `<id>.json` task files and the label its tasks carry. */
export interface TaskDirectory {
  dir: string;
  source: string;
}

/** What a listing shows of a task. */
export interface TaskSummary {
  id: string;
  source: string;
  trainCount: number;
  testCount: number;
  /** The first train input. */
  thumbnail: Grid;
  /** Rows and columns of the thumbnail. */
  size: [number, number];
}

export interface ListTasksParams {
  /** Case-insensitive substring of the id. */
  query?: string;
  /** Only tasks of this source. */
  source?: string;
  offset?: number;
  limit?: number;
}

export interface TaskList {
  tasks: TaskSummary[];
  /** Tasks matching the query and source, over all pages. */
  total: number;
}

/** A source and how many task files it holds. */
export interface TaskSource {
  source: string;
  count: number;
}

export interface TaskLoader {
  listTasks(params?: ListTasksParams): Promise<TaskList>;
  getTaskOrThrow(params: { id: string }): Promise<ArcTask>;
  listTaskSources(): TaskSource[];
  /** Forgets the index and every cached task (the next call reads the directories again). */
  reset(): void;
}

/** A task file that cannot be used: not JSON, or not a valid task. */
export class TaskFileError extends Error {
  readonly file: string;

  constructor(file: string, problem: string, options?: { cause?: unknown }) {
    super(`Invalid ARC task file ${file}: ${problem}`, options);
    this.name = 'TaskFileError';
    this.file = file;
  }
}

export const DEFAULT_LIST_LIMIT = 24;
export const MAX_LIST_LIMIT = 100;

interface Entry {
  id: string;
  source: string;
  file: string;
}

/**
 * The task directories for a checkout at `root`: the shipped tasks, `arcDataDir`'s entries, and
 * `../shared/arc/training` when present. Directories that do not exist are left out (with a
 * warning for `arcDataDir` entries); one reached twice is kept once; labels that would clash get
 * the parent directory's name in front (`ARC-AGI-2-training`).
 */
export function resolveTaskDirectories({ root, arcDataDir }: { root: string; arcDataDir?: string }): TaskDirectory[] {
  const candidates: { dir: string; source?: string; warnIfMissing: boolean }[] = [
    { dir: join(root, 'lib/arc/tasks'), source: 'shipped', warnIfMissing: true },
    ...(arcDataDir ?? '')
      .split(':')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => ({ dir: resolve(root, d), warnIfMissing: true })),
    { dir: resolve(root, '../shared/arc/training'), source: 'arc-training', warnIfMissing: false },
  ];
  const seen = new Set<string>();
  const labels = new Set<string>();
  const out: TaskDirectory[] = [];
  for (const candidate of candidates) {
    if (!isDirectory(candidate.dir)) {
      if (candidate.warnIfMissing) console.warn(`[arc] task directory ${candidate.dir} does not exist; skipped`);
      continue;
    }
    const real = realpathSync(candidate.dir);
    if (seen.has(real)) continue;
    seen.add(real);
    let source = candidate.source ?? basename(real);
    if (labels.has(source)) source = `${basename(dirname(real))}-${source}`;
    for (let n = 2; labels.has(source); n += 1) source = `${candidate.source ?? basename(real)}-${n}`;
    labels.add(source);
    out.push({ dir: candidate.dir, source });
  }
  return out;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Reads and validates one task file. Throws {@link TaskFileError} when it is unusable. */
export async function readTaskFile(file: string): Promise<ArcTaskData> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new TaskFileError(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new TaskFileError(file, `not valid JSON (${(error as Error).message})`, { cause: error });
  }
  const parsed = taskSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    const more = issues.length > 3 ? `; and ${issues.length - 3} more` : '';
    throw new TaskFileError(file, `${issues.slice(0, 3).join('; ')}${more}`, { cause: parsed.error });
  }
  return parsed.data;
}

/** A loader over fixed directories (tests make their own; the app uses the default one). */
export function createTaskLoader({ directories, maxCachedTasks = 2000 }: { directories: () => TaskDirectory[]; maxCachedTasks?: number }): TaskLoader {
  let index: { entries: Entry[]; byId: Map<string, Entry>; sources: TaskSource[] } | undefined;
  const tasks = new Map<string, Promise<ArcTask>>();
  const summaries = new Map<string, TaskSummary>();
  /** Ids whose files turned out unusable: left out of listings from then on. */
  const broken = new Set<string>();

  function getIndex() {
    if (index) return index;
    const entries: Entry[] = [];
    const byId = new Map<string, Entry>();
    const sources: TaskSource[] = [];
    for (const { dir, source } of directories()) {
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch (error) {
        console.warn(`[arc] cannot read task directory ${dir}:`, error);
        continue;
      }
      let n = 0;
      for (const name of names.sort()) {
        if (!name.endsWith('.json')) continue;
        const id = name.slice(0, -'.json'.length);
        if (!taskIdSchema.safeParse(id).success || byId.has(id)) continue;
        const entry = { id, source, file: join(dir, name) };
        entries.push(entry);
        byId.set(id, entry);
        n += 1;
      }
      sources.push({ source, count: n });
    }
    index = { entries, byId, sources };
    return index;
  }

  function loadTask(entry: Entry): Promise<ArcTask> {
    let pending = tasks.get(entry.id);
    if (!pending) {
      pending = readTaskFile(entry.file).then((data) => ({ id: entry.id, source: entry.source, ...data }));
      pending.catch(() => tasks.delete(entry.id));
      if (tasks.size >= maxCachedTasks) tasks.delete(tasks.keys().next().value!);
      tasks.set(entry.id, pending);
    }
    return pending;
  }

  async function summaryOf(entry: Entry): Promise<TaskSummary | undefined> {
    const cached = summaries.get(entry.id);
    if (cached) return cached;
    try {
      const task = await loadTask(entry);
      const thumbnail = task.train[0]!.input;
      const summary: TaskSummary = {
        id: task.id,
        source: task.source,
        trainCount: task.train.length,
        testCount: task.test.length,
        thumbnail,
        size: [thumbnail.length, thumbnail[0]!.length],
      };
      summaries.set(entry.id, summary);
      return summary;
    } catch (error) {
      broken.add(entry.id);
      console.warn(`[arc] skipping task ${entry.id}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  return {
    async listTasks({ query, source, offset = 0, limit = DEFAULT_LIST_LIMIT } = {}) {
      const needle = query?.trim().toLowerCase() ?? '';
      const matching = getIndex().entries.filter(
        (e) => !broken.has(e.id) && (!source || e.source === source) && (!needle || e.id.toLowerCase().includes(needle)),
      );
      const start = Math.max(0, offset);
      const size = Math.max(0, limit);
      const page: TaskSummary[] = [];
      let skipped = 0;
      // Fill the page, reading further on when a file on it turns out broken.
      for (let i = start; i < matching.length && page.length < size; i += 1) {
        const summary = await summaryOf(matching[i]!);
        if (summary) page.push(summary);
        else skipped += 1;
      }
      return { tasks: page, total: matching.length - skipped };
    },

    async getTaskOrThrow({ id }) {
      const parsedId = taskIdSchema.safeParse(id);
      if (!parsedId.success) {
        throw new AppError('bad_request:input', `Invalid task id: ${parsedId.error.issues[0]?.message ?? 'malformed'}`, {
          fieldErrors: [{ path: 'id', message: parsedId.error.issues[0]?.message ?? 'malformed' }],
        });
      }
      const entry = getIndex().byId.get(parsedId.data);
      if (!entry) throw new AppError('not_found:task', `No task with id ${parsedId.data}`);
      return loadTask(entry);
    },

    listTaskSources() {
      return getIndex().sources.map((s) => ({ ...s }));
    },

    reset() {
      index = undefined;
      tasks.clear();
      summaries.clear();
      broken.clear();
    },
  };
}

let defaultLoader: TaskLoader | undefined;

/** The app's loader: shipped tasks, `ARC_DATA_DIR`, and `../shared/arc/training` when present. */
function getTaskLoader(): TaskLoader {
  defaultLoader ??= createTaskLoader({
    directories: () => resolveTaskDirectories({ root: process.cwd(), arcDataDir: getConfig().ARC_DATA_DIR }),
  });
  return defaultLoader;
}

/** One page of task summaries, searched by id substring and filtered by source. */
export function listTasks(params?: ListTasksParams): Promise<TaskList> {
  return getTaskLoader().listTasks(params);
}

/** A task by id: 400 AppError when the id is malformed, 404 when no directory holds it. */
export function getTaskOrThrow(params: { id: string }): Promise<ArcTask> {
  return getTaskLoader().getTaskOrThrow(params);
}

/** Every source with its number of task files, in lookup order. */
export function listTaskSources(): TaskSource[] {
  return getTaskLoader().listTaskSources();
}


/**
 * The task a URL segment names, for pages: undefined for an unknown or malformed id (the page
 * answers 404). A task file that fails validation still throws its `TaskFileError`.
 */
export async function findTaskByParam(raw: string): Promise<ArcTask | undefined> {
  let id = raw;
  try {
    id = decodeURIComponent(raw);
  } catch {
    // Not percent-encoded after all: look it up as it is.
  }
  try {
    return await getTaskOrThrow({ id });
  } catch (error) {
    if (isAppError(error) && (error.code === 'not_found:task' || error.code === 'bad_request:input')) return undefined;
    throw error;
  }
}
