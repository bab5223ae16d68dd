import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInventory } from '../../src/graph/loader.js';
import { parseInventoryText } from '../../src/model/validate.js';
import { packageRoot } from '../../src/package-root.js';
import { chromiumExecutable } from '../helpers/chromium.js';
import { neo4jEnv, startServe, stopChild } from '../helpers/cli.js';
import { testExecutor, testNeo4j, wipe } from '../helpers/graph.js';

/**
 * The explorer as a reader opens it from `reachgraph serve --demo` on the sample inventory, in
 * headless Chromium with no internet: every request to another origin is refused and recorded.
 */

const executor = testExecutor();
const neo4j = testNeo4j();
const work = mkdtempSync(join(tmpdir(), 'reachgraph-explorer-'));
const artifacts = join(packageRoot(), 'test-artifacts', 'explorer');

let server: { child: ChildProcess; url: string };
let origin = '';
let browser: Browser;
let context: BrowserContext;
let page: Page;
const elsewhere: string[] = [];
const errors: string[] = [];

beforeAll(async () => {
  await wipe(executor);
  const text = readFileSync(join(packageRoot(), 'examples', 'sample-inventory.json'), 'utf8');
  await loadInventory(executor, parseInventoryText(text, 'sample'));
  server = await startServe(['--demo', '--port', '0'], neo4jEnv(neo4j), work);
  origin = new URL(server.url).origin;
  browser = await chromium.launch({ executablePath: chromiumExecutable(), args: ['--no-sandbox'] });
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin) return route.continue();
    elsewhere.push(url);
    return route.abort('internetdisconnected');
  });
  page = await context.newPage();
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    // CSP violations and failed requests are reported as console errors.
    if (message.type() === 'error') errors.push(message.text());
  });
  mkdirSync(artifacts, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  if (server) await stopChild(server.child);
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
    const box = page.getByRole('searchbox', { name: 'Search identities and resources' });
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
    await page.screenshot({ path: join(artifacts, 'search.png'), fullPage: true });
    expect(elsewhere).toEqual([]);
    expect(errors).toEqual([]);
  });
});
