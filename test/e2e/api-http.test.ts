import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInventory } from '../../src/graph/loader.js';
import { parseInventoryText } from '../../src/model/validate.js';
import { neo4jEnv, runCli, startServe, stopChild } from '../helpers/cli.js';
import { testExecutor, testNeo4j, wipe } from '../helpers/graph.js';

// biome-ignore lint/suspicious/noExplicitAny: GraphQL answers are untyped JSON; the assertions check their shape.
type Json = any;

const executor = testExecutor();
const neo4j = testNeo4j();
const work = mkdtempSync(join(tmpdir(), 'reachgraph-api-http-'));

const env = (extra: Record<string, string> = {}) => neo4jEnv(neo4j, extra);
const serve = (args: string[], extraEnv: Record<string, string>) => startServe(args, env(extraEnv), work);
const stop = stopChild;

let token = '';
let tokensEnv = '';
let server: { child: ChildProcess; url: string };

beforeAll(async () => {
  await wipe(executor);
  const text = readFileSync(new URL('../../examples/sample-inventory.json', import.meta.url), 'utf8');
  await loadInventory(executor, parseInventoryText(text, 'sample'));
  const created = await runCli(['token', 'create', '--name', 'e2e', '--json'], env(), work);
  expect(created.code).toBe(0);
  const parsed = JSON.parse(created.stdout);
  token = parsed.token;
  tokensEnv = `${parsed.name}:${parsed.sha256}`;
  server = await serve(['--port', '0'], { REACHGRAPH_API_TOKENS: tokensEnv });
});

afterAll(async () => {
  if (server) await stop(server.child);
  await executor.close();
  rmSync(work, { recursive: true, force: true });
});

const graphql = (query: string, headers: Record<string, string> = {}) =>
  fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });

describe('reachgraph serve over HTTP', () => {
  it('prints the token once and only its hash goes into the configuration', () => {
    expect(token).toMatch(/^rg_/);
    expect(tokensEnv).not.toContain(token);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
  });

  it('refuses requests without the token and answers the question with it', async () => {
    expect((await graphql('{ __typename }')).status).toBe(401);
    expect((await graphql('{ __typename }', { authorization: 'Bearer rg_wrong' })).status).toBe(401);
    const response = await graphql(
      '{ paths(from: {nonHuman: true}, to: {environment: PRODUCTION}, maxHops: 6, first: 50) { edges { node { from { name } to { name } length } } } }',
      { authorization: `Bearer ${token}` },
    );
    expect(response.status).toBe(200);
    const body = await response.json();
    const rows = body.data.paths.edges.map((e: Json) => `${e.node.from.name} -> ${e.node.to.name}`);
    expect(rows).toContain('github acme/payments@main -> prod-orders');
    expect(rows).toContain('ci-deploy -> prod-payments-bucket');
    expect(rows).toHaveLength(12);
  });

  it('serves GraphiQL to a browser, health to probes, and metrics to token holders', async () => {
    const page = await fetch(server.url, { headers: { accept: 'text/html' } });
    expect(await page.text()).toContain('<title>reachgraph</title>');
    const health = await fetch(new URL('/healthz', server.url));
    expect(await health.json()).toEqual({ status: 'ok', neo4j: 'up' });
    expect((await fetch(new URL('/metrics', server.url))).status).toBe(401);
    const metrics = await fetch(new URL('/metrics', server.url), {
      headers: { authorization: `Bearer ${token}` },
    });
    const text = await metrics.text();
    expect(text).toMatch(/reachgraph_api_requests_total\{path="\/graphql",status="200"\} [1-9]/);
    expect(text).toContain('reachgraph_neo4j_query_duration_seconds_bucket');
  });

  it('refuses demo mode on a non-loopback address, and to serve without tokens', async () => {
    const demo = await runCli(['serve', '--demo', '--host', '0.0.0.0', '--port', '0'], env(), work, 60_000);
    expect(demo.code).not.toBe(0);
    expect(demo.stderr).toMatch(/only binds to a loopback address.*0\.0\.0\.0/);
    const open = await runCli(['serve', '--port', '0'], env(), work, 60_000);
    expect(open.code).not.toBe(0);
    expect(open.stderr).toMatch(/no API tokens configured/);
  });

  it('demo mode on loopback answers without a token', async () => {
    const demo = await serve(['--demo', '--port', '0'], {});
    try {
      const response = await fetch(demo.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ runs(last: 1) { status } }' }),
      });
      expect(await response.json()).toEqual({ data: { runs: [{ status: 'SUCCEEDED' }] } });
    } finally {
      expect(await stop(demo.child)).toBe(0);
    }
  });
});
