import { afterAll, describe, expect, it } from 'vitest';
import {
  authenticate,
  bindAddress,
  checkAccessMode,
  hashToken,
  isLoopback,
  newToken,
} from '../../../src/api/auth.js';
import { startApiServer } from '../../../src/api/server.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { offlineApi, offlineApiOptions, post, TOKEN } from './helpers.js';

const api = offlineApi();
afterAll(() => api.executor.close());

describe('tokens', () => {
  it('are random, prefixed, and known to the server only by their SHA-256', () => {
    const a = newToken();
    const b = newToken();
    expect(a).toMatch(/^rg_[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(hashToken(a)).toMatch(/^[0-9a-f]{64}$/);
    const tokens = [
      { name: 'notebook', sha256: hashToken(a) },
      { name: 'portal', sha256: hashToken(b) },
    ];
    expect(authenticate(`Bearer ${b}`, tokens)).toBe('portal');
    expect(authenticate(`bearer ${a}`, tokens)).toBe('notebook');
    expect(authenticate(`Bearer ${a}x`, tokens)).toBeNull();
    expect(authenticate(`Basic ${a}`, tokens)).toBeNull();
    expect(authenticate(null, tokens)).toBeNull();
  });

  it('come from the configuration as name:hash pairs, from the environment too', () => {
    const hash = hashToken('x');
    const config = loadConfig({ env: { REACHGRAPH_API_TOKENS: `notebook:${hash}, portal:${hash}` } });
    expect(config.api.tokens).toEqual([
      { name: 'notebook', sha256: hash },
      { name: 'portal', sha256: hash },
    ]);
    expect(() => loadConfig({ env: { REACHGRAPH_API_TOKENS: 'notebook:rg_plaintext' } })).toThrow(
      /api\.tokens.*SHA-256/s,
    );
  });
});

describe('every request needs a bearer token', () => {
  it('answers 401 without a token or with a wrong one, and runs nothing', async () => {
    const none = await post(api, '{ __typename }', { token: null });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await none.json()).errors[0].message).toMatch(/missing bearer token/);
    const wrong = await post(api, '{ __typename }', { token: 'rg_guess' });
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).errors[0].message).toBe('invalid token');
  });

  it('answers with a configured token', async () => {
    const response = await post(api, '{ __typename }');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('protects /metrics but leaves /healthz open to probes, which reports Neo4j down here', async () => {
    expect((await api.yoga.fetch('http://localhost/metrics')).status).toBe(401);
    const metrics = await api.yoga.fetch('http://localhost/metrics', {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('reachgraph_api_requests_total{path="/graphql",status="401"}');
    const health = await api.yoga.fetch('http://localhost/healthz');
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ status: 'unavailable', neo4j: 'down' });
  });

  it('serves GraphiQL to a browser without a token (the page holds no data)', async () => {
    const page = await api.yoga.fetch('http://localhost/graphql', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>reachgraph</title>');
  });
});

describe('demo mode', () => {
  it('answers without a token', async () => {
    const demo = offlineApi({}, true);
    const response = await post(demo, '{ __typename }', { token: null });
    expect(response.status).toBe(200);
    await demo.executor.close();
  });

  it('is allowed on loopback only, and a server without tokens is refused outside it', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost'])
      expect(isLoopback(host)).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.5', 'example.com', '::ffff:10.0.0.1'])
      expect(isLoopback(host)).toBe(false);
    expect(() => checkAccessMode({ host: '127.0.0.1', demo: true, tokens: [] })).not.toThrow();
    expect(() => checkAccessMode({ host: '0.0.0.0', demo: true, tokens: [] })).toThrow(
      /only binds to a loopback address.*refusing to serve on 0\.0\.0\.0/,
    );
    expect(() => checkAccessMode({ host: '0.0.0.0', demo: false, tokens: [] })).toThrow(
      /no API tokens configured/,
    );
    expect(() =>
      checkAccessMode({ host: '0.0.0.0', demo: false, tokens: [{ name: 'a', sha256: hashToken('a') }] }),
    ).not.toThrow();
  });
});

describe('CORS', () => {
  it('is off unless origins are configured, then allows exactly those', async () => {
    const preflight = (target: ReturnType<typeof offlineApi>, origin: string) =>
      target.yoga.fetch('http://localhost/graphql', {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type',
        },
      });
    expect(
      (await preflight(api, 'https://portal.example')).headers.get('access-control-allow-origin'),
    ).toBeNull();
    const portal = offlineApi({ corsOrigins: ['https://portal.example'] });
    const allowed = await preflight(portal, 'https://portal.example');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://portal.example');
    expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    const other = await preflight(portal, 'https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).not.toBe('https://evil.example');
    await portal.executor.close();
  });

  it('binds a bracketed IPv6 address without its brackets, and refuses brackets around anything else', async () => {
    expect(bindAddress('[::1]')).toBe('::1');
    expect(bindAddress('::1')).toBe('::1');
    expect(bindAddress('127.0.0.1')).toBe('127.0.0.1');
    for (const host of ['[127.0.0.1]', '[localhost]', '[::1', '::1]'])
      expect(() => bindAddress(host)).toThrow(/brackets only enclose an IPv6 address/);
    expect(() => isLoopback('[::1')).toThrow(/brackets/);
    const api = await startApiServer({
      ...offlineApiOptions(),
      host: '[::1]',
      port: 0,
      demo: true,
    });
    try {
      expect(api.url).toMatch(/^http:\/\/\[::1\]:\d+\/graphql$/);
      const response = await fetch(api.url.replace('/graphql', '/graphql?query=%7B__typename%7D'));
      expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
    } finally {
      await api.close();
      await api.graph.executor.close();
    }
  });
});
