import type { Evidence } from '../../../model/evidence.js';
import { combineLegs, rangesWithout } from '../../../model/grants.js';
import type { InventoryNode } from '../../../model/inventory.js';
import { pushAt } from '../../../util/collections.js';
import { type GrantHub, grantHubId, hubOutput, memberLeg, targetLeg } from '../edges/grant-hubs.js';
import { scopeOf } from '../edges/nodes.js';
import type { DerivedEdge } from '../types.js';
import type { Found } from './analyze.js';
import { evidenceKey, type ProductSide, productSides } from './evidence.js';
import type { ProductClass } from './types.js';

/**
 * CAN_ESCALATE products as Grant hubs (the contract is src/model/grants.ts). A technique that
 * reaches a class of targets alike from every source (`ProductClass`: the roles of an account
 * that trust a service, reached through a workload that may exist, or passed to a new workload by
 * a caller whose PassRole decision is the same for all of them; the users or roles a caller's
 * Resource patterns name, written to by a caller whose decision is the same for all of them,
 * principal-write-class.ts) splits each finding into the source's side and the target's side.
 * Of a source's classes, those it reaches whole (each technique of the class reaches every target
 * of it but the source itself, `completeClasses`) divide their targets into cells: the targets
 * reached through one set of those classes and none of the others (`cellsOf`), the same set from
 * every source with those classes. A source joins the hub of (cell, conditional or not, techniques
 * in the pair edge's order) when:
 * - no other finding (a chain, a technique without a class) reaches a target of the cell from it
 *   (the pair edge would merge it: such targets stay pair edges, and the cell without them is
 *   named by them too);
 * - its pairs there are all conditional or all hold outright, and the techniques rank in one
 *   order for every target (`joinsCell`), so the technique the pair edge names does not depend on
 *   the target;
 * - a source that is a target of the cell itself (not its own target) joins the hubs of the
 *   ranges of the cell that cover every other target (`rangesWithout`).
 * Its member leg then carries the source's sides, in the order the pair edge lists the
 * techniques; each target leg the targets' sides and the pair edge's other properties. Per-pair
 * mode writes `combineLegs` of the same legs, so both modes state the same facts by construction.
 * The other findings are left to the per-pair edges (analyze.ts `toEdges`).
 */

/** A class of one role is no product: its pairs are one edge each (as edges/trust-classes.ts). */
export const MIN_SHARED = 2;

/**
 * The factoring, one source at a time (`add`): a source's products depend on its own findings
 * alone, so its findings need not be held once they are factored or left to its pair edges. The
 * hubs are shared: the first source to join one gives it its target legs (each target's side is
 * the same from every source, `ProductClass`).
 */
export class ProductFactoring {
  private readonly hubs = new Map<string, GrantHub>();
  private readonly pairEdges: DerivedEdge[] = [];

  constructor(
    private readonly grantHubs: boolean,
    private readonly compareRank: (a: Found, b: Found) => number,
  ) {}

  /** Factors one source's findings (every finding of that source, none of another's); returns those left to pair edges. */
  add(found: Found[]): Found[] {
    const byPair = new Map<string, Found[]>();
    // class key → the source's product findings of that class
    const classes = new Map<string, Found[]>();
    for (const f of found) {
      pushAt(byPair, pairKey(f.sourceId, targetOf(f)), f);
      const product = f.finding.product;
      if (product && !f.chain) pushAt(classes, product.key, f);
    }
    if (classes.size === 0) return found;
    const sourceId = (found[0] as Found).sourceId;
    const complete = completeClasses(sourceId, classes, byPair);
    if (complete.size === 0) return found;
    const consumed = new Set<Found>();
    // The source's sides are needed while its classes are factored only.
    const sidesOf = sideCache();
    for (const cell of cellsOf(sourceId, complete, byPair)) {
      const joined = joinsCell(sourceId, cell, byPair, this.compareRank, sidesOf);
      if (!joined) continue;
      this.join(sourceId, cell, joined, sidesOf);
      for (const l of joined.perTarget.values()) for (const f of l) consumed.add(f);
    }
    return consumed.size === 0 ? found : found.filter((f) => !consumed.has(f));
  }

  /** The source joins the cell's hub (or, when it is one of the cell's targets, the hubs of the ranges without it). */
  private join(
    sourceId: string,
    cell: Cell,
    { perTarget, conditional }: { perTarget: Map<string, Found[]>; conditional: boolean },
    sidesOf: (f: Found) => Sides,
  ): void {
    const { grantHubs } = this;
    const ordered = perTarget.values().next().value as Found[];
    const first = ordered[0] as Found;
    const techniques = ordered.map((f) => f.technique.id);
    const cellKey = `${cell.key}\u0000${conditional}\u0000${techniques.join('\u0000')}`;
    const n = cell.targets.length;
    // A source that is a target of its cell joins the hubs of the ranges that cover every target
    // but itself (as trust classes do, src/model/grants.ts rangesWithout).
    const self = cell.targets.indexOf(sourceId);
    const ranges = self < 0 ? [[0, n] as const] : rangesWithout(self, n);
    const memberSide = {
      properties: conditional ? conditionProperties(ordered.map((f) => sidesOf(f).source.conditions)) : {},
      evidence: distinct(ordered.flatMap((f) => sidesOf(f).source.evidence)),
    };
    for (const [lo, hi] of ranges) {
      const whole = lo === 0 && hi === n;
      const hubKey = whole ? cellKey : `${cellKey}\u0000${lo}-${hi}`;
      let hub = this.hubs.get(hubKey);
      const fresh = !hub;
      if (!hub) {
        hub = {
          id: grantHubId(first.sourceAccount, 'escalate', hubKey),
          accountId: first.sourceAccount,
          family: 'escalate',
          name: `${techniques.join(', ')} on ${whole ? 'the' : `${hi - lo} of the ${n}`} ${cell.name}`,
          members: [],
          targets: [],
        };
        this.hubs.set(hubKey, hub);
      }
      const member = memberLeg(
        hub,
        {
          type: 'CAN_ESCALATE',
          from: sourceId,
          fromKind: first.sourceKind,
          scope: scopeOf(first.sourceAccount),
          properties: { ...memberSide.properties },
        },
        [...memberSide.evidence],
      );
      const targets: DerivedEdge[] = [];
      if (fresh || !grantHubs)
        for (let i = lo; i < hi; i++) {
          const l = perTarget.get(cell.targets[i] as string) as Found[];
          const primary = l[0] as Found;
          const { target } = primary.finding;
          const leg = targetLeg(
            hub,
            {
              type: 'CAN_ESCALATE',
              to: target.kind === 'principal' ? target.id : `aws:account:${target.accountId}`,
              toKind: target.kind === 'principal' ? target.nodeKind : 'AwsAccount',
              properties: {
                technique: primary.technique.id,
                attack: primary.technique.attack,
                self: primary.finding.self,
                ...(primary.finding.requires?.length ? { requires: primary.finding.requires } : {}),
              },
            },
            distinct(l.flatMap((f) => sidesOf(f).target.evidence)),
          );
          // The target's side may be undecided too (the workload may not exist, a trust condition):
          // unlike a trust class's target legs, these carry their own conditions (combineLegs
          // unites both sides).
          if (conditional)
            Object.assign(leg.properties, conditionProperties(l.map((f) => sidesOf(f).target.conditions)));
          targets.push(leg);
        }
      if (grantHubs) {
        hub.members.push(member);
        for (const t of targets) hub.targets.push(t);
      } else {
        for (const t of targets)
          this.pairEdges.push({
            ...combineLegs(member, t),
            scope: scopeOf(first.sourceAccount),
          } as DerivedEdge);
      }
    }
  }

  /** The pair edges of the products (per-pair mode), then the hubs' nodes and legs. */
  output(): { edges: DerivedEdge[]; nodes: InventoryNode[] } {
    const output = hubOutput(this.hubs.values());
    return { edges: [...this.pairEdges, ...output.edges], nodes: output.nodes };
  }
}

/**
 * The source's classes it reaches whole: every target of the class but itself, through each
 * technique that reaches any of them by the class, once. (A class it reaches in part is no product:
 * a PassRole decision that differs for some roles gives no class at all, pass-role-class.ts.)
 */
function completeClasses(
  sourceId: string,
  classes: Map<string, Found[]>,
  byPair: Map<string, Found[]>,
): Map<string, ProductClass> {
  const complete = new Map<string, ProductClass>();
  for (const [key, list] of classes) {
    const product = (list[0] as Found).finding.product as ProductClass;
    if (product.targets.length < MIN_SHARED) continue;
    const techniques = new Set(list.map((f) => f.technique));
    const others = product.targets.length - (membersOf(product).has(sourceId) ? 1 : 0);
    if (others === 0 || list.length !== techniques.size * others) continue;
    let whole = true;
    for (const target of product.targets) {
      if (target === sourceId) continue;
      const of = (byPair.get(pairKey(sourceId, target)) ?? []).filter(
        (f) => !f.chain && f.finding.product?.key === key,
      );
      if (of.length !== techniques.size || new Set(of.map((f) => f.technique)).size !== techniques.size) {
        whole = false;
        break;
      }
    }
    if (whole) complete.set(key, product);
  }
  return complete;
}

/**
 * The targets a source reaches through exactly one set of its whole classes: the cell of a set
 * σ is the targets of every class of σ that no other of the source's whole classes has. A cell is
 * named by σ and by the source's other classes that take targets out of it, so it is the same
 * set for every source with those classes (the product classes are the same from every source),
 * whichever other classes a source has. A pair edge merges every technique reaching its target,
 * so the targets of a cell share the pair edge's shape (its techniques), which a hub needs. The
 * targets some other finding reaches too (a chain, a technique without a class) stay pair edges,
 * and the cell without them is named by them as well (sources with the same chains share it).
 */
interface Cell {
  key: string;
  name: string;
  /** The cell's targets, in the first class's order; the source itself among them if it is one. */
  targets: readonly string[];
}

function cellsOf(
  sourceId: string,
  complete: Map<string, ProductClass>,
  byPair: Map<string, Found[]>,
): Cell[] {
  const bySignature = new Map<string, { sigma: string[]; blocked: string[] }>();
  const seen = new Set<string>();
  for (const product of complete.values())
    for (const target of product.targets) {
      if (target === sourceId || seen.has(target)) continue;
      seen.add(target);
      const pair = byPair.get(pairKey(sourceId, target)) as Found[];
      const sigma = new Set<string>();
      let blocked = false;
      for (const f of pair) {
        const key = f.finding.product?.key;
        if (!f.chain && key !== undefined && complete.has(key)) sigma.add(key);
        else blocked = true;
      }
      const sorted = [...sigma].sort();
      const signature = sorted.join('\u0001');
      let cell = bySignature.get(signature);
      if (!cell) {
        cell = { sigma: sorted, blocked: [] };
        bySignature.set(signature, cell);
      }
      if (blocked) cell.blocked.push(target);
    }
  const cells: Cell[] = [];
  for (const { sigma, blocked } of bySignature.values()) {
    const inSigma = sigma.map((key) => membersOf(complete.get(key) as ProductClass));
    const base = (complete.get(sigma[0] as string) as ProductClass).targets.filter((t) =>
      inSigma.every((m) => m.has(t)),
    );
    const excluded: ProductClass[] = [];
    for (const [key, product] of complete) {
      if (sigma.includes(key)) continue;
      const members = membersOf(product);
      if (base.some((t) => members.has(t))) excluded.push(product);
    }
    // The targets other findings reach too stay pair edges (each merges them); the cell without
    // them is named by them as well.
    const otherwise = new Set(blocked);
    const targets =
      excluded.length || otherwise.size
        ? base.filter((t) => !otherwise.has(t) && excluded.every((p) => !membersOf(p).has(t)))
        : base;
    if (targets.length < MIN_SHARED) continue;
    const names = sigma.map((key) => (complete.get(key) as ProductClass).name);
    const but = [
      ...excluded.map((p) => `the ${p.name}`),
      ...(blocked.length ? [`${blocked.length} it reaches otherwise too`] : []),
    ];
    cells.push({
      // One class, nothing taken out: the class's own key (its hub is the class's).
      key:
        sigma.length === 1 && excluded.length === 0 && blocked.length === 0
          ? (sigma[0] as string)
          : `${sigma.join('\u0001')}\u0002${excluded
              .map((p) => p.key)
              .sort()
              .join('\u0001')}\u0002${blocked.sort().join('\u0001')}`,
      name: `${names.join(' and ')}${but.length ? ` but ${but.join(' and ')}` : ''}`,
      targets,
    });
  }
  return cells;
}

const memberSets = new WeakMap<readonly string[], Set<string>>();

/** The targets of a class as a set, once per (shared) list. */
function membersOf(product: ProductClass): Set<string> {
  let set = memberSets.get(product.targets);
  if (!set) {
    set = new Set(product.targets);
    memberSets.set(product.targets, set);
  }
  return set;
}

/**
 * The source's findings by target of a cell, and whether its pairs there are conditional, when
 * they can share a hub; undefined otherwise. A pair edge is conditional only when every technique
 * reaching it is (analyze.ts `toEdges`), and then on all their conditions; the legs join by union
 * (`combineLegs`). So a source joins when its pairs are all conditional (the legs carry their
 * sides' conditions) or all hold outright (the legs carry none; the evidence records keep
 * theirs), never when that differs between the targets, and when the techniques rank in one
 * order for every target, so the technique the pair edge names does not depend on the target.
 */
function joinsCell(
  sourceId: string,
  cell: Cell,
  byPair: Map<string, Found[]>,
  compareRank: (a: Found, b: Found) => number,
  sidesOf: (f: Found) => Sides,
): { perTarget: Map<string, Found[]>; conditional: boolean } | undefined {
  const perTarget = new Map<string, Found[]>();
  let conditional: boolean | undefined;
  let order: string | undefined;
  for (const target of cell.targets) {
    if (target === sourceId) continue;
    const pair = byPair.get(pairKey(sourceId, target)) as Found[];
    const pairConditional = pair.every((f) => {
      const sides = sidesOf(f);
      return sides.source.conditions.length > 0 || sides.target.conditions.length > 0;
    });
    if (conditional !== undefined && pairConditional !== conditional) return undefined;
    conditional = pairConditional;
    const sorted = pair.length > 1 ? [...pair].sort(compareRank) : pair;
    const techniques = sorted.map((f) => f.technique.id).join('\u0000');
    if (order !== undefined && techniques !== order) return undefined;
    order = techniques;
    perTarget.set(target, sorted);
  }
  return { perTarget, conditional: conditional ?? false };
}

type Sides = { source: ProductSide; target: ProductSide };

/** A finding's two sides, each worked out once while the cache is kept. */
function sideCache(): (f: Found) => Sides {
  const cache = new Map<Found, Sides>();
  return (f) => {
    let sides = cache.get(f);
    if (!sides) {
      sides = productSides(f.technique, f.finding, f.finding.product as ProductClass);
      cache.set(f, sides);
    }
    return sides;
  };
}

/** `conditional`/`conditions` of one side: the union of its findings' conditions. */
function conditionProperties(lists: string[][]): Record<string, boolean | string[]> {
  const conditions = [...new Set(lists.flat())].sort();
  return conditions.length ? { conditional: true, conditions } : {};
}

function distinct(records: Evidence[]): Evidence[] {
  const seen = new Set<string>();
  return records.filter((e) => {
    const k = evidenceKey(e);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function targetOf(f: Found): string {
  const t = f.finding.target;
  return t.kind === 'account' ? `aws:account:${t.accountId}` : t.id;
}

const pairKey = (source: string, target: string) => `${source}\u0000${target}`;
