import { routeExercised } from '../../answers/answer-shape.js';
import type { Evidence } from '../../model/evidence.js';
import type { AccessLevel } from '../../model/properties.js';
import {
  type Finding,
  type FindingHop,
  type NodeRef,
  type Report,
  SEVERITIES,
  type Severity,
  severityRank,
} from '../types.js';

/**
 * What every format says the same way: dates, hop labels, the path as a list of nodes, and the
 * "what changed" sentences. Sentences are phrases of plain text and names, so each format renders
 * names its own way (a code span, a <code> element) and escapes them itself.
 */

/** A piece of a sentence: plain text written by reachgraph, or a name that came from the graph. */
export type PhrasePart = string | { name: string };
export type Phrase = PhrasePart[];

export function dateOf(iso: string): string {
  return iso.slice(0, 10);
}

/** "2026-11-24 06:00 UTC" for ISO timestamps; anything else is shown as given. */
export function timestampOf(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The nodes a path passes through, in order (subject first). */
export function pathNodes(path: FindingHop[]): NodeRef[] {
  const first = path[0];
  return first ? [first.from, ...path.map((hop) => hop.to)] : [];
}

/** "a → b → c" by node name. */
export function pathText(path: FindingHop[]): string {
  return pathNodes(path)
    .map((node) => node.name)
    .join(' → ');
}

/** The hop's edge as people read it: its type, plus the technique or the access levels. */
export function hopLabel(hop: FindingHop): string {
  if (hop.technique) return `${hop.type} (${hop.technique})`;
  if (hop.levels.length > 0) return `${hop.type} [${hop.levels.join(', ')}]`;
  return hop.type;
}

/**
 * The hop's use over the window the activity logs cover: "used 12×, last 2026-11-30", "unused", or
 * empty when no log covers its source (nothing is claimed unused over a window no log holds).
 */
export function hopUseText(hop: FindingHop): string {
  if (hop.used === undefined) return '';
  if (!hop.used) return 'unused';
  return `used ${hop.useCount ?? 0}×${hop.lastUsed ? `, last ${dateOf(hop.lastUsed)}` : ''}`;
}

/** Whether the path was exercised end to end over the covered window (answers/answer-shape.ts), as a sentence. */
export function routeUseText(path: FindingHop[]): string {
  const exercised = routeExercised(path);
  if (exercised === undefined) return '';
  return exercised
    ? 'Exercised end to end over the window the activity logs cover.'
    : 'Not exercised end to end over the window the activity logs cover: a hop was never used.';
}

/** Condition keys of a hop that could not be decided offline, without repeats. */
export function undecidedConditions(evidence: Evidence[]): string[] {
  return [...new Set(evidence.flatMap((e) => e.conditions ?? []))];
}

/** Every policy or binding a finding rests on (its own evidence, then its path's in order), without repeats. */
export function evidenceRefs(finding: Finding): string[] {
  const all = [...(finding.evidence ?? []), ...finding.path.flatMap((hop) => hop.evidence)];
  return [...new Set(all.map((e) => e.ref))];
}

export function severityLabel(severity: Severity): string {
  return severity.charAt(0).toUpperCase() + severity.slice(1);
}

export function bySeverityThenRule(a: Finding, b: Finding): number {
  return severityRank(b.severity) - severityRank(a.severity) || a.ruleId.localeCompare(b.ruleId);
}

/** Findings grouped by severity, most severe first, empty groups left out. */
export function groupBySeverity(findings: Finding[]): { severity: Severity; findings: Finding[] }[] {
  return SEVERITIES.map((severity) => ({
    severity,
    findings: findings.filter((f) => f.severity === severity),
  })).filter((group) => group.findings.length > 0);
}

/** Active findings that hold unconditionally, and those that hold only under undecided conditions. */
export function splitByConditionality(findings: Finding[]): { definite: Finding[]; conditional: Finding[] } {
  return {
    definite: findings.filter((f) => !f.conditional),
    conditional: findings.filter((f) => f.conditional),
  };
}

/** A phrase for every access level, strongest first (the first one a path grants names it). */
const LEVEL_PHRASES: Readonly<Record<AccessLevel, string>> = {
  permissions: 'can change the permissions of',
  write: 'can write',
  read: 'can read',
  tagging: 'can tag',
  list: 'can list',
};

/** The access levels of the hop that ends the path (CAN_ACCESS), or none. */
export function finalLevels(finding: Finding): string[] {
  return finding.path.at(-1)?.levels ?? [];
}

/** "can write" for the strongest level granted; "can reach" when the path names none. */
export function accessVerb(levels: string[]): string {
  return Object.entries(LEVEL_PHRASES).find(([level]) => levels.includes(level))?.[1] ?? 'can reach';
}

/** The nodes strictly between the subject and the target. */
function viaNodes(finding: Finding): NodeRef[] {
  const nodes = pathNodes(finding.path);
  const ends = new Set([finding.subject.id, finding.target?.id]);
  return nodes.filter((node, index) => index > 0 && index < nodes.length - 1 && !ends.has(node.id));
}

function via(finding: Finding): Phrase {
  const nodes = viaNodes(finding);
  if (nodes.length === 0) return ['directly'];
  const parts: Phrase = ['via '];
  nodes.forEach((node, index) => {
    if (index > 0) parts.push(' → ');
    parts.push({ name: node.name });
  });
  return parts;
}

function target(finding: Finding): PhrasePart {
  return { name: finding.target?.name ?? '(no target)' };
}

function since(report: Report): Phrase {
  const previous = report.diff.previousGeneratedAt;
  return previous ? [`since ${dateOf(previous)}, `] : [];
}

/** "since 2026-11-23, `ci-deploy` can write `prod-payments` via `tooling-admin` → `prod-deploy`". */
export function newPathPhrase(report: Report, finding: Finding): Phrase {
  const phrase: Phrase = [
    ...since(report),
    { name: finding.subject.name },
    ` ${accessVerb(finalLevels(finding))} `,
    target(finding),
    ' ',
    ...via(finding),
  ];
  if (finding.conditional) phrase.push(' (only under conditions that could not be decided offline)');
  return phrase;
}

/** "since 2026-11-23, `backup-agent` can no longer write `prod-ledger` (was via `ops-admin`)". */
export function removedPathPhrase(report: Report, finding: Finding): Phrase {
  const verb = accessVerb(finalLevels(finding)).replace(/^can /, 'can no longer ');
  const was = via(finding);
  return [
    ...since(report),
    { name: finding.subject.name },
    ` ${verb} `,
    target(finding),
    ' (was ',
    ...(was[0] === 'directly' ? ['direct'] : was),
    ')',
  ];
}

/** How the route, the levels or the conditionality of a path changed. */
export function changedPathPhrase(report: Report, before: Finding, after: Finding): Phrase {
  const phrase: Phrase = [...since(report), { name: after.subject.name }, ' reaches ', target(after), ' '];
  const routeBefore = pathText(before.path);
  const routeAfter = pathText(after.path);
  if (routeBefore !== routeAfter) phrase.push(...via(after), ' instead of ', ...via(before));
  else phrase.push('by the same route');
  const levelsBefore = finalLevels(before).join(', ');
  const levelsAfter = finalLevels(after).join(', ');
  if (levelsBefore !== levelsAfter) {
    phrase.push(`; levels now ${levelsAfter || 'none'} (were ${levelsBefore || 'none'})`);
  }
  if (before.conditional !== after.conditional) {
    phrase.push(
      after.conditional
        ? '; now only under conditions that could not be decided offline'
        : '; no longer depends on undecided conditions',
    );
  }
  return phrase;
}

/** The phrase as plain text, names left as they are (for titles, tooltips and CSV). */
export function phraseText(phrase: Phrase): string {
  return phrase.map((part) => (typeof part === 'string' ? part : part.name)).join('');
}

/** Capitalizes a phrase that starts with plain text. */
export function capitalized(phrase: Phrase): Phrase {
  const [first, ...rest] = phrase;
  if (typeof first !== 'string' || first === '') return phrase;
  return [first.charAt(0).toUpperCase() + first.slice(1), ...rest];
}

/** A fact value as text. */
export function factText(value: string | number | boolean | null): string {
  return value === null ? '—' : String(value);
}

/** What the changes section of a first report says instead of listing every finding twice. */
export function baselineSentence(report: Report): string {
  const paths = report.diff.newPaths.length;
  return (
    `This is the first report, the baseline the next ones compare against: all ${report.summary.total} active ` +
    `findings are new, ${paths} of them ${paths === 1 ? 'a path' : 'paths'} from non-human identities to production data. ` +
    'They are listed below by severity.'
  );
}
