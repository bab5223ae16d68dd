import type { AccessPathAnswer, AdminAnswer, EscalationAnswer, PathHop } from '../answers/answer-types.js';

/** Plain-text forms of the path answers: one line per answer, then one indented line per hop. */

function hopLine(hop: PathHop): string {
  const technique = hop.technique ? ` (${hop.technique})` : '';
  const conditions = [...new Set(hop.evidence.flatMap((e) => e.conditions ?? []))];
  const conditional = conditions.length
    ? ` [only if ${conditions.join(', ')}]`
    : hop.conditional
      ? ' [conditional]'
      : '';
  const requires = hop.requires?.length ? ` [only if there is ${hop.requires.join(', ')}]` : '';
  return `    ${hop.from} -${hop.type}${technique}-> ${hop.to}: ${hop.reason}${conditional}${requires}`;
}

const hopsText = (n: number) => `${n} hop${n === 1 ? '' : 's'}`;

export function formatEscalations(answers: EscalationAnswer[]): string {
  if (answers.length === 0)
    return 'No principal can become administrator of an account it does not already administer.';
  return answers
    .flatMap((a) => [
      `${a.principal} → administrator of ${a.account} in ${hopsText(a.hops)}${a.self ? ' (self-escalation)' : ''}${a.conditional ? ' [conditional]' : ''}`,
      ...a.path.map(hopLine),
    ])
    .join('\n');
}

export function formatAdmins(answers: AdminAnswer[]): string {
  if (answers.length === 0) return 'No administrator found.';
  return answers
    .map((a) => `${a.account}  ${a.principal}: ${a.reason}${a.conditional ? ' [conditional]' : ''}`)
    .join('\n');
}

export function formatAccessPaths(answers: AccessPathAnswer[], empty: string): string {
  if (answers.length === 0) return empty;
  return answers
    .flatMap((a) => [
      `${a.principal} → ${a.resource}  [${a.levels.join(',')}] in ${hopsText(a.hops)}${a.conditional ? ' [conditional]' : ''}`,
      ...a.path.map(hopLine),
    ])
    .join('\n');
}
