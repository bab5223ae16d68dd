import { createHash } from 'node:crypto';
import type { Evidence } from '../../model/evidence.js';
import { gcpScope } from '../../model/gcp/ids.js';
import { combineLegs, GRANT_KIND } from '../../model/grants.js';
import type { InventoryNode, PropertyValue } from '../../model/inventory.js';
import type { DerivedRelationship } from '../../providers/contract.js';
import { pushAll } from '../../util/collections.js';
import type { Grant } from './authorizer.js';
import { edge } from './edge.js';

/**
 * Grant hubs of the GCP analysis (the contract is src/model/grants.ts). A binding on the
 * organization, a folder or a project is inherited by every project, service account and resource
 * below it (https://cloud.google.com/iam/docs/resource-hierarchy-access-control): a team folder's
 * editor binding to a group reaches every account and data resource of the folder's projects, for
 * each member of the group. Where a pair edge rests on such bindings alone (every grant behind it is
 * one of the bindings on the target's organization, folders and project: nothing from the target's
 * own policy, nothing gained through HMAC keys, no custom role that would have to be updated), its
 * evidence can be split into the member's side (the bindings, the roles and the permissions they
 * give, the groups the member holds them through) and the target's side (its place under each level
 * of those bindings), with its properties on the target's side. A pair left conditional (a binding's
 * condition or a deny rule undecided for the target) carries its conditions on both sides.
 *
 * The pairs of one set of bindings and edge type are grouped: the targets (of any kind) reached by
 * the same members with the same target side form one `Grant` hub, members × targets. A deny rule or
 * condition that differs between targets gives them different sides, so different hubs; a member
 * with another grant on a target rests on another set of bindings there, so it is not among that
 * target's members. So a hub stands for exactly the pair edges it replaces. Only a group of at least
 * two members and two targets is split: every other pair is written as the analysis made it, and the
 * per-pair mode (`grantHubs: false`) writes a hub's pairs as the legs combine, so that it writes
 * exactly what the hubs expand to. Principal sets never join a hub: the cross-provider analyses copy
 * their edges (analyzers/cross-provider/gcp-federated-grants.ts).
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
  /** The levels of the bindings, in the order the grants name them. */
  levels: string[];
}

/** A member's side, and the key of its evidence (the same key, the same records). */
interface MemberSide {
  leg: DerivedRelationship;
  key: string;
}

/** A recorded pair: its member's side, and what its target's side is made of (built once per side). */
interface Pair {
  member: MemberSide;
  place: TargetPlace;
  levels: string[];
  /** The pair's conditions, sorted, when it is conditional. */
  conditions: string[];
}

/**
 * A member's sides within one set of bindings, by what else they are built from (the member, what
 * the reason reads, the pair's conditions): each with the grants it was built from, compared field
 * by field with a new pair's (the grants differ between targets only where a deny rule or condition
 * does).
 */
type MemberSides = Map<string, { grants: Grant[]; side: MemberSide }[]>;

/** A binding on a level of the hierarchy, which everything below it inherits. */
const LEVEL = /^(organizations|folders|projects)\/[^/]+$/;

/** The level whose scope a hub of several levels' bindings is in: the project, else the last folder. */
const depth = (level: string) => (level.startsWith('projects/') ? 2 : level.startsWith('folders/') ? 1 : 0);

/** A pair waiting until its set of bindings is known to have two members and two targets. */
interface Pending {
  pair: DerivedRelationship;
  origin: Origin;
}

/**
 * One set of bindings and edge type: its first member and target, and its pairs recorded while it
 * has not yet shown a second of each (`pending`, undefined once it has: its pairs are split at once).
 */
interface BindingSet {
  key: string;
  from: string;
  to: string;
  otherFrom: boolean;
  otherTo: boolean;
  pending: Pending[] | undefined;
  /** Its member sides, once its pairs are split. */
  memberSides: MemberSides;
}

export class GcpGrantHubs {
  /** The recorded pair edges of sets that may form a hub, split, with their set's key. */
  private readonly splits = new Map<DerivedRelationship, { pair: Pair; key: string }>();

  /** Each set of bindings by its key. */
  private readonly sets = new Map<string, BindingSet>();
  /** Whether a grant's place is a level of the hierarchy, by name. */
  private readonly levelNames = new Map<string, boolean>();

  constructor(private readonly grantHubs: boolean) {}

  private onLevel(at: string): boolean {
    let known = this.levelNames.get(at);
    if (known === undefined) {
      known = LEVEL.test(at);
      this.levelNames.set(at, known);
    }
    return known;
  }

  /**
   * `pair`, the edge made of `grants`: recorded when those grants are all bindings on levels of the
   * hierarchy, for `factor` to group. `memberReason` says the member's side without naming the
   * target. A hub needs two members and two targets of one set of bindings (each target has one
   * pair per member, so a group of two member sides has two members, and of two target sides two
   * targets): a pair is split into its sides only once its set has shown both, and the pairs of a
   * set that never does are written as they were made, never split.
   */
  record(
    pair: DerivedRelationship,
    grants: Grant[],
    memberReason: (g: Grant) => string,
    place: TargetPlace,
    reasonAlso = '',
  ): DerivedRelationship {
    const conditions = pair.properties.conditions;
    if (
      grants.length > 0 &&
      (pair.properties.conditional !== true || (Array.isArray(conditions) && conditions.length > 0)) &&
      !pair.from.startsWith('gcp:principalset:') &&
      pair.properties.via === undefined &&
      grants.every((g) => !g.added && this.onLevel(g.at))
    ) {
      const levels: string[] = [];
      const bindings: string[] = [];
      let last: Grant | undefined;
      for (const g of grants) {
        // A binding's grants come together, one per member and permission: its key once.
        if (
          last &&
          g.at === last.at &&
          g.binding === last.binding &&
          g.source === last.source &&
          g.role === last.role
        )
          continue;
        last = g;
        if (!levels.includes(g.at)) levels.push(g.at);
        const binding = `${g.at}\u0001${g.source}\u0001${g.binding}\u0001${g.role}`;
        if (!bindings.includes(binding)) bindings.push(binding);
      }
      const key = [pair.type, ...bindings].join('\u0000');
      let set = this.sets.get(key);
      if (!set) {
        set = {
          key,
          from: pair.from,
          to: pair.to,
          otherFrom: false,
          otherTo: false,
          pending: [],
          memberSides: new Map(),
        };
        this.sets.set(key, set);
      }
      const origin: Origin = { grants, memberReason, reasonAlso, place, levels };
      if (set.pending === undefined) {
        this.splits.set(pair, { pair: split(pair, origin, set.memberSides), key: set.key });
        return pair;
      }
      set.pending.push({ pair, origin });
      if (pair.from !== set.from) set.otherFrom = true;
      if (pair.to !== set.to) set.otherTo = true;
      if (set.otherFrom && set.otherTo) {
        for (const p of set.pending)
          this.splits.set(p.pair, { pair: split(p.pair, p.origin, set.memberSides), key: set.key });
        set.pending = undefined;
      }
    }
    return pair;
  }

  /**
   * The edges with the pairs of every group of at least two members and two targets as a hub (as the
   * legs combine, in per-pair mode), every other pair as it was made; and the hubs.
   */
  factor(edges: readonly DerivedRelationship[]): { edges: DerivedRelationship[]; nodes: InventoryNode[] } {
    const out: DerivedRelationship[] = [];
    // Per set of bindings and type: its distinct member and target sides (targets of any kind).
    const bindings = new Map<string, Sides>();
    // A recorded edge that is no longer among the edges (merged with an HMAC key's) is left out; one
    // never split (its set has one member or one target) stays where the analysis made it.
    for (const e of edges) {
      const recorded = this.splits.get(e);
      if (!recorded) {
        out.push(e);
        continue;
      }
      let sides = bindings.get(recorded.key);
      if (!sides) {
        sides = { members: new Map(), targets: [], byTarget: new Map() };
        bindings.set(recorded.key, sides);
      }
      addPair(sides, recorded.pair, e);
    }
    this.splits.clear();
    this.sets.clear();
    this.levelNames.clear();
    const nodes: InventoryNode[] = [];
    for (const [key, sides] of bindings)
      for (const hub of hubsOf(key, sides, out, this.grantHubs)) nodes.push(hub);
    return { edges: out, nodes };
  }
}

/** A pair edge as its member's side (to be completed with a hub) and what its target's side is made of. */
function split(pair: DerivedRelationship, origin: Origin, memberSides: MemberSides): Pair {
  const { grants, memberReason, place, levels } = origin;
  // Stored, an edge is conditional when every evidence record is (model/validate.ts), and a hub's
  // pair when either leg is: so a conditional pair's conditions go on every record and both legs,
  // an unconditional pair's on none.
  const conditional = pair.properties.conditional === true;
  const conditions = conditional
    ? [...((pair.properties.conditions as string[] | undefined) ?? [])].sort()
    : [];
  // Everything the member's records are built from: the grants in order (edge.ts keeps the first
  // grant of each binding, member and group chain), what the reason reads, the pair's conditions.
  const also = `${pair.from}\u0000${pair.fromKind ?? ''}\u0000${origin.reasonAlso}\u0000${conditions.join('\u0001')}`;
  let built = memberSides.get(also);
  if (!built) {
    built = [];
    memberSides.set(also, built);
  }
  let member = built.find((b) => sameGrants(b.grants, grants))?.side;
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
        properties: conditional ? { conditional: true, conditions } : {},
        evidence: records,
      },
      key: createHash('sha1')
        .update(`${pair.from}\u0000${JSON.stringify(records)}`)
        .digest('base64'),
    };
    built.push({ grants, side: member });
  }
  return { member, place, levels, conditions };
}

/** The same grants, as far as a member's records read them (edge.ts, the reasons). */
function sameGrants(a: readonly Grant[], b: readonly Grant[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as Grant;
    const y = b[i] as Grant;
    if (
      x !== y &&
      (x.permission !== y.permission ||
        x.member !== y.member ||
        x.binding !== y.binding ||
        x.at !== y.at ||
        x.role !== y.role ||
        x.source !== y.source ||
        (x.via?.join('>') ?? '') !== (y.via?.join('>') ?? ''))
    )
      return false;
  }
  return true;
}

/** The target's side of a pair: its properties, and one record per level of the bindings of where it stands under it. */
function targetSide(made: DerivedRelationship, { place, levels, conditions }: Pair): DerivedRelationship {
  const evidence: Evidence[] = levels.map((at) => ({
    source: 'iam-binding',
    ref: place.container,
    statement: `inherited from ${at}`,
    reason:
      place.name === at
        ? `${at} holds the binding itself`
        : place.container === place.name
          ? `${place.name} is below ${at} and inherits its policy`
          : place.container === at
            ? `${place.name} is in ${at} and inherits its policy`
            : `${place.name} is in ${place.container}, below ${at}, and inherits its policy`,
    ...(conditions.length ? { conditions } : {}),
  }));
  return {
    type: made.type,
    from: '',
    to: made.to,
    ...(made.toKind ? { toKind: made.toKind } : {}),
    properties: made.properties,
    evidence,
  };
}

/** Equal as JSON would write them (properties are strings, numbers, booleans and their lists). */
function sameProperties(a: Record<string, PropertyValue>, b: Record<string, PropertyValue>): boolean {
  if (a === b) return true;
  const ka = Object.keys(a).filter((k) => a[k] !== undefined);
  const kb = Object.keys(b).filter((k) => b[k] !== undefined);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    const k = ka[i] as string;
    if (k !== kb[i]) return false;
    const x = a[k];
    const y = b[k];
    if (Array.isArray(x) && Array.isArray(y)) {
      if (x.length !== y.length || x.some((v, j) => v !== y[j])) return false;
    } else if (x !== y) return false;
  }
  return true;
}

/**
 * One set of bindings' distinct member sides (numbered) and target sides, each with the members
 * reaching it and the pair edges as the analysis made them (written as they are outside a hub).
 */
interface Sides {
  members: Map<string, { index: number; leg: DerivedRelationship }>;
  /** Target sides in the order first met, and by target (a target's sides differ in their properties). */
  targets: TargetEntry[];
  byTarget: Map<string, TargetEntry[]>;
}

interface TargetEntry {
  leg: DerivedRelationship;
  members: number[];
  pairs: DerivedRelationship[];
}

function addPair(sides: Sides, pair: Pair, made: DerivedRelationship): void {
  const { members } = sides;
  let m = members.get(pair.member.key);
  if (!m) {
    m = { index: members.size, leg: pair.member.leg };
    members.set(pair.member.key, m);
  }
  // Within one set of bindings a target's place and levels are the same for every pair, and its
  // records' conditions are its properties' (split): the same target and properties, the same side.
  let known = sides.byTarget.get(made.to);
  if (!known) {
    known = [];
    sides.byTarget.set(made.to, known);
  }
  let t = known.find((x) => sameProperties(x.leg.properties, made.properties));
  if (!t) {
    t = { leg: targetSide(made, pair), members: [], pairs: [] };
    known.push(t);
    sides.targets.push(t);
  }
  t.members.push(m.index);
  t.pairs.push(made);
}

/**
 * The hubs of one set of bindings' pairs of one type: targets grouped by the members that reach
 * them with the same target side, each group of at least two members and two targets a hub (its
 * pairs as the legs combine when `grantHubs` is false); the pairs of any other group as they were
 * made.
 */
function hubsOf(
  key: string,
  { members, targets }: Sides,
  out: DerivedRelationship[],
  grantHubs: boolean,
): InventoryNode[] {
  const byIndex = [...members.values()].map((m) => m.leg);
  const groups = new Map<
    string,
    { members: number[]; targets: DerivedRelationship[]; pairs: DerivedRelationship[] }
  >();
  for (const t of targets) {
    const set = [...new Set(t.members)].sort((a, b) => a - b);
    const signature = set.join(',');
    const group = groups.get(signature);
    if (group) {
      group.targets.push(t.leg);
      pushAll(group.pairs, t.pairs);
    } else groups.set(signature, { members: set, targets: [t.leg], pairs: [...t.pairs] });
  }
  const nodes: InventoryNode[] = [];
  for (const [signature, group] of groups) {
    const legs = group.members.map((i) => byIndex[i] as DerivedRelationship);
    if (legs.length < 2 || group.targets.length < 2) {
      pushAll(out, group.pairs);
      continue;
    }
    if (!grantHubs) {
      for (const member of legs)
        for (const target of group.targets) out.push(combineLegs(member, target) as DerivedRelationship);
      continue;
    }
    const [type, ...bindings] = key.split('\u0000') as [string, ...string[]];
    const held = bindings.map((b) => b.split('\u0001') as [string, string, string, string]);
    const at = held.reduce(
      (deepest, [level]) => (depth(level) >= depth(deepest) ? level : deepest),
      held[0]?.[0] as string,
    );
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
        name: `${held.map(([level, , , role]) => `${role} at ${level}`).join(' + ')} (${type})`,
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
