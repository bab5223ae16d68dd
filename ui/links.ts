import { href } from './router.js';

/** The addresses of the explorer's pages: link with these, never by hand. */
export const links = {
  search: (query: { q?: string; provider?: string; nonHuman?: boolean } = {}) => href('/search', query),
  identity: (id: string) => href(`/identity/${encodeURIComponent(id)}`),
  resource: (id: string) => href(`/resource/${encodeURIComponent(id)}`),
  path: (from: string, to: string) => href('/path', { from, to }),
  findings: (query: Record<string, string | undefined> = {}) => href('/findings', query),
  changes: () => href('/changes'),
};
