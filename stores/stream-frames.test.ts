/** Tests of the page's stream clock with fake animation frames at 60 Hz. */
import { expect, test } from 'vitest';
import { createStreamFrames } from './stream-frames';

function fakeScreen() {
  let pending = new Map<number, (time: number) => void>();
  let next = 1;
  let time = 0;
  return {
    requestFrame: (callback: (time: number) => void) => {
      const id = next++;
      pending.set(id, callback);
      return id;
    },
    cancelFrame: (handle: unknown) => void pending.delete(handle as number),
    get requested() {
      return pending.size;
    },
    /** One 60 Hz frame: runs the callbacks requested before it, as the browser does. */
    frame() {
      time += 1000 / 60;
      const callbacks = [...pending.values()];
      pending = new Map();
      for (const callback of callbacks) callback(time);
    },
  };
}

function setup() {
  const screen = fakeScreen();
  const frames = createStreamFrames({ intervalMs: 50, requestFrame: screen.requestFrame, cancelFrame: screen.cancelFrame });
  return { screen, frames };
}

test('the first request runs on the next frame', () => {
  const { screen, frames } = setup();
  const ran: string[] = [];
  frames.request(() => ran.push('a'));
  screen.frame();
  expect(ran).toEqual(['a']);
});

test('after a tick, a request waits for the frame 50 ms on: every third frame at 60 Hz', () => {
  const { screen, frames } = setup();
  const ticks: number[] = [];
  let frameNo = 0;
  const ask = () => frames.request(() => ticks.push(frameNo));
  ask();
  for (frameNo = 1; frameNo <= 10; frameNo++) {
    screen.frame();
    if (ticks.at(-1) === frameNo) ask();
  }
  expect(ticks).toEqual([1, 4, 7, 10]);
});

test('requests from two stores run together on the same frame, in the order they were made', () => {
  const { screen, frames } = setup();
  const ran: string[] = [];
  frames.request(() => ran.push('saturn'));
  frames.request(() => ran.push('grover'));
  screen.frame();
  expect(ran).toEqual(['saturn', 'grover']);
});

test('one animation frame is requested however many callbacks wait', () => {
  const { screen, frames } = setup();
  for (let i = 0; i < 10; i++) frames.request(() => undefined);
  expect(screen.requested).toBe(1);
});

test('a cancelled request does not run, and the last cancel gives the frame back', () => {
  const { screen, frames } = setup();
  const ran: string[] = [];
  const a = frames.request(() => ran.push('a'));
  const b = frames.request(() => ran.push('b'));
  frames.cancel(a);
  expect(screen.requested).toBe(1);
  frames.cancel(b);
  expect(screen.requested).toBe(0);
  screen.frame();
  expect(ran).toEqual([]);
});

test('a request made during a tick runs on a later tick, not in the same one', () => {
  const { screen, frames } = setup();
  const ran: string[] = [];
  frames.request(() => {
    ran.push('first');
    frames.request(() => ran.push('second'));
  });
  screen.frame();
  expect(ran).toEqual(['first']);
  screen.frame();
  screen.frame();
  expect(ran).toEqual(['first']);
  screen.frame();
  expect(ran).toEqual(['first', 'second']);
});
