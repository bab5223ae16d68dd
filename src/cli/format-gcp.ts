import type { GcpAccessAnswer, GcpGrantEvidence } from '../answers/gcp-iam.js';
import { table } from './output.js';

/**
 * The GCP who-can and can-i answers as text: one row per principal (who-can) or permission (can-i),
 * then each grant's binding, role and level, the deny rules that deny the permission and what each
 * did, and the undecided conditions.
 */

export function formatGcpWhoCan(answers: GcpAccessAnswer[]): string {
  if (answers.length === 0) return 'No principal holds this permission here.';
  return `${answers[0]?.permission} on ${answers[0]?.resource}\n${table(
    ['PRINCIPAL', 'DECISION', 'GRANTED BY'],
    answers.map((a) => [a.principal, a.decision, grantsText(a.grants)]),
  )}${details(answers, (a) => a.principal)}${groupsNotice(answers)}`;
}

const MEMBERSHIP_TEXT: Record<string, string> = {
  partial: 'some members could not be named when collected',
  unreadable: 'its members could not be read when collected',
  unknown: 'its members were not collected',
};

/** Groups whose members are not all known: whoever else is in them holds the permission too. */
function groupsNotice(answers: readonly GcpAccessAnswer[]): string {
  const lines = answers
    .filter((a) => a.membership && a.membership !== 'complete' && a.decision !== 'denied')
    .map((a) => `  ${a.principal}: membership ${a.membership} (${MEMBERSHIP_TEXT[a.membership ?? '']})`);
  return lines.length
    ? `\n\nGroups with members not all known (their other members hold this too):\n${lines.join('\n')}`
    : '';
}

export function formatGcpCanI(answers: GcpAccessAnswer[], principal: string): string {
  if (answers.length === 0) return `No permission: no binding grants ${principal} anything asked here.`;
  return `${answers[0]?.principal} on ${answers[0]?.resource}\n${table(
    ['PERMISSION', 'DECISION', 'GRANTED BY'],
    answers.map((a) => [a.permission, a.decision, grantsText(a.grants)]),
  )}${details(answers, (a) => a.permission)}`;
}

function grantsText(grants: readonly GcpGrantEvidence[]): string {
  return grants
    .map(
      (g) =>
        `${g.role} at ${g.at} (bindings[${g.binding}]${g.through ? `, through ${g.through}` : ''})${g.denied ? ' denied' : ''}`,
    )
    .join('; ');
}

/** Deny rules and conditions, only for the rows that have any. */
function details(answers: readonly GcpAccessAnswer[], label: (a: GcpAccessAnswer) => string): string {
  const lines: string[] = [];
  for (const a of answers)
    for (const g of a.grants) {
      for (const d of g.deny)
        lines.push(`  ${label(a)}: ${d.policy} rules[${d.rule}] ${d.outcome}: ${d.reason}`);
      for (const c of g.conditions) lines.push(`  ${label(a)}: ${g.role} at ${g.at} holds only if: ${c}`);
    }
  return lines.length ? `\n\nDeny rules and conditions:\n${[...new Set(lines)].join('\n')}` : '';
}
