import { accountOfNode, byKeys, hopCount, type RawEdge, toHop } from './shape.js';
import type { AccessPathAnswer, AdminAnswer, EscalationAnswer } from './types.js';

/** Answers built from stored edges; both answerers call these. */

export function escalationAnswer(principal: string, accountNode: string, edges: RawEdge[]): EscalationAnswer {
  const path = edges.map(toHop);
  const last = path[path.length - 1];
  return {
    principal,
    account: accountOfNode(accountNode),
    hops: hopCount(path),
    self: last?.type === 'CAN_ESCALATE',
    conditional: path.some((h) => h.conditional),
    path,
  };
}

export function adminAnswer(edge: RawEdge): AdminAnswer {
  const hop = toHop(edge);
  return {
    principal: edge.from,
    account: accountOfNode(edge.to),
    reason: hop.reason,
    evidence: hop.evidence,
    conditional: hop.conditional,
  };
}

export function accessAnswer(principal: string, resource: string, edges: RawEdge[]): AccessPathAnswer {
  const path = edges.map(toHop);
  const levels = edges[edges.length - 1]?.properties.levels;
  return {
    principal,
    resource,
    hops: hopCount(path),
    levels: Array.isArray(levels) ? [...(levels as string[])] : [],
    conditional: path.some((h) => h.conditional),
    path,
  };
}

export const escalationOrder = byKeys<EscalationAnswer>(
  (a) => a.account,
  (a) => a.principal,
);
export const adminOrder = byKeys<AdminAnswer>(
  (a) => a.account,
  (a) => a.principal,
);
export const accessOrder = byKeys<AccessPathAnswer>(
  (a) => a.principal,
  (a) => a.resource,
);
