import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api } from '../api.js';
import { gql } from '../graphql.js';
import { links } from '../links.js';
import { Loader } from '../load.js';
import { Page } from '../page.js';
import { defineRoute, navigate } from '../router.js';
import { shared } from '../styles.js';
import { enumLabel, failure, renderLoad } from '../views.js';
import { FINDING_FIELDS, type FindingRow, findingTable } from './finding-rows.js';

defineRoute({ path: '/findings', tag: 'rg-findings-page', nav: 'Findings', title: () => 'Findings' });

const PAGE_SIZE = 25;
const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO'] as const;
const STATUSES = ['OPEN', 'SUPPRESSED', 'RESOLVED'] as const;

interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

interface ReportRun {
  id: string;
  generatedAt: string;
  total: number;
  byRule: { ruleId: string; count: number }[];
}

interface Filter {
  ruleId?: string[];
  severity?: string[];
  status?: string[];
  owner?: string;
  newSince?: string;
}

const FINDINGS = gql<
  { findings: { edges: { node: FindingRow }[]; pageInfo: PageInfo } },
  { filter: Filter; first: number; after?: string | null }
>(`query FindingsPage($filter: FindingFilter, $first: Int, $after: String) {
  findings(filter: $filter, first: $first, after: $after) {
    edges { node { ${FINDING_FIELDS} } }
    pageInfo { hasNextPage endCursor }
  }
}`);

const REPORTS = gql<{ reportRuns: ReportRun[] }>(`query FindingsReports {
  reportRuns(last: 20) { id generatedAt total byRule { ruleId count } }
}`);

interface Data {
  findings: FindingRow[];
  reports: ReportRun[];
}

/**
 * Stored findings, most severe first, filtered by rule, severity, owner, status and "new since a
 * report"; each names its subject and target with links to their pages and, for a path, its route.
 * The filter lives in the address, so a filtered list can be linked to.
 */
@customElement('rg-findings-page')
export class FindingsPage extends Page {
  static override styles = [shared];

  @state() accessor extra: FindingRow[] = [];
  @state() accessor pageInfo: PageInfo | null = null;
  @state() accessor moreError: Error | null = null;

  private get filter(): Filter {
    const q = (name: string) => this.query.get(name) ?? '';
    const status = q('status') || 'OPEN';
    return {
      ...(q('rule') ? { ruleId: [q('rule')] } : {}),
      ...(q('severity') ? { severity: [q('severity')] } : {}),
      ...(status === 'ANY' ? {} : { status: [status] }),
      ...(q('owner') ? { owner: q('owner') } : {}),
      ...(q('newSince') ? { newSince: q('newSince') } : {}),
    };
  }

  private readonly data = new Loader<Data>(
    this,
    () => this.query.toString(),
    async (signal) => {
      const [findings, reports] = await Promise.all([
        api.request(FINDINGS, { filter: this.filter, first: PAGE_SIZE }, { signal }),
        api.request(REPORTS, {}, { signal }),
      ]);
      this.extra = [];
      this.pageInfo = findings.findings.pageInfo;
      return { findings: findings.findings.edges.map((e) => e.node), reports: reports.reportRuns };
    },
  );

  private async loadMore(): Promise<void> {
    if (!this.pageInfo?.endCursor) return;
    try {
      const next = await api.request(FINDINGS, {
        filter: this.filter,
        first: PAGE_SIZE,
        after: this.pageInfo.endCursor,
      });
      this.extra = [...this.extra, ...next.findings.edges.map((e) => e.node)];
      this.pageInfo = next.findings.pageInfo;
    } catch (error) {
      this.moreError = error as Error;
    }
  }

  private submit(event: SubmitEvent): void {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const value = (name: string) => String(data.get(name) ?? '').trim() || undefined;
    navigate(
      links.findings({
        rule: value('rule'),
        severity: value('severity'),
        status: value('status') === 'OPEN' ? undefined : value('status'),
        owner: value('owner'),
        newSince: value('newSince'),
      }),
    );
  }

  override render() {
    return html`
      <h1>Findings</h1>
      ${renderLoad(this.data.state, (data) => this.renderPage(data), 'Loading findings')}
      ${this.moreError ? failure(this.moreError) : nothing}
    `;
  }

  private renderPage(data: Data) {
    const q = (name: string) => this.query.get(name) ?? '';
    const rules = [...new Set(data.reports.flatMap((r) => r.byRule.map((b) => b.ruleId)))].sort();
    if (q('rule') && !rules.includes(q('rule'))) rules.push(q('rule'));
    const status = q('status') || 'OPEN';
    const rows = [...data.findings, ...this.extra];
    return html`
      <form class="filters" role="search" aria-label="Filter findings" @submit=${this.submit}>
        <label
          >Rule
          <select name="rule">
            <option value="" ?selected=${!q('rule')}>Any</option>
            ${rules.map((r) => html`<option value=${r} ?selected=${q('rule') === r}>${r}</option>`)}
          </select>
        </label>
        <label
          >Severity
          <select name="severity">
            <option value="" ?selected=${!q('severity')}>Any</option>
            ${SEVERITIES.map((s) => html`<option value=${s} ?selected=${q('severity') === s}>${enumLabel(s)}</option>`)}
          </select>
        </label>
        <label
          >Status
          <select name="status">
            ${STATUSES.map((s) => html`<option value=${s} ?selected=${status === s}>${enumLabel(s)}</option>`)}
            <option value="ANY" ?selected=${status === 'ANY'}>Any</option>
          </select>
        </label>
        <label
          >Owner
          <input name="owner" type="text" .value=${q('owner')} placeholder="payments" />
        </label>
        <label
          >New since report
          <select name="newSince">
            <option value="" ?selected=${!q('newSince')}>Any time</option>
            ${data.reports.map(
              (r) =>
                html`<option value=${r.id} ?selected=${q('newSince') === r.id}>
                  ${r.generatedAt.slice(0, 16).replace('T', ' ')} (${r.total} findings)
                </option>`,
            )}
          </select>
        </label>
        <button type="submit" class="primary">Filter</button>
      </form>
      <p class="status" role="status">
        ${rows.length}${this.pageInfo?.hasNextPage ? '+' : ''} finding${rows.length === 1 ? '' : 's'} shown.
        <a href=${links.changes()}>What the last report changed</a>
      </p>
      ${rows.length ? findingTable(rows, 'Findings matching the filter') : html`<p class="status">No finding matches.</p>`}
      ${this.pageInfo?.hasNextPage ? html`<button class="more" @click=${this.loadMore}>More findings</button>` : nothing}
    `;
  }
}
