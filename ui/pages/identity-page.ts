import { css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api } from '../api.js';
import {
  type Connection,
  IDENTITY_FIELDS,
  type IdentityRow,
  PAGE_INFO,
  type PageInfo,
  type ResourceRow,
} from '../data.js';
import { ApiError, gql } from '../graphql.js';
import { links } from '../links.js';
import { Loader } from '../load.js';
import { Page } from '../page.js';
import { defineRoute, href, navigate } from '../router.js';
import { shared } from '../styles.js';
import { day, enumLabel, failure, providerLabel, renderLoad } from '../views.js';
import { type Count, countTable } from './counts.js';

defineRoute({
  path: '/identity/:id',
  tag: 'rg-identity-page',
  title: (match) => `Identity ${match.params.id}`,
});

const LEVELS = ['READ', 'WRITE', 'PERMISSIONS', 'TAGGING', 'LIST'] as const;
const ENVIRONMENTS = ['PRODUCTION', 'STAGING', 'DEVELOPMENT', 'UNKNOWN'] as const;
const RADIUS_PAGE = 50;

interface Identity extends IdentityRow {
  account: string | null;
  firstSeen: string | null;
  lastSeen: string | null;
  ownership: {
    owner: string;
    source: string;
    confidence: string;
    conflict: boolean;
    contacts: string[];
    candidates: { owner: string; source: string; confidence: string }[];
  } | null;
  credentials: {
    id: string;
    name: string;
    kind: string;
    status: string | null;
    createdAt: string | null;
    ageDays: number | null;
    lastUsedAt: string | null;
  }[];
}

const IDENTITY = gql<{ node: (Identity & { __typename: string }) | null }, { id: string }>(`
query ExplorerIdentity($id: ID!) {
  node(id: $id) {
    __typename
    ... on Identity {
      ${IDENTITY_FIELDS} account firstSeen lastSeen
      ownership { owner source confidence conflict contacts candidates { owner source confidence } }
      credentials { id name kind status createdAt ageDays lastUsedAt }
    }
  }
}`);

export interface ReachRow {
  to: Omit<ResourceRow, 'scope'>;
  length: number;
  levels: string[];
  via: string[];
  conditional: boolean;
}

/** The narrowing of the blast radius: a count's drill-down, from the page's query parameters. */
const DRILL_KEYS = ['environment', 'sensitivity', 'provider', 'kind'] as const;
type ResourceFilter = Partial<Record<(typeof DRILL_KEYS)[number], string[]>>;

const BLAST_RADIUS = gql<
  { reachableFrom: Connection<ReachRow> },
  { id: string; first: number; after?: string | null; levels?: string[] | null; to: ResourceFilter }
>(`
query ExplorerBlastRadius($id: ID!, $first: Int, $after: String, $levels: [AccessLevel!], $to: ResourceFilter) {
  reachableFrom(identity: $id, first: $first, after: $after, levels: $levels, to: $to) {
    edges { node { to { id name kind provider environment ... on Resource { sensitivity } } length levels via conditional } }
    ${PAGE_INFO}
  }
}`);

interface RadiusSummary {
  total: number;
  byEnvironment: Count[];
  bySensitivity: Count[];
  byProvider: Count[];
  byKind: Count[];
  byLevel: Count[];
  byHops: Count[];
}

const COUNTS = 'key count';
const RADIUS_SUMMARY = gql<{ reachableFromSummary: RadiusSummary }, { id: string; to: ResourceFilter }>(`
query ExplorerBlastRadiusSummary($id: ID!, $to: ResourceFilter) {
  reachableFromSummary(identity: $id, to: $to) {
    total byEnvironment { ${COUNTS} } bySensitivity { ${COUNTS} } byProvider { ${COUNTS} }
    byKind { ${COUNTS} } byLevel { ${COUNTS} } byHops { ${COUNTS} }
  }
}`);

interface FindingRow {
  fingerprint: string;
  title: string;
  severity: string;
  status: string;
  lastSeen: string;
  rule: { id: string };
  target: { id: string; name: string; kind: string } | null;
  path: { edgeId: string }[];
}

const FINDINGS = gql<
  { findings: Connection<FindingRow> },
  { id: string; first: number; after?: string | null }
>(`
query ExplorerIdentityFindings($id: ID!, $first: Int, $after: String) {
  findings(filter: { subject: $id }, first: $first, after: $after) {
    edges { node { fingerprint title severity status lastSeen rule { id } target { id name kind } path { edgeId } } }
    ${PAGE_INFO}
  }
}`);

interface ActivityAnswer {
  coverage: {
    source: string;
    account: string;
    days: number;
    events: number;
    firstEvent: string;
    lastEvent: string;
  }[];
  granted: { type: string; target: string; used: boolean; useCount: number; lastUsed: string | null }[];
  denied: { action: string; count: number }[];
}

const ACTIVITY = gql<{ activity: ActivityAnswer }, { id: string }>(`
query ExplorerIdentityActivity($id: ID!) {
  activity(identity: $id) {
    coverage { source account days events firstEvent lastEvent }
    granted { type target used useCount lastUsed }
    denied { action count }
  }
}`);

/**
 * One identity: who it is and who owns it, what it can reach (its blast radius in counts from
 * `reachableFromSummary`, each a drill-down to the paged `reachableFrom` list with the matching
 * filter, the loaded rows grouped by environment), its credentials, its findings and what its logs
 * show. However large the blast radius, only the counts and one page of rows are fetched.
 */
@customElement('rg-identity-page')
export class IdentityPage extends Page {
  static override styles = [
    shared,
    css`
      dl.facts {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 0.25rem 1rem;
        margin: 0 0 1rem;
      }
      dl.facts dt {
        font-weight: 600;
        color: var(--rg-muted);
      }
      dl.facts dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
      .summary {
        display: flex;
        flex-wrap: wrap;
        gap: 1rem 2.5rem;
        margin: 0.5rem 0 1rem;
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
      .toolbar {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
        align-items: center;
      }
      .severity-CRITICAL {
        color: var(--rg-critical);
        font-weight: 600;
      }
      .severity-HIGH {
        color: var(--rg-high);
        font-weight: 600;
      }
      .severity-MEDIUM {
        color: var(--rg-medium);
      }
      .severity-LOW {
        color: var(--rg-low);
      }
    `,
  ];

  @state() accessor extraRadius: ReachRow[] = [];
  @state() accessor radiusPage: PageInfo | null = null;
  @state() accessor moreError: Error | null = null;

  private get identityId(): string {
    return this.params.id ?? '';
  }

  private get level(): string {
    return this.query.get('level') ?? '';
  }

  /** The resource filter of the drill-down (`?environment=PRODUCTION&provider=AWS`). */
  private get to(): ResourceFilter {
    const to: ResourceFilter = {};
    for (const key of DRILL_KEYS) {
      const value = this.query.get(key);
      if (value) to[key] = [value];
    }
    return to;
  }

  /** This page narrowed to one more value (or the value replaced). */
  private narrowed(key: string, value: string): string {
    const query: Record<string, string> = {};
    for (const [k, v] of this.query.entries()) if (k !== 'theme') query[k] = v;
    query[key] = value;
    return href(`/identity/${encodeURIComponent(this.identityId)}`, query);
  }

  private readonly identity = new Loader(
    this,
    () => this.identityId,
    async (signal) => (await api.request(IDENTITY, { id: this.identityId }, { signal })).node,
  );

  private readonly radius = new Loader(
    this,
    () => `${this.identityId}?${this.query.toString()}`,
    async (signal) => {
      const [summary, answer] = await Promise.all([
        api.request(RADIUS_SUMMARY, { id: this.identityId, to: this.to }, { signal }),
        api.request(
          BLAST_RADIUS,
          { id: this.identityId, first: RADIUS_PAGE, levels: this.level ? [this.level] : null, to: this.to },
          { signal },
        ),
      ]);
      this.extraRadius = [];
      this.moreError = null;
      this.radiusPage = answer.reachableFrom.pageInfo;
      return { summary: summary.reachableFromSummary, rows: answer.reachableFrom.edges.map((e) => e.node) };
    },
  );

  private readonly findings = new Loader(
    this,
    () => this.identityId,
    async (signal) => (await api.request(FINDINGS, { id: this.identityId, first: 25 }, { signal })).findings,
  );

  private readonly activity = new Loader(
    this,
    () => this.identityId,
    async (signal) => {
      try {
        return (await api.request(ACTIVITY, { id: this.identityId }, { signal })).activity;
      } catch (error) {
        // No activity store, or none of this identity's logs: said in the section, not as an error.
        if (error instanceof ApiError && error.code === 'NOT_FOUND') return null;
        throw error;
      }
    },
  );

  private async moreRadius(): Promise<void> {
    if (!this.radiusPage?.endCursor) return;
    try {
      const answer = await api.request(BLAST_RADIUS, {
        id: this.identityId,
        first: RADIUS_PAGE,
        after: this.radiusPage.endCursor,
        levels: this.level ? [this.level] : null,
        to: this.to,
      });
      this.extraRadius = [...this.extraRadius, ...answer.reachableFrom.edges.map((e) => e.node)];
      this.radiusPage = answer.reachableFrom.pageInfo;
    } catch (error) {
      this.moreError = error as Error;
    }
  }

  private chooseLevel(event: Event): void {
    const level = (event.target as HTMLSelectElement).value;
    navigate(this.narrowed('level', level), { replace: true });
  }

  override render() {
    return renderLoad(this.identity.state, (identity) => {
      if (!identity || !('nonHuman' in identity))
        return html`<h1>Identity not found</h1>
          <p>The graph has no identity with the id <code>${this.identityId}</code>. <a href=${links.search()}>Search</a>.</p>`;
      return html`
        <h1>${identity.name}</h1>
        ${this.renderFacts(identity)}
        <section aria-labelledby="radius">
          <h2 id="radius">Blast radius</h2>
          ${this.renderRadius(identity)}
        </section>
        <section aria-labelledby="credentials">
          <h2 id="credentials">Credentials</h2>
          ${this.renderCredentials(identity)}
        </section>
        <section aria-labelledby="findings">
          <h2 id="findings">Findings</h2>
          ${renderLoad(this.findings.state, (findings) => this.renderFindings(findings))}
        </section>
        <section aria-labelledby="activity">
          <h2 id="activity">Activity</h2>
          ${renderLoad(this.activity.state, (activity) => this.renderActivity(activity))}
        </section>
      `;
    });
  }

  private renderFacts(identity: Identity) {
    const ownership = identity.ownership;
    return html`<dl class="facts">
      <dt>Id</dt>
      <dd class="mono">${identity.id}</dd>
      <dt>Type</dt>
      <dd>${identity.kind}${identity.nhiType ? ` (${enumLabel(identity.nhiType)})` : ''}${identity.nonHuman ? ', non-human' : ''}</dd>
      <dt>Provider</dt>
      <dd>${providerLabel(identity.provider)}${identity.account ? html`, account <span class="mono">${identity.account}</span>` : nothing}</dd>
      <dt>Environment</dt>
      <dd>${enumLabel(identity.environment)}</dd>
      <dt>Owner</dt>
      <dd>
        ${
          ownership
            ? html`<strong>${ownership.owner}</strong>
                <span class="muted">(${enumLabel(ownership.confidence)} confidence, from ${ownership.source})</span>
                ${ownership.contacts.length ? html`<br />Contacts: ${ownership.contacts.join(', ')}` : nothing}
                ${
                  ownership.conflict
                    ? html`<br /><span class="error">Sources disagree:</span>
                        ${ownership.candidates.map((c) => `${c.owner} (${c.source})`).join('; ')}`
                    : nothing
                }`
            : identity.nonHuman
              ? html`<span class="error">Unowned</span>: no owners file rule, tag, label or scope names an owner.`
              : 'none recorded'
        }
      </dd>
      ${identity.scope ? html`<dt>Scope</dt><dd class="mono">${identity.scope}</dd>` : nothing}
      ${
        identity.firstSeen || identity.lastSeen
          ? html`<dt>Seen</dt><dd>${day(identity.firstSeen)} to ${day(identity.lastSeen)}</dd>`
          : nothing
      }
    </dl>`;
  }

  private renderRadius(identity: Identity) {
    const levelSelect = html`<div class="toolbar">
      <label
        >Access level
        <select @change=${this.chooseLevel}>
          <option value="" ?selected=${!this.level}>Any</option>
          ${LEVELS.map((l) => html`<option value=${l} ?selected=${this.level === l}>${enumLabel(l)}</option>`)}
        </select>
      </label>
    </div>`;
    return html`${levelSelect}
    ${renderLoad(this.radius.state, ({ summary, rows: first }) => {
      const rows = [...first, ...this.extraRadius];
      const to = this.to;
      const narrowedBy = Object.entries({
        level: this.level,
        ...Object.fromEntries(DRILL_KEYS.map((k) => [k, to[k]?.[0]])),
      }).filter(([, v]) => v) as [string, string][];
      const narrowing = narrowedBy.length
        ? html`<p>
            Narrowed to ${narrowedBy.map(([k, v]) => html`<span class="badge">${k}: ${enumLabel(v)}</span> `)}
            <a href=${links.identity(this.identityId)}>show the whole blast radius</a>
          </p>`
        : nothing;
      if (summary.total === 0)
        return html`${narrowing}<p class="status">${identity.name} reaches no resource${narrowedBy.length ? ' matching these filters' : ''} within the hop limit.</p>`;
      const more = this.radiusPage?.hasNextPage;
      const selected = (key: string) =>
        key === 'level' ? this.level : to[key as (typeof DRILL_KEYS)[number]]?.[0];
      const drill = (key: string) => (value: string) => this.narrowed(key, value);
      return html`
        <p class="total">
          ${identity.name} can reach <strong>${summary.total.toLocaleString('en-US')}</strong>
          resource${summary.total === 1 ? '' : 's'}${Object.keys(to).length ? ' matching these filters' : ''}.
          ${this.level ? html`<span class="muted">(The counts are over every access level; the list below is narrowed to ${enumLabel(this.level)}.)</span>` : nothing}
        </p>
        ${narrowing}
        <div class="summary">
          ${countTable('By environment', summary.byEnvironment, 'enum', drill('environment'), selected('environment'))}
          ${countTable('By access level', summary.byLevel, 'enum', drill('level'), selected('level'))}
          ${countTable('By provider', summary.byProvider, 'provider', drill('provider'), selected('provider'))}
          ${countTable('By sensitivity', summary.bySensitivity, 'enum', drill('sensitivity'), selected('sensitivity'))}
          ${countTable('By kind', summary.byKind, 'kind', drill('kind'), selected('kind'))}
          ${countTable('By hops', summary.byHops, 'hops')}
        </div>
        ${
          rows.length === 0
            ? html`<p class="status">None at ${enumLabel(this.level)}.</p>`
            : html`<p class="muted">${rows.length.toLocaleString('en-US')}${more ? '+' : ''} shown, by environment${more ? `, ${RADIUS_PAGE} at a time` : ''}.</p>`
        }
        ${ENVIRONMENTS.map((env) => {
          const group = rows.filter((r) => r.to.environment === env);
          if (group.length === 0) return nothing;
          return html`<h3 id=${`env-${env}`}>${enumLabel(env)} <span class="muted">(${group.length}${more ? '+' : ''})</span></h3>
            ${this.radiusTable(identity, group, `Resources in ${enumLabel(env)}`)}`;
        })}
        ${more ? html`<button class="more" @click=${this.moreRadius}>Load ${RADIUS_PAGE} more</button>` : nothing}
        ${this.moreError ? failure(this.moreError) : nothing}
      `;
    })}`;
  }

  private radiusTable(identity: Identity, rows: ReachRow[], caption: string) {
    return html`<table class="radius">
      <caption class="visually-hidden">${caption}</caption>
      <thead>
        <tr>
          <th scope="col">Resource</th>
          <th scope="col">Type</th>
          <th scope="col">Provider</th>
          <th scope="col">Access</th>
          <th scope="col">Hops</th>
          <th scope="col">Route</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (row) => html`<tr>
            <td class="name"><a href=${links.resource(row.to.id)}>${row.to.name}</a></td>
            <td>${row.to.kind}${row.to.sensitivity && row.to.sensitivity !== 'UNKNOWN' ? html` <span class="muted">(${enumLabel(row.to.sensitivity)} sensitivity)</span>` : nothing}</td>
            <td>${providerLabel(row.to.provider)}</td>
            <td>${row.levels.map(enumLabel).join(', ')}${row.conditional ? html` <span class="badge">conditional</span>` : nothing}</td>
            <td>${row.length - 1}</td>
            <td>
              <a href=${links.path(identity.id, row.to.id)}
                >${row.via.length ? `${row.via.map(enumLabel).join(' → ')} → ` : ''}access<span class="visually-hidden"
                  >: route from ${identity.name} to ${row.to.name}</span
                ></a
              >
            </td>
          </tr>`,
        )}
      </tbody>
    </table>`;
  }

  private renderCredentials(identity: Identity) {
    if (identity.credentials.length === 0) return html`<p class="status">No long-lived credential.</p>`;
    return html`<table>
      <caption class="visually-hidden">Credentials of ${identity.name}</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Kind</th>
          <th scope="col">Status</th>
          <th scope="col">Created</th>
          <th scope="col">Age (days)</th>
          <th scope="col">Last used</th>
        </tr>
      </thead>
      <tbody>
        ${identity.credentials.map(
          (c) => html`<tr>
            <td class="mono">${c.name}</td>
            <td>${c.kind}</td>
            <td>${c.status ?? ''}</td>
            <td>${day(c.createdAt)}</td>
            <td>${c.ageDays ?? ''}</td>
            <td>${c.lastUsedAt ? day(c.lastUsedAt) : html`<span class="muted">never recorded</span>`}</td>
          </tr>`,
        )}
      </tbody>
    </table>`;
  }

  private renderFindings(findings: Connection<FindingRow>) {
    const rows = findings.edges.map((e) => e.node);
    if (rows.length === 0)
      return html`<p class="status">No finding recorded (findings come from <code>reachgraph report</code>).</p>`;
    return html`<table class="findings">
        <caption class="visually-hidden">Findings about ${this.identityId}</caption>
        <thead>
          <tr>
            <th scope="col">Severity</th>
            <th scope="col">Finding</th>
            <th scope="col">Target</th>
            <th scope="col">Status</th>
            <th scope="col">Last seen</th>
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            (f) => html`<tr>
              <td class=${`severity-${f.severity}`}>${enumLabel(f.severity)}</td>
              <td>${f.title} <span class="muted mono">${f.rule.id}</span></td>
              <td class="name">
                ${
                  f.target
                    ? f.path.length
                      ? html`<a href=${links.path(this.identityId, f.target.id)}>${f.target.name}</a>`
                      : f.target.name
                    : ''
                }
              </td>
              <td>${enumLabel(f.status)}</td>
              <td>${day(f.lastSeen)}</td>
            </tr>`,
          )}
        </tbody>
      </table>
      ${findings.pageInfo.hasNextPage ? html`<p><a href=${links.findings({ subject: this.identityId })}>All findings</a></p>` : nothing}`;
  }

  private renderActivity(activity: ActivityAnswer | null) {
    if (!activity || activity.coverage.length === 0)
      return html`<p class="status">No activity logs cover this identity (<code>reachgraph ingest</code> adds them).</p>`;
    const used = activity.granted.filter((g) => g.used).length;
    return html`<p>
        ${used} of ${activity.granted.length} granted edges were used over the logged window;
        ${activity.denied.reduce((sum, d) => sum + d.count, 0)} calls were refused.
      </p>
      <table>
        <caption class="visually-hidden">Log coverage</caption>
        <thead>
          <tr>
            <th scope="col">Logs</th>
            <th scope="col">Account</th>
            <th scope="col">Days</th>
            <th scope="col">Events</th>
            <th scope="col">From</th>
            <th scope="col">To</th>
          </tr>
        </thead>
        <tbody>
          ${activity.coverage.map(
            (c) => html`<tr>
              <td>${c.source}</td>
              <td class="mono">${c.account}</td>
              <td>${c.days}</td>
              <td>${c.events}</td>
              <td>${day(c.firstEvent)}</td>
              <td>${day(c.lastEvent)}</td>
            </tr>`,
          )}
        </tbody>
      </table>`;
  }
}
