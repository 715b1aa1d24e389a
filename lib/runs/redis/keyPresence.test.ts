import type { Redis } from 'ioredis';
import { describe, expect, test } from 'vitest';
import { idsWithAnyKey } from './keyPresence';

/** A pipeline that records the EXISTS it is given and answers with `answers`. */
function pipelineAnswering(answers: Array<[Error | null, unknown]> | null) {
  const asked: string[][] = [];
  const redis = {
    pipeline: () => ({
      exists(...keys: string[]) {
        asked.push(keys);
      },
      exec: async () => answers,
    }),
  } as unknown as Pick<Redis, 'pipeline'>;
  return { redis, asked };
}

const keysOf = (id: string) => [`${id}:lease`, `${id}:watched`];

describe('ids with any key', () => {
  test('asks one EXISTS per id with all its keys, and keeps the ids with a count above zero', async () => {
    const { redis, asked } = pipelineAnswering([
      [null, 2],
      [null, 0],
      [null, 1],
    ]);
    expect(await idsWithAnyKey(redis, ['a', 'b', 'c'], keysOf)).toEqual(new Set(['a', 'c']));
    expect(asked).toEqual([keysOf('a'), keysOf('b'), keysOf('c')]);
  });

  test('a command that failed fails the question instead of reading as no key', async () => {
    const { redis } = pipelineAnswering([
      [null, 1],
      [new Error('Command timed out'), null],
    ]);
    await expect(idsWithAnyKey(redis, ['a', 'b'], keysOf)).rejects.toThrow('Command timed out');
  });

  test('a pipeline that answered short fails the question', async () => {
    await expect(idsWithAnyKey(pipelineAnswering([[null, 1]]).redis, ['a', 'b'], keysOf)).rejects.toThrow('answered 1 of 2');
    await expect(idsWithAnyKey(pipelineAnswering(null).redis, ['a'], keysOf)).rejects.toThrow('answered 0 of 1');
  });
});
