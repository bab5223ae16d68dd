import { css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api } from '../api.js';
import {
  type Connection,
  IDENTITY_FIELDS,
  type IdentityRow,
  type PageInfo,
  RESOURCE_FIELDS,
  type ResourceRow,
} from '../data.js';
import { gql } from '../graphql.js';
import { links } from '../links.js';
import { Loader } from '../load.js';
import { Page } from '../page.js';
import { defineRoute, navigate } from '../router.js';
import { shared } from '../styles.js';
import { identityTable, resourceTable } from '../tables.js';
import { failure, providerLabel, renderLoad } from '../views.js';

defineRoute({
  path: '/search',
  tag: 'rg-search-page',
  nav: 'Search',
  title: (match) => (match.query.get('q') ? `Search: ${match.query.get('q')}` : 'Search'),
});

const PAGE_SIZE = 25;
const PROVIDERS = ['AWS', 'GCP', 'KUBERNETES', 'OIDC', 'CUSTOM', 'EXTERNAL'] as const;

interface Filters {
  provider?: string[];
}

interface SearchFilter extends Filters {
  category: 'IDENTITY' | 'RESOURCE';
  nonHuman?: boolean;
}

/** The indexed search (ids, names, providers, owners, tags), one category at a time. */
const SEARCH = gql<
  { search: Connection<{ node: (IdentityRow | ResourceRow) & { __typename: string } }> },
  { text: string; filter: SearchFilter; first: number; after?: string | null }
>(`query ExplorerSearch($text: String!, $filter: SearchFilter, $first: Int, $after: String) {
  search(text: $text, filter: $filter, first: $first, after: $after) {
    edges { node { node { __typename ... on Identity { ${IDENTITY_FIELDS} } ... on Resource { ${RESOURCE_FIELDS} } } } }
    pageInfo { hasNextPage endCursor }
  }
}`);

const IDENTITIES = gql<
  { identities: Connection<IdentityRow> },
  { filter: Filters & { nonHuman?: boolean }; first: number; after?: string | null }
>(`query ExplorerIdentities($filter: IdentityFilter, $first: Int, $after: String) {
  identities(filter: $filter, first: $first, after: $after) {
    edges { node { ${IDENTITY_FIELDS} } }
    pageInfo { hasNextPage endCursor }
  }
}`);

const RESOURCES = gql<
  { resources: Connection<ResourceRow> },
  { filter: Filters; first: number; after?: string | null }
>(`query ExplorerResources($filter: ResourceFilter, $first: Int, $after: String) {
  resources(filter: $filter, first: $first, after: $after) {
    edges { node { ${RESOURCE_FIELDS} } }
    pageInfo { hasNextPage endCursor }
  }
}`);

/** An exact id (an ARN, `gcp:sa:…`, `k8s:…`) finds its node whatever its name. */
const BY_ID = gql<
  { node: (IdentityRow & { __typename: string }) | (ResourceRow & { __typename: string }) | null },
  { id: string }
>(`query ExplorerNodeById($id: ID!) {
  node(id: $id) {
    __typename
    ... on Identity { ${IDENTITY_FIELDS} }
    ... on Resource { ${RESOURCE_FIELDS} }
  }
}`);

interface Results {
  exact: IdentityRow | ResourceRow | null;
  exactIsIdentity: boolean;
  identities: Connection<IdentityRow> | null;
  resources: Connection<ResourceRow> | null;
}

/**
 * Identities and resources from the indexed `search` (ids and ARNs, names, providers, owners, tags;
 * most relevant first), the node whose id is exactly the text, filtered by provider and non-human;
 * without text, every identity and resource matching the filters. Each list is paged by the
 * server, 25 at a time.
 */
@customElement('rg-search-page')
export class SearchPage extends Page {
  static override styles = [
    shared,
    css`
      form.filters label.check {
        flex-direction: row;
        align-items: center;
        gap: 0.4rem;
        padding-bottom: 0.4rem;
      }
      form.filters input[type='search'] {
        min-width: 20rem;
      }
      .count {
        font-weight: 400;
        color: var(--rg-muted);
      }
    `,
  ];

  @state() accessor extraIdentities: IdentityRow[] = [];
  @state() accessor extraResources: ResourceRow[] = [];
  @state() accessor identityPage: PageInfo | null = null;
  @state() accessor resourcePage: PageInfo | null = null;
  @state() accessor moreError: Error | null = null;

  private get q(): string {
    return this.query.get('q')?.trim() ?? '';
  }

  private get provider(): string {
    return this.query.get('provider') ?? '';
  }

  private get nonHumanOnly(): boolean {
    return this.query.get('nonHuman') === 'true';
  }

  /** Which lists to show: both, or `identities`/`resources` alone. */
  private get scope(): string {
    return this.query.get('in') ?? '';
  }

  private filters(): Filters {
    return this.provider ? { provider: [this.provider] } : {};
  }

  /** Text the search index can take (a letter or digit); otherwise the lists are browsed by filter. */
  private get searchable(): boolean {
    return /[\p{L}\p{N}]/u.test(this.q);
  }

  /** One page of identities: the search's hits, or without text every identity matching the filters. */
  private async identityList(after: string | null, signal?: AbortSignal): Promise<Connection<IdentityRow>> {
    if (this.searchable) {
      const filter: SearchFilter = {
        category: 'IDENTITY',
        ...this.filters(),
        ...(this.nonHumanOnly ? { nonHuman: true } : {}),
      };
      const answer = await api.request(SEARCH, { text: this.q, filter, first: PAGE_SIZE, after }, { signal });
      return {
        edges: answer.search.edges.map((e) => ({ node: e.node.node as IdentityRow })),
        pageInfo: answer.search.pageInfo,
      };
    }
    const filter = { ...this.filters(), ...(this.nonHumanOnly ? { nonHuman: true } : {}) };
    return (await api.request(IDENTITIES, { filter, first: PAGE_SIZE, after }, { signal })).identities;
  }

  /** One page of resources, likewise. */
  private async resourceList(after: string | null, signal?: AbortSignal): Promise<Connection<ResourceRow>> {
    if (this.searchable) {
      const filter: SearchFilter = { category: 'RESOURCE', ...this.filters() };
      const answer = await api.request(SEARCH, { text: this.q, filter, first: PAGE_SIZE, after }, { signal });
      return {
        edges: answer.search.edges.map((e) => ({ node: e.node.node as ResourceRow })),
        pageInfo: answer.search.pageInfo,
      };
    }
    return (await api.request(RESOURCES, { filter: this.filters(), first: PAGE_SIZE, after }, { signal }))
      .resources;
  }

  private readonly results = new Loader<Results>(
    this,
    () => this.query.toString(),
    async (signal) => {
      const wantIdentities = this.scope !== 'resources';
      const wantResources = this.scope !== 'identities' && !this.nonHumanOnly;
      const [identities, resources, exact] = await Promise.all([
        wantIdentities ? this.identityList(null, signal) : null,
        wantResources ? this.resourceList(null, signal) : null,
        this.q ? api.request(BY_ID, { id: this.q }, { signal }) : null,
      ]);
      this.extraIdentities = [];
      this.extraResources = [];
      this.moreError = null;
      this.identityPage = identities?.pageInfo ?? null;
      this.resourcePage = resources?.pageInfo ?? null;
      const node = exact?.node ?? null;
      return {
        exact: node,
        exactIsIdentity: node !== null && 'nonHuman' in node,
        identities,
        resources,
      };
    },
  );

  private async moreIdentities(): Promise<void> {
    if (!this.identityPage?.endCursor) return;
    try {
      const next = await this.identityList(this.identityPage.endCursor);
      this.extraIdentities = [...this.extraIdentities, ...next.edges.map((e) => e.node)];
      this.identityPage = next.pageInfo;
    } catch (error) {
      this.moreError = error as Error;
    }
  }

  private async moreResources(): Promise<void> {
    if (!this.resourcePage?.endCursor) return;
    try {
      const next = await this.resourceList(this.resourcePage.endCursor);
      this.extraResources = [...this.extraResources, ...next.edges.map((e) => e.node)];
      this.resourcePage = next.pageInfo;
    } catch (error) {
      this.moreError = error as Error;
    }
  }

  private submit(event: SubmitEvent): void {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    navigate(
      links.search({
        q: String(data.get('q') ?? '').trim(),
        provider: String(data.get('provider') ?? ''),
        nonHuman: data.get('nonHuman') === 'on',
      }),
    );
  }

  override render() {
    return html`
      <h1>${this.q ? html`Search: <span class="mono">${this.q}</span>` : 'Search'}</h1>
      <form class="filters" role="search" aria-label="Filters" @submit=${this.submit}>
        <label
          >Name or id
          <input name="q" type="search" .value=${this.q} placeholder="ci-deploy, arn:aws:iam::…, team=payments" />
        </label>
        <label
          >Provider
          <select name="provider">
            <option value="" ?selected=${!this.provider}>Any</option>
            ${PROVIDERS.map(
              (p) => html`<option value=${p} ?selected=${this.provider === p}>${providerLabel(p)}</option>`,
            )}
          </select>
        </label>
        <label class="check"
          ><input name="nonHuman" type="checkbox" ?checked=${this.nonHumanOnly} /> Non-human identities only</label
        >
        <button type="submit" class="primary">Search</button>
      </form>
      ${renderLoad(this.results.state, (results) => this.renderResults(results), 'Searching')}
      ${this.moreError ? failure(this.moreError) : nothing}
    `;
  }

  private renderResults(results: Results) {
    const identities = results.identities
      ? [...results.identities.edges.map((e) => e.node), ...this.extraIdentities]
      : null;
    const resources = results.resources
      ? [...results.resources.edges.map((e) => e.node), ...this.extraResources]
      : null;
    return html`
      ${
        results.exact
          ? html`<section aria-labelledby="exact">
            <h2 id="exact">Exact id</h2>
            ${
              results.exactIsIdentity
                ? identityTable([results.exact as IdentityRow], 'The identity with this id')
                : resourceTable([results.exact as ResourceRow], 'The resource with this id')
            }
          </section>`
          : nothing
      }
      ${
        identities
          ? html`<section aria-labelledby="identities">
            <h2 id="identities">
              Identities <span class="count">(${identities.length}${this.identityPage?.hasNextPage ? '+' : ''})</span>
            </h2>
            ${
              identities.length
                ? identityTable(identities, 'Identities matching the search')
                : html`<p class="status">No identity matches.</p>`
            }
            ${
              this.identityPage?.hasNextPage
                ? html`<button class="more" @click=${this.moreIdentities}>More identities</button>`
                : nothing
            }
          </section>`
          : nothing
      }
      ${
        resources
          ? html`<section aria-labelledby="resources">
            <h2 id="resources">
              Resources <span class="count">(${resources.length}${this.resourcePage?.hasNextPage ? '+' : ''})</span>
            </h2>
            ${
              resources.length
                ? resourceTable(resources, 'Resources matching the search')
                : html`<p class="status">No resource matches.</p>`
            }
            ${
              this.resourcePage?.hasNextPage
                ? html`<button class="more" @click=${this.moreResources}>More resources</button>`
                : nothing
            }
          </section>`
          : nothing
      }
    `;
  }
}
