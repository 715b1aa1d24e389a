// HTTP integration: bad input is a 400 with field errors, and nothing a client sends crashes the server.
import { describe, expect, inject, test } from 'vitest';
import { appFetch } from '../harness/session';

const app = inject('appUrl');

function post(body: string, headers: Record<string, string> = { 'Content-Type': 'application/json' }) {
  return appFetch(`${app}/api/runs`, { method: 'POST', headers: { Accept: 'application/json', ...headers }, body });
}

describe('input validation', () => {
  test('a missing prompt is a 400 with a field error at input.prompt', async () => {
    const response = await post(JSON.stringify({ kind: 'chat', input: { model: 'openai:gpt-4.1-mini' } }));
    expect(response.status).toBe(400);
    const { error } = await response.json();
    expect(error.code).toBe('bad_request:input');
    expect(error.fieldErrors).toContainEqual(expect.objectContaining({ path: 'input.prompt' }));
  });

  test('a blank prompt is refused with a readable message', async () => {
    const response = await post(JSON.stringify({ kind: 'chat', input: { prompt: '   ', model: 'openai:x' } }));
    const { error } = await response.json();
    expect(error.fieldErrors).toContainEqual({ path: 'input.prompt', message: 'Write a prompt.' });
  });

  test('a model id without a provider is a field error at input.model', async () => {
    const response = await post(JSON.stringify({ kind: 'chat', input: { prompt: 'hi', model: 'gpt-4' } }));
    expect(response.status).toBe(400);
    expect((await response.json()).error.fieldErrors).toContainEqual(expect.objectContaining({ path: 'input.model' }));
  });

  test('an unknown provider is a 400 naming the providers there are', async () => {
    const response = await post(JSON.stringify({ kind: 'chat', input: { prompt: 'hi', model: 'acme:model' } }));
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toContain('openai, xai, openrouter');
  });

  test('an unknown run kind is a field error at kind', async () => {
    const response = await post(JSON.stringify({ kind: 'teleport', input: {} }));
    expect(response.status).toBe(400);
    expect((await response.json()).error.fieldErrors[0].path).toBe('kind');
  });

  test('a body that is not JSON is a 400', async () => {
    const response = await post('{"kind": "chat", ');
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe('bad_request:json');
  });

  test('a body sent as another media type is a 415', async () => {
    const response = await post('kind=chat', { 'Content-Type': 'application/x-www-form-urlencoded' });
    expect(response.status).toBe(415);
  });

  test('an oversized body is a 413', async () => {
    const response = await post(JSON.stringify({ kind: 'chat', input: { prompt: 'x'.repeat(200_000), model: 'openai:x' } }));
    expect(response.status).toBe(413);
  });

  test('a prompt holding SSE field syntax cannot add events to the stream', async () => {
    const hostile = 'hi\n\nid: 999\nevent: error\ndata: {"pwned":true}\n\n';
    const response = await appFetch(`${app}/api/runs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
      body: JSON.stringify({ kind: 'chat', input: { prompt: hostile, model: 'openai:unicode' } }),
    });
    const text = await response.text();
    const ids = [...text.matchAll(/^id: (.*)$/gm)].map((m) => m[1]);
    expect(ids).toEqual(ids.map((_, i) => String(i + 1)));
    expect(text).not.toMatch(/^event: error$/m);
  });

  test('the server still answers after all of the above', async () => {
    expect((await appFetch(`${app}/api/health`)).status).toBe(200);
  });
});

describe('cross-site and header protections', () => {
  test('a state-changing request from another origin is refused with 403', async () => {
    const response = await appFetch(`${app}/api/runs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', Origin: 'https://evil.example' },
      body: JSON.stringify({ kind: 'chat', input: { prompt: 'hi', model: 'openai:count-2' } }),
    });
    expect(response.status).toBe(403);
    expect((await response.json()).error.code).toBe('forbidden:origin');
  });

  test('pages carry a Content-Security-Policy and the other security headers', async () => {
    const response = await appFetch(`${app}/console`);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
  });
});
