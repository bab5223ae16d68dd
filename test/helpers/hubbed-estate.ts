import { GRANT_KIND } from '../../src/model/grants.js';
import type { InventoryInput } from '../../src/model/inventory.js';
import { ACCESS_LEVELS } from '../../src/model/properties.js';
import { seededRandom } from './random.js';

/**
 * Seeded random estates with Grant hubs (src/model/grants.ts): roles, buckets and one account,
 * random hop edges (CAN_ASSUME, CAN_ESCALATE, CAN_ESCALATE into the account), CAN_ACCESS and
 * ADMINISTERS edges, and random subsets of principals × targets factored into hubs of every type.
 * No pair is given twice (once stored and once through a hub, or through two hubs): an analyzer
 * that factors correctly never does, and the loader would merge such a pair into one edge.
 *
 * Each leg's conditional flag comes from its evidence (validation derives it so), and all legs of a
 * hub share one flag: validation reads several evidence records on one edge as alternative grants
 * (conditional only when every record is), whereas a hub's two legs are both needed (conditional
 * when either is), so a pair of one conditional and one unconditional leg would mean two different
 * things on the hubbed and on the expanded inventory.
 */

export const HUB_ACCOUNT = '111111111111';
export const hubRole = (i: number) => `arn:aws:iam::${HUB_ACCOUNT}:role/r${String(i).padStart(3, '0')}`;
export const hubBucket = (j: number) => `arn:aws:s3:::b${String(j).padStart(3, '0')}`;
export const HUB_ACCOUNT_NODE = `aws:account:${HUB_ACCOUNT}`;

export interface HubbedEstateSize {
  roles: number;
  buckets: number;
  hops: number;
  accesses: number;
  hubs: number;
  /** Members and targets per hub, at most. */
  hubWidth: number;
}

export const SMALL_HUBBED_ESTATE: HubbedEstateSize = {
  roles: 16,
  buckets: 6,
  hops: 30,
  accesses: 14,
  hubs: 6,
  hubWidth: 7,
};

export function hubbedEstate(seed: number, size: HubbedEstateSize = SMALL_HUBBED_ESTATE): InventoryInput {
  const next = seededRandom(seed);
  const pick = (n: number) => Math.floor(next() * n);
  const evidence = (ref: string, reason: string, conditional: boolean) => [
    {
      source: 'trust-policy' as const,
      ref,
      statement: String(pick(3)),
      reason,
      ...(conditional ? { conditions: [next() < 0.5 ? 'aws:SourceIp' : 'aws:MultiFactorAuthPresent'] } : {}),
    },
  ];
  const levels = () => {
    const some = ACCESS_LEVELS.filter(() => next() < 0.35);
    return some.length ? some : ['read'];
  };
  const used = new Set<string>();
  const pairKey = (type: string, from: string, to: string) => `${type} ${from} ${to}`;
  const relationships: InventoryInput['relationships'] = [];
  const nodes: InventoryInput['nodes'] = [];

  // Hubs first, then stored edges between the pairs no hub stands for.
  const TYPES = ['CAN_ASSUME', 'CAN_ESCALATE', 'CAN_ACCESS', 'CAN_ACCESS', 'ADMINISTERS'] as const;
  for (let h = 0; h < size.hubs; h++) {
    const type = TYPES[pick(TYPES.length)] as (typeof TYPES)[number];
    const id = `grant:aws:${HUB_ACCOUNT}:test-${type.toLowerCase()}:${seed}-${h}`;
    const conditional = next() < 0.3;
    const targetPool =
      type === 'CAN_ACCESS'
        ? Array.from({ length: size.buckets }, (_, j) => hubBucket(j))
        : type === 'ADMINISTERS'
          ? [HUB_ACCOUNT_NODE]
          : [
              ...Array.from({ length: size.roles }, (_, i) => hubRole(i)),
              ...(type === 'CAN_ESCALATE' ? [HUB_ACCOUNT_NODE] : []),
            ];
    const targets = [
      ...new Set(
        Array.from({ length: 1 + pick(size.hubWidth) }, () => targetPool[pick(targetPool.length)] as string),
      ),
    ];
    const members = [
      ...new Set(Array.from({ length: 1 + pick(size.hubWidth) }, () => hubRole(pick(size.roles)))),
    ].filter((m) => targets.every((t) => t !== m && !used.has(pairKey(type, m, t))));
    if (members.length === 0) continue;
    for (const m of members) for (const t of targets) used.add(pairKey(type, m, t));
    nodes.push({
      id,
      kind: GRANT_KIND,
      scope: `aws:${HUB_ACCOUNT}`,
      properties: {
        name: `${type} hub ${h}`,
        family: `test-${type.toLowerCase()}`,
        members: members.length,
        targets: targets.length,
      },
    });
    for (const m of members)
      relationships.push({
        type,
        from: m,
        to: id,
        evidence: evidence(m, `identity policy of ${m} allows ${type} on a class of targets`, conditional),
      });
    for (const t of targets)
      relationships.push({
        type,
        from: id,
        to: t,
        ...(type === 'CAN_ACCESS'
          ? { properties: { levels: levels() } }
          : type === 'CAN_ESCALATE'
            ? { properties: { technique: 'iam-005' } }
            : {}),
        evidence: evidence(t, `resource side of ${t} admits the class`, conditional),
      });
  }

  const stored = (type: string, from: string, to: string, properties?: Record<string, unknown>) => {
    if (from === to || used.has(pairKey(type, from, to))) return;
    used.add(pairKey(type, from, to));
    relationships.push({
      type,
      from,
      to,
      ...(properties ? { properties: properties as Record<string, string[]> } : {}),
      evidence: evidence(to, `${type} ${from} -> ${to}`, next() < 0.3),
    });
  };
  for (let k = 0; k < size.hops; k++) {
    const from = hubRole(pick(size.roles));
    const r = next();
    if (r < 0.6) stored('CAN_ASSUME', from, hubRole(pick(size.roles)));
    else if (r < 0.93) stored('CAN_ESCALATE', from, hubRole(pick(size.roles)), { technique: 'iam-005' });
    else stored('CAN_ESCALATE', from, HUB_ACCOUNT_NODE, { technique: 'iam-005' });
  }
  for (let k = 0; k < size.accesses; k++) {
    const from = hubRole(pick(size.roles));
    if (next() < 0.1) stored('ADMINISTERS', from, HUB_ACCOUNT_NODE);
    else stored('CAN_ACCESS', from, hubBucket(pick(size.buckets)), { levels: levels() });
  }

  nodes.push(
    ...Array.from({ length: size.roles }, (_, i) => ({
      id: hubRole(i),
      kind: 'AwsRole',
      scope: `aws:${HUB_ACCOUNT}`,
      properties: { name: `r${i}`, nonHuman: true, nhiType: 'role' },
    })),
    ...Array.from({ length: size.buckets }, (_, j) => ({
      id: hubBucket(j),
      kind: 'AwsS3Bucket',
      scope: `aws:${HUB_ACCOUNT}`,
      properties: { name: `b${j}`, environment: 'production' },
    })),
    {
      id: HUB_ACCOUNT_NODE,
      kind: 'AwsAccount',
      scope: `aws:${HUB_ACCOUNT}`,
      properties: { name: HUB_ACCOUNT },
    },
  );
  return {
    format: 'reachgraph-inventory',
    version: 1,
    source: { name: `hubbed-${seed}` },
    scopes: [{ id: `aws:${HUB_ACCOUNT}`, provider: 'aws', complete: true }],
    nodes,
    relationships,
  };
}
