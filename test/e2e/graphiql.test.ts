import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, offlineContext } from '../helpers/browser.js';
import { neo4jEnv, startServe, stopChild } from '../helpers/cli.js';
import { testNeo4j } from '../helpers/graph.js';

/**
 * GraphiQL as a user opens it from `serve --demo`, on a machine with no internet: every request to
 * another origin is refused, so the page works only if the server hands it everything it needs.
 */

const neo4j = testNeo4j();
const work = mkdtempSync(join(tmpdir(), 'reachgraph-graphiql-'));
let server: { child: ChildProcess; url: string };
let browser: Browser;

beforeAll(async () => {
  server = await startServe(['--demo', '--port', '0'], neo4jEnv(neo4j), work);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  if (server) await stopChild(server.child);
  rmSync(work, { recursive: true, force: true });
});

describe('GraphiQL offline', () => {
  it('renders with the default query, requesting nothing beyond the server', async () => {
    const origin = new URL(server.url).origin;
    const { context, elsewhere } = await offlineContext(browser, origin);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(server.url, { waitUntil: 'load' });
    // The query editor shows the default query once GraphiQL's scripts have run.
    await page
      .locator('.monaco-editor .view-lines', { hasText: 'query BotsToProductionData' })
      .first()
      .waitFor({ timeout: 30_000 });
    expect(elsewhere).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
