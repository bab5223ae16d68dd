// The synthetic estate the reachability and API benchmarks share: principals, hop edges and
// CAN_ACCESS edges generated from a seed and written straight into Neo4j with batched UNWIND (no
// Inventory, no loader), so a million edges load in under a minute.
import type { GraphExecutor } from '../src/graph/executor.js';
import { ensureSchema } from '../src/graph/schema.js';
import { ACCESS_LEVELS } from '../src/model/properties.js';
import { HOP_TYPES } from '../src/model/relationship-kinds.js';
import { log, now, seconds } from './lib.js';
import { prng } from './synthetic-inventory.js';

const BATCH = 20_000;
const RESOURCES_PER_ACCOUNT = 100;

interface NodeKindRows {
  label: string;
  extra: string[];
  ids: string[];
  /** Properties by row (same index as ids). */
  props: Record<string, unknown>[];
}

export type SyntheticEstate = ReturnType<typeof syntheticEstate>;

/**
 * Accounts of 500 identities: 40 % roles, 35 % users (human), 20 % functions (workloads that run as
 * a role), 5 % OIDC subjects (CI pipelines federating into a role), and 100 data resources (a third
 * production, one in five of those of high sensitivity). Users assume one or two roles, 15 % of roles
 * chain to another role, 2 % can escalate to one, 5 % of trust edges reach into another account;
 * the rest of the edge budget is CAN_ACCESS from roles (70 %), users (20 %) and functions (10 %) to
 * resources of their account, 10 % conditional.
 */
export function syntheticEstate(identities: number, edges: number, seed: number) {
  const next = prng(seed);
  // Resource attributes draw from their own stream, so they leave the edges of a seed unchanged.
  const attribute = prng(seed + 1);
  const int = (n: number) => Math.floor(next() * n);
  const accounts = Math.max(1, Math.round(identities / 500));
  const perAccount = Math.ceil(identities / accounts);
  const account = (a: number) => String(100000000000 + a);
  // Node numbers: one list per kind and account; edges refer to nodes by these global numbers.
  const kinds = {
    role: [] as number[][],
    user: [] as number[][],
    fn: [] as number[][],
    oidc: [] as number[][],
    resource: [] as number[][],
  };
  const nodes: NodeKindRows[] = [
    { label: 'AwsRole', extra: ['Principal'], ids: [], props: [] },
    { label: 'AwsUser', extra: ['Principal'], ids: [], props: [] },
    { label: 'AwsLambdaFunction', extra: ['Principal', 'Workload', 'Resource'], ids: [], props: [] },
    { label: 'OidcSubject', extra: ['Principal'], ids: [], props: [] },
    { label: 'AwsS3Bucket', extra: ['Resource'], ids: [], props: [] },
  ];
  const numbers: number[][] = [[], [], [], [], []];
  let total = 0;
  const add = (kind: number, id: string, props: Record<string, unknown>) => {
    const rows = nodes[kind] as NodeKindRows;
    rows.ids.push(id);
    rows.props.push({ id, name: id, provider: 'aws', ...props });
    (numbers[kind] as number[]).push(total);
    return total++;
  };
  const identity = (nhiType: string | null, scope: string) => ({
    nonHuman: nhiType !== null,
    ...(nhiType ? { nhiType } : {}),
    environment: 'production',
    scope,
  });
  const resource = (scope: string) => {
    const roll = attribute();
    const environment = roll < 0.34 ? 'production' : roll < 0.67 ? 'staging' : 'development';
    const s = attribute();
    const sensitivity = s < 0.2 ? 'high' : s < 0.6 ? 'medium' : 'low';
    return { environment, sensitivity, scope };
  };
  for (let a = 0; a < accounts; a++) {
    const acct = account(a);
    const scope = `aws:${acct}`;
    const count = Math.min(perAccount, identities - a * perAccount);
    const share = (f: number) => Math.round(count * f);
    kinds.role.push(
      Array.from({ length: share(0.4) }, (_, i) =>
        add(0, `arn:aws:iam::${acct}:role/r${i}`, identity('role', scope)),
      ),
    );
    kinds.user.push(
      Array.from({ length: share(0.35) }, (_, i) =>
        add(1, `arn:aws:iam::${acct}:user/u${i}`, identity(null, scope)),
      ),
    );
    kinds.fn.push(
      Array.from({ length: share(0.2) }, (_, i) =>
        add(2, `arn:aws:lambda:eu-west-1:${acct}:function:f${i}`, {
          ...identity('workload', scope),
          sensitivity: 'medium',
        }),
      ),
    );
    kinds.oidc.push(
      Array.from({ length: count - share(0.4) - share(0.35) - share(0.2) }, (_, i) =>
        add(3, `oidc:github:repo:acme/r${a}-${i}:ref:refs/heads/main`, identity('federated', scope)),
      ),
    );
    kinds.resource.push(
      Array.from({ length: RESOURCES_PER_ACCOUNT }, (_, i) =>
        add(4, `arn:aws:s3:::bucket-${acct}-${i}`, resource(scope)),
      ),
    );
  }
  const pickIn = (list: number[][], a: number) => {
    const inAccount = list[a] as number[];
    return inAccount[int(inAccount.length)] as number;
  };
  const roleFor = (a: number) => pickIn(kinds.role, next() < 0.05 ? int(accounts) : a);

  const hops = HOP_TYPES.map((type) => ({
    type,
    from: [] as number[],
    to: [] as number[],
    conditional: [] as boolean[],
  }));
  const hop = (type: string, from: number, to: number) => {
    const list = hops.find((h) => h.type === type) as (typeof hops)[number];
    list.from.push(from);
    list.to.push(to);
    list.conditional.push(next() < 0.1);
  };
  for (let a = 0; a < accounts; a++) {
    for (const u of kinds.user[a] as number[]) {
      hop('CAN_ASSUME', u, roleFor(a));
      if (next() < 0.5) hop('CAN_ASSUME', u, roleFor(a));
    }
    for (const r of kinds.role[a] as number[]) {
      if (next() < 0.15) hop('CAN_ASSUME', r, roleFor(a));
      if (next() < 0.02) hop('CAN_ESCALATE', r, roleFor(a));
    }
    for (const f of kinds.fn[a] as number[]) hop('RUNS_AS', f, pickIn(kinds.role, a));
    for (const o of kinds.oidc[a] as number[]) hop('FEDERATES_TO', o, roleFor(a));
  }
  const hopCount = hops.reduce((n, h) => n + h.from.length, 0);
  const access = {
    from: [] as number[],
    to: [] as number[],
    levels: [] as string[][],
    conditional: [] as boolean[],
  };
  const seen = new Set<number>();
  while (access.from.length < edges - hopCount) {
    const a = int(accounts);
    const roll = next();
    const from = pickIn(roll < 0.7 ? kinds.role : roll < 0.9 ? kinds.user : kinds.fn, a);
    const to = pickIn(kinds.resource, a);
    const key = from * 2 ** 20 + to;
    if (seen.has(key)) continue;
    seen.add(key);
    access.from.push(from);
    access.to.push(to);
    access.levels.push(ACCESS_LEVELS.filter((_, i) => i === 0 || next() < 0.35));
    access.conditional.push(next() < 0.1);
  }
  return { nodes, numbers, hops, access, total, accounts };
}

/** Writes the estate; returns Neo4j's internal id of every node, by node number. */
export async function generateEstate(executor: GraphExecutor, estate: SyntheticEstate): Promise<number[]> {
  const internal = new Array<number>(estate.total);
  for (const [k, kind] of estate.nodes.entries()) {
    const numbers = estate.numbers[k] as number[];
    for (let i = 0; i < kind.ids.length; i += BATCH) {
      const rows = await executor.write<{ key: number }>(
        `UNWIND $props AS props CREATE (n:${kind.label}:Entity:${kind.extra.join(':')}) SET n = props
         RETURN toFloat(id(n)) AS key`,
        { props: kind.props.slice(i, i + BATCH) },
      );
      rows.forEach((row, j) => {
        internal[numbers[i + j] as number] = row.key;
      });
    }
  }
  const relationships = async (
    type: string,
    from: number[],
    to: number[],
    props: Record<string, unknown>[],
  ) => {
    for (let i = 0; i < from.length; i += BATCH) {
      const rows = from.slice(i, i + BATCH).map((f, j) => ({
        a: internal[f] as number,
        b: internal[to[i + j] as number] as number,
        p: props[i + j],
      }));
      await executor.write(
        `UNWIND $rows AS row MATCH (a) WHERE id(a) = row.a MATCH (b) WHERE id(b) = row.b
         CREATE (a)-[r:${type}]->(b) SET r = row.p`,
        { rows },
      );
    }
  };
  for (const h of estate.hops) {
    await relationships(
      h.type,
      h.from,
      h.to,
      h.conditional.map((conditional) => ({ conditional, reason: 'synthetic', scope: 'aws:bench' })),
    );
  }
  const { access } = estate;
  await relationships(
    'CAN_ACCESS',
    access.from,
    access.to,
    access.levels.map((levels, i) => ({
      levels,
      conditional: access.conditional[i],
      reason: 'synthetic',
      scope: 'aws:bench',
    })),
  );
  return internal;
}

/** Stable ids of a spread sample of `count` nodes of one kind (by label), in id order. */
export function sampleIds(estate: SyntheticEstate, label: string, count: number): string[] {
  const ids = estate.nodes.find((n) => n.label === label)?.ids ?? [];
  const step = Math.max(1, Math.floor(ids.length / count));
  return ids.filter((_, i) => i % step === 0).slice(0, count);
}

/**
 * The estate of `identities` identities and `edges` edges from `seed` on an empty graph: the schema,
 * then the estate (`amend` changes it first, `after` writes what a benchmark adds to it), timed.
 */
export async function seedEstate(
  executor: GraphExecutor,
  options: { identities: number; edges: number; seed: number },
  extra: {
    amend?: (estate: SyntheticEstate) => void;
    after?: (estate: SyntheticEstate) => Promise<void>;
  } = {},
): Promise<{ estate: SyntheticEstate; generateMs: number }> {
  await ensureSchema(executor);
  log(`Generating ${options.identities} identities and ${options.edges} edges (seed ${options.seed})…`);
  const started = now();
  const estate = syntheticEstate(options.identities, options.edges, options.seed);
  extra.amend?.(estate);
  await generateEstate(executor, estate);
  await extra.after?.(estate);
  const generateMs = now() - started;
  log(`  generated in ${seconds(generateMs).toFixed(1)} s (${estate.accounts} accounts)`);
  return { estate, generateMs };
}

/**
 * The plain Cypher baseline of the reach benchmarks: bounded SHORTEST 1 from an even sample of the
 * principals (the non-human ones with `nonHumanOnly`) to every resource each reaches (production data
 * of high sensitivity only with `productionData`), timed and scaled to all of them.
 */
export async function shortestFromSample(
  executor: GraphExecutor,
  options: { sample: number; maxHops: number; nonHumanOnly: boolean; productionData: boolean },
) {
  const principals = await executor.read<{ id: string }>(
    `MATCH (s:Principal${options.nonHumanOnly ? ' {nonHuman: true}' : ''}) RETURN s.id AS id ORDER BY id`,
  );
  const step = Math.max(1, Math.floor(principals.length / options.sample));
  const ids = principals
    .filter((_, i) => i % step === 0)
    .slice(0, options.sample)
    .map((p) => p.id);
  const started = now();
  const [row] = await executor.read<{ pairs: number }>(
    `UNWIND $ids AS sid
     MATCH (s:Principal {id: sid})
     CALL (s) {
       MATCH p = SHORTEST 1 (s) (()-[:${HOP_TYPES.join('|')}]->()){0,${options.maxHops}} (:Principal)-[:CAN_ACCESS]->(r:Resource)
       ${options.productionData ? "WHERE r.environment = 'production' AND r.sensitivity = 'high'" : ''}
       RETURN r
     }
     RETURN count(*) AS pairs`,
    { ids },
  );
  const ms = now() - started;
  return {
    sample: ids.length,
    principals: principals.length,
    pairs: row?.pairs ?? 0,
    ms,
    scaledMs: (ms * principals.length) / Math.max(1, ids.length),
  };
}
