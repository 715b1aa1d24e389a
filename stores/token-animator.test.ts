/** Tests of the TokenAnimator with a fake requestAnimationFrame. */
import { expect, test } from 'vitest';
import { createTokenAnimator, type FrameScheduler } from './token-animator';

function fakeFrames() {
  let pending = new Map<number, () => void>();
  let next = 1;
  const scheduler: FrameScheduler = {
    request(callback) {
      const id = next++;
      pending.set(id, callback);
      return id;
    },
    cancel(handle) {
      pending.delete(handle as number);
    },
  };
  return {
    scheduler,
    get scheduled() {
      return pending.size;
    },
    /** Runs the callbacks scheduled before this frame, as the browser does. */
    frame() {
      const callbacks = [...pending.values()];
      pending = new Map();
      for (const callback of callbacks) callback();
    },
  };
}

function setup() {
  const frames = fakeFrames();
  const batches: string[][] = [];
  const animator = createTokenAnimator<string>({ flush: (batch) => batches.push(batch), scheduler: frames.scheduler });
  return { frames, batches, animator };
}

test('items pushed within one frame are flushed together on that frame', () => {
  const { frames, batches, animator } = setup();
  animator.push('a');
  animator.push('b');
  animator.push('c');

  expect(batches).toEqual([]);
  frames.frame();
  expect(batches).toEqual([['a', 'b', 'c']]);
});

test('only one frame is requested however many items arrive', () => {
  const { frames, animator } = setup();
  for (let i = 0; i < 100; i++) animator.push(String(i));

  expect(frames.scheduled).toBe(1);
});

test('each frame flushes only what arrived since the last one', () => {
  const { frames, batches, animator } = setup();
  animator.push('a');
  frames.frame();
  animator.push('b');
  frames.frame();

  expect(batches).toEqual([['a'], ['b']]);
});

test('a frame with nothing queued does not flush', () => {
  const { frames, batches, animator } = setup();
  frames.frame();

  expect(batches).toEqual([]);
  expect(frames.scheduled).toBe(0);
});

test('while paused items accumulate and no frame is requested', () => {
  const { frames, batches, animator } = setup();
  animator.pause();
  animator.push('a');
  animator.push('b');
  frames.frame();

  expect(batches).toEqual([]);
  expect(frames.scheduled).toBe(0);
  expect(animator.pending).toBe(2);
});

test('pausing cancels a frame already requested and loses nothing', () => {
  const { frames, batches, animator } = setup();
  animator.push('a');
  animator.pause();
  frames.frame();
  animator.push('b');

  expect(batches).toEqual([]);
  animator.resume();
  expect(batches).toEqual([['a', 'b']]);
});

test('resume flushes everything accumulated at once', () => {
  const { batches, animator } = setup();
  animator.pause();
  for (const item of ['x', 'y', 'z']) animator.push(item);
  animator.resume();

  expect(batches).toEqual([['x', 'y', 'z']]);
  expect(animator.paused).toBe(false);
});

test('after resume items are batched per frame again', () => {
  const { frames, batches, animator } = setup();
  animator.pause();
  animator.resume();
  animator.push('a');

  expect(batches).toEqual([]);
  frames.frame();
  expect(batches).toEqual([['a']]);
});

test('flushNow empties the queue synchronously and cancels the pending frame', () => {
  const { frames, batches, animator } = setup();
  animator.push('a');
  animator.flushNow();

  expect(batches).toEqual([['a']]);
  expect(frames.scheduled).toBe(0);
});

test('flushNow does nothing while paused', () => {
  const { batches, animator } = setup();
  animator.pause();
  animator.push('a');
  animator.flushNow();

  expect(batches).toEqual([]);
  expect(animator.pending).toBe(1);
});

test('clear drops queued items and the pending frame', () => {
  const { frames, batches, animator } = setup();
  animator.push('a');
  animator.clear();
  frames.frame();

  expect(batches).toEqual([]);
  expect(animator.pending).toBe(0);
});

test('without requestAnimationFrame a timer stands in', async () => {
  const batches: string[][] = [];
  const animator = createTokenAnimator<string>({ flush: (batch) => batches.push(batch) });
  animator.push('a');

  await expect.poll(() => batches).toEqual([['a']]);
});
