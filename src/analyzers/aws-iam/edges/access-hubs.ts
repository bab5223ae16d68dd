import { createHash } from 'node:crypto';
import type { Evidence } from '../../../model/evidence.js';
import type { InventoryNode } from '../../../model/inventory.js';
import type { DerivedEdge, PrincipalInfo } from '../types.js';
import { type GrantHub, grantHubId, hubOutput, memberLeg, targetLeg } from './grant-hubs.js';
import { scopeOf } from './nodes.js';

/**
 * CAN_ACCESS products as Grant hubs (the contract is src/model/grants.ts). A principal's edge to a
 * resource is decided by the whole evaluation (identity policies, Denies, boundary, SCPs, the
 * resource policy, RCPs, Block Public Access); can-access.ts splits each decided pair into
 *
 * - the member side: one record per granting statement (the policy, the statement, the actions it
 *   grants, the objects when it grants them only, the undecided conditions of its own and of the
 *   Denies that may apply), the edge's conditional flag and keys; `memberKey` decides it;
 * - the target side: the edge's levels and actions and one record naming the resource (its name,
 *   and the DB users of an `rds-db:connect`); `targetKey` decides it with the resource.
 *
 * The pair edge is the member side's records, then the target side's. Per member account, a
 * principal's resources of one kind with one (member key, target key) form a target set;
 * principals with one target key and the same target set share a hub, whatever statements grant
 * it: one member leg each with its own records and flag, one target leg per resource. Principals
 * that hold `s3:*` on `*` through different policies share the hub of "every action of S3 on
 * these buckets". Every pair has one key, so it is in one hub or written as one pair edge, never
 * both. A product of fewer than two principals, or on fewer than two resources, saves nothing and
 * is written pair by pair; so is everything when hubs are off (the same edges).
 *
 * A Deny, a boundary or a resource policy that makes a pair different changes that pair's keys
 * (other statements, conditions, actions), so the pair leaves the hub of the others.
 */

/**
 * A decided pair's sides but the record naming its resource, split as above (built by
 * can-access.ts): the same object for every resource a principal's grant stands for.
 */
export interface AccessSides {
  memberKey: string;
  targetKey: string;
  /** `memberKey` and `targetKey`, joined: what a principal's target sets are grouped by. */
  key: string;
  member: Evidence[];
  /** The DB users of an `rds-db:connect` the target record names after the resource. */
  related: string;
  /** levels and actions. */
  properties: DerivedEdge['properties'];
  /** conditional/conditions when the edge is conditional. */
  conditional: DerivedEdge['properties'];
}

/** One decided pair: its resource, its sides and the target side's records (naming the resource). */
export interface Target {
  arn: string;
  sides: AccessSides;
  target: Evidence[];
}

/** Principals of one account with one target key and one target set. */
interface Product {
  digest: string;
  accountId: string;
  toKind: string;
  targets: Target[];
  /** Each member with its own side (the same on each target). */
  members: [PrincipalInfo, AccessSides][];
}

/** A principal's place in a product, or pair edges already made. */
type Joined = { member: PrincipalInfo; sides: AccessSides; product: Product } | { pairs: DerivedEdge[] };

/** Below this many members or targets a hub stores more than the pairs it stands for. */
const MIN_SHARED = 2;

export class AccessProducts {
  private readonly products = new Map<string, Product>();
  /**
   * Each principal's products in the order it joined them (pair edges come out principal by
   * principal), or the pair edges of a target set no hub can take, made as it comes.
   */
  private readonly joined: Joined[] = [];

  constructor(private readonly hubs: boolean) {}

  /** One principal's decided pairs on resources of one kind. */
  add(principal: PrincipalInfo, toKind: string, pairs: Iterable<Target>): void {
    const byKey = new Map<string, Target[]>();
    for (const pair of pairs) {
      const key = pair.sides.key;
      const list = byKey.get(key);
      if (list) list.push(pair);
      else byKey.set(key, [pair]);
    }
    for (const targets of byKey.values()) {
      const { sides, target } = targets[0] as Target;
      // Fewer targets than a hub takes, or no hubs: pair edges, without a product's bookkeeping.
      if (!this.hubs || targets.length < MIN_SHARED) {
        this.joined.push({ pairs: targets.map((t) => this.pairEdge(principal, sides, toKind, t)) });
        continue;
      }
      // By what the target side says, not the run's interned ids: one estate, one hub id.
      const [record] = target;
      const hash = createHash('sha256').update(
        [
          principal.accountId,
          toKind,
          record?.source,
          sides.related,
          ...(record?.conditions ?? []),
          '',
          ...(sides.properties.levels as string[]),
          '',
          ...(sides.properties.actions as string[]),
        ].join('\u0000'),
      );
      // Without the partition: one estate gives one hub id in every partition.
      for (const arn of targets.map((t) => t.arn).sort())
        hash.update(`\u0000${arn.replace(/^arn:[^:]*:/, '')}`);
      const digest = hash.digest('hex');
      let product = this.products.get(digest);
      if (product) product.members.push([principal, sides]);
      else {
        product = { digest, accountId: principal.accountId, toKind, targets, members: [[principal, sides]] };
        this.products.set(digest, product);
      }
      this.joined.push({ member: principal, sides, product });
    }
  }

  /**
   * The hubs' nodes; the edges are appended to `edges` (the family's own list: at millions of pair
   * edges, a list of them made here and copied there held them twice over at the family's end).
   */
  output(edges: DerivedEdge[]): InventoryNode[] {
    const hubs = new Map<Product, GrantHub>();
    if (this.hubs)
      for (const product of this.products.values())
        if (product.members.length >= MIN_SHARED && product.targets.length >= MIN_SHARED)
          hubs.set(product, hubOf(product));
    for (const joined of this.joined) {
      if ('pairs' in joined) {
        for (const e of joined.pairs) edges.push(e);
        continue;
      }
      const { member, sides, product } = joined;
      if (!hubs.has(product))
        for (const t of product.targets) edges.push(this.pairEdge(member, sides, product.toKind, t));
    }
    const output = hubOutput(hubs.values());
    for (const e of output.edges) edges.push(e);
    return output.nodes;
  }

  /**
   * The pair edges' properties (levels, actions, conditional flag and keys), one object per content:
   * by the interned summary, then the keys. Nothing writes into an edge's properties (merging
   * copies them), and a dense account's pair edges have a few hundred distinct ones.
   */
  private readonly pairProperties = new Map<
    DerivedEdge['properties'],
    Map<string, DerivedEdge['properties']>
  >();

  private pairEdge(member: PrincipalInfo, sides: AccessSides, toKind: string, target: Target): DerivedEdge {
    const summary = target.sides.properties;
    const { conditional } = sides;
    const keys = conditional.conditions;
    const size = Object.keys(conditional).length;
    const content =
      size === 0
        ? ''
        : size === 2 && conditional.conditional === true && Array.isArray(keys)
          ? `\u0001${keys.join('\u0000')}`
          : undefined;
    let byContent = this.pairProperties.get(summary);
    if (!byContent) {
      byContent = new Map();
      this.pairProperties.set(summary, byContent);
    }
    let properties = content === undefined ? undefined : byContent.get(content);
    if (!properties) {
      properties = { ...summary, ...conditional };
      if (content !== undefined) byContent.set(content, properties);
    }
    return {
      type: 'CAN_ACCESS',
      from: member.id,
      fromKind: member.kind,
      to: target.arn,
      toKind,
      scope: scopeOf(member.accountId),
      properties,
      // `concat`, not a spread: a spread array keeps room to grow (about 200 bytes for two records
      // against 66), and a dense account's pair edges number in the millions.
      evidence: sides.member.concat(target.target),
    };
  }
}

function hubOf(product: Product): GrantHub {
  const { accountId, toKind, targets } = product;
  const sample = (targets[0] as Target).sides;
  const levels = (sample.properties.levels as string[]).join('/');
  const actions = sample.properties.actions as string[];
  const hub: GrantHub = {
    id: grantHubId(accountId, 'access', product.digest),
    accountId,
    family: 'access',
    name: `principals of account ${accountId} that may ${levels} ${targets.length} ${toKind} resources (${actions.length} actions)`,
    members: [],
    targets: [],
  };
  // The records are shared by every pair with the resource: the leg gets a list of its own (a
  // `slice`, exactly its length, where a spread copy keeps room to grow).
  hub.targets = targets.map((t) =>
    targetLeg(
      hub,
      { type: 'CAN_ACCESS', to: t.arn, toKind, properties: t.sides.properties },
      t.target.slice(),
    ),
  );
  hub.members = product.members.map(([m, sides]) =>
    memberLeg(
      hub,
      {
        type: 'CAN_ACCESS',
        from: m.id,
        fromKind: m.kind,
        scope: scopeOf(m.accountId),
        properties: sides.conditional,
      },
      sides.member,
    ),
  );
  return hub;
}
