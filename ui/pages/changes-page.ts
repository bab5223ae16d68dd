import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api } from '../api.js';
import { gql } from '../graphql.js';
import { links } from '../links.js';
import { Loader } from '../load.js';
import { Page } from '../page.js';
import { defineRoute } from '../router.js';
import { day, failure, renderLoad } from '../views.js';
import { FINDING_FIELDS, type FindingRow, findingTable } from './finding-rows.js';

defineRoute({ path: '/changes', tag: 'rg-changes-page', nav: 'Changes', title: () => 'Changes' });

const PAGE_SIZE = 25;

interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

interface Connection {
  edges: { node: FindingRow }[];
  pageInfo: PageInfo;
}

interface Run {
  id: string;
  generatedAt: string;
  total: number;
  newCount: number;
  resolvedCount: number;
  unchangedCount: number;
}

interface Changes {
  report: Run;
  previous: Run | null;
  added: Connection;
  removed: Connection;
}

const RUN = 'id generatedAt total newCount resolvedCount unchangedCount';

const CHANGES = gql<{ reportChanges: Changes | null }, { report: string | null; first: number }>(
  `query ChangesPage($report: ID, $first: Int) {
    reportChanges(report: $report) {
      report { ${RUN} }
      previous { ${RUN} }
      added(first: $first) { edges { node { ${FINDING_FIELDS} } } pageInfo { hasNextPage endCursor } }
      removed(first: $first) { edges { node { ${FINDING_FIELDS} } } pageInfo { hasNextPage endCursor } }
    }
  }`,
);

const MORE_ADDED = gql<
  { reportChanges: { added: Connection } | null },
  { report: string; first: number; after: string }
>(`query ChangesAdded($report: ID, $first: Int, $after: String) {
  reportChanges(report: $report) { added(first: $first, after: $after) { edges { node { ${FINDING_FIELDS} } } pageInfo { hasNextPage endCursor } } }
}`);

const MORE_REMOVED = gql<
  { reportChanges: { removed: Connection } | null },
  { report: string; first: number; after: string }
>(`query ChangesRemoved($report: ID, $first: Int, $after: String) {
  reportChanges(report: $report) { removed(first: $first, after: $after) { edges { node { ${FINDING_FIELDS} } } pageInfo { hasNextPage endCursor } } }
}`);

/**
 * What a report run (the latest, or `?report=ID`) added and removed against the report it was
 * compared with: the findings, with their paths' ends linked, a page at a time from the server.
 */
@customElement('rg-changes-page')
export class ChangesPage extends Page {
  @state() accessor extra: { added: FindingRow[]; removed: FindingRow[] } = { added: [], removed: [] };
  @state() accessor pages: { added: PageInfo | null; removed: PageInfo | null } = {
    added: null,
    removed: null,
  };
  @state() accessor moreError: Error | null = null;
  private shownReport = '';

  private readonly data = new Loader<Changes | null>(
    this,
    () => this.query.get('report') ?? '',
    async (signal) => {
      const answer = await api.request(
        CHANGES,
        { report: this.query.get('report') || null, first: PAGE_SIZE },
        { signal },
      );
      const changes = answer.reportChanges;
      this.extra = { added: [], removed: [] };
      this.pages = { added: changes?.added.pageInfo ?? null, removed: changes?.removed.pageInfo ?? null };
      this.shownReport = changes?.report.id ?? '';
      return changes;
    },
  );

  private async loadMore(side: 'added' | 'removed'): Promise<void> {
    const page = this.pages[side];
    if (!page?.endCursor) return;
    try {
      const variables = { report: this.shownReport, first: PAGE_SIZE, after: page.endCursor };
      const next =
        side === 'added'
          ? (await api.request(MORE_ADDED, variables)).reportChanges?.added
          : (await api.request(MORE_REMOVED, variables)).reportChanges?.removed;
      if (!next) return;
      this.extra = { ...this.extra, [side]: [...this.extra[side], ...next.edges.map((e) => e.node)] };
      this.pages = { ...this.pages, [side]: next.pageInfo };
    } catch (error) {
      this.moreError = error as Error;
    }
  }

  override render() {
    return html`
      <h1>Changes</h1>
      ${renderLoad(this.data.state, (changes) => this.renderChanges(changes), 'Loading the last report')}
      ${this.moreError ? failure(this.moreError) : nothing}
    `;
  }

  private renderChanges(changes: Changes | null) {
    if (!changes)
      return html`<p class="status">
        No report has been recorded yet: <code>reachgraph report</code> records one, and the next shows what changed.
      </p>`;
    const { report, previous } = changes;
    return html`
      <p>
        Report <span class="mono">${report.id}</span> of ${day(report.generatedAt)}
        ${
          previous
            ? html`against <span class="mono">${previous.id}</span> of ${day(previous.generatedAt)}`
            : html`(the first report: every finding is new)`
        }: ${report.newCount} added, ${report.resolvedCount} removed, ${report.unchangedCount} unchanged,
        ${report.total} active. <a href=${links.findings({ newSince: previous?.id })}>Open findings new since then</a>
      </p>
      ${this.renderSide('added', 'Added', changes.added)} ${this.renderSide('removed', 'Removed', changes.removed)}
    `;
  }

  private renderSide(side: 'added' | 'removed', title: string, first: Connection) {
    const rows = [...first.edges.map((e) => e.node), ...this.extra[side]];
    const page = this.pages[side];
    return html`<section aria-labelledby=${side}>
      <h2 id=${side}>${title} <span class="muted">(${rows.length}${page?.hasNextPage ? '+' : ''} shown)</span></h2>
      ${rows.length ? findingTable(rows, `Findings the report ${side}`) : html`<p class="status">None.</p>`}
      ${
        page?.hasNextPage
          ? html`<button class="more" @click=${() => this.loadMore(side)}>More ${title.toLowerCase()}</button>`
          : nothing
      }
    </section>`;
  }
}
