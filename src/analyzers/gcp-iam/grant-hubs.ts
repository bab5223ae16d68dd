import { createHash } from 'node:crypto';
import type { Evidence } from '../../model/evidence.js';
import { gcpScope } from '../../model/gcp/ids.js';
import { combineLegs, GRANT_KIND } from '../../model/grants.js';
import type { InventoryNode } from '../../model/inventory.js';
import type { DerivedRelationship } from '../../providers/contract.js';
import type { Grant } from './authorizer.js';
import { edge } from './edge.js';

/**
 * Grant hubs of the GCP analysis (the contract is src/model/grants.ts). A binding on a folder or the
 * organization is inherited by every project, service account and resource below it
 * (https://cloud.google.com/iam/docs/resource-hierarchy-access-control): a team folder's editor
 * binding to a group reaches every account and data resource of the folder's projects, for each
 * member of the group. Where a pair edge rests on that one binding alone (every grant behind it is
 * the binding's: no other grant of the pair, nothing gained through HMAC keys, no custom role that
 * would have to be updated), its evidence is split into the member's side (the binding, the role and
 * the permissions it gives, the group the member holds it through) and the target's side (its place
 * under the level, the conditions decided for it: the binding's condition and the deny rules that may
 * apply there), and its properties go with the target's side.
 *
 * The pairs of one binding and edge type (and kind of target) are then grouped: the targets whose
 * side is the same for the same members form one `Grant` hub, members × targets. A deny rule or
 * condition that differs between targets gives them different sides, so different hubs; a member
 * with another grant on a target is not among that target's members. So a hub stands for exactly
 * the pair edges it replaces. A set with one member or one target stays as its pair edges, written
 * with the same split evidence, so the per-pair mode (`grantHubs: false`) writes exactly what the
 * hubs expand to. Principal sets never join a hub: the cross-provider analyses copy their edges
 * (analyzers/cross-provider/gcp-federated-grants.ts).
 */

/** Where a target stands: its name and the project (or level) it is in. */
export interface TargetPlace {
  name: string;
  container: string;
}

interface Origin {
  grants: Grant[];
  memberReason: (g: Grant) => string;
  place: TargetPlace;
}

interface Pair {
  member: DerivedRelationship;
  target: DerivedRelationship;
}

const INHERITED = /^(folders|organizations)\//;

export class GcpGrantHubs {
  private readonly origins = new WeakMap<DerivedRelationship, Origin>();

  constructor(private readonly grantHubs: boolean) {}

  /**
   * `pair`, the edge made of `grants`: remembered when those grants are one inherited binding's, so
   * that `factor` can split it. `memberReason` says the member's side without naming the target.
   */
  record(
    pair: DerivedRelationship,
    grants: Grant[],
    memberReason: (g: Grant) => string,
    place: TargetPlace,
  ): DerivedRelationship {
    const first = grants[0];
    if (
      first &&
      INHERITED.test(first.at) &&
      !pair.from.startsWith('gcp:principalset:') &&
      pair.properties.via === undefined &&
      grants.every(
        (g) => g.at === first.at && g.source === first.source && g.binding === first.binding && !g.added,
      )
    )
      this.origins.set(pair, { grants, memberReason, place });
    return pair;
  }

  /** The edges with every recorded pair split, and the hubs (none in per-pair mode). */
  factor(edges: readonly DerivedRelationship[]): { edges: DerivedRelationship[]; nodes: InventoryNode[] } {
    const out: DerivedRelationship[] = [];
    const bindings = new Map<string, Pair[]>();
    for (const e of edges) {
      const origin = this.origins.get(e);
      if (!origin) {
        out.push(e);
        continue;
      }
      const pair = split(e, origin);
      if (!this.grantHubs) {
        out.push(combineLegs(pair.member, pair.target) as DerivedRelationship);
        continue;
      }
      const g = origin.grants[0] as Grant;
      const key = [e.type, g.at, g.source, g.binding, g.role, e.toKind ?? ''].join('\u0000');
      const list = bindings.get(key);
      if (list) list.push(pair);
      else bindings.set(key, [pair]);
    }
    const nodes: InventoryNode[] = [];
    for (const [key, pairs] of bindings) for (const hub of hubsOf(key, pairs, out)) nodes.push(hub);
    return { edges: out, nodes };
  }
}

/** A pair edge as its member's side (to be completed with a hub) and its target's side. */
function split(pair: DerivedRelationship, origin: Origin): Pair {
  const { grants, memberReason, place } = origin;
  const g = grants[0] as Grant;
  const member = edge(pair.type, pair.from, '', grants, memberReason, {}, '', false);
  const conditions = [...new Set(grants.flatMap((x) => x.conditions))];
  const where =
    place.name === g.at
      ? `${g.at} holds the binding itself`
      : place.container === place.name
        ? `${place.name} is below ${g.at} and inherits its policy`
        : `${place.name} is in ${place.container}, below ${g.at}, and inherits its policy`;
  const targetSide: Evidence = {
    source: 'iam-binding',
    ref: place.container,
    statement: `inherited from ${g.at}`,
    reason: where,
    ...(conditions.length ? { conditions } : {}),
  };
  return {
    member: {
      type: pair.type,
      from: pair.from,
      to: '',
      ...(pair.fromKind ? { fromKind: pair.fromKind } : {}),
      properties: {},
      evidence: member.evidence.map(({ conditions: _, ...rest }) => rest),
    },
    target: {
      type: pair.type,
      from: '',
      to: pair.to,
      ...(pair.toKind ? { toKind: pair.toKind } : {}),
      properties: pair.properties,
      evidence: [targetSide],
    },
  };
}

/**
 * The hubs of one binding's pairs of one type: targets grouped by the members that reach them with
 * the same target side, each group a hub; a group of one member or one target is written as pairs.
 */
function hubsOf(key: string, pairs: Pair[], out: DerivedRelationship[]): InventoryNode[] {
  const members = new Map<string, { index: number; leg: DerivedRelationship }>();
  const targets = new Map<string, { leg: DerivedRelationship; members: number[] }>();
  for (const { member, target } of pairs) {
    const memberKey = `${member.from}\u0000${JSON.stringify(member.evidence)}`;
    let m = members.get(memberKey);
    if (!m) {
      m = { index: members.size, leg: member };
      members.set(memberKey, m);
    }
    const targetKey = `${target.to}\u0000${JSON.stringify(target.properties)}\u0000${JSON.stringify(target.evidence)}`;
    let t = targets.get(targetKey);
    if (!t) {
      t = { leg: target, members: [] };
      targets.set(targetKey, t);
    }
    t.members.push(m.index);
  }
  const byIndex = [...members.values()].map((m) => m.leg);
  const groups = new Map<string, { members: number[]; targets: DerivedRelationship[] }>();
  for (const t of targets.values()) {
    const set = [...new Set(t.members)].sort((a, b) => a - b);
    const signature = set.join(',');
    const group = groups.get(signature);
    if (group) group.targets.push(t.leg);
    else groups.set(signature, { members: set, targets: [t.leg] });
  }
  const nodes: InventoryNode[] = [];
  for (const [signature, group] of groups) {
    const legs = group.members.map((i) => byIndex[i] as DerivedRelationship);
    if (legs.length < 2 || group.targets.length < 2) {
      for (const member of legs)
        for (const target of group.targets) out.push(combineLegs(member, target) as DerivedRelationship);
      continue;
    }
    const [type, at, , , role] = key.split('\u0000') as [string, string, string, string, string];
    const scope = gcpScope(at);
    const id = `grant:gcp:${at}:inherited-binding:${createHash('sha256')
      .update(`${key}\u0000${signature}\u0000${group.targets.map((t) => t.to).join(',')}`)
      .digest('hex')
      .slice(0, 16)}`;
    nodes.push({
      id,
      kind: GRANT_KIND,
      scope,
      properties: {
        name: `${role} at ${at} (${type})`,
        family: 'inherited-binding',
        members: legs.length,
        targets: group.targets.length,
      },
    });
    for (const member of legs) out.push({ ...member, to: id, toKind: GRANT_KIND, scope });
    for (const target of group.targets)
      out.push({ ...target, from: id, fromKind: GRANT_KIND, scope: targetScope(target) });
  }
  return nodes;
}

/** A target leg stays in the target's scope, as the pair edge it stands for did. */
function targetScope(target: DerivedRelationship): string {
  const container = (target.evidence[0] as Evidence).ref;
  return gcpScope(container);
}
