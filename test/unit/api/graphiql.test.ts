import { afterAll, describe, expect, it } from 'vitest';
import { offlineApi } from './helpers.js';

/** Hosts that serve GraphiQL's scripts, styles and fonts to pages that do not bundle them. */
const CDN_HOSTS = [
  'unpkg.com',
  'cdn.jsdelivr.net',
  'esm.sh',
  'cdnjs.cloudflare.com',
  'fonts.googleapis.com',
  'fonts.gstatic.com',
  'raw.githubusercontent.com',
];
const ORIGIN = 'http://localhost';

const api = offlineApi();
afterAll(() => api.executor.close());

async function graphiqlPage(target = api): Promise<string> {
  const response = await target.yoga.fetch(`${ORIGIN}/graphql`, { headers: { accept: 'text/html' } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/html/);
  return response.text();
}

/**
 * What the page makes the browser fetch as it loads: src/href attributes of its markup (inline
 * scripts and styles left out) and url(...) in its styles.
 */
function referencedAssets(html: string): string[] {
  const markup = html.replace(/(<(script|style)\b[^>]*>)[\s\S]*?(<\/\2>)/gi, '$1$3');
  const attributes = [...markup.matchAll(/\s(?:src|href)\s*=\s*["']?([^"'\s>]+)/gi)].map((m) => m[1] ?? '');
  const styles = [...html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)].map((m) => m[1] ?? '').join('\n');
  const urls = [...styles.matchAll(/url\(\s*["']?([^"')\s]+)/gi)].map((m) => m[1] ?? '');
  return [...attributes, ...urls];
}

describe('GraphiQL', () => {
  it('is served with its assets from the package, naming no CDN', async () => {
    const html = await graphiqlPage();
    expect(html).toContain('<title>reachgraph</title>');
    expect(html).toContain('YogaGraphiQL.renderYogaGraphiQL');
    for (const host of CDN_HOSTS) expect(html, host).not.toContain(host);

    const assets = referencedAssets(html);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) {
      if (asset.startsWith('data:') || asset.startsWith('blob:')) continue;
      const url = new URL(asset, `${ORIGIN}/graphql`);
      expect(url.origin, asset).toBe(ORIGIN);
      expect((await api.yoga.fetch(url)).status, asset).toBe(200);
    }
  });

  it('opens with the default query, and asks for a token only outside demo mode', async () => {
    const withToken = await graphiqlPage();
    expect(withToken).toContain('query BotsToProductionData');
    expect(withToken).toContain('Bearer <your token>');
    const demo = offlineApi({}, true);
    try {
      const page = await graphiqlPage(demo);
      expect(page).toContain('query BotsToProductionData');
      expect(page).not.toContain('Bearer <your token>');
    } finally {
      await demo.executor.close();
    }
  });
});
