import type { AccessPathAnswer, AdminAnswer, EscalationAnswer, PathHop } from '../answers/answer-types.js';
import { ESCALATION_TARGETS, isEscalationTargetKind } from '../answers/escalation-targets.js';
import type { RbacEvidence, RbacRightAnswer, RbacWhoCanAnswer } from '../answers/kubernetes-rbac.js';
import type { Subject } from '../model/kubernetes/rbac.js';
import { table } from './output.js';

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
  return `    ${hop.from} -${hop.type}${technique}-> ${hop.to}: ${hop.reason}${conditional}${requires}${useText(hop)}`;
}

/** " [used 12×, last 2026-11-30]", " [unused]", or nothing when no log covers the hop's source. */
export function useText(hop: Pick<PathHop, 'used' | 'useCount' | 'lastUsed'>): string {
  if (hop.used === undefined) return '';
  if (!hop.used) return ' [unused]';
  return ` [used ${hop.useCount ?? 0}×${hop.lastUsed ? `, last ${hop.lastUsed.slice(0, 10)}` : ''}]`;
}

/** Whether the route was exercised over the covered window, as a suffix of its line. */
function exercisedText(answer: AccessPathAnswer): string {
  if (answer.exercised === undefined) return '';
  const window = answer.activityWindow
    ? ` ${answer.activityWindow.start.slice(0, 10)} – ${answer.activityWindow.end.slice(0, 10)}`
    : '';
  return answer.exercised ? ` [exercised${window}]` : ` [not exercised${window}]`;
}

const hopsText = (n: number) => `${n} hop${n === 1 ? '' : 's'}`;

/** "administrator of account 111111111111", "cluster-admin of k8s:prod", "root on node k8s:prod:node:n1". */
function targetText(kind: string, target: string, account: string | null): string {
  const becomes = isEscalationTargetKind(kind) ? ESCALATION_TARGETS[kind].becomes : 'administrator of';
  return `${becomes} ${account ?? target}`;
}

export function formatEscalations(answers: EscalationAnswer[]): string {
  if (answers.length === 0)
    return 'No principal can come to control an account, cluster or node it does not already control.';
  return answers
    .flatMap((a) => [
      `${a.principal} → ${targetText(a.targetKind, a.target, a.account)} in ${hopsText(a.hops)}${a.self ? ' (self-escalation)' : ''}${a.conditional ? ' [conditional]' : ''}`,
      ...a.path.map(hopLine),
    ])
    .join('\n');
}

export function formatAdmins(answers: AdminAnswer[]): string {
  if (answers.length === 0) return 'No administrator found.';
  return answers
    .map(
      (a) => `${a.account ?? a.target}  ${a.principal}: ${a.reason}${a.conditional ? ' [conditional]' : ''}`,
    )
    .join('\n');
}

export function formatAccessPaths(answers: AccessPathAnswer[], empty: string): string {
  if (answers.length === 0) return empty;
  return answers
    .flatMap((a) => [
      `${a.principal} → ${a.resource}  [${a.levels.join(',')}] in ${hopsText(a.hops)}${a.conditional ? ' [conditional]' : ''}${exercisedText(a)}`,
      ...a.path.map(hopLine),
    ])
    .join('\n');
}

// ── Kubernetes authorization ─────────────────────────────────────────────────────────────────

function subjectText(s: Subject): string {
  return s.kind === 'ServiceAccount' ? `ServiceAccount ${s.namespace}/${s.name}` : `${s.kind} ${s.name}`;
}

function grantText(grant: RbacEvidence | null, masters: boolean): string {
  if (masters || !grant) return 'system:masters (allowed before RBAC is asked)';
  const ns = (o: { namespace?: string }) => (o.namespace ? `${o.namespace}/` : '');
  const from = grant.aggregatedFrom ? ` (aggregated from ${grant.aggregatedFrom})` : '';
  return `${grant.binding.kind} ${ns(grant.binding)}${grant.binding.name} → ${grant.role.kind} ${ns(grant.role)}${grant.role.name} rule #${grant.ruleIndex}${from}`;
}

export function formatRbacWhoCan(answers: RbacWhoCanAnswer[]): string {
  return table(
    ['CLUSTER', 'SUBJECT', 'THROUGH', 'GRANTED BY'],
    answers.map((a) => [
      a.cluster,
      subjectText(a.subject),
      a.through ? subjectText(a.through) : '',
      grantText(a.grant, a.masters),
    ]),
  );
}

function ruleText(rule: RbacEvidence['rule']): [string, string, string] {
  const list = (v: readonly string[] | undefined) => (v?.length ? v.join(',') : '');
  const groups = rule.apiGroups?.map((g) => (g === '' ? '""' : g));
  const resources = rule.nonResourceURLs?.length ? list(rule.nonResourceURLs) : list(rule.resources);
  const names = rule.resourceNames?.length ? ` names=${list(rule.resourceNames)}` : '';
  return [list(rule.verbs), list(groups), `${resources}${names}`];
}

export function formatRbacRights(answers: RbacRightAnswer[]): string {
  if (answers.length === 0) return 'No rights: no binding names this requester or its groups.';
  return table(
    ['CLUSTER', 'NAMESPACE', 'VERBS', 'API GROUPS', 'RESOURCES', 'THROUGH', 'GRANTED BY'],
    answers.map((a) => [
      a.cluster,
      a.namespace ?? '*',
      ...(a.grant ? ruleText(a.grant.rule) : (['*', '*', '*'] as [string, string, string])),
      a.through ? subjectText(a.through) : '',
      grantText(a.grant, a.masters),
    ]),
  );
}
