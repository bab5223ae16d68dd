import { css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api } from '../api.js';
import { gql } from '../graphql.js';
import { links } from '../links.js';
import { Loader } from '../load.js';
import { Page } from '../page.js';
import { defineRoute, href } from '../router.js';
import { shared } from '../styles.js';
import { enumLabel, failure, kindWithType, ownerText, providerLabel, renderLoad } from '../views.js';
import { type Count, countTable } from './counts.js';

defineRoute({
  path: '/resource/:id',
  tag: 'rg-resource-page',
  title: (match) => `Resource: ${match.params.id?.split(/[:/]/).at(-1) ?? ''}`,
});

const PAGE_SIZE = 25;

interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

interface Reacher {
  from: {
    id: string;
    name: string;
    kind: string;
    provider: string | null;
    nonHuman: boolean;
    nhiType: string | null;
    owner: string | null;
  };
  length: number;
  levels: string[];
  conditional: boolean;
  via: string[];
}

interface Connection<T> {
  edges: { node: T }[];
  pageInfo: PageInfo;
}

interface Summary {
  total: number;
  nonHuman: number;
  human: number;
  byNhiType: Count[];
  byLevel: Count[];
  byHops: Count[];
  byProvider: Count[];
  byKind: Count[];
}

interface ResourceNode {
  __typename: string;
  id: string;
  name: string;
  kind: string;
  provider: string | null;
  scope: string | null;
  account: string | null;
  tags: string[];
  environment?: string;
  sensitivity?: string;
}

/** What narrows the lists (the drill-down of a count): the page's query parameters. */
interface Drill {
  levels: string[] | null;
  nhiType: string[] | null;
  provider: string[] | null;
  kind: string[] | null;
}

const REACHER = `from { id name kind provider ... on Identity { nonHuman nhiType owner } } length levels conditional via`;
const COUNTS = 'key count';

const RESOURCE = gql<
  { node: ResourceNode | null; whoCanReachSummary: Summary },
  { id: string; from: Record<string, unknown> }
>(`query ResourcePage($id: ID!, $from: IdentityFilter) {
  node(id: $id) {
    __typename id name kind provider scope account tags
    ... on Resource { environment sensitivity }
  }
  whoCanReachSummary(resource: $id, from: $from) {
    total nonHuman human byNhiType { ${COUNTS} } byLevel { ${COUNTS} } byHops { ${COUNTS} }
    byProvider { ${COUNTS} } byKind { ${COUNTS} }
  }
}`);

const REACHERS = gql<
  { whoCanReach: Connection<Reacher> },
  { id: string; from: Record<string, unknown>; levels: string[] | null; first: number; after?: string | null }
>(`query WhoCanReach($id: ID!, $from: IdentityFilter, $levels: [AccessLevel!], $first: Int, $after: String) {
  whoCanReach(resource: $id, from: $from, levels: $levels, first: $first, after: $after) {
    edges { node { ${REACHER} } }
    pageInfo { hasNextPage endCursor }
  }
}`);

interface Lists {
  page: { node: ResourceNode | null; whoCanReachSummary: Summary };
  nonHuman: Connection<Reacher>;
  human: Connection<Reacher>;
}

/**
 * Who can reach a resource: counts by level, hops, type, provider and kind (each a drill-down
 * link), then the identities themselves, non-human first, a page at a time from the server, each
 * with its hops, levels and a link to its route.
 */
@customElement('rg-resource-page')
export class ResourcePage extends Page {
  static override styles = [
    shared,
    css`
      dl.facts {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 0.2rem 1rem;
        margin: 0 0 1rem;
      }
      dl.facts dt {
        font-weight: 600;
      }
      dl.facts dd {
        margin: 0;
      }
      .summary {
        display: flex;
        flex-wrap: wrap;
        gap: 0 1.5rem;
      }
      table.counts {
        width: auto;
        min-width: 12rem;
      }
      td.number {
        text-align: right;
        font-variant-numeric: tabular-nums;
      }
      a[aria-current='true'] {
        font-weight: 700;
      }
    `,
  ];

  @state() accessor more: { nonHuman: Reacher[]; human: Reacher[] } = { nonHuman: [], human: [] };
  @state() accessor pages: { nonHuman: PageInfo | null; human: PageInfo | null } = {
    nonHuman: null,
    human: null,
  };
  @state() accessor moreError: Error | null = null;

  private get resourceId(): string {
    return this.params.id ?? '';
  }

  private list(name: string): string[] | null {
    const value = this.query.get(name);
    return value ? [value] : null;
  }

  private get drill(): Drill {
    return {
      levels: this.list('level'),
      nhiType: this.list('nhiType'),
      provider: this.list('provider'),
      kind: this.list('kind'),
    };
  }

  /** The identity filter of the drill-down, without the non-human split. */
  private filter(): Record<string, unknown> {
    const { nhiType, provider, kind } = this.drill;
    return {
      ...(nhiType ? { nhiType } : {}),
      ...(provider ? { provider } : {}),
      ...(kind ? { kind } : {}),
    };
  }

  private readonly data = new Loader<Lists>(
    this,
    () => `${this.resourceId}?${this.query.toString()}`,
    async (signal) => {
      const from = this.filter();
      const levels = this.drill.levels;
      const [page, nonHuman, human] = await Promise.all([
        api.request(RESOURCE, { id: this.resourceId, from }, { signal }),
        api.request(
          REACHERS,
          { id: this.resourceId, from: { ...from, nonHuman: true }, levels, first: PAGE_SIZE },
          { signal },
        ),
        api.request(
          REACHERS,
          { id: this.resourceId, from: { ...from, nonHuman: false }, levels, first: PAGE_SIZE },
          { signal },
        ),
      ]);
      this.more = { nonHuman: [], human: [] };
      this.pages = { nonHuman: nonHuman.whoCanReach.pageInfo, human: human.whoCanReach.pageInfo };
      return { page, nonHuman: nonHuman.whoCanReach, human: human.whoCanReach };
    },
  );

  private async loadMore(which: 'nonHuman' | 'human'): Promise<void> {
    const page = this.pages[which];
    if (!page?.endCursor) return;
    try {
      const next = await api.request(REACHERS, {
        id: this.resourceId,
        from: { ...this.filter(), nonHuman: which === 'nonHuman' },
        levels: this.drill.levels,
        first: PAGE_SIZE,
        after: page.endCursor,
      });
      this.more = {
        ...this.more,
        [which]: [...this.more[which], ...next.whoCanReach.edges.map((e) => e.node)],
      };
      this.pages = { ...this.pages, [which]: next.whoCanReach.pageInfo };
    } catch (error) {
      this.moreError = error as Error;
    }
  }

  /** This page narrowed to one more value (or the value replaced). */
  private narrowed(key: string, value: string): string {
    const query: Record<string, string> = {};
    for (const [k, v] of this.query.entries()) if (k !== 'theme') query[k] = v;
    query[key] = value;
    return href(`/resource/${encodeURIComponent(this.resourceId)}`, query);
  }

  override render() {
    return renderLoad(this.data.state, (lists) => this.renderPage(lists), 'Loading the resource');
  }

  private renderPage(lists: Lists) {
    const node = lists.page.node;
    if (!node)
      return html`<h1>Resource</h1><p class="error" role="alert">No resource with id ${this.resourceId}.</p>`;
    const summary = lists.page.whoCanReachSummary;
    const drill = this.drill;
    const narrowedBy = Object.entries({
      level: drill.levels?.[0],
      type: drill.nhiType?.[0],
      provider: drill.provider?.[0],
      kind: drill.kind?.[0],
    }).filter(([, v]) => v);
    return html`
      <h1>${node.name}</h1>
      <dl class="facts">
        <dt>Id</dt>
        <dd class="mono">${node.id}</dd>
        <dt>Kind</dt>
        <dd>${node.kind}</dd>
        <dt>Provider</dt>
        <dd>${providerLabel(node.provider)}</dd>
        <dt>Environment</dt>
        <dd>${enumLabel(node.environment)}</dd>
        <dt>Sensitivity</dt>
        <dd>${enumLabel(node.sensitivity)}</dd>
        ${node.scope ? html`<dt>Scope</dt><dd class="mono">${node.scope}</dd>` : nothing}
        ${node.tags.length ? html`<dt>Tags</dt><dd>${node.tags.map((t) => html`<span class="badge">${t}</span> `)}</dd>` : nothing}
      </dl>
      <section aria-labelledby="who">
        <h2 id="who">
          Who can reach it: ${summary.total.toLocaleString('en-US')} identit${summary.total === 1 ? 'y' : 'ies'}
          (${summary.nonHuman.toLocaleString('en-US')} non-human, ${summary.human.toLocaleString('en-US')} human)
        </h2>
        ${
          narrowedBy.length
            ? html`<p>
                Narrowed to ${narrowedBy.map(([k, v]) => html`<span class="badge">${k}: ${enumLabel(v)}</span> `)}
                <a href=${links.resource(this.resourceId)}>show everyone</a>
              </p>`
            : nothing
        }
        <div class="summary">
          ${countTable('By level', summary.byLevel, 'enum', (k) => this.narrowed('level', k), drill.levels?.[0])}
          ${countTable('By hops', summary.byHops, 'hops')}
          ${countTable('By type', summary.byNhiType, 'enum', (k) => this.narrowed('nhiType', k), drill.nhiType?.[0])}
          ${countTable('By provider', summary.byProvider, 'provider', (k) => this.narrowed('provider', k), drill.provider?.[0])}
          ${countTable('By kind', summary.byKind, 'kind', (k) => this.narrowed('kind', k), drill.kind?.[0])}
        </div>
      </section>
      ${this.renderList('nonHuman', 'Non-human identities', lists.nonHuman)}
      ${this.renderList('human', 'Human identities', lists.human)}
      ${this.moreError ? failure(this.moreError) : nothing}
    `;
  }

  private renderList(which: 'nonHuman' | 'human', title: string, first: Connection<Reacher>) {
    const rows = [...first.edges.map((e) => e.node), ...this.more[which]];
    const page = this.pages[which];
    const id = `list-${which}`;
    return html`<section aria-labelledby=${id}>
      <h2 id=${id}>${title} <span class="muted">(${rows.length}${page?.hasNextPage ? '+' : ''} shown)</span></h2>
      ${
        rows.length
          ? html`<table class="reachers ${which}">
              <caption class="visually-hidden">${title} that can reach ${this.resourceId}</caption>
              <thead>
                <tr>
                  <th scope="col">Identity</th>
                  <th scope="col">Type</th>
                  <th scope="col">Owner</th>
                  <th scope="col">Hops</th>
                  <th scope="col">Levels</th>
                  <th scope="col">Route</th>
                </tr>
              </thead>
              <tbody>
                ${rows.map(
                  (r) => html`<tr>
                    <td class="name"><a href=${links.identity(r.from.id)}>${r.from.name}</a></td>
                    <td>${kindWithType(r.from)}</td>
                    <td>${ownerText(r.from)}</td>
                    <td class="hops">${r.length - 1}</td>
                    <td>
                      ${r.levels.map((l) => enumLabel(l)).join(', ')}
                      ${r.conditional ? html`<span class="badge" title="Holds only under conditions">conditional</span>` : nothing}
                    </td>
                    <td><a href=${links.path(r.from.id, this.resourceId)} aria-label="Route from ${r.from.name}">route</a></td>
                  </tr>`,
                )}
              </tbody>
            </table>`
          : html`<p class="status">None.</p>`
      }
      ${
        page?.hasNextPage
          ? html`<button class="more" @click=${() => this.loadMore(which)}>More ${title.toLowerCase()}</button>`
          : nothing
      }
    </section>`;
  }
}
