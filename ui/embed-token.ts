import { saveToken } from './token.js';

/**
 * A portal that frames the explorer (`/ui/embed/…`, docs/portals.md) hands it the token it holds in
 * the address's fragment: `#token=rg_…`. A fragment is never sent to a server nor in a Referer
 * (https://www.rfc-editor.org/rfc/rfc9110#section-7.1, https://www.w3.org/TR/referrer-policy/#strip-url),
 * and it is taken out of the address at once, so it stays in neither the history nor a copied link.
 * The token lives in this tab's session like one typed in (token.ts).
 */
export function adoptFragmentToken(): void {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const token = fragment.get('token');
  if (!token) return;
  saveToken(token);
  fragment.delete('token');
  const rest = fragment.toString();
  history.replaceState(history.state, '', `${location.pathname}${location.search}${rest ? `#${rest}` : ''}`);
}
