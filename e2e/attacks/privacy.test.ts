// Attack suite, saved runs (docs/security.md, "Saved runs and sharing"): a run and its saved
// result are its owner's. User B and a request with no session look for user A's analyses
// everywhere they used to be listed (the tasks API, the three /puzzles/:id/analyses pages, the
// `similar` enrichment of B's own analysis, GET /api/runs/:id) and find none. Sharing is explicit:
// A's share link opens the run for B and for no session until A revokes it, then it is a 404;
// B can neither make nor revoke a link of A's run.
import { beforeAll, describe, expect, inject, test } from 'vitest';
import type { EnvelopeOf, EventEnvelope } from '../../lib/protocol/envelope';
import { ANALYSIS_ANSWER } from '../fake-providers/scenarios';
import { anonymousSession } from '../harness/session';
import { readSse } from '../harness/sse';

const app = inject('appUrl');
const TASK = 'sc-flip-h';
/** Text only an analysis of A's shows: the fake provider's answer. */
const SECRET = ANALYSIS_ANSWER.patternDescription;

const NO_SESSION = { Cookie: '' };

async function analyse(cookie: string): Promise<{ runId: string; envelopes: EventEnvelope[] }> {
  const read = await readSse(`${app}/api/runs`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Cookie: cookie },
    body: JSON.stringify({ kind: 'analysis', input: { taskId: TASK, model: 'openai:analysis-json', tokensPerSecond: 0 } }),
  });
  expect(read.status).toBe(200);
  expect(read.envelopes.at(-1)?.type).toBe('analysis.complete');
  const runId = read.headers.get('x-run-id')!;
  // The result is saved just after the terminal envelope: wait until the owner's list has it done.
  await until(async () => {
    const body = (await (await fetch(`${app}/api/tasks/${TASK}/analyses`, { headers: { Cookie: cookie } })).json()) as { analyses: { runId: string; status: string }[] };
    return body.analyses.find((a) => a.runId === runId)?.status === 'done';
  }, `analysis ${runId} saved`);
  return { runId, envelopes: read.envelopes };
}

/** Polls `check` until it holds (hooks cannot use expect.poll); fails after 20 tries. */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 20; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100 * (i + 1)));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The run ids the `similar` enrichment of a run reported. */
function similarRunIds(envelopes: EventEnvelope[]): string[] {
  const similar = envelopes.find((e): e is EnvelopeOf<'analysis.enrichment_complete'> => e.type === 'analysis.enrichment_complete' && e.data.key === 'similar');
  expect(similar, 'the similar enrichment completed').toBeDefined();
  return ((similar!.data.data as { earlier?: { runId: string }[] } | undefined)?.earlier ?? []).map((e) => e.runId);
}

async function page(path: string, cookie: string): Promise<{ status: number; html: string }> {
  const response = await fetch(`${app}${path}`, { headers: { Cookie: cookie }, redirect: 'manual' });
  return { status: response.status, html: await response.text() };
}

function send(method: 'POST' | 'DELETE', path: string, cookie: string): Promise<Response> {
  return fetch(`${app}${path}`, { method, headers: { Cookie: cookie, Origin: app } });
}

let alice: string;
let bob: string;
let aliceRun: string;
let aliceSecondRun: string;
let aliceSecondEnvelopes: EventEnvelope[];

beforeAll(async () => {
  alice = await anonymousSession(app);
  bob = await anonymousSession(app);
  aliceRun = (await analyse(alice)).runId;
  ({ runId: aliceSecondRun, envelopes: aliceSecondEnvelopes } = await analyse(alice));
});

describe("nobody else sees A's analyses", () => {
  test('the owner lists their analyses in the tasks API (the baseline the other cases compare with)', async () => {
    const body = (await (await fetch(`${app}/api/tasks/${TASK}/analyses`, { headers: { Cookie: alice } })).json()) as { analyses: { runId: string }[] };
    expect(body.analyses.map((a) => a.runId)).toEqual(expect.arrayContaining([aliceRun, aliceSecondRun]));
  });

  for (const [who, cookie] of [
    ['another user', () => bob],
    ['a request with no session', () => ''],
  ] as const) {
    test(`${who} gets none of them from GET /api/tasks/:id/analyses`, async () => {
      const response = await fetch(`${app}/api/tasks/${TASK}/analyses`, { headers: { Cookie: cookie() } });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { analyses: { runId: string }[] };
      expect(body.analyses.map((a) => a.runId)).not.toContain(aliceRun);
      expect(body.analyses.map((a) => a.runId)).not.toContain(aliceSecondRun);
    });

    test(`${who} sees none of them on the history page`, async () => {
      const { status, html } = await page(`/puzzles/${TASK}/analyses`, cookie());
      expect(status).toBe(200);
      expect(html).not.toContain(aliceRun);
      expect(html).not.toContain(aliceSecondRun);
    });

    test(`${who} gets a 404 for one of them on its own page`, async () => {
      const { status, html } = await page(`/puzzles/${TASK}/analyses/${aliceRun}`, cookie());
      expect(status).toBe(404);
      expect(html).not.toContain(SECRET);
    });

    test(`${who} sees neither in the comparison`, async () => {
      const { status, html } = await page(`/puzzles/${TASK}/analyses/compare?a=${aliceRun}&b=${aliceSecondRun}`, cookie());
      expect(status).toBe(200);
      expect(html).not.toContain('data-testid="compare-column"');
      expect(html.match(/data-testid="compare-missing"/g)).toHaveLength(2);
      expect(html).not.toContain(SECRET);
    });

    test(`${who} gets a 404 from GET /api/runs/:id`, async () => {
      const response = await fetch(`${app}/api/runs/${aliceRun}`, { headers: { Cookie: cookie() } });
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain(SECRET);
    });
  }

  test('the owner sees them on the history, analysis and comparison pages', async () => {
    expect((await page(`/puzzles/${TASK}/analyses`, alice)).html).toContain(aliceRun);
    expect((await page(`/puzzles/${TASK}/analyses/${aliceRun}`, alice)).html).toContain(SECRET);
    expect((await page(`/puzzles/${TASK}/analyses/compare?a=${aliceRun}&b=${aliceSecondRun}`, alice)).html.match(/data-testid="compare-column"/g)).toHaveLength(2);
  });

  test("the similar enrichment of the owner's next analysis lists their earlier one", () => {
    expect(similarRunIds(aliceSecondEnvelopes)).toContain(aliceRun);
  });

  test("the similar enrichment of another user's analysis of the same puzzle lists none of A's", async () => {
    const { envelopes } = await analyse(bob);
    const earlier = similarRunIds(envelopes);
    expect(earlier).not.toContain(aliceRun);
    expect(earlier).not.toContain(aliceSecondRun);
  });
});

describe('share links', () => {
  async function shareAs(cookie: string, runId: string): Promise<Response> {
    return send('POST', `/api/runs/${runId}/share`, cookie);
  }

  test('the owner makes a link with an unguessable token', async () => {
    const response = await shareAs(alice, aliceRun);
    expect(response.status).toBe(201);
    const { token, url } = (await response.json()) as { token: string; url: string };
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new URL(url).pathname).toBe(`/s/${token}`);
  });

  test('the link opens the run for another user and for no session, until the owner revokes it', async () => {
    const { token } = (await (await shareAs(alice, aliceRun)).json()) as { token: string };

    for (const cookie of [bob, '']) {
      const api = await fetch(`${app}/api/shared/${token}`, { headers: { Cookie: cookie } });
      expect(api.status).toBe(200);
      const shared = (await api.json()) as { kind: string; input: { taskId: string }; result: unknown };
      expect(shared).toMatchObject({ kind: 'analysis', input: { taskId: TASK } });
      expect(JSON.stringify(shared.result)).toContain(SECRET);
      const { status, html } = await page(`/s/${token}`, cookie);
      expect(status).toBe(200);
      expect(html).toContain(SECRET);
    }

    const revoked = await send('DELETE', `/api/runs/${aliceRun}/share`, alice);
    expect(revoked.status).toBe(200);
    expect(((await revoked.json()) as { revoked: number }).revoked).toBeGreaterThanOrEqual(1);

    for (const cookie of [bob, '', alice]) {
      const api = await fetch(`${app}/api/shared/${token}`, { headers: { Cookie: cookie } });
      expect(api.status).toBe(404);
      expect(((await api.json()) as { error: { code: string } }).error.code).toBe('not_found:share');
      const { status, html } = await page(`/s/${token}`, cookie);
      expect(status).toBe(404);
      expect(html).not.toContain(SECRET);
    }
  });

  test("the link opens that run only: A's other analyses stay private", async () => {
    const { token } = (await (await shareAs(alice, aliceRun)).json()) as { token: string };
    expect((await fetch(`${app}/api/shared/${token}`, { headers: NO_SESSION })).status).toBe(200);
    expect((await fetch(`${app}/api/runs/${aliceSecondRun}`, { headers: { Cookie: bob } })).status).toBe(404);
    expect((await page(`/puzzles/${TASK}/analyses`, bob)).html).not.toContain(aliceRun);
  });

  test("another user cannot make a link of A's run: 404, as if it did not exist", async () => {
    const response = await shareAs(bob, aliceRun);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('not_found:run');
  });

  test('a request with no session cannot make a link either', async () => {
    expect((await shareAs('', aliceRun)).status).toBe(404);
  });

  test("another user cannot revoke A's link, which keeps working", async () => {
    const { token } = (await (await shareAs(alice, aliceRun)).json()) as { token: string };

    expect((await send('DELETE', `/api/runs/${aliceRun}/share`, bob)).status).toBe(404);
    expect((await send('DELETE', `/api/runs/${aliceRun}/share`, '')).status).toBe(404);

    expect((await fetch(`${app}/api/shared/${token}`, { headers: NO_SESSION })).status).toBe(200);
  });

  test('a made-up token, of the right shape or not, is a 404', async () => {
    for (const token of ['A'.repeat(43), 'nope', '..%2F..%2Fapi%2Fruns']) {
      expect((await fetch(`${app}/api/shared/${token}`)).status).toBe(404);
      expect((await page(`/s/${token}`, '')).status).toBe(404);
    }
  });
});

describe('a shared steer', () => {
  const steerInput = {
    prompt: 'The ship',
    model: 'neuronpedia:gpt2-small',
    source: '6-res-jb',
    maxTokens: 3,
    temperature: 0.5,
    seed: 16,
    method: 'ORTHOGONAL_DECOMP',
    strengthMultiplier: 2,
    features: [{ index: 42, strength: 10 }],
  };
  let token: string;

  beforeAll(async () => {
    const read = await readSse(`${app}/api/runs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: alice },
      body: JSON.stringify({ kind: 'steer', input: steerInput }),
    });
    expect(read.status).toBe(200);
    const runId = read.headers.get('x-run-id')!;
    ({ token } = (await (await send('POST', `/api/runs/${runId}/share`, alice)).json()) as { token: string });
    // The result is saved just after the terminal envelope; the shared run says when.
    await until(async () => ((await (await fetch(`${app}/api/shared/${token}`)).json()) as { status: string }).status === 'done', 'the shared steer saved');
  });

  test('reads back, with no session, with its settings and both texts', async () => {
    const shared = (await (await fetch(`${app}/api/shared/${token}`)).json()) as {
      kind: string;
      input: typeof steerInput;
      result: { steer: Record<'default' | 'steered', { text: string }> };
      page: string;
    };
    expect(shared.kind).toBe('steer');
    expect(shared.input).toMatchObject(steerInput);
    expect(shared.result.steer.default.text).toBe(' the sea was');
    expect(shared.result.steer.steered.text).toBe(' steered-the steered-sea steered-was');
    expect(shared.page).toBe(`/steer?share=${token}`);
  });

  test('its link leads to the /steer page', async () => {
    const response = await fetch(`${app}/s/${token}`, { redirect: 'manual' });
    expect(response.status).toBeGreaterThanOrEqual(300);
    expect(response.status).toBeLessThan(400);
    expect(new URL(response.headers.get('location')!, app).pathname + new URL(response.headers.get('location')!, app).search).toBe(`/steer?share=${token}`);
  });

  test('the /steer page opens it with its prompt and its default and steered text, for no session', async () => {
    const { status, html } = await page(`/steer?share=${token}`, '');
    expect(status).toBe(200);
    expect(html).toContain('data-testid="steer-shared-note"');
    expect(html).toContain('The ship</textarea>');
    expect(html).toContain('steered-sea');
  });
});
