import type { Evidence } from '../../model/evidence.js';
import {
  helpReferences,
  RELATIONSHIP_KINDS,
  type RelationshipKindSpec,
  relationshipKind,
} from '../../model/relationship-kinds.js';
import { COMPLIANCE_FRAMEWORKS } from '../rules/schema.js';
import {
  type ActivityEvent,
  type Finding,
  type FindingHop,
  type Report,
  SEVERITIES,
  type Severity,
  severityRank,
} from '../types.js';
import { pathDiagramSvg } from './diagram.js';
import { escapeHtml as esc } from './escape.js';
import { contentSecurityPolicy, REPORT_CSS, REPORT_SCRIPT } from './html-assets.js';
import {
  baselineSentence,
  capitalized,
  changedPathPhrase,
  dateOf,
  factText,
  groupBySeverity,
  hopLabel,
  hopUseText,
  newPathPhrase,
  type Phrase,
  pathText,
  removedPathPhrase,
  routeUseText,
  severityLabel,
  splitByConditionality,
  timestampOf,
  undecidedConditions,
} from './text.js';

/**
 * The report as one self-contained HTML file: inline style sheet and script admitted by hash, path
 * diagrams as inline SVG laid out at format time, nothing fetched, readable offline and on paper.
 * Every string that came from the graph passes through escapeHtml exactly once, where it is written.
 */

/** Diagram ids must be unique within the page: one counter per formatted report. */
class Ids {
  private next = 0;
  diagram(): string {
    this.next += 1;
    return `path${this.next}`;
  }
}

function code(value: string): string {
  return `<code>${esc(value)}</code>`;
}

function time(iso: string): string {
  return `<time datetime="${esc(iso)}">${esc(timestampOf(iso))}</time>`;
}

function findingAnchor(finding: Finding): string {
  return `finding-${finding.fingerprint.replace(/[^A-Za-z0-9_-]/g, '')}`;
}

function phrase(parts: Phrase): string {
  return parts.map((part) => (typeof part === 'string' ? esc(part) : code(part.name))).join('');
}

/** The project's own rule texts use `code` spans; everything else in them is shown as text. */
function ruleText(value: string): string {
  return esc(value.trim()).replace(/`([^`]+)`/g, '<code>$1</code>');
}

function badge(severity: Severity): string {
  return `<span class="badge sev-${severity}">${severityLabel(severity)}</span>`;
}

/** A header cell whose button sorts the table by that column. */
function sortableHeader(label: string, className = ''): string {
  const cls = className ? ` class="${className}"` : '';
  return `<th scope="col"${cls} aria-sort="none"><button type="button">${esc(label)}</button></th>`;
}

function header(report: Report): string {
  const meta: [string, string][] = [
    ['Generated', time(report.generatedAt)],
    [
      'Graph run',
      report.graphRun
        ? `${code(report.graphRun.id)}${report.graphRun.finishedAt ? `, finished ${time(report.graphRun.finishedAt)}` : ''}`
        : 'none recorded',
    ],
    ...(report.graphRun?.asOf ? [['Analyzed as of', time(report.graphRun.asOf)] as [string, string]] : []),
    ['Report', code(report.id)],
  ];
  if (report.job) meta.push(['Job', code(report.job)]);
  if (report.owner !== undefined) meta.push(['Owner', `${code(report.owner)} (only its findings)`]);
  if (report.diff.previousReportId && report.diff.previousGeneratedAt) {
    meta.push([
      'Compared with',
      `${code(report.diff.previousReportId)} of ${time(report.diff.previousGeneratedAt)}`,
    ]);
  }
  const s = report.summary;
  const expired = report.expiredSuppressions.length;
  return [
    '<header class="report-header">',
    '<h1>reachgraph risk report</h1>',
    `<dl class="meta">${meta.map(([dt, dd]) => `<div><dt>${dt}</dt><dd>${dd}</dd></div>`).join('')}</dl>`,
    '<ul class="severity-summary" aria-label="Active findings by severity">',
    ...SEVERITIES.map(
      (severity) =>
        `<li class="sev-${severity}"><span class="count">${s.bySeverity[severity]}</span>${severityLabel(severity)}</li>`,
    ),
    '</ul>',
    `<p>${s.total} active finding${s.total === 1 ? '' : 's'}, ${s.conditional} of them conditional; ${s.suppressed} suppressed; ${expired} expired suppression${expired === 1 ? '' : 's'}.</p>`,
    '</header>',
  ].join('\n');
}

function nav(): string {
  const items = [
    ['changes', 'What changed'],
    ['summary', 'Summary by rule'],
    ['findings', 'Findings'],
    ['conditional', 'Conditional findings'],
    ['suppressed', 'Suppressions'],
    ['rules', 'Rules'],
    ['edge-types', 'Edge types'],
  ];
  return `<nav aria-label="Contents"><ol>${items.map(([id, label]) => `<li><a href="#${id}">${label}</a></li>`).join('')}</ol></nav>`;
}

function linked(report: Report, finding: Finding, html: string): string {
  const active = report.findings.some((f) => f.fingerprint === finding.fingerprint);
  return active ? `${html} <a href="#${findingAnchor(finding)}">details</a>` : html;
}

function findingItem(report: Report, finding: Finding): string {
  const target = finding.target ? ` → ${code(finding.target.name)}` : '';
  return linked(
    report,
    finding,
    `${badge(finding.severity)} ${code(finding.ruleId)}: ${code(finding.subject.name)}${target}: ${esc(finding.message)}`,
  );
}

function changes(report: Report, ids: Ids): string {
  const { diff } = report;
  const out = [
    '<section id="changes">',
    diff.previousGeneratedAt
      ? `<h2>What changed since ${esc(dateOf(diff.previousGeneratedAt))}</h2>`
      : '<h2>What changed: first report, every finding is new</h2>',
  ];
  if (!diff.previousGeneratedAt) {
    // Listing every finding here as well as below would only double the report.
    out.push(`<p>${esc(baselineSentence(report))}</p>`, '</section>');
    return out.join('\n');
  }
  out.push(
    `<p>${diff.newFindings.length} new, ${diff.resolvedFindings.length} resolved, ${diff.unchangedCount} unchanged.</p>`,
  );
  const list = (title: string, items: string[]) => {
    if (items.length > 0)
      out.push(`<h3>${title}</h3>`, `<ul class="changes">${items.map((i) => `<li>${i}</li>`).join('')}</ul>`);
  };
  list(
    'New paths from non-human identities to production data',
    diff.newPaths.map((f) => linked(report, f, phrase(capitalized(newPathPhrase(report, f))))),
  );
  list(
    'Removed paths',
    diff.removedPaths.map((f) => phrase(capitalized(removedPathPhrase(report, f)))),
  );
  list(
    'Changed paths',
    diff.changedPaths.map((c) => {
      const sentence = linked(
        report,
        c.after,
        phrase(capitalized(changedPathPhrase(report, c.before, c.after))),
      );
      const routes =
        `<details><summary>Routes before and after</summary><div class="routes">` +
        `${diagramFigure(c.before.path, ids, `Before: ${pathText(c.before.path)}`)}` +
        `${diagramFigure(c.after.path, ids, `After: ${pathText(c.after.path)}`)}</div></details>`;
      return `${sentence}${routes}`;
    }),
  );
  list(
    'New findings',
    diff.newFindings.map((f) => findingItem(report, f)),
  );
  list(
    'Resolved findings',
    diff.resolvedFindings.map((f) => findingItem(report, f)),
  );
  const total =
    diff.newFindings.length +
    diff.resolvedFindings.length +
    diff.newPaths.length +
    diff.removedPaths.length +
    diff.changedPaths.length;
  if (total === 0) out.push('<p>Nothing changed.</p>');
  out.push('</section>');
  return out.join('\n');
}

function summaryByRule(report: Report): string {
  const rules = new Map(report.rules.map((r) => [r.id, r]));
  const ids = [...new Set([...report.rules.map((r) => r.id), ...Object.keys(report.summary.byRule)])];
  const rows = ids.map((id) => {
    const rule = rules.get(id);
    const count = report.summary.byRule[id] ?? 0;
    const severity = rule?.severity;
    return [
      '<tr>',
      `<td>${code(id)}</td>`,
      `<td>${rule ? esc(rule.title) : ''}</td>`,
      `<td>${rule ? esc(rule.category) : ''}</td>`,
      severity
        ? `<td data-sort="${4 - severityRank(severity)}">${badge(severity)}</td>`
        : '<td data-sort="9"></td>',
      `<td class="num">${count}</td>`,
      '</tr>',
    ].join('');
  });
  return [
    '<section id="summary">',
    '<h2>Summary by rule</h2>',
    '<table class="sortable"><thead><tr>',
    sortableHeader('Rule'),
    sortableHeader('Title'),
    sortableHeader('Category'),
    sortableHeader('Default severity'),
    sortableHeader('Findings', 'num'),
    '</tr></thead><tbody>',
    ...rows,
    '</tbody></table>',
    '</section>',
  ].join('\n');
}

function findingsTable(findings: Finding[], caption: string): string {
  const rows = findings.map((f) =>
    [
      '<tr>',
      `<td data-sort="${4 - severityRank(f.severity)}">${badge(f.severity)}</td>`,
      `<td>${code(f.ruleId)}</td>`,
      `<td>${esc(f.subject.name)} <span class="kind">${esc(f.subject.kind)}</span></td>`,
      `<td>${f.target ? `${esc(f.target.name)} <span class="kind">${esc(f.target.kind)}</span>` : ''}</td>`,
      `<td>${f.owner ? esc(f.owner) : '<span class="note">unowned</span>'}</td>`,
      `<td>${esc(f.message)}${f.conditional ? ' <span class="tag">conditional</span>' : ''}</td>`,
      `<td class="nowrap" data-sort="${esc(f.firstSeen ?? '')}">${f.firstSeen ? esc(dateOf(f.firstSeen)) : ''}</td>`,
      `<td><a href="#${findingAnchor(f)}">details</a></td>`,
      '</tr>',
    ].join(''),
  );
  return [
    '<table class="sortable findings-table">',
    `<caption class="note">${esc(caption)}</caption>`,
    '<thead><tr>',
    sortableHeader('Severity'),
    sortableHeader('Rule'),
    sortableHeader('Subject'),
    sortableHeader('Target'),
    sortableHeader('Owner'),
    sortableHeader('Message'),
    sortableHeader('First seen'),
    '<th scope="col"><span class="note">Finding</span></th>',
    '</tr></thead><tbody>',
    ...rows,
    '</tbody></table>',
  ].join('\n');
}

function diagramFigure(path: FindingHop[], ids: Ids, caption: string): string {
  if (path.length === 0) return '';
  return `<figure class="diagram">${pathDiagramSvg(path, ids.diagram())}<figcaption>${esc(caption)}</figcaption></figure>`;
}

/** One logged event behind an anomaly. */
function eventItem(e: ActivityEvent): string {
  const on = e.resource ? ` on ${code(e.resource)}` : '';
  const from = [e.source, e.region]
    .filter((v): v is string => Boolean(v))
    .map(code)
    .join(' ');
  const id = e.requestId ? ` · request ${code(e.requestId)}` : '';
  return `<li>${code(e.time)} ${code(e.action)}${on} (${esc(e.outcome)})${from ? ` from ${from}` : ''}${id}</li>`;
}

function evidenceItem(e: Evidence): string {
  const statement = e.statement !== undefined ? ` statement ${code(e.statement)}` : '';
  const conditions = e.conditions?.length
    ? `<br><span class="undecided">Undecided conditions: ${e.conditions.map(code).join(', ')}</span>`
    : '';
  return `<li><span class="evidence-source">${esc(e.source)}</span> ${code(e.ref)}${statement}: ${esc(e.reason)}${conditions}</li>`;
}

const edgeTypeAnchor = (type: string) => `edge-${type.replace(/[^A-Za-z0-9_-]/g, '')}`;

/** The hop's label, linked to its edge type's help below, with the type's meaning as a tooltip. */
function edgeTypeLink(hop: FindingHop): string {
  const kind = relationshipKind(hop.type);
  if (!kind?.help) return esc(hopLabel(hop));
  return `<a href="#${edgeTypeAnchor(kind.type)}" title="${esc(kind.meaning)}">${esc(hopLabel(hop))}</a>`;
}

/** The hop's use over the covered window: a green "used" or a grey "unused" tag; nothing when unknown. */
function useTag(hop: FindingHop): string {
  const use = hopUseText(hop);
  if (!use) return '';
  return ` <span class="${hop.used ? 'used' : 'unused'}" title="over the window the activity logs cover">${esc(use)}</span>`;
}

function hopItem(hop: FindingHop): string {
  const undecided = undecidedConditions(hop.evidence);
  const evidence =
    hop.evidence.length > 0
      ? `<details><summary>Evidence (${hop.evidence.length})${undecided.length ? ', undecided conditions' : ''}</summary><ul>${hop.evidence.map(evidenceItem).join('')}</ul></details>`
      : `<div class="note">${esc(hop.reason)}</div>`;
  return [
    '<li>',
    `${code(hop.from.name)} <span class="kind">${esc(hop.from.kind)}</span> → `,
    `${code(hop.to.name)} <span class="kind">${esc(hop.to.kind)}</span>: `,
    `<strong>${edgeTypeLink(hop)}</strong>`,
    hop.conditional ? ' <span class="tag">conditional</span>' : '',
    useTag(hop),
    `<div>${esc(hop.reason)}</div>`,
    undecided.length > 0
      ? `<div class="undecided">Holds only if these conditions are met: ${undecided.map(code).join(', ')}</div>`
      : '',
    evidence,
    '</li>',
  ].join('');
}

function findingArticle(report: Report, finding: Finding, ids: Ids): string {
  const rule = report.rules.find((r) => r.id === finding.ruleId);
  const target = finding.target ? ` → ${code(finding.target.name)}` : '';
  const facts: [string, string][] = [
    ['Rule', `${code(finding.ruleId)} (${esc(finding.category)})`],
    [
      'Subject',
      `${code(finding.subject.name)} <span class="kind">${esc(finding.subject.kind)}</span> ${code(finding.subject.id)}`,
    ],
  ];
  if (finding.owner) facts.push(['Owner', code(finding.owner)]);
  if (finding.target) {
    facts.push([
      'Target',
      `${code(finding.target.name)} <span class="kind">${esc(finding.target.kind)}</span> ${code(finding.target.id)}`,
    ]);
  }
  for (const [key, value] of Object.entries(finding.facts)) facts.push([esc(key), esc(factText(value))]);
  if (finding.firstSeen) facts.push(['First seen', time(finding.firstSeen)]);
  facts.push(['Fingerprint', code(finding.fingerprint)]);
  return [
    `<article class="finding sev-${finding.severity}" id="${findingAnchor(finding)}">`,
    `<h4>${badge(finding.severity)} ${esc(finding.title)}: ${code(finding.subject.name)}${target}${finding.conditional ? ' <span class="tag">conditional</span>' : ''}</h4>`,
    `<p class="message">${esc(finding.message)}</p>`,
    `<dl class="facts">${facts.map(([dt, dd]) => `<dt>${dt}</dt><dd>${dd}</dd>`).join('')}</dl>`,
    finding.evidence?.length
      ? `<details class="evidence"><summary>Evidence (${finding.evidence.length})</summary><ul>${finding.evidence.map(evidenceItem).join('')}</ul></details>`
      : '',
    finding.events?.length
      ? `<details class="evidence"><summary>Events (${finding.events.length})</summary><ul>${finding.events.map(eventItem).join('')}</ul></details>`
      : '',
    diagramFigure(finding.path, ids, pathText(finding.path)),
    finding.path.length > 0 ? `<ol class="hops">${finding.path.map(hopItem).join('')}</ol>` : '',
    routeUseText(finding.path) ? `<p class="route-use">${esc(routeUseText(finding.path))}</p>` : '',
    rule
      ? `<details class="recommendation"><summary>Recommendation</summary><p>${ruleText(rule.recommendation)}</p></details>`
      : '',
    '</article>',
  ].join('\n');
}

function findingGroups(report: Report, findings: Finding[], ids: Ids): string[] {
  return groupBySeverity(findings).flatMap((group) => [
    `<h3>${severityLabel(group.severity)} (${group.findings.length})</h3>`,
    ...group.findings.map((f) => findingArticle(report, f, ids)),
  ]);
}

function findingSections(report: Report, ids: Ids): string {
  const { definite, conditional } = splitByConditionality(report.findings);
  return [
    '<section id="findings">',
    '<h2>Findings</h2>',
    report.findings.length > 0
      ? findingsTable(report.findings, 'Every active finding, conditional ones included; sort by any column.')
      : '<p>No active findings.</p>',
    ...findingGroups(report, definite, ids),
    '</section>',
    '<section id="conditional">',
    '<h2>Conditional findings</h2>',
    conditional.length > 0
      ? '<p>These findings hold only under conditions that could not be decided offline (a source IP, a tag on the request, a time window…). Each hop lists its undecided conditions.</p>'
      : '<p>None: every finding above holds without conditions left undecided.</p>',
    ...findingGroups(report, conditional, ids),
    '</section>',
  ].join('\n');
}

function suppressions(report: Report): string {
  const out = ['<section id="suppressed">', `<h2>Suppressed findings (${report.suppressed.length})</h2>`];
  if (report.suppressed.length === 0) out.push('<p>None.</p>');
  else {
    out.push(
      '<table class="sortable"><thead><tr>',
      sortableHeader('Severity'),
      sortableHeader('Rule'),
      sortableHeader('Subject'),
      sortableHeader('Message'),
      sortableHeader('Reason'),
      sortableHeader('Expires'),
      '<th scope="col">Fingerprint</th>',
      '</tr></thead><tbody>',
      ...report.suppressed.map((f) =>
        [
          '<tr>',
          `<td data-sort="${4 - severityRank(f.severity)}">${badge(f.severity)}</td>`,
          `<td>${code(f.ruleId)}</td>`,
          `<td>${esc(f.subject.name)}</td>`,
          `<td>${esc(f.message)}</td>`,
          `<td>${esc(f.suppression?.reason ?? '')}</td>`,
          `<td class="nowrap">${esc(f.suppression?.expires ?? '')}</td>`,
          `<td>${code(f.fingerprint)}</td>`,
          '</tr>',
        ].join(''),
      ),
      '</tbody></table>',
    );
  }
  out.push(`<h3>Expired suppressions (${report.expiredSuppressions.length})</h3>`);
  if (report.expiredSuppressions.length === 0) out.push('<p>None.</p>');
  else {
    out.push(
      '<p>These accepted risks are past their expiry date: their findings are active again.</p>',
      '<table><thead><tr><th scope="col">Finding</th><th scope="col">Reason</th><th scope="col">Expired</th><th scope="col">Fingerprint</th></tr></thead><tbody>',
      ...report.expiredSuppressions.map((s) => {
        const active = report.findings.find((f) => f.fingerprint === s.fingerprint);
        const what = active
          ? `<a href="#${findingAnchor(active)}">${code(active.ruleId)}: ${esc(active.subject.name)}</a>`
          : '<span class="note">no longer found</span>';
        return `<tr><td>${what}</td><td>${esc(s.reason)}</td><td class="nowrap">${esc(s.expires)}</td><td>${code(s.fingerprint)}</td></tr>`;
      }),
      '</tbody></table>',
    );
  }
  out.push('</section>');
  return out.join('\n');
}

function edgeTypeHelp(kind: RelationshipKindSpec): string {
  const help = kind.help;
  if (!help) return '';
  const attack = kind.attack
    ? `<dt>ATT&amp;CK</dt><dd>${code(kind.attack.id)} ${esc(kind.attack.name)}</dd>`
    : '';
  // References are shown, not linked: the report opens nothing by itself.
  const references = helpReferences(kind)
    .map((r) => `<li>${esc(r.title)}: ${code(r.url)}</li>`)
    .join('');
  return [
    `<article class="edge-type" id="${edgeTypeAnchor(kind.type)}">`,
    `<h3>${code(kind.type)}</h3>`,
    `<p>${ruleText(kind.meaning)}</p>`,
    `<dl class="facts">${attack}<dt>General</dt><dd>${ruleText(help.general)}</dd><dt>Abuse</dt><dd>${ruleText(help.abuse)}</dd><dt>Remediation</dt><dd>${ruleText(help.remediation)}</dd></dl>`,
    `<details><summary>References (${helpReferences(kind).length})</summary><ul>${references}</ul></details>`,
    '</article>',
  ].join('\n');
}

/** What each edge type on the findings' paths means, how attackers use it and how to remove it. */
function edgeTypes(report: Report): string {
  const used = new Set(report.findings.flatMap((f) => f.path.map((hop) => hop.type)));
  const kinds = RELATIONSHIP_KINDS.filter((k) => used.has(k.type) && k.help);
  return [
    '<section id="edge-types">',
    '<h2>Edge types</h2>',
    kinds.length > 0
      ? '<p>What each edge on the paths above means, how an attacker uses it and how to remove it.</p>'
      : '<p>No finding has a path.</p>',
    ...kinds.map(edgeTypeHelp),
    '</section>',
  ].join('\n');
}

function rules(report: Report): string {
  const compliance = (r: Report['rules'][number]) =>
    COMPLIANCE_FRAMEWORKS.flatMap(({ key, short }) =>
      (r.compliance[key] ?? []).map((c) => `${short} ${c}`),
    ).join(', ');
  return [
    '<section id="rules">',
    `<h2>Rules (${report.rules.length})</h2>`,
    '<table class="sortable"><thead><tr>',
    sortableHeader('Rule'),
    sortableHeader('Category'),
    sortableHeader('Severity'),
    sortableHeader('Compliance'),
    '<th scope="col">What and how to fix</th>',
    '</tr></thead><tbody>',
    ...report.rules.map((r) =>
      [
        '<tr>',
        `<td>${code(r.id)}<br>${esc(r.title)}</td>`,
        `<td>${esc(r.category)}</td>`,
        `<td data-sort="${4 - severityRank(r.severity)}">${badge(r.severity)}</td>`,
        `<td>${esc(compliance(r))}</td>`,
        `<td><details><summary>Description and recommendation</summary><p>${ruleText(r.description)}</p><p><strong>Recommendation:</strong> ${ruleText(r.recommendation)}</p></details></td>`,
        '</tr>',
      ].join(''),
    ),
    '</tbody></table>',
    '</section>',
  ].join('\n');
}

export function formatHtml(report: Report): string {
  const ids = new Ids();
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${esc(contentSecurityPolicy())}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>reachgraph risk report · ${esc(dateOf(report.generatedAt))}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
    header(report),
    nav(),
    '<main>',
    changes(report, ids),
    summaryByRule(report),
    findingSections(report, ids),
    suppressions(report),
    rules(report),
    edgeTypes(report),
    '</main>',
    `<footer>reachgraph report ${code(report.id)} · schema version ${report.schemaVersion} · generated ${time(report.generatedAt)}. Names come from the collected accounts and are shown as text.</footer>`,
    `<script>${REPORT_SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
