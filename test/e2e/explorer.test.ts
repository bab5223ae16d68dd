import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  artifactsDir,
  type OfflineExplorer,
  openOfflineExplorer,
  seriousViolations,
} from '../helpers/browser.js';
import { neo4jEnv, runCli, startServe, stopChild } from '../helpers/cli.js';
import { loadSampleInventory, testExecutor, testNeo4j } from '../helpers/graph.js';

/**
 * The explorer as a reader opens it from `reachgraph serve --demo` on the sample inventory, in
 * headless Chromium with no internet: every request to another origin is refused and recorded.
 */

const executor = testExecutor();
const neo4j = testNeo4j();
const work = mkdtempSync(join(tmpdir(), 'reachgraph-explorer-'));
const artifacts = artifactsDir('explorer');

const CI_DEPLOY = 'arn:aws:iam::111111111111:user/ci-deploy';
const BUCKET = 'arn:aws:s3:::prod-payments-bucket';

let explorer: OfflineExplorer | undefined;
let server: OfflineExplorer['server'];
let origin = '';
let browser: Browser;
let page: Page;
let elsewhere: string[] = [];
let errors: string[] = [];

beforeAll(async () => {
  await loadSampleInventory(executor);
  explorer = await openOfflineExplorer(neo4jEnv(neo4j), work);
  ({ server, origin, browser, page, elsewhere, errors } = explorer);
});

afterAll(async () => {
  await explorer?.close();
  await executor.close();
  rmSync(work, { recursive: true, force: true });
});

describe('the explorer over HTTP', () => {
  it('serves the page for every address under /ui, with a strict content security policy', async () => {
    for (const path of ['/ui', '/ui/', '/ui/search?q=ci', '/ui/identity/arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fx']) {
      const response = await fetch(`${origin}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await response.text()).toContain('<rg-app>');
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    }
    const script = await fetch(`${origin}/ui/app.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const etag = script.headers.get('etag') ?? '';
    expect(etag).toMatch(/^".+"$/);
    expect((await fetch(`${origin}/ui/app.js`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect((await fetch(`${origin}/ui/app.css`)).headers.get('content-type')).toBe('text/css; charset=utf-8');
    // No path reaches outside the built files.
    const traversal = await fetch(`${origin}/ui/..%2F..%2Fpackage.json`);
    expect(await traversal.text()).toContain('<rg-app>');
    expect((await fetch(`${origin}/ui/app.js`, { method: 'POST' })).status).toBe(405);
  });
});

describe('the explorer in Chromium', () => {
  it('searches identities and resources by name and links to their pages', async () => {
    await page.goto(`${origin}/ui`, { waitUntil: 'load' });
    await page.getByRole('banner').waitFor();
    expect(await page.title()).toBe('Search · reachgraph');
    // The search page has its own box; the header's is for every other page.
    expect(await page.getByRole('searchbox', { name: 'Search identities and resources' }).count()).toBe(0);
    const box = page.getByRole('searchbox', { name: 'Name or id' });
    await box.fill('deploy');
    await box.press('Enter');
    await page.waitForURL(/\/ui\/search\?q=deploy$/);
    const identities = page.locator('rg-search-page table.identities tbody tr');
    await identities.first().waitFor();
    const names = await identities.locator('td.name').allTextContents();
    expect(names).toEqual(expect.arrayContaining(['ci-deploy', 'prod-deploy', 'github-actions-deploy']));
    for (const name of names) expect(name.toLowerCase()).toContain('deploy');
    const link = page.locator('rg-search-page table.identities a', { hasText: /^ci-deploy$/ });
    expect(await link.getAttribute('href')).toBe(
      `/ui/identity/${encodeURIComponent('arn:aws:iam::111111111111:user/ci-deploy')}`,
    );
    expect(await page.title()).toBe('Search: deploy · reachgraph');

    // A filter from the form: non-human identities of one provider; resources are not listed then.
    await page.getByLabel('Non-human identities only').check();
    await page.getByRole('button', { name: 'Search', exact: true }).last().click();
    await page.waitForURL(/nonHuman=true/);
    await page.locator('rg-search-page table.identities').waitFor();
    expect(await page.locator('rg-search-page table.resources').count()).toBe(0);

    // An exact id finds its node, here a resource whose name does not contain the id searched.
    await page.goto(`${origin}/ui/search?q=${encodeURIComponent('arn:aws:s3:::prod-payments-bucket')}`);
    const exact = page.locator('rg-search-page section[aria-labelledby="exact"] table.resources td.name');
    await exact.waitFor();
    expect(await exact.textContent()).toBe('prod-payments-bucket');

    // The indexed search finds an identity by its ARN and a resource by a tag its name does not hold.
    await page.goto(`${origin}/ui/search?q=${encodeURIComponent(CI_DEPLOY)}`);
    await page
      .locator('rg-search-page section[aria-labelledby="identities"] a', { hasText: /^ci-deploy$/ })
      .waitFor();
    await page.goto(`${origin}/ui/search?q=${encodeURIComponent('data=payments')}`);
    await page.locator('rg-search-page table.resources a', { hasText: /^prod-payments-bucket$/ }).waitFor();
    expect(await page.locator('rg-search-page table.identities a', { hasText: /^ci-deploy$/ }).count()).toBe(
      0,
    );
    await page.goto(`${origin}/ui/search?q=${encodeURIComponent('arn:aws:s3:::prod-payments-bucket')}`);
    await exact.waitFor();
    await page.screenshot({ path: join(artifacts, 'search.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
    expect(elsewhere).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("goes from the search to an identity, its blast radius, and one route with every hop's evidence", async () => {
    await page.goto(`${origin}/ui/search?q=ci-deploy`);
    await page.locator('rg-search-page table.identities a', { hasText: /^ci-deploy$/ }).click();
    await page.waitForURL(`${origin}/ui/identity/${encodeURIComponent(CI_DEPLOY)}`);
    const identity = page.locator('rg-identity-page');
    await identity.getByRole('heading', { level: 1, name: 'ci-deploy' }).waitFor();
    expect(await page.title()).toBe(`Identity ${CI_DEPLOY} · reachgraph`);

    // The blast radius, grouped by environment, with counts by environment, level and provider.
    const radius = identity.locator('table.radius');
    await radius.first().waitFor();
    expect(await identity.locator('h3', { hasText: /^production/ }).textContent()).toMatch(
      /production \(2\)/,
    );
    const reached = await radius.locator('td.name').allTextContents();
    expect(reached.sort()).toEqual(['prod-payments-bucket', 'prod/db-password', 'staging-assets']);
    // The counts come from reachableFromSummary: its total is the number of reachableFrom rows.
    const answer = (await (
      await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: `{ reachableFrom(identity: "${CI_DEPLOY}", first: 100) { edges { node { length } } pageInfo { hasNextPage } } }`,
        }),
      })
    ).json()) as { data: { reachableFrom: { edges: unknown[]; pageInfo: { hasNextPage: boolean } } } };
    expect(answer.data.reachableFrom.pageInfo.hasNextPage).toBe(false);
    const rows = answer.data.reachableFrom.edges.length;
    expect(rows).toBe(reached.length);
    expect(await identity.locator('p.total strong').textContent()).toBe(String(rows));
    const byEnvironment = identity.locator('table.counts', { hasText: 'By environment' });
    const production = byEnvironment.locator('tr', { hasText: 'production' });
    expect(await production.locator('td.number').textContent()).toBe('2');
    // A count drills down to the paged list narrowed to that value.
    await production.getByRole('link').click();
    await page.waitForURL(/environment=PRODUCTION/);
    await identity.locator('p', { hasText: 'Narrowed to' }).waitFor();
    expect(await identity.locator('p.total strong').textContent()).toBe('2');
    expect((await radius.locator('td.name').allTextContents()).sort()).toEqual([
      'prod-payments-bucket',
      'prod/db-password',
    ]);
    await page.goBack();
    await page.waitForURL(`${origin}/ui/identity/${encodeURIComponent(CI_DEPLOY)}`);
    await identity.locator('p.total strong', { hasText: String(rows) }).waitFor();
    // The credential with its age and last use.
    const key = identity.locator('section[aria-labelledby="credentials"] tbody tr', {
      hasText: 'AKIAEXAMPLECIDEPLOY01',
    });
    expect(await key.locator('td').allTextContents()).toEqual([
      'AKIAEXAMPLECIDEPLOY01',
      'AwsAccessKey',
      'active',
      '2025-02-03',
      '659',
      '2026-11-23',
    ]);
    await identity.locator('section[aria-labelledby="activity"] p').first().waitFor();
    await identity
      .locator('section[aria-labelledby="findings"] p, section[aria-labelledby="findings"] table')
      .first()
      .waitFor();
    await page.screenshot({ path: join(artifacts, 'identity.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);

    // The route to the bucket: drawn, then hop by hop with the evidence and the edge help.
    await radius.getByRole('link', { name: /: route from ci-deploy to prod-payments-bucket$/ }).click();
    await page.waitForURL(/\/ui\/path\?/);
    expect(new URL(page.url()).searchParams.get('from')).toBe(CI_DEPLOY);
    expect(new URL(page.url()).searchParams.get('to')).toBe(BUCKET);
    const path = page.locator('rg-path-page');
    const hops = path.locator('ol.hops > li');
    await hops.first().waitFor();
    expect(await hops.locator('.hop-title').allTextContents()).toEqual([
      expect.stringMatching(/ci-deploy\s+CAN_ASSUME\s+tooling-admin/),
      expect.stringMatching(/tooling-admin\s+CAN_ASSUME\s+prod-deploy/),
      expect.stringMatching(/prod-deploy\s+CAN_ACCESS\s+prod-payments-bucket/),
    ]);
    const first = hops.first();
    expect(await first.locator('ul.evidence').textContent()).toContain(
      'trust policy of tooling-admin allows user ci-deploy; its policy ci-deploy-assume allows sts:AssumeRole on it',
    );
    expect(await first.locator('ul.evidence').textContent()).toContain(
      'arn:aws:iam::111111111111:role/tooling-admin',
    );
    expect(await first.locator('dl.hop').textContent()).toMatch(/Conditions\s*none: holds unconditionally/);
    expect(await first.locator('dl.hop a[href^="https://attack.mitre.org/"]').count()).toBe(1);
    const help = first.locator('details.help');
    await help.locator('summary').click();
    expect(await help.locator('p', { hasText: 'Abuse.' }).isVisible()).toBe(true);
    expect(await help.locator('p', { hasText: 'Removal.' }).isVisible()).toBe(true);
    // The drawing: a canvas of the route's size, named for screen readers.
    const graph = path.locator('rg-path-graph[data-drawn]');
    await graph.waitFor();
    const picture = graph.locator('[role="img"]');
    expect(await picture.getAttribute('aria-label')).toBe(
      'Route: ci-deploy → tooling-admin → prod-deploy → prod-payments-bucket',
    );
    const canvas = await graph.locator('canvas').first().boundingBox();
    expect(canvas?.width).toBeGreaterThan(600);
    expect(canvas?.height).toBeGreaterThan(100);
    await page.screenshot({ path: join(artifacts, 'path.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);

    // A node of the drawing is a link to its page, like the names in the text.
    expect(await path.locator('h1 a').first().getAttribute('href')).toBe(
      `/ui/identity/${encodeURIComponent(CI_DEPLOY)}`,
    );
    // The header's quick search, from any page but the search page.
    const quick = page.getByRole('searchbox', { name: 'Search identities and resources' });
    await quick.fill('tooling');
    await quick.press('Enter');
    await page.waitForURL(/\/ui\/search\?q=tooling$/);
    await page.locator('rg-search-page table.identities a', { hasText: /^tooling-admin$/ }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    expect(elsewhere).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('draws the same pages in the dark theme, readable', async () => {
    const dark = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
    const darkPage = await dark.newPage();
    const darkErrors: string[] = [];
    darkPage.on('pageerror', (error) => darkErrors.push(error.message));
    await darkPage.goto(
      `${origin}/ui/path?from=${encodeURIComponent(CI_DEPLOY)}&to=${encodeURIComponent(BUCKET)}&theme=dark`,
    );
    await darkPage.locator('rg-path-graph[data-drawn]').waitFor();
    expect(await darkPage.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(await darkPage.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(
      'rgb(13, 17, 23)',
    );
    // The theme follows the reader's links.
    expect(await darkPage.locator('rg-path-page h1 a').first().getAttribute('href')).toBe(
      `/ui/identity/${encodeURIComponent(CI_DEPLOY)}?theme=dark`,
    );
    await darkPage.screenshot({ path: join(artifacts, 'path-dark.png'), fullPage: true });
    expect(await seriousViolations(darkPage)).toEqual([]);
    expect(darkErrors).toEqual([]);
    await dark.close();
  });
});

describe('the explorer on a server that wants a token', () => {
  it('asks for the token once, keeps it for the tab, and shows the answers', async () => {
    const created = await runCli(['token', 'create', '--name', 'explorer', '--json'], neo4jEnv(neo4j), work);
    expect(created.code).toBe(0);
    const { token, name, sha256 } = JSON.parse(created.stdout);
    const guarded = await startServe(
      ['--port', '0'],
      neo4jEnv(neo4j, { REACHGRAPH_API_TOKENS: `${name}:${sha256}` }),
      work,
    );
    try {
      const guardedOrigin = new URL(guarded.url).origin;
      // The page's files need no token; its data does.
      expect((await fetch(`${guardedOrigin}/ui/app.js`)).status).toBe(200);
      const tab = await browser.newContext();
      const tabPage = await tab.newPage();
      await tabPage.goto(`${guardedOrigin}/ui/search?q=ci-deploy`);
      const dialog = tabPage.getByRole('dialog', { name: 'API token' });
      await dialog.waitFor();
      expect(await tabPage.locator('rg-search-page .error').textContent()).toContain('needs a token');
      await dialog.getByLabel('Token').fill('rg_not-the-token');
      await dialog.getByRole('button', { name: 'Use token' }).click();
      await dialog.waitFor();
      expect(await dialog.getByRole('alert').textContent()).toContain('refused the token');
      await dialog.getByLabel('Token').fill(token);
      await dialog.getByRole('button', { name: 'Use token' }).click();
      await tabPage.locator('rg-search-page table.identities a', { hasText: /^ci-deploy$/ }).waitFor();
      expect(await tabPage.evaluate(() => sessionStorage.getItem('reachgraph.token'))).toBe(token);
      // The next page uses it without asking.
      await tabPage.locator('rg-search-page table.identities a', { hasText: /^ci-deploy$/ }).click();
      await tabPage.locator('rg-identity-page table.radius').first().waitFor();
      expect(await dialog.isVisible()).toBe(false);
      await tab.close();
    } finally {
      await stopChild(guarded.child);
    }
  });
});
