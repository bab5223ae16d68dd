import type { Evidence } from '../../model/evidence.js';
import { type ActivityEvent, type Finding, type FindingHop, type Report, SEVERITIES } from '../types.js';
import { escapeMarkdown, escapeMarkdownLine, markdownCode } from './escape.js';
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
  removedPathPhrase,
  routeUseText,
  severityLabel,
  splitByConditionality,
  timestampOf,
} from './text.js';

/**
 * The report as Markdown (GitHub-flavoured): summary, what changed, findings by severity with every
 * hop's evidence, conditional findings apart, suppressions. Every name and reason from the graph is
 * escaped (a code span, or backslash escapes); rule texts are the project's own Markdown.
 */

const code = markdownCode;
const text = escapeMarkdown;

function phrase(parts: Phrase): string {
  return parts.map((part) => (typeof part === 'string' ? text(part) : code(part.name))).join('');
}

function header(report: Report): string[] {
  const details = [
    `Generated ${timestampOf(report.generatedAt)}`,
    `report ${code(report.id)}`,
    report.graphRun
      ? `graph run ${code(report.graphRun.id)}${report.graphRun.finishedAt ? ` (finished ${timestampOf(report.graphRun.finishedAt)})` : ''}${report.graphRun.asOf ? `, analyzed as of ${timestampOf(report.graphRun.asOf)}` : ''}`
      : 'no collection run recorded in the graph',
  ];
  if (report.job) details.push(`job ${code(report.job)}`);
  const counts = SEVERITIES.map((severity) => `${report.summary.bySeverity[severity]} ${severity}`).join(
    ' · ',
  );
  return ['# reachgraph risk report', '', `${details.join(' · ')}`, '', `**Active findings:** ${counts}`, ''];
}

function summary(report: Report): string[] {
  const { summary: s } = report;
  const lines = [
    '## Summary',
    '',
    `**${s.total} active finding${s.total === 1 ? '' : 's'}**, ${s.conditional} of them conditional; ` +
      `${s.suppressed} suppressed; ${report.expiredSuppressions.length} expired suppression${report.expiredSuppressions.length === 1 ? '' : 's'}.`,
    '',
    '| Severity | Findings |',
    '| --- | ---: |',
    ...SEVERITIES.map((severity) => `| ${severityLabel(severity)} | ${s.bySeverity[severity]} |`),
    '',
  ];
  const ruleIds = [...new Set([...report.rules.map((r) => r.id), ...Object.keys(s.byRule)])];
  const titles = new Map(report.rules.map((r) => [r.id, r]));
  lines.push('| Rule | Title | Severity | Findings |', '| --- | --- | --- | ---: |');
  for (const id of ruleIds) {
    const rule = titles.get(id);
    lines.push(
      `| ${code(id)} | ${rule ? text(rule.title) : ''} | ${rule ? rule.severity : ''} | ${s.byRule[id] ?? 0} |`,
    );
  }
  lines.push('');
  return lines;
}

function findingLine(finding: Finding): string {
  const target = finding.target ? ` → ${code(finding.target.name)}` : '';
  return `- **${severityLabel(finding.severity)}** ${code(finding.ruleId)}: ${code(finding.subject.name)}${target}: ${text(finding.message)}`;
}

function changes(report: Report): string[] {
  const { diff } = report;
  const lines = [
    diff.previousGeneratedAt
      ? `## What changed since ${dateOf(diff.previousGeneratedAt)}`
      : '## What changed: first report, every finding is new',
    '',
  ];
  if (!diff.previousGeneratedAt) {
    // Listing every finding here as well as below would only double the report.
    lines.push(baselineSentence(report), '');
    return lines;
  }
  if (diff.previousReportId) {
    lines.push(
      `Compared with report ${code(diff.previousReportId)} of ${timestampOf(diff.previousGeneratedAt)}: ` +
        `${diff.newFindings.length} new, ${diff.resolvedFindings.length} resolved, ${diff.unchangedCount} unchanged.`,
      '',
    );
  }
  const pathSections: [string, string[]][] = [
    [
      'New paths from non-human identities to production data',
      diff.newPaths.map((f) => phrase(capitalized(newPathPhrase(report, f)))),
    ],
    ['Removed paths', diff.removedPaths.map((f) => phrase(capitalized(removedPathPhrase(report, f))))],
    [
      'Changed paths',
      diff.changedPaths.map((c) => phrase(capitalized(changedPathPhrase(report, c.before, c.after)))),
    ],
  ];
  for (const [title, sentences] of pathSections) {
    if (sentences.length === 0) continue;
    lines.push(`### ${title}`, '', ...sentences.map((s) => `- ${s}`), '');
  }
  if (diff.newFindings.length > 0) {
    lines.push('### New findings', '', ...diff.newFindings.map(findingLine), '');
  }
  if (diff.resolvedFindings.length > 0) {
    lines.push('### Resolved findings', '', ...diff.resolvedFindings.map(findingLine), '');
  }
  const nothing =
    diff.newFindings.length +
    diff.resolvedFindings.length +
    diff.newPaths.length +
    diff.removedPaths.length +
    diff.changedPaths.length;
  if (nothing === 0) lines.push('Nothing changed.', '');
  return lines;
}

/** One logged event behind an anomaly: when, what, on what, from where, and the log's id of it. */
function eventLine(e: ActivityEvent): string {
  const on = e.resource ? ` on ${code(e.resource)}` : '';
  const from = [e.source, e.region]
    .filter(Boolean)
    .map((v) => code(v as string))
    .join(' ');
  const id = e.requestId ? ` · request ${code(e.requestId)}` : '';
  return `${code(e.time)} ${code(e.action)}${on} (${text(e.outcome)})${from ? ` from ${from}` : ''}${id}`;
}

function evidenceLine(e: Evidence): string {
  const statement = e.statement !== undefined ? ` statement ${code(e.statement)}` : '';
  const conditions = e.conditions?.length ? ` (undecided: ${e.conditions.map(code).join(', ')})` : '';
  return `${e.source} ${code(e.ref)}${statement}: ${text(e.reason)}${conditions}`;
}

function hopLines(hop: FindingHop, index: number): string[] {
  const lines = [
    `${index + 1}. ${code(hop.from.name)} (${text(hop.from.kind)}) → ${code(hop.to.name)} (${text(hop.to.kind)}): **${text(hopLabel(hop))}**${hop.conditional ? ' *(conditional)*' : ''}${hopUseText(hop) ? ` *(${hopUseText(hop)})*` : ''}`,
  ];
  if (hop.evidence.length === 0) lines.push(`   - ${text(hop.reason)}`);
  for (const e of hop.evidence) lines.push(`   - ${evidenceLine(e)}`);
  return lines;
}

function findingBlock(report: Report, finding: Finding): string[] {
  const rule = report.rules.find((r) => r.id === finding.ruleId);
  const target = finding.target ? ` → ${code(finding.target.name)}` : '';
  const lines = [
    `#### ${text(finding.title)}: ${code(finding.subject.name)}${target}`,
    '',
    escapeMarkdownLine(finding.message),
    '',
    `- **Rule:** ${code(finding.ruleId)} (${finding.category}) · **Severity:** ${finding.severity}${finding.conditional ? ' · **conditional**' : ''}`,
    `- **Subject:** ${code(finding.subject.name)} (${text(finding.subject.kind)} ${code(finding.subject.id)})`,
    ...(finding.owner ? [`- **Owner:** ${code(finding.owner)}`] : []),
  ];
  if (finding.target) {
    lines.push(
      `- **Target:** ${code(finding.target.name)} (${text(finding.target.kind)} ${code(finding.target.id)})`,
    );
  }
  const facts = Object.entries(finding.facts);
  if (facts.length > 0) {
    lines.push(`- **Facts:** ${facts.map(([k, v]) => `${text(k)}: ${code(factText(v))}`).join(', ')}`);
  }
  const seen = finding.firstSeen ? `**First seen:** ${dateOf(finding.firstSeen)} · ` : '';
  lines.push(`- ${seen}**Fingerprint:** ${code(finding.fingerprint)}`);
  if (finding.suppression) {
    lines.push(
      `- **Suppressed** until ${code(finding.suppression.expires)}: ${text(finding.suppression.reason)}`,
    );
  }
  if (finding.evidence?.length) {
    lines.push('', '**Evidence:**', '', ...finding.evidence.map((e) => `- ${evidenceLine(e)}`));
  }
  if (finding.events?.length) {
    lines.push(
      '',
      `**Events** (${finding.events.length}):`,
      '',
      ...finding.events.map((e) => `- ${eventLine(e)}`),
    );
  }
  if (finding.path.length > 0) {
    lines.push('', `**Path** (${finding.path.length} hop${finding.path.length === 1 ? '' : 's'}):`, '');
    finding.path.forEach((hop, index) => {
      lines.push(...hopLines(hop, index));
    });
    if (routeUseText(finding.path)) lines.push('', routeUseText(finding.path));
  }
  if (rule) lines.push('', `**Recommendation:** ${rule.recommendation.trim()}`);
  lines.push('');
  return lines;
}

function findingSections(report: Report): string[] {
  const { definite, conditional } = splitByConditionality(report.findings);
  const lines = ['## Findings', ''];
  if (definite.length === 0) lines.push('No unconditional findings.', '');
  for (const group of groupBySeverity(definite)) {
    lines.push(`### ${severityLabel(group.severity)} (${group.findings.length})`, '');
    for (const f of group.findings) lines.push(...findingBlock(report, f));
  }
  lines.push('## Conditional findings', '');
  if (conditional.length === 0) {
    lines.push('None: every path above holds without conditions left undecided.', '');
  } else {
    lines.push(
      'These findings hold only under conditions that could not be decided offline (a source IP, a ' +
        'tag on the request, a time window…). Check the undecided conditions on each hop.',
      '',
    );
    for (const group of groupBySeverity(conditional)) {
      lines.push(`### ${severityLabel(group.severity)} (${group.findings.length})`, '');
      for (const f of group.findings) lines.push(...findingBlock(report, f));
    }
  }
  return lines;
}

function suppressions(report: Report): string[] {
  const lines = [`## Suppressed findings (${report.suppressed.length})`, ''];
  if (report.suppressed.length === 0) {
    lines.push('None.', '');
  } else {
    lines.push(
      '| Severity | Rule | Subject | Target | Reason | Expires | Fingerprint |',
      '| --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const f of report.suppressed) {
      lines.push(
        `| ${f.severity} | ${code(f.ruleId)} | ${code(f.subject.name)} | ${f.target ? code(f.target.name) : ''} | ` +
          `${text(f.suppression?.reason ?? '')} | ${f.suppression ? code(f.suppression.expires) : ''} | ${code(f.fingerprint)} |`,
      );
    }
    lines.push('');
  }
  lines.push(`## Expired suppressions (${report.expiredSuppressions.length})`, '');
  if (report.expiredSuppressions.length === 0) {
    lines.push('None.', '');
  } else {
    lines.push(
      'These accepted risks are past their expiry date: their findings are active again and listed above.',
      '',
      '| Fingerprint | Finding | Reason | Expired |',
      '| --- | --- | --- | --- |',
    );
    for (const s of report.expiredSuppressions) {
      const active = report.findings.find((f) => f.fingerprint === s.fingerprint);
      const what = active ? `${code(active.ruleId)}: ${code(active.subject.name)}` : 'no longer found';
      lines.push(`| ${code(s.fingerprint)} | ${what} | ${text(s.reason)} | ${code(s.expires)} |`);
    }
    lines.push('');
  }
  return lines;
}

export function formatMarkdown(report: Report): string {
  const lines = [
    ...header(report),
    ...changes(report),
    ...summary(report),
    ...findingSections(report),
    ...suppressions(report),
  ];
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}
