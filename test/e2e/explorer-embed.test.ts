import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Frame } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/api/auth.js';
import { type RunningApi, startApiServer } from '../../src/api/server.js';
import { ApiConfigSchema } from '../../src/config/api.js';
import { artifactsDir, launchChromium, seriousViolations } from '../helpers/browser.js';
import { loadSampleInventory, testExecutor } from '../helpers/graph.js';

/**
 * The explorer in a portal (docs/portals.md), in headless Chromium: a "portal" server on another
 * loopback port frames /ui/embed pages of two API servers, one whose api.frameAncestors lists the
 * portal's origin and one with the default (deny), and shows the portal elements with a token scoped
 * to one AWS account. Screenshots go to test-artifacts/explorer-embed/ (git-ignored).
 */

const executor = testExecutor();
const artifacts = artifactsDir('explorer-embed');
const FULL = 'rg_embed_full';
const SCOPED = 'rg_embed_account_b';
const B = '222222222222';
const prodDeploy = `arn:aws:iam::${B}:role/prod-deploy`;
const ciDeploy = 'arn:aws:iam::111111111111:user/ci-deploy';
const bucket = 'arn:aws:s3:::prod-payments-bucket';

let portal: Server;
let portalOrigin = '';
let allowing: RunningApi;
let denying: RunningApi;
let browser: Browser;
const origin = (api: RunningApi) => new URL(api.url).origin;

/** The portal's pages: one framing a URL, one with the elements (their script from an API server). */
function portalPage(url: URL): string {
  const api = url.searchParams.get('api') ?? '';
  if (url.pathname === '/frame')
    return `<!doctype html><html lang="en"><head><title>Portal</title></head><body><main>
      <h1>Service page</h1>
      <iframe title="reachgraph" src="${url.searchParams.get('src')}" style="width:100%;height:640px;border:0"></iframe>
      </main></body></html>`;
  return `<!doctype html><html lang="en"><head><title>Portal</title>
    <script type="module" src="${api}/ui/elements.js"></script></head><body><main>
    <h1>Payments service</h1>
    <reachgraph-blast-radius id="blast" api="${api}" token="${url.searchParams.get('token')}" identity="${url.searchParams.get('identity')}"></reachgraph-blast-radius>
    <reachgraph-who-can-reach id="who" api="${api}" token="${url.searchParams.get('token')}" resource="${url.searchParams.get('resource')}" theme="dark"></reachgraph-who-can-reach>
    </main></body></html>`;
}

async function apiServer(allow: boolean): Promise<RunningApi> {
  return startApiServer({
    executor,
    host: '127.0.0.1',
    port: 0,
    config: ApiConfigSchema.parse({
      tokens: [
        { name: 'full', sha256: hashToken(FULL) },
        { name: 'account-b', sha256: hashToken(SCOPED), scope: { accounts: [B] } },
      ],
      ...(allow ? { frameAncestors: [portalOrigin], corsOrigins: [portalOrigin] } : {}),
    }),
  });
}

beforeAll(async () => {
  await loadSampleInventory(executor);
  portal = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://portal');
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(portalPage(url));
  });
  await new Promise<void>((resolve) => portal.listen(0, '127.0.0.1', resolve));
  // Another port is another origin (https://html.spec.whatwg.org/multipage/browsers.html#same-origin).
  portalOrigin = `http://127.0.0.1:${(portal.address() as AddressInfo).port}`;
  allowing = await apiServer(true);
  denying = await apiServer(false);
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await allowing?.close();
  await denying?.close();
  await new Promise((resolve) => portal?.close(resolve));
  await executor.close();
});

describe('embed mode in a frame of another origin', () => {
  it('shows the page without the explorer chrome where api.frameAncestors lists the portal', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
    const src = `${origin(allowing)}/ui/embed/search?q=deploy&theme=dark#token=${FULL}`;
    const response = await fetch(src);
    expect(response.headers.get('content-security-policy')).toContain(`frame-ancestors ${portalOrigin}`);
    expect(response.headers.get('x-frame-options')).toBeNull();
    await page.goto(`${portalOrigin}/frame?src=${encodeURIComponent(src)}`);
    const frame = page.frameLocator('iframe[title="reachgraph"]');
    const names = frame.locator('rg-search-page table.identities td.name');
    await names.first().waitFor({ timeout: 60_000 });
    expect(await names.allTextContents()).toEqual(expect.arrayContaining(['ci-deploy', 'prod-deploy']));
    // No header or navigation, the theme from the query, the token taken out of the address.
    expect(await frame.locator('header.rg-header, nav').count()).toBe(0);
    expect(await frame.locator('main.rg-embed').count()).toBe(1);
    const inner = page.frames().find((f) => f.url().startsWith(origin(allowing))) as Frame;
    expect(await inner.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(inner.url()).not.toContain('token=');
    expect(await seriousViolations(inner)).toEqual([]);
    await page.screenshot({ path: join(artifacts, 'embed-allowed.png'), fullPage: true });
    await page.close();
  });

  it('is blocked by the browser where the list is empty (the default)', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
    const refused: string[] = [];
    page.on('console', (message) => {
      if (/frame-ancestors/.test(message.text())) refused.push(message.text());
    });
    const src = `${origin(denying)}/ui/embed/search?q=deploy#token=${FULL}`;
    const response = await fetch(src);
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    await page.goto(`${portalOrigin}/frame?src=${encodeURIComponent(src)}`);
    await page.waitForLoadState('load');
    await expect.poll(() => refused.length, { timeout: 30_000 }).toBeGreaterThan(0);
    // The frame holds Chromium's error page, not the explorer.
    const inner = page.frames().find((f) => f !== page.mainFrame());
    expect(inner).toBeDefined();
    expect(await inner?.locator('rg-app').count()).toBe(0);
    await page.screenshot({ path: join(artifacts, 'embed-denied.png'), fullPage: true });
    await page.close();
  });
});

describe('the portal elements with a scoped token', () => {
  it('show the blast radius and who can reach, inside the token’s scope only', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    const query = new URLSearchParams({
      api: origin(allowing),
      token: SCOPED,
      identity: prodDeploy,
      resource: bucket,
    });
    await page.goto(`${portalOrigin}/elements?${query}`);
    const blast = page.locator('#blast table tbody th');
    await blast
      .first()
      .waitFor({ timeout: 90_000 })
      .catch(async (error) => {
        const shown = await page
          .locator('#blast')
          .evaluate((e) => e.shadowRoot?.textContent ?? '(not upgraded)');
        throw new Error(`${error.message}\nthe element shows: ${shown}\npage errors: ${errors.join('\n')}`);
      });
    expect((await blast.allTextContents()).join('\n')).toContain('prod-payments-bucket');
    const who = page.locator('#who table tbody th');
    await who.first().waitFor({ timeout: 60_000 });
    const identities = (await who.allTextContents()).join('\n');
    expect(identities).toContain('prod-deploy');
    // ci-deploy (account 111111111111) reaches the bucket, as the full token's answer says, but lies
    // outside the token's scope.
    const full = await fetch(`${origin(allowing)}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${FULL}` },
      body: JSON.stringify({
        query: 'query($r: ID!) { whoCanReach(resource: $r, first: 50) { edges { node { from { id } } } } }',
        variables: { r: bucket },
      }),
    });
    const everyone = (
      (await full.json()) as { data: { whoCanReach: { edges: { node: { from: { id: string } } }[] } } }
    ).data.whoCanReach.edges.map((e) => e.node.from.id);
    expect(everyone).toContain(ciDeploy);
    expect(identities).not.toContain('ci-deploy');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(artifacts, 'elements-scoped.png'), fullPage: true });

    // An identity outside the scope is unknown to the element, as to the API.
    await page.evaluate((id) => document.querySelector('#blast')?.setAttribute('identity', id), ciDeploy);
    await page.locator('#blast [role="alert"]').waitFor({ timeout: 60_000 });
    expect(await page.locator('#blast [role="alert"]').textContent()).toContain(
      `no identity with id "${ciDeploy}"`,
    );
    expect(errors).toEqual([]);
    await page.close();
  });

  it('cannot call a server whose CORS allow-list does not name the portal', async () => {
    const page = await browser.newPage();
    // The bundle comes from the allowing server; the API it is pointed at is the denying one.
    await page.goto(
      `${portalOrigin}/elements?${new URLSearchParams({ api: origin(allowing), token: SCOPED, identity: prodDeploy, resource: bucket })}`,
    );
    await page.locator('#blast table').waitFor({ timeout: 60_000 });
    await page.evaluate((api) => document.querySelector('#blast')?.setAttribute('api', api), origin(denying));
    await page.locator('#blast [role="alert"]').waitFor({ timeout: 60_000 });
    expect(await page.locator('#blast table').count()).toBe(0);
    await page.close();
  });
});
