// The bare-driver ceiling the benchmarks measure the loader against: exactly the rows the loader
// sends, in its batches (run stamps included), each batch written with a plain `UNWIND $rows …`
// and nothing else (no run bookkeeping, no firstSeen, no cleanup).
//
//   merge   `MERGE … SET +=`: what a load into a graph that may hold the records must do
//   create  `CREATE … SET =`: the ceiling for rows known to be new, into an empty store
import neo4j, { type Driver } from 'neo4j-driver';
import { loadBatches } from '../src/graph/loader.js';
import { toDateTime } from '../src/graph/values.js';
import type { ValidInventory } from '../src/model/validate.js';

export type BareVerb = 'merge' | 'create';

export interface PlainBatch {
  /** The node label or relationship type the batch writes. */
  kind: string;
  query: string;
  rows: Record<string, unknown>[];
}

/** The loader's batches, each with a plain UNWIND query of the verb. */
export function plainBatches(valid: ValidInventory, batchSize: number, verb: BareVerb = 'merge') {
  const stamp = { now: toDateTime(new Date()), runId: 'bench-baseline' };
  const batches = loadBatches(valid, batchSize, stamp).map((batch) => {
    if (!batch.endpoints)
      return {
        kind: batch.kind,
        phase: batch.phase,
        query:
          verb === 'merge'
            ? `UNWIND $rows AS row MERGE (n:${batch.kind} {id: row.id}) SET n += row.properties`
            : `UNWIND $rows AS row CREATE (n:${batch.kind}) SET n = row.properties`,
        rows: batch.rows(),
      };
    const { fromLabel, toLabel } = batch.endpoints;
    return {
      kind: batch.kind,
      phase: batch.phase,
      query: relationshipQuery(fromLabel, batch.kind, toLabel, verb),
      rows: batch.rows(),
    };
  });
  return {
    nodes: batches.filter((b) => b.phase === 'nodes'),
    relationships: batches.filter((b) => b.phase === 'relationships'),
  };
}

/** `UNWIND $rows` of `{from, to, properties}` between two labelled nodes found by id. */
export function relationshipQuery(fromLabel: string, type: string, toLabel: string, verb: BareVerb): string {
  return (
    `UNWIND $rows AS row MATCH (a:${fromLabel} {id: row.from}) MATCH (b:${toLabel} {id: row.to}) ` +
    (verb === 'merge'
      ? `MERGE (a)-[r:${type}]->(b) SET r += row.properties`
      : `CREATE (a)-[r:${type}]->(b) SET r = row.properties`)
  );
}

/**
 * Every batch in its own write transaction, one after the other, on one session; `onBatch` hears
 * each batch's kind, row count and time.
 */
export async function writeBatches(
  driver: Driver,
  database: string,
  batches: PlainBatch[],
  onBatch?: (kind: string, rows: number, ms: number) => void,
): Promise<void> {
  const session = driver.session({ database, defaultAccessMode: neo4j.session.WRITE });
  try {
    for (const batch of batches) {
      const t = performance.now();
      await session.executeWrite((tx) => tx.run(batch.query, { rows: batch.rows }));
      onBatch?.(batch.kind, batch.rows.length, performance.now() - t);
    }
  } finally {
    await session.close();
  }
}

export interface BarePhases {
  nodesMs: number;
  relationshipsMs: number;
  totalMs: number;
}

/** The driver alone on the inventory's rows (built before timing, so both sides send equal payloads). */
export async function runBareDriver(
  driver: Driver,
  database: string,
  valid: ValidInventory,
  batchSize: number,
  verb: BareVerb = 'merge',
): Promise<BarePhases> {
  const batches = plainBatches(valid, batchSize, verb);
  const start = performance.now();
  await writeBatches(driver, database, batches.nodes);
  const mid = performance.now();
  await writeBatches(driver, database, batches.relationships);
  const end = performance.now();
  return { nodesMs: mid - start, relationshipsMs: end - mid, totalMs: end - start };
}
