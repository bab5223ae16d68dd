import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import neo4j from 'neo4j-driver';
import { expect, inject } from 'vitest';
import { GraphExecutor } from '../../src/graph/executor.js';
import { type LoadResult, loadInventory } from '../../src/graph/loader.js';
import { parseInventoryText } from '../../src/model/validate.js';
import { packageRoot } from '../../src/package-root.js';

/**
 * This test worker's Neo4j (started by test/setup/neo4j-global.ts, or NEO4J_URI): workers run files
 * side by side, each against a server of its own.
 */
export function testNeo4j(): { uri: string; user: string; password: string; database: string } {
  const servers = inject('neo4jServers');
  const worker = Number(process.env.VITEST_POOL_ID ?? '1');
  const server = servers[worker - 1];
  if (!server) {
    throw new Error(
      `test worker ${worker} has no Neo4j: ${servers.length} started for the integration project's maxWorkers`,
    );
  }
  return server;
}

/** A GraphExecutor on this test worker's Neo4j. */
export function testExecutor(): GraphExecutor {
  return GraphExecutor.connect(testNeo4j());
}

/**
 * The plan Neo4j would run `query` with, as JSON (EXPLAIN runs nothing). Plans are a driver result
 * summary, which the executor does not hand out, so this asks the driver directly.
 */
export async function explainPlan(query: string): Promise<string> {
  const target = testNeo4j();
  const auth = target.password ? neo4j.auth.basic(target.user, target.password) : undefined;
  const driver = neo4j.driver(target.uri, auth);
  const session = driver.session({ database: target.database, defaultAccessMode: neo4j.session.READ });
  try {
    const result = await session.executeRead((tx) => tx.run(`EXPLAIN ${query}`));
    return JSON.stringify(result.summary.plan);
  } finally {
    await session.close();
    await driver.close();
  }
}

/** Community has one user database: files run one at a time and start from an empty graph. */
export async function wipe(executor: GraphExecutor): Promise<void> {
  await executor.write('MATCH (n) DETACH DELETE n');
}

/** The graph emptied, then the sample inventory (examples/sample-inventory.json) loaded as one run. */
export async function loadSampleInventory(executor: GraphExecutor): Promise<LoadResult> {
  await wipe(executor);
  const text = readFileSync(join(packageRoot(), 'examples', 'sample-inventory.json'), 'utf8');
  return loadInventory(executor, parseInventoryText(text, 'sample'));
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

/** Everything `published` held is still in the graph (a failed run only adds or refreshes facts); returns the graph now. */
export async function expectStillPublished(
  executor: GraphExecutor,
  published: GraphSnapshot,
): Promise<GraphSnapshot> {
  const after = await snapshot(executor);
  for (const node of published.nodes) expect(after.nodes).toContain(node);
  for (const rel of published.relationships) expect(after.relationships).toContain(rel);
  return after;
}
