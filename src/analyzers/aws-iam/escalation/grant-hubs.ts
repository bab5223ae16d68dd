import type { Evidence } from '../../../model/evidence.js';
import { combineLegs } from '../../../model/grants.js';
import type { InventoryNode } from '../../../model/inventory.js';
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
 * a caller whose PassRole decision is the same for all of them) splits each finding into the
 * source's side and the target's side. A source joins the hub of (class, conditional or not,
 * techniques in the pair edge's order) when:
 * - each of those techniques reaches every target of the class from it (a role of the class that
 *   is the source itself is not its own target, so such a source stays per pair);
 * - no other finding reaches a target of the class from it (the pair edge would merge them);
 * - its pairs are all conditional or all hold outright (`joinsWhole`), and the techniques rank in
 *   one order for every target, so the technique the pair edge names does not depend on the target.
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
      push(byPair, pairKey(f.sourceId, targetOf(f)), f);
      const product = f.finding.product;
      if (product && !f.chain) push(classes, product.key, f);
    }
    if (classes.size === 0) return found;
    const { grantHubs, compareRank } = this;
    const consumed = new Set<Found>();
    // The source's sides are needed while its classes are factored only.
    const sidesOf = sideCache();
    for (const list of classes.values()) {
      const first = list[0] as Found;
      const { sourceId } = first;
      const product = first.finding.product as ProductClass;
      if (product.targets.length < MIN_SHARED) continue;
      const joined = joinsWhole(sourceId, list, product, byPair, compareRank, sidesOf);
      if (!joined) continue;
      const { perTarget, conditional } = joined;
      const techniques = (perTarget.get(product.targets[0] as string) as Found[]).map((f) => f.technique.id);
      const hubKey = `${product.key}\u0000${conditional}\u0000${techniques.join('\u0000')}`;
      let hub = this.hubs.get(hubKey);
      const fresh = !hub;
      if (!hub) {
        hub = {
          id: grantHubId(first.sourceAccount, 'escalate', hubKey),
          accountId: first.sourceAccount,
          family: 'escalate',
          name: `${techniques.join(', ')} on the ${product.name}`,
          members: [],
          targets: [],
        };
        this.hubs.set(hubKey, hub);
      }
      const ordered = perTarget.get(product.targets[0] as string) as Found[];
      const member = memberLeg(
        hub,
        {
          type: 'CAN_ESCALATE',
          from: sourceId,
          fromKind: first.sourceKind,
          scope: scopeOf(first.sourceAccount),
          properties: conditional
            ? conditionProperties(ordered.map((f) => sidesOf(f).source.conditions))
            : {},
        },
        distinct(ordered.flatMap((f) => sidesOf(f).source.evidence)),
      );
      const targets: DerivedEdge[] = [];
      if (fresh || !grantHubs)
        for (const [, l] of perTarget) {
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
      for (const l of perTarget.values()) for (const f of l) consumed.add(f);
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
    return consumed.size === 0 ? found : found.filter((f) => !consumed.has(f));
  }

  /** The pair edges of the products (per-pair mode), then the hubs' nodes and legs. */
  output(): { edges: DerivedEdge[]; nodes: InventoryNode[] } {
    const output = hubOutput(this.hubs.values());
    return { edges: [...this.pairEdges, ...output.edges], nodes: output.nodes };
  }
}

/**
 * The source's findings by target when it reaches every target of the class through each of its
 * techniques and through nothing else, and whether its pairs are conditional; undefined otherwise.
 * A pair edge is conditional only when every technique reaching it is (analyze.ts `toEdges`), and
 * then on all their conditions; the legs join by union (`combineLegs`). So a source joins when its
 * pairs are all conditional (the legs carry their sides' conditions) or all hold outright (the legs
 * carry none; the evidence records keep theirs), never when that differs between its targets.
 */
function joinsWhole(
  sourceId: string,
  list: Found[],
  product: ProductClass,
  byPair: Map<string, Found[]>,
  compareRank: (a: Found, b: Found) => number,
  sidesOf: (f: Found) => Sides,
): { perTarget: Map<string, Found[]>; conditional: boolean } | undefined {
  const techniques = new Set(list.map((f) => f.technique));
  if (list.length !== techniques.size * product.targets.length) return undefined;
  const perTarget = new Map<string, Found[]>();
  let conditional: boolean | undefined;
  for (const target of product.targets) {
    const pair = byPair.get(pairKey(sourceId, target)) ?? [];
    if (pair.length !== techniques.size) return undefined;
    if (pair.some((f) => f.chain || f.finding.product?.key !== product.key)) return undefined;
    if (new Set(pair.map((f) => f.technique)).size !== techniques.size) return undefined;
    const pairConditional = pair.every((f) => {
      const sides = sidesOf(f);
      return sides.source.conditions.length > 0 || sides.target.conditions.length > 0;
    });
    if (conditional !== undefined && pairConditional !== conditional) return undefined;
    conditional = pairConditional;
    perTarget.set(target, [...pair].sort(compareRank));
  }
  // Several techniques: the pair edge's technique, and the order of its evidence, must not differ
  // between targets (the hub is keyed by that order, so it does not depend on the source).
  if (techniques.size > 1) {
    const order = (l: Found[]) => l.map((f) => f.technique.id).join('\u0000');
    const first = order(perTarget.get(product.targets[0] as string) as Found[]);
    for (const l of perTarget.values()) if (order(l) !== first) return undefined;
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

function push<T>(map: Map<string, T[]>, k: string, value: T): void {
  const list = map.get(k);
  if (list) list.push(value);
  else map.set(k, [value]);
}
