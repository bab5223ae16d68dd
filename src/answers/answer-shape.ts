import type { Evidence } from '../model/evidence.js';
import { combineLegs } from '../model/grants.js';
import type { InventoryRelationship, PropertyValue } from '../model/inventory.js';
import { ACCESS_LEVELS } from '../model/properties.js';
import { relationshipKind } from '../model/relationship-kinds.js';
import { evidenceProperties, evidenceReason } from '../model/validate.js';
import type {
  AccessPathAnswer,
  ActivityWindow,
  AdminAnswer,
  EscalationAnswer,
  PathHop,
  TargetOptions,
} from './answer-types.js';
import {
  accountOfTarget,
  ESCALATION_TARGET_KINDS,
  ESCALATION_TARGETS,
  type EscalationTargetKind,
  isEscalationTargetKind,
  type TargetSelection,
} from './escalation-targets.js';

/**
 * The answers' shapes from stored edges: an edge's properties become a hop with its evidence, a
 * route becomes an answer, and the options are checked. The route itself is chosen elsewhere
 * (route-search.ts), once.
 */

/** An edge as stored: endpoints, type and the derived-edge properties (evidence as a JSON string). */
export interface RawEdge {
  from: string;
  to: string;
  type: string;
  properties: Readonly<Record<string, unknown>>;
  /** The Grant hub this pair edge stands for a route through (model/grants.ts), if any. */
  grant?: string;
}

/**
 * The pair edge a member leg (member → Grant) and a target leg (Grant → target) stand for, as
 * stored edges: `combineLegs` (model/grants.ts) on the legs, with the stored shape's derived
 * properties (reason, evidence as JSON, evidenceRefs) made from the combined evidence as
 * validation makes them for any edge.
 */
export function pairEdge(member: RawEdge, target: RawEdge): RawEdge {
  const leg = (edge: RawEdge): InventoryRelationship => ({
    type: edge.type,
    from: edge.from,
    to: edge.to,
    properties: edge.properties as Record<string, PropertyValue>,
    evidence: parseEvidence(edge.properties.evidence, edge),
  });
  const pair = combineLegs(leg(member), leg(target));
  const evidence = pair.evidence ?? [];
  return {
    from: member.from,
    to: target.to,
    type: target.type,
    properties: { ...pair.properties, ...(evidence.length > 0 ? evidenceProperties(evidence) : {}) },
    grant: member.to,
  };
}

export function toHop(edge: RawEdge): PathHop {
  const p = edge.properties;
  const requires = Array.isArray(p.requires) && p.requires.length > 0 ? (p.requires as string[]) : undefined;
  const evidence = parseEvidence(p.evidence, edge);
  return {
    from: edge.from,
    to: edge.to,
    type: edge.type,
    technique: typeof p.technique === 'string' ? p.technique : null,
    reason: evidenceReason(evidence),
    evidence,
    conditional: p.conditional === true,
    ...(requires ? { requires } : {}),
    ...(edge.grant ? { grant: edge.grant } : {}),
    ...hopUse(p),
  };
}

/**
 * A stored edge's use over the covered window (written by the activity summary; through a Grant hub
 * the pair's, model/grants.ts pairUse), or nothing when no log covers its source.
 */
export function hopUse(
  p: Readonly<Record<string, unknown>>,
): Pick<PathHop, 'used' | 'useCount' | 'lastUsed'> {
  if (typeof p.used !== 'boolean') return {};
  return {
    used: p.used,
    useCount: typeof p.useCount === 'number' ? p.useCount : Number(p.useCount ?? 0),
    lastUsed: typeof p.lastUsed === 'string' ? p.lastUsed : null,
  };
}

/**
 * Whether a route was exercised end to end over the covered window: true when every hop was used,
 * false as soon as one hop was not (the logs cover its source and show no use), undefined when a
 * hop's use is unknown and none is known unused. A CAN_ESCALATE hop is a change to the estate, not
 * the use of a grant, and carries no use: a route through one is never called exercised.
 */
export function routeExercised(path: readonly { used?: boolean | null }[]): boolean | undefined {
  if (path.length === 0) return undefined;
  if (path.some((h) => h.used === false)) return false;
  return path.every((h) => h.used === true) ? true : undefined;
}

/** The identity's covered window from its node's properties (activityCoveredFrom/To), if any. */
export function activityWindowOf(props: Readonly<Record<string, unknown>>): ActivityWindow | undefined {
  const from = props.activityCoveredFrom;
  const to = props.activityCoveredTo;
  return typeof from === 'string' && typeof to === 'string' ? { start: from, end: to } : undefined;
}

function parseEvidence(value: unknown, edge: RawEdge): Evidence[] {
  if (typeof value !== 'string' || value === '') return [];
  try {
    const parsed = JSON.parse(value);
    return Array.isArray(parsed) ? (parsed as Evidence[]) : [];
  } catch {
    throw new Error(`${edge.type} ${edge.from} -> ${edge.to}: stored evidence is not valid JSON`);
  }
}

/** Hop edges in a path: every edge but a terminal one (ADMINISTERS, CAN_ACCESS). */
export function hopCount(path: readonly { type: string }[]): number {
  return path.filter((e) => relationshipKind(e.type)?.category === 'hop').length;
}

export function byKeys<T>(...keys: ((item: T) => string)[]): (a: T, b: T) => number {
  return (a, b) => {
    for (const key of keys) {
      const x = key(a);
      const y = key(b);
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  };
}

// ── Option checks: bad options are errors naming the option, never a silent default ──────────

export function checkAccount(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{12}$/.test(value))
    throw new Error(`--account: expected a 12-digit AWS account id, got "${value}"`);
  return value;
}

/** The question's targets: each option checked, an error naming the bad one. */
export function checkTargets(options: TargetOptions): TargetSelection {
  const account = checkAccount(options.account);
  if (options.cluster !== undefined && !/^[^\s:/]+$/.test(options.cluster))
    throw new Error(`--cluster: expected a cluster name (no ':', '/' or spaces), got "${options.cluster}"`);
  if (options.kind !== undefined && !isEscalationTargetKind(options.kind))
    throw new Error(`--kind: expected one of ${ESCALATION_TARGET_KINDS.join(', ')}, got "${options.kind}"`);
  return {
    ...(account ? { accounts: [account] } : {}),
    ...(options.cluster ? { clusters: [options.cluster] } : {}),
    ...(options.kind ? { kinds: [options.kind as EscalationTargetKind] } : {}),
  };
}

export function checkLevel(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!(ACCESS_LEVELS as readonly string[]).includes(value))
    throw new Error(`--level: expected one of ${ACCESS_LEVELS.join(', ')}, got "${value}"`);
  return value;
}

export function escalationAnswer(
  principal: string,
  target: string,
  targetKind: EscalationTargetKind,
  edges: RawEdge[],
): EscalationAnswer {
  const path = edges.map(toHop);
  const last = path[path.length - 1];
  return {
    principal,
    target,
    targetKind,
    account: accountOfTarget(target),
    hops: hopCount(path),
    // Root on a node is always entered by a hop; a hop into a scope is a self-escalation.
    self: last?.type === 'CAN_ESCALATE' && !ESCALATION_TARGETS[targetKind].enteredByHop,
    conditional: path.some((h) => h.conditional),
    path,
  };
}

export function adminAnswer(edge: RawEdge, targetKind: string): AdminAnswer {
  const hop = toHop(edge);
  return {
    principal: edge.from,
    target: edge.to,
    targetKind,
    account: accountOfTarget(edge.to),
    reason: hop.reason,
    evidence: hop.evidence,
    conditional: hop.conditional,
  };
}

export function accessAnswer(
  principal: string,
  resource: string,
  edges: RawEdge[],
  window?: ActivityWindow,
): AccessPathAnswer {
  const path = edges.map(toHop);
  const levels = edges[edges.length - 1]?.properties.levels;
  const exercised = routeExercised(path);
  return {
    principal,
    resource,
    hops: hopCount(path),
    levels: Array.isArray(levels) ? [...(levels as string[])] : [],
    conditional: path.some((h) => h.conditional),
    path,
    ...(exercised !== undefined ? { exercised } : {}),
    ...(window ? { activityWindow: window } : {}),
  };
}

export const escalationOrder = byKeys<EscalationAnswer>(
  (a) => a.target,
  (a) => a.principal,
);
export const adminOrder = byKeys<AdminAnswer>(
  (a) => a.target,
  (a) => a.principal,
);
export const accessOrder = byKeys<AccessPathAnswer>(
  (a) => a.principal,
  (a) => a.resource,
);
