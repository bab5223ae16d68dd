import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { packageRoot } from '../package-root.js';
import { uiHeaders } from './ui-headers.js';

/** Where the explorer lives on the API server. */
export const UI_PATH = '/ui';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

interface UiFile {
  body: Uint8Array<ArrayBuffer>;
  contentType: string;
  etag: string;
}

/** The built explorer (dist/ui, from `npm run build`), read once: a handful of small files. */
export function uiDirectory(): string {
  return join(packageRoot(), 'dist', 'ui');
}

function readUi(directory: string): Map<string, UiFile> | null {
  if (!existsSync(join(directory, 'index.html'))) return null;
  const files = new Map<string, UiFile>();
  for (const name of readdirSync(directory, { recursive: true, encoding: 'utf8' })) {
    const contentType = CONTENT_TYPES[extname(name)];
    if (!contentType) continue;
    const body = new Uint8Array(readFileSync(join(directory, name)));
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    files.set(name.split(/[\\/]/).join('/'), { body, contentType, etag });
  }
  return files;
}

/**
 * Answers GET/HEAD requests under /ui: a built file by its name, otherwise the explorer's page
 * (index.html), whose script reads the address and shows the page it names (`/ui/identity/<id>`).
 * The files hold no data, so they need no token; every answer the page shows comes from /graphql
 * with the token. Null for paths outside /ui.
 */
export function createUiHandler(
  directory: string = uiDirectory(),
  options: { frameAncestors?: readonly string[]; corsOrigins?: readonly string[] } = {},
): (request: Request) => Response | null {
  const framing = options.frameAncestors?.length ? { frameAncestors: options.frameAncestors } : {};
  const corsOrigins = new Set(options.corsOrigins ?? []);
  let files: Map<string, UiFile> | null | undefined;
  return (request) => {
    const { pathname } = new URL(request.url);
    if (pathname !== UI_PATH && !pathname.startsWith(`${UI_PATH}/`)) return null;
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return new Response('method not allowed', { status: 405, headers: { allow: 'GET, HEAD' } });
    files ??= readUi(directory);
    if (!files)
      return new Response(
        'The explorer is not built: run `npm run build` (it writes dist/ui).\n',
        uiHeadersInit(503, 'text/plain; charset=utf-8', framing),
      );
    const name = pathname.slice(UI_PATH.length + 1);
    // Files by exact name only (no path is ever joined from the request): anything else is a page.
    const found = name === 'index.html' ? undefined : files.get(name);
    const file = found ?? (files.get('index.html') as UiFile);
    if (request.headers.get('if-none-match') === file.etag)
      return new Response(null, {
        status: 304,
        headers: uiHeaders({ contentType: file.contentType, etag: file.etag, ...framing }),
      });
    const headers = uiHeaders({
      contentType: file.contentType,
      etag: file.etag,
      ...framing,
      // Chunks are named by their content: a new build names them anew.
      ...(found && name.startsWith('chunks/') ? { cacheControl: 'public, max-age=31536000, immutable' } : {}),
    });
    // A portal page of an origin in api.corsOrigins loads elements.js (and the chunks it imports) as
    // module scripts, which browsers fetch in CORS mode (https://html.spec.whatwg.org/multipage/webappapis.html#fetch-a-single-module-script).
    const origin = request.headers.get('origin');
    if (origin && corsOrigins.has(origin) && file.contentType.startsWith('text/javascript')) {
      headers.set('access-control-allow-origin', origin);
      headers.append('vary', 'Origin');
    }
    return new Response(request.method === 'HEAD' ? null : file.body, { status: 200, headers });
  };
}

function uiHeadersInit(
  status: number,
  contentType: string,
  framing: { frameAncestors?: readonly string[] },
): ResponseInit {
  return { status, headers: uiHeaders({ contentType, cacheControl: 'no-store', ...framing }) };
}
