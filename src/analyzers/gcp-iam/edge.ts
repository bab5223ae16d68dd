import type { Evidence } from '../../model/evidence.js';
import type { DerivedRelationship } from '../../providers/contract.js';
import type { Grant, PermissionSet } from './authorizer.js';
import type { Member } from './principals.js';
import type { GcpTechnique } from './techniques.js';

/** Building GCP edges from grants: one evidence record per binding and member. */

export const permissionSet = (key: string, permissions: Iterable<string>): PermissionSet => {
  const all = new Set(permissions);
  return { key, has: (p) => all.has(p) };
};

export function byMember(grants: Grant[], node: (g: Grant) => Member | undefined): Map<Member, Grant[]> {
  const out = new Map<string, [Member, Grant[]]>();
  // A member's grants mostly come together (one per permission of a binding): named once for them.
  let last: { member: string; node: Member | undefined } | undefined;
  for (const grant of grants) {
    if (last?.member !== grant.member) last = { member: grant.member, node: node(grant) };
    const member = last.node;
    if (!member) continue;
    const entry = out.get(member.id) ?? [member, []];
    entry[1].push(grant);
    out.set(member.id, entry);
  }
  return new Map([...out.values()]);
}

export const isConditional = (g: Grant) => g.conditions.length > 0;

/**
 * One edge from grants: one evidence record per binding and member (the permissions it gives named
 * in the reason). It is conditional when no grant behind it is free of undecided conditions, unless
 * the caller decided (`conditional`, for techniques that need several grants at once).
 */
export function edge(
  type: string,
  from: string,
  to: string,
  grants: Grant[],
  reason: (g: Grant) => string,
  properties: Record<string, string | boolean | string[]>,
  toKind: string,
  conditional: boolean = grants.every(isConditional),
): DerivedRelationship {
  const evidence = new Map<string, Evidence>();
  let last: Grant | undefined;
  for (const grant of grants) {
    // A binding's grants to one member come together, one per permission (authorizer.ts): the key
    // of the grant before is this one's, already recorded.
    if (
      last !== undefined &&
      grant.member === last.member &&
      grant.binding === last.binding &&
      grant.source === last.source &&
      grant.via === last.via
    )
      continue;
    last = grant;
    const key = `${grant.source}\n${grant.binding}\n${grant.member}\n${grant.via?.join('>') ?? ''}`;
    if (evidence.has(key)) continue;
    // A grant held through a group names the group's binding and the membership it follows.
    const group = grant.via?.[0];
    evidence.set(key, {
      source: 'iam-binding',
      ref: grant.at,
      statement: `bindings[${grant.binding}] ${grant.role} ${group ? `group:${group}` : grant.member}`,
      reason: group
        ? `${reason(grant)}, as a member of group ${grant.via?.join(' → ')} (collected membership)`
        : reason(grant),
      ...(grant.conditions.length ? { conditions: grant.conditions } : {}),
    });
  }
  return {
    type,
    from,
    to,
    toKind,
    properties: conditional
      ? { ...properties, conditional: true, conditions: [...new Set(grants.flatMap((g) => g.conditions))] }
      : { ...properties },
    evidence: [...evidence.values()],
  } as DerivedRelationship;
}

export function permissionList(grants: Grant[], of: Grant): string {
  const mine = [
    ...new Set(
      grants
        .filter((g) => g.source === of.source && g.binding === of.binding && g.member === of.member)
        .map((g) => g.permission),
    ),
  ];
  return mine.length <= 3 ? mine.join(', ') : `${mine.slice(0, 3).join(', ')} and ${mine.length - 3} more`;
}

/** One technique a member can use against a target, with the grants it rests on. */
export interface Escalation {
  technique: GcpTechnique;
  grants: Grant[];
  /** Some required group of permissions is held only under undecided conditions, or a prerequisite is not collected. */
  conditional: boolean;
}

/** The pseudo condition of a technique that needs something the collection does not show (docs/graph-model.md). */
export const PREREQUISITE = 'reachgraph:PrerequisiteExists';

/**
 * A technique whose permission groups are all held (`held`: the member's grants of the technique's
 * permissions, plus `base` grants every technique here needs, e.g. actAs): the escalation, or
 * undefined. A technique with `requires` is conditional on it, named in its grants' conditions.
 */
export function techniqueEscalation(
  technique: GcpTechnique,
  held: Grant[],
  base: Grant[] = [],
): Escalation | undefined {
  const groups = technique.needs.map((any) => held.filter((g) => any.includes(g.permission)));
  if (groups.some((g) => g.length === 0)) return undefined;
  const needed = base.length > 0 ? [base, ...groups] : groups;
  const requires = technique.requires;
  const grants = needed
    .flat()
    .map((g) => (requires ? { ...g, conditions: [...g.conditions, `${PREREQUISITE}: ${requires}`] } : g));
  return {
    technique,
    grants,
    conditional: Boolean(requires) || needed.some((group) => group.every(isConditional)),
  };
}

/**
 * `techniqueEscalation(technique, held, base)` from `techniqueEscalation(technique, held)`: the same
 * escalation with the `base` grants first, so that what `held` allows is found once for many `base`s.
 */
export function withBase(found: Escalation, base: Grant[]): Escalation {
  if (base.length === 0) return found;
  const requires = found.technique.requires;
  return {
    technique: found.technique,
    grants: [
      ...(requires
        ? base.map((g) => ({ ...g, conditions: [...g.conditions, `${PREREQUISITE}: ${requires}`] }))
        : base),
      ...found.grants,
    ],
    conditional: found.conditional || base.every(isConditional),
  };
}

/**
 * The CAN_ESCALATE edge of a member's escalations to one target: the first decided technique names
 * it (`technique`, `attack`), `techniques` lists them all; `requires` when every one needs something
 * not collected; conditional when every one is.
 */
export function escalationEdge(
  from: string,
  to: string,
  toKind: string,
  escalations: Escalation[],
  reason: (g: Grant) => string,
  self: boolean,
): DerivedRelationship {
  const ordered = [...escalations].sort((a, b) => Number(a.conditional) - Number(b.conditional));
  const first = ordered[0] as Escalation;
  const conditional = ordered.every((e) => e.conditional);
  const requires = [...new Set(ordered.map((e) => e.technique.requires))];
  return edge(
    'CAN_ESCALATE',
    from,
    to,
    ordered.flatMap((e) => e.grants),
    reason,
    {
      technique: first.technique.id,
      attack: first.technique.attack.id,
      ...(ordered.length > 1 ? { techniques: ordered.map((e) => e.technique.id) } : {}),
      ...(self ? { self: true } : {}),
      ...(requires.every((r) => r !== undefined) ? { requires: requires as string[] } : {}),
    },
    toKind,
    conditional,
  );
}
