/**
 * URLs to pages. Every page has a stable address under /ui (`/ui/identity/<id>`), and the same
 * address under /ui/embed shows it without the explorer's chrome, for iframes. A page module
 * declares its route with `defineRoute`; the app shell renders the matching page's element with the
 * route's parameters and the query string. Links are ordinary <a href> built with `href()` (links.ts),
 * which keeps the embed prefix and the theme; clicks on them navigate without reloading.
 */
export const UI_BASE = '/ui';
export const EMBED_BASE = '/ui/embed';

/** Query parameters that follow the reader from page to page. */
const STICKY = ['theme'] as const;

export interface RouteDefinition {
  /** e.g. `/identity/:id`; a parameter matches one URL segment, percent-decoded. */
  path: string;
  /** The custom element rendering the page; it receives `params` and `query` properties. */
  tag: string;
  /** The document title for a match. */
  title: (match: RouteMatch) => string;
  /** Shown in the explorer's navigation under this label (pages reached by links only have none). */
  nav?: string;
}

export interface RouteMatch {
  route: RouteDefinition;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Under /ui/embed: no header or navigation. */
  embed: boolean;
}

/** Every page element takes these two properties. */
export interface PageProperties {
  params: Record<string, string>;
  query: URLSearchParams;
}

interface Compiled {
  route: RouteDefinition;
  pattern: RegExp;
  names: string[];
}

const routes: Compiled[] = [];

/** The pages with a place in the navigation, in the order they were defined. */
export function navigationRoutes(): RouteDefinition[] {
  return routes.map((r) => r.route).filter((route) => route.nav);
}

export function defineRoute(route: RouteDefinition): RouteDefinition {
  const names: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(segment.slice(1));
      return '([^/]+)';
    })
    .join('/');
  routes.push({ route, pattern: new RegExp(`^${source}/?$`), names });
  return route;
}

/** The page for a location, or null (the shell shows "not found"). `/ui` itself is the search page. */
export function matchLocation(location: { pathname: string; search: string }): RouteMatch | null {
  let path = location.pathname;
  const embed = path === EMBED_BASE || path.startsWith(`${EMBED_BASE}/`);
  path = path.slice((embed ? EMBED_BASE : UI_BASE).length) || '/';
  if (path === '/') path = '/search';
  const query = new URLSearchParams(location.search);
  for (const { route, pattern, names } of routes) {
    const found = pattern.exec(path);
    if (!found) continue;
    const params: Record<string, string> = {};
    try {
      names.forEach((name, i) => {
        params[name] = decodeURIComponent(found[i + 1] ?? '');
      });
    } catch {
      return null; // a malformed escape
    }
    return { route, params, query, embed };
  }
  return null;
}

/**
 * The address of an explorer page: `path` is the page's own path (`/identity/${encodeURIComponent(id)}`),
 * `query` its parameters (empty and undefined values are left out). The current embed mode and theme
 * carry over.
 */
export function href(
  path: string,
  query: Record<string, string | number | boolean | undefined> = {},
): string {
  const embed = location.pathname === EMBED_BASE || location.pathname.startsWith(`${EMBED_BASE}/`);
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && value !== '' && value !== false) params.set(key, String(value));
  const current = new URLSearchParams(location.search);
  for (const key of STICKY) {
    const value = current.get(key);
    if (value && !params.has(key)) params.set(key, value);
  }
  const search = params.toString();
  return `${embed ? EMBED_BASE : UI_BASE}${path}${search ? `?${search}` : ''}`;
}

/**
 * Fired on window after the location changed (navigate() or the back button); `detail.replace` when
 * the page only changed its own parameters (a filter), which moves neither scroll nor focus.
 */
export const NAVIGATE_EVENT = 'rg-navigate';

export function navigate(url: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  if (!options.replace) window.scrollTo(0, 0);
  window.dispatchEvent(new CustomEvent(NAVIGATE_EVENT, { detail: { replace: options.replace === true } }));
}

/**
 * Same-document navigation for links under /ui, wherever they are (shadow roots included); a click
 * with a modifier key, on a link with a target or a download, or elsewhere, is the browser's.
 */
export function startRouter(): void {
  window.addEventListener('popstate', () => window.dispatchEvent(new Event(NAVIGATE_EVENT)));
  document.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const anchor = event
      .composedPath()
      .find((target): target is HTMLAnchorElement => target instanceof HTMLAnchorElement);
    if (!anchor || anchor.target || anchor.hasAttribute('download')) return;
    const url = new URL(anchor.href, location.href);
    if (url.origin !== location.origin) return;
    // A fragment of this very page (the skip link): the browser scrolls and focuses.
    if (url.hash && url.pathname === location.pathname && url.search === location.search) return;
    if (url.pathname !== UI_BASE && !url.pathname.startsWith(`${UI_BASE}/`)) return;
    event.preventDefault();
    navigate(url.pathname + url.search + url.hash);
  });
}
