import { createHash } from 'node:crypto';
import type { Evidence } from '../../model/evidence.js';
import { gcpScope } from '../../model/gcp/ids.js';
import { combineLegs, GRANT_KIND } from '../../model/grants.js';
import type { InventoryNode, PropertyValue } from '../../model/inventory.js';
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
 * under the level), and its properties go with the target's side. A pair left conditional (the
 * binding's condition or a deny rule undecided for the target) carries its conditions on both sides.
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
  /** What `memberReason` reads besides the grants (the techniques of an escalation). */
  reasonAlso: string;
  place: TargetPlace;
}

/** A member's side, and the key of its evidence (the same key, the same records). */
interface MemberSide {
  leg: DerivedRelationship;
  key: string;
}

interface Pair {
  member: MemberSide;
  target: DerivedRelationship;
}

const INHERITED = /^(folders|organizations)\//;

export class GcpGrantHubs {
  /** Each recorded pair edge, split at once (its grants are not kept), with its binding's key. */
  private readonly splits = new Map<DerivedRelationship, { pair: Pair; key: string }>();
  /** Member sides by what they are built from: built once for all the targets of a binding. */
  private readonly memberSides = new Map<string, MemberSide>();

  constructor(private readonly grantHubs: boolean) {}

  /**
   * `pair`, the edge made of `grants`: split when those grants are one inherited binding's, for
   * `factor` to store. `memberReason` says the member's side without naming the target.
   */
  record(
    pair: DerivedRelationship,
    grants: Grant[],
    memberReason: (g: Grant) => string,
    place: TargetPlace,
    reasonAlso = '',
  ): DerivedRelationship {
    const first = grants[0];
    const conditions = pair.properties.conditions;
    if (
      first &&
      (pair.properties.conditional !== true || (Array.isArray(conditions) && conditions.length > 0)) &&
      INHERITED.test(first.at) &&
      !pair.from.startsWith('gcp:principalset:') &&
      pair.properties.via === undefined &&
      grants.every(
        (g) => g.at === first.at && g.source === first.source && g.binding === first.binding && !g.added,
      )
    )
      this.splits.set(pair, {
        pair: split(pair, { grants, memberReason, reasonAlso, place }, this.memberSides),
        key: [pair.type, first.at, first.source, first.binding, first.role, pair.toKind ?? ''].join('\u0000'),
      });
    return pair;
  }

  /** The edges with every recorded pair split, and the hubs (none in per-pair mode). */
  factor(edges: readonly DerivedRelationship[]): { edges: DerivedRelationship[]; nodes: InventoryNode[] } {
    const out: DerivedRelationship[] = [];
    // Per binding, type and target kind: its distinct member and target sides, not every pair.
    const bindings = new Map<string, Sides>();
    // A recorded edge that is no longer among the edges (merged with an HMAC key's) is left out.
    for (const e of edges) {
      const recorded = this.splits.get(e);
      if (!recorded) {
        out.push(e);
        continue;
      }
      const { pair, key } = recorded;
      if (!this.grantHubs) {
        out.push(combineLegs(pair.member.leg, pair.target) as DerivedRelationship);
        continue;
      }
      let sides = bindings.get(key);
      if (!sides) {
        sides = { members: new Map(), targets: new Map() };
        bindings.set(key, sides);
      }
      addPair(sides, pair);
    }
    this.splits.clear();
    this.memberSides.clear();
    const nodes: InventoryNode[] = [];
    for (const [key, sides] of bindings) for (const hub of hubsOf(key, sides, out)) nodes.push(hub);
    return { edges: out, nodes };
  }
}

/** A pair edge as its member's side (to be completed with a hub) and its target's side. */
function split(pair: DerivedRelationship, origin: Origin, memberSides: Map<string, MemberSide>): Pair {
  const { grants, memberReason, place } = origin;
  const g = grants[0] as Grant;
  // Stored, an edge is conditional when every evidence record is (model/validate.ts), and a hub's
  // pair when either leg is: so a conditional pair's conditions go on every record and both legs,
  // an unconditional pair's on none.
  const conditional = pair.properties.conditional === true;
  const conditions = conditional
    ? [...((pair.properties.conditions as string[] | undefined) ?? [])].sort()
    : [];
  const flag: Record<string, PropertyValue> = conditional ? { conditional: true, conditions } : {};
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
  // Everything the member's records are built from: the grants in order (edge.ts keeps the first
  // grant of each binding, member and group chain), what the reason reads, the pair's conditions.
  const built = [
    pair.type,
    pair.from,
    pair.fromKind ?? '',
    g.source,
    g.binding,
    g.at,
    g.role,
    origin.reasonAlso,
    conditions.join('\u0001'),
    ...grants.map((x) => `${x.member}\u0001${x.permission}\u0001${x.via?.join('>') ?? ''}`),
  ].join('\u0000');
  let member = memberSides.get(built);
  if (!member) {
    const records = edge(pair.type, pair.from, '', grants, memberReason, {}, '', false).evidence.map(
      ({ conditions: _, ...rest }) => (conditional ? { ...rest, conditions } : rest),
    );
    member = {
      leg: {
        type: pair.type,
        from: pair.from,
        to: '',
        ...(pair.fromKind ? { fromKind: pair.fromKind } : {}),
        properties: flag,
        evidence: records,
      },
      key: `${pair.from}\u0000${JSON.stringify(records)}`,
    };
    memberSides.set(built, member);
  }
  return {
    member,
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

/** One binding's distinct member sides (numbered) and target sides (with the members reaching them). */
interface Sides {
  members: Map<string, { index: number; leg: DerivedRelationship }>;
  targets: Map<string, { leg: DerivedRelationship; members: number[] }>;
}

function addPair({ members, targets }: Sides, { member, target }: Pair): void {
  let m = members.get(member.key);
  if (!m) {
    m = { index: members.size, leg: member.leg };
    members.set(member.key, m);
  }
  const targetKey = `${target.to}\u0000${JSON.stringify(target.properties)}\u0000${JSON.stringify(target.evidence)}`;
  let t = targets.get(targetKey);
  if (!t) {
    t = { leg: target, members: [] };
    targets.set(targetKey, t);
  }
  t.members.push(m.index);
}

/**
 * The hubs of one binding's pairs of one type: targets grouped by the members that reach them with
 * the same target side, each group a hub; a group of one member or one target is written as pairs.
 */
function hubsOf(key: string, { members, targets }: Sides, out: DerivedRelationship[]): InventoryNode[] {
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
