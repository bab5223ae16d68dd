import { inject } from 'vitest';
import { GraphExecutor } from '../../src/graph/executor.js';

/** The test Neo4j (started by test/setup/neo4j-global.ts, or NEO4J_URI). */
export function testExecutor(): GraphExecutor {
  return GraphExecutor.connect(inject('neo4j'));
}

/** Community has one user database: files run one at a time and start from an empty graph. */
export async function wipe(executor: GraphExecutor): Promise<void> {
  await executor.write('MATCH (n) DETACH DELETE n');
}

export interface GraphSnapshot {
  nodes: string[];
  relationships: string[];
}

/** The data part of the graph (not run bookkeeping) as sorted `Kind id` and `from -TYPE-> to` strings. */
export async function snapshot(executor: GraphExecutor): Promise<GraphSnapshot> {
  const nodes = await executor.read<{ n: string }>(
    "MATCH (n:Entity) RETURN labels(n)[0] + ' ' + n.id AS n ORDER BY n",
  );
  const relationships = await executor.read<{ r: string }>(
    "MATCH (a:Entity)-[r]->(b) RETURN a.id + ' -' + type(r) + '-> ' + b.id AS r ORDER BY r",
  );
  return { nodes: nodes.map((x) => x.n), relationships: relationships.map((x) => x.r) };
}
