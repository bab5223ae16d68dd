import { html, LitElement, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ApiError, type GraphQLClient } from '../graphql.js';
import { shared } from '../styles.js';
import { CONFIGURED_EVENT, clientFor, explorerLink } from './config.js';
import { elementTheme } from './element-styles.js';

/** One answer row as both elements read it: the other end of the path, and how it is reached. */
export interface ReachNode {
  id: string;
  name: string;
  kind: string;
  provider: string | null;
  environment?: string;
  sensitivity?: string;
  nonHuman?: boolean;
}

export interface ReachRow {
  node: ReachNode;
  levels: string[];
  hops: number;
  conditional: boolean;
}

export interface ReachPage {
  rows: ReachRow[];
  /** The id the element was given, resolved to its node's name, if the graph has it. */
  subject: string | null;
  hasNextPage: boolean;
}

type State =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; page: ReachPage };

/**
 * What the two portal elements share: attributes `api`, `token`, `theme` and `first`, a load each
 * time the subject changes (the previous one aborted), and a table with a caption and a link to the
 * full view in the explorer. A subclass names its subject attribute and asks its question.
 */
export abstract class ReachTable extends LitElement {
  static override styles = [shared, elementTheme];

  @property() accessor api: string | null = null;
  @property() accessor token: string | null = null;
  @property({ reflect: true }) accessor theme: 'light' | 'dark' | null = null;
  @property({ type: Number }) accessor first = 20;
  @state() protected accessor view: State = { status: 'idle' };

  private abort: AbortController | undefined;

  /** The id the element is about ('' until set). */
  protected abstract subject(): string;
  protected abstract heading(): string;
  protected abstract columns(): string[];
  protected abstract cells(row: ReachRow): unknown[];
  protected abstract explorerPath(): string;
  protected abstract ask(client: GraphQLClient, signal: AbortSignal): Promise<ReachPage>;

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener(CONFIGURED_EVENT, this.reload);
  }

  override disconnectedCallback(): void {
    window.removeEventListener(CONFIGURED_EVENT, this.reload);
    this.abort?.abort();
    super.disconnectedCallback();
  }

  private readonly reload = (): void => {
    void this.load();
  };

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('api') || changed.has('token') || changed.has('first') || this.subjectChanged(changed))
      void this.load();
  }

  protected abstract subjectChanged(changed: PropertyValues<this>): boolean;

  /** The subject's name once its answer is shown, else '' (the heading then names the id). */
  protected subjectName(): string {
    return this.view.status === 'ready' ? (this.view.page.subject ?? '') : '';
  }

  private async load(): Promise<void> {
    this.abort?.abort();
    if (!this.subject()) {
      this.view = { status: 'idle' };
      return;
    }
    const abort = new AbortController();
    this.abort = abort;
    this.view = { status: 'loading' };
    try {
      const page = await this.ask(clientFor(this), abort.signal);
      if (!abort.signal.aborted) this.view = { status: 'ready', page };
    } catch (error) {
      if (abort.signal.aborted) return;
      const message =
        error instanceof ApiError && error.status === 401
          ? 'reachgraph refused the token (check the element’s token or the portal’s configuration).'
          : error instanceof Error
            ? error.message
            : String(error);
      this.view = { status: 'error', message };
      this.dispatchEvent(
        new CustomEvent('reachgraph-error', { detail: { message }, bubbles: true, composed: true }),
      );
    }
  }

  override render() {
    const view = this.view;
    return html`<section aria-labelledby="title" aria-busy=${view.status === 'loading' ? 'true' : 'false'}>
      <h2 id="title">${this.heading()}</h2>
      ${
        view.status === 'idle'
          ? html`<p class="status">No id given.</p>`
          : view.status === 'loading'
            ? html`<p class="status" role="status">Loading…</p>`
            : view.status === 'error'
              ? html`<p class="error" role="alert">${view.message}</p>`
              : this.renderTable(view.page)
      }
    </section>`;
  }

  private renderTable(page: ReachPage) {
    const link = explorerLink(this.api, this.explorerPath());
    if (page.rows.length === 0)
      return html`<p class="summary">None within the hop limit.</p>
        <p><a href=${link} target="_blank" rel="noopener">Open in reachgraph</a></p>`;
    return html`<table>
        <caption>
          ${page.rows.length}${page.hasNextPage ? '+' : ''} ${page.rows.length === 1 ? 'row' : 'rows'}
        </caption>
        <thead>
          <tr>
            ${this.columns().map((c) => html`<th scope="col">${c}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${page.rows.map((row) => html`<tr>${this.cells(row).map((c, i) => (i === 0 ? html`<th scope="row" class="name">${c}</th>` : html`<td>${c}</td>`))}</tr>`)}
        </tbody>
      </table>
      <p class="more">
        <a href=${link} target="_blank" rel="noopener">${page.hasNextPage ? 'All of them in reachgraph' : 'Open in reachgraph'}</a>
      </p>`;
  }
}

/** `list, read` (or a dash). */
export function levelText(levels: readonly string[]): string {
  return levels.length ? levels.map((l) => l.toLowerCase()).join(', ') : '–';
}

/** `direct` or `2 hops`, with a note when only conditional routes exist. */
export function hopsText(row: ReachRow): unknown {
  const text = row.hops === 0 ? 'direct' : `${row.hops} ${row.hops === 1 ? 'hop' : 'hops'}`;
  return row.conditional ? html`${text} <span class="badge">conditional</span>` : text;
}

export const nameCell = (node: ReachNode) =>
  html`${node.name}<br /><span class="muted mono">${node.kind}</span>`;
