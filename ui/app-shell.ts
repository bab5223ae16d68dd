import { html, LitElement, nothing } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { UNAUTHENTICATED_EVENT } from './api.js';
import type { UnauthenticatedError } from './graphql.js';
import { links } from './links.js';
import {
  href,
  matchLocation,
  NAVIGATE_EVENT,
  navigate,
  navigationRoutes,
  type PageProperties,
  type RouteMatch,
} from './router.js';
import { applyTheme } from './theme.js';
import { clearToken, currentToken, saveToken } from './token.js';

/**
 * The explorer's frame: a header with the navigation and a search box, the current page in <main>,
 * and the dialog asking for an API token when the server wants one. Under /ui/embed it draws the
 * page alone. It renders into the light DOM (its styles are in app.css) so that the skip link and
 * landmarks are the document's own.
 */
@customElement('rg-app')
export class AppShell extends LitElement {
  @state() accessor match: RouteMatch | null = matchLocation(location);
  @state() accessor tokenMessage = '';
  /** Bumped to draw the page anew (after a token was given). */
  @state() accessor generation = 0;
  @query('dialog') accessor dialog!: HTMLDialogElement | null;
  @query('main') accessor main!: HTMLElement | null;

  private page: { key: string; element: HTMLElement } | undefined;
  private navigated = false;

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener(NAVIGATE_EVENT, this.onNavigate);
    window.addEventListener(UNAUTHENTICATED_EVENT, this.onUnauthenticated);
  }

  override disconnectedCallback(): void {
    window.removeEventListener(NAVIGATE_EVENT, this.onNavigate);
    window.removeEventListener(UNAUTHENTICATED_EVENT, this.onUnauthenticated);
    super.disconnectedCallback();
  }

  private readonly onNavigate = (event: Event): void => {
    applyTheme();
    // A new page takes the focus (screen readers announce it); a page changing its filter keeps it.
    this.navigated = !(event as CustomEvent<{ replace?: boolean } | undefined>).detail?.replace;
    this.match = matchLocation(location);
  };

  private readonly onUnauthenticated = (event: Event): void => {
    // A page's parallel requests are refused together: the first one asks.
    if (!this.dialog || this.dialog.open) return;
    const error = (event as CustomEvent<UnauthenticatedError>).detail;
    const refused = currentToken();
    if (refused) clearToken();
    this.tokenMessage = refused ? `The API refused the token (${error.message}).` : '';
    this.dialog.showModal();
  };

  private pageElement(match: RouteMatch): HTMLElement {
    const key = `${this.generation}|${location.pathname}|${location.search}`;
    if (this.page?.key === key) return this.page.element;
    const element = document.createElement(match.route.tag) as HTMLElement & PageProperties;
    element.params = match.params;
    element.query = match.query;
    this.page = { key, element };
    return element;
  }

  protected override updated(): void {
    document.title = this.match
      ? `${this.match.route.title(this.match)} · reachgraph`
      : 'Not found · reachgraph';
    if (this.navigated) {
      this.navigated = false;
      this.main?.focus({ preventScroll: true });
    }
  }

  private submitSearch(event: SubmitEvent): void {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    navigate(links.search({ q: String(data.get('q') ?? '').trim() }));
  }

  private submitToken(event: SubmitEvent): void {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const token = String(data.get('token') ?? '').trim();
    if (!token) return;
    saveToken(token);
    (event.target as HTMLFormElement).reset();
    this.dialog?.close();
    this.generation++;
  }

  private forgetToken(): void {
    clearToken();
    this.generation++;
  }

  override render() {
    const match = this.match;
    const content = match
      ? this.pageElement(match)
      : html`<h1>Not found</h1>
          <p>The explorer has no page at this address. <a href=${links.search()}>Search</a> instead.</p>`;
    const dialog = html`<dialog aria-labelledby="rg-token-title">
      <form @submit=${this.submitToken}>
        <h2 id="rg-token-title">API token</h2>
        <p>This reachgraph server answers token holders only. The token stays in this browser tab.</p>
        ${this.tokenMessage ? html`<p class="rg-error" role="alert">${this.tokenMessage}</p>` : nothing}
        <label for="rg-token">Token</label>
        <input id="rg-token" name="token" type="password" autocomplete="off" required spellcheck="false" />
        <div class="rg-dialog-actions">
          <button type="button" @click=${() => this.dialog?.close()}>Cancel</button>
          <button type="submit" class="rg-primary">Use token</button>
        </div>
      </form>
    </dialog>`;
    if (match?.embed) return html`<main id="main" class="rg-embed" tabindex="-1">${content}</main>${dialog}`;
    const current = match?.route.path;
    return html`
      <a class="rg-skip" href="#main">Skip to content</a>
      <header class="rg-header">
        <a class="rg-brand" href=${href('/')}>reachgraph <span>explorer</span></a>
        <nav aria-label="Explorer">
          <ul>
            ${navigationRoutes().map(
              (route) =>
                html`<li>
                  <a
                    href=${href(route.path)}
                    aria-current=${route.path === current ? 'page' : nothing}
                    >${route.nav}</a
                  >
                </li>`,
            )}
          </ul>
        </nav>
        <form class="rg-search" role="search" aria-label="Quick search" ?hidden=${current === '/search'} @submit=${this.submitSearch}>
          <label for="rg-q" class="rg-visually-hidden">Search identities and resources</label>
          <input id="rg-q" name="q" type="search" placeholder="Search identities and resources" />
          <button type="submit">Search</button>
        </form>
        ${currentToken() ? html`<button type="button" class="rg-forget" @click=${this.forgetToken}>Forget token</button>` : nothing}
      </header>
      <main id="main" tabindex="-1">${content}</main>
      ${dialog}
    `;
  }
}
