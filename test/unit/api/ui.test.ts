import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApi } from '../../../src/api/yoga.js';
import { offlineApiOptions } from './helpers.js';

/**
 * /ui on a server with tokens: the explorer's files without a token, the page for any address under
 * /ui, the data still behind the token. A built explorer is stood in for by a folder of the same shape.
 */
const built = mkdtempSync(join(tmpdir(), 'reachgraph-ui-'));
mkdirSync(join(built, 'chunks'));
writeFileSync(join(built, 'index.html'), '<!doctype html><rg-app></rg-app>');
writeFileSync(join(built, 'app.js'), 'export {};');
writeFileSync(join(built, 'app.css'), ':root{}');
writeFileSync(join(built, 'chunks', 'graph-ABC123.js'), 'export const x = 1;');
writeFileSync(join(built, 'notes.unknown'), 'not served');

const { executor, config } = offlineApiOptions();
const api = createApi({ executor, config, uiDirectory: built });
const unbuilt = createApi({ executor, config, uiDirectory: join(built, 'missing') });
afterAll(async () => {
  await executor.close();
  rmSync(built, { recursive: true, force: true });
});

const get = (path: string, init: RequestInit = {}, target = api) =>
  target.yoga.fetch(`http://localhost${path}`, init);

describe('the explorer under /ui', () => {
  it('serves its files by name, without a token, with their content types', async () => {
    const script = await get('/ui/app.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toBe('no-cache');
    expect(await script.text()).toBe('export {};');
    expect((await get('/ui/app.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
    const chunk = await get('/ui/chunks/graph-ABC123.js');
    expect(chunk.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('answers the page for every other address under /ui, never a file outside the build', async () => {
    for (const path of [
      '/ui',
      '/ui/',
      '/ui/index.html',
      '/ui/identity/arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fx',
      '/ui/path?from=a&to=b',
      '/ui/notes.unknown',
      '/ui/chunks/missing.js',
      '/ui/..%2Fpackage.json',
    ]) {
      const response = await get(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type'), path).toBe('text/html; charset=utf-8');
      // The page itself is revalidated, never kept for good.
      expect(response.headers.get('cache-control'), path).toBe('no-cache');
      expect(await response.text(), path).toBe('<!doctype html><rg-app></rg-app>');
    }
    // Dot segments leave /ui before routing (URL normalization): such a path is any other API path.
    for (const path of ['/ui/../package.json', '/ui/%2e%2e/package.json'])
      expect((await get(path)).status, path).toBe(401);
  });

  it('sends the headers of ui-headers.ts with every answer', async () => {
    for (const path of ['/ui/search', '/ui/app.js', '/ui/chunks/graph-ABC123.js']) {
      const headers = (await get(path)).headers;
      expect(headers.get('content-security-policy'), path).toBe(
        "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
      );
      expect(headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(headers.get('x-frame-options'), path).toBe('DENY');
      expect(headers.get('referrer-policy'), path).toBe('no-referrer');
    }
  });

  it('revalidates by ETag, answers HEAD, and refuses other methods', async () => {
    const etag = (await get('/ui/app.js')).headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[\w-]{22}"$/);
    const again = await get('/ui/app.js', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    const head = await get('/ui/app.js', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const post = await get('/ui/app.js', { method: 'POST', body: '{}' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('keeps the data behind the token, and says so when the explorer is not built', async () => {
    expect((await get('/graphql', { method: 'POST', body: '{"query":"{__typename}"}' })).status).toBe(401);
    expect((await get('/uix')).status).toBe(401);
    const missing = await get('/ui/search', {}, unbuilt);
    expect(missing.status).toBe(503);
    expect(await missing.text()).toContain('npm run build');
  });
});
