import { cypherFile } from '../../graph/cypher-files.js';
import type { GraphExecutor } from '../../graph/executor.js';
import { toNodeRef } from '../../reports/findings.js';
import type { NodeRef } from '../../reports/types.js';
import { chunk } from '../../util/collections.js';
import type { GrantedEdge } from '../granted-vs-used.js';
import type { ActivityStore } from '../store.js';
import type { DetectorContext } from './detectors.js';
import { REVIEW_MACROS } from './review.js';

/** What the graph says about the identities and resources of the days under review. */
export interface AnomalyGraph extends DetectorContext {
  /** The identity as the graph holds it; undefined when the graph does not. */
  principalOf(id: string): { ref: NodeRef; nonHuman: boolean | null } | undefined;
  /** The resource as the graph holds it. */
  resourceOf(id: string): NodeRef | undefined;
}

/** Ids per query: bounded parameter lists however many identities a day holds. */
const BATCH = 2_000;

/**
 * Read, in three queries per batch, the graph's view of what the store holds for `from`..`to`:
 * each active identity (kind, name, non-human), the environment of each resource named (objects as
 * their bucket), and each identity's own access and assume edges.
 */
export async function readAnomalyGraph(
  executor: GraphExecutor,
  store: ActivityStore,
  from: string,
  to: string,
): Promise<AnomalyGraph> {
  for (const macro of REVIEW_MACROS) await store.connection.run(macro);
  const identities = (
    await store.rows<{ identity: string }>(
      `SELECT DISTINCT identity FROM daily WHERE day >= $from::DATE AND day <= $to::DATE AND identity IS NOT NULL`,
      { from, to },
    )
  ).map((r) => r.identity);
  const resources = (
    await store.rows<{ resource: string }>(
      `SELECT DISTINCT resource_container(resource) AS resource FROM daily
       WHERE day >= $from::DATE AND day <= $to::DATE AND resource IS NOT NULL`,
      { from, to },
    )
  ).map((r) => r.resource);
  const principals = new Map<
    string,
    { ref: NodeRef; nonHuman: boolean | null; lastUsedAt: string | null; createdAt: string | null }
  >();
  const granted = new Map<string, GrantedEdge[]>();
  for (const ids of chunk(identities, BATCH)) {
    const rows = await executor.read<{
      id: string;
      labels: string[];
      name: string | null;
      scope: string | null;
      nonHuman: boolean | null;
      lastUsedAt: string | null;
      createdAt: string | null;
    }>(cypherFile('anomalies/principals'), { ids }, { action: 'reading the identities under review' });
    for (const r of rows)
      principals.set(r.id, {
        ref: toNodeRef(r),
        nonHuman: r.nonHuman ?? null,
        lastUsedAt: r.lastUsedAt ?? null,
        createdAt: r.createdAt ?? null,
      });
    const edges = await executor.read<GrantedEdge & { identity: string }>(
      cypherFile('anomalies/granted'),
      { ids },
      { action: 'reading the edges of the identities under review' },
    );
    for (const { identity, ...edge } of edges)
      granted.set(identity, [...(granted.get(identity) ?? []), edge]);
  }
  const environments = new Map<string, { ref: NodeRef; environment: string | null }>();
  for (const ids of chunk(resources, BATCH)) {
    const rows = await executor.read<{
      id: string;
      labels: string[];
      name: string | null;
      scope: string | null;
      environment: string | null;
    }>(cypherFile('anomalies/environments'), { ids }, { action: 'reading the resources under review' });
    for (const r of rows) environments.set(r.id, { ref: toNodeRef(r), environment: r.environment });
  }
  return {
    principalOf: (id) => principals.get(id),
    resourceOf: (id) => environments.get(id)?.ref,
    environmentOf: (id) => environments.get(id)?.environment ?? undefined,
    // An identity the graph holds without edges is granted nothing; one it does not hold is unknown.
    grantedOf: (id) => granted.get(id) ?? (principals.has(id) ? [] : undefined),
    recordedUseOf: (id) => {
      const p = principals.get(id);
      return p ? { lastUsedAt: p.lastUsedAt, createdAt: p.createdAt } : undefined;
    },
  };
}
