// The local Neo4j JVM through one first load of a synthetic GCP organization's rows: what its start
// and the load cost it in CPU seconds, how often Cypher planned the loader's statements during the
// load (db.stats 'QUERIES': each invocation's compile time, a cache hit's well under 1 ms), and
// Node's garbage collection through the load.
//
//   npx tsx bench/load-jvm.ts [--projects 300] [--seed 42] [--hold]
//   BENCH_NEO4J_JVM_FLAGS='-XX:TieredStopAtLevel=1' npx tsx bench/load-jvm.ts …
//
// --hold keeps the environment and the analysis referenced through the load (as a sync does);
// without it only the validated inventory is.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { analyzeGcp } from '../src/analyzers/gcp-iam/analyze.js';
import { collectGcp } from '../src/collectors/gcp/collect.js';
import { writeGcpSnapshot } from '../src/collectors/gcp/snapshot.js';
import { validateInventory } from '../src/model/validate.js';
import { buildGcpInventory } from '../src/providers/gcp/inventory.js';
import {
  benchArgs,
  cpuSeconds,
  log,
  openBenchGraph,
  peakRssKb,
  phasePeakRssKb,
  resetPeakRss,
  runBench,
  timedLoad,
} from './lib.js';
import { syntheticGcpRaw } from './synthetic-gcp.js';

const args = await benchArgs(import.meta.url, {
  projects: { type: 'string', default: '300' },
  seed: { type: 'string', default: '42' },
  hold: { type: 'boolean', default: false },
});
const projects = Number(args.projects);
const seed = Number(args.seed);

let held: unknown[] = [];
async function inventory() {
  const { raw } = syntheticGcpRaw({ projects, seed });
  const dir = await mkdtemp(join(tmpdir(), 'reachgraph-bench-load-jvm-'));
  try {
    await writeGcpSnapshot(raw, dir);
    const environment = await collectGcp({ snapshotDir: dir });
    const asOf = new Date('2026-12-01T00:00:00Z');
    const analysis = await analyzeGcp(environment, { asOf });
    if (args.hold) held = [raw, environment, analysis];
    const built = buildGcpInventory(
      environment,
      analysis,
      { sourceName: 'bench synthetic gcp', onIssue: () => {} },
      { projectEnvironments: {}, generatedAt: asOf.toISOString() },
    );
    return validateInventory(built, 'gcp inventory');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

let close = async () => {};
await runBench(
  async () => {
    const valid = await inventory();
    log(`${projects} projects: ${valid.nodes.length} nodes, ${valid.relationships.length} relationships`);
    const graph = await openBenchGraph({ heapMb: 2048, pageCacheMb: 1024, wipeExisting: false });
    close = graph.close;
    const pid = graph.server?.pid;
    const startCpu = pid === undefined ? undefined : cpuSeconds(pid);
    const db = { database: graph.target.database };
    const stats = await graph.driver
      .executeQuery("CALL db.stats.collect('QUERIES')", {}, db)
      .then(() => true)
      .catch((e: unknown) => {
        log(`db.stats.collect: ${(e as Error).message}`);
        return false;
      });
    let gcMs = 0;
    let gcs = 0;
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        gcMs += entry.duration;
        gcs++;
      }
    });
    observer.observe({ entryTypes: ['gc'] });
    await resetPeakRss();
    const [, figures] = await timedLoad(graph, valid, 'bench synthetic gcp');
    observer.disconnect();
    const rssMb = (await phasePeakRssKb()) / 1024;
    let plans = '';
    if (stats) {
      const { records } = await graph.driver.executeQuery(
        "CALL db.stats.retrieve('QUERIES') YIELD data " +
          'WITH data.query AS q, [i IN data.invocations | i.elapsedCompileTimeInUs] AS c ' +
          'RETURN count(q) AS statements, sum(size(c)) AS runs, ' +
          'sum(reduce(t = 0, x IN c | t + x)) AS compileUs, ' +
          'sum(size([x IN c WHERE x >= 1000])) AS compiled, ' +
          'sum(size([x IN tail(c) WHERE x >= 1000])) AS again, ' +
          'sum(reduce(t = 0, x IN tail(c) | t + x)) AS againUs',
        {},
        db,
      );
      const r = records[0]?.toObject();
      if (r)
        plans = `statements ${r.statements}, runs ${r.runs}, compile >= 1 ms ${r.compiled} times (${r.again} after a statement's first run), compile ${(Number(r.compileUs) / 1e6).toFixed(1)} s (${(Number(r.againUs) / 1e6).toFixed(1)} s after the first run)`;
    }
    console.log(
      JSON.stringify({
        flags: process.env.BENCH_NEO4J_JVM_FLAGS ?? '',
        hold: args.hold,
        projects,
        rows: figures.rows,
        jvmStartCpuS: startCpu,
        loadWallS: +(figures.ms / 1000).toFixed(1),
        loadNodeCpuS: +(figures.cpuMs / 1000).toFixed(1),
        loadJvmCpuS: figures.jvmCpuMs === undefined ? undefined : +(figures.jvmCpuMs / 1000).toFixed(1),
        nodeGcMs: Math.round(gcMs),
        nodeGcs: gcs,
        nodePeakRssMb: Math.round(rssMb),
        jvmPeakRssMb: pid === undefined ? undefined : Math.round(((await peakRssKb(pid)) ?? 0) / 1024),
        plans,
        held: held.length,
      }),
    );
  },
  () => close(),
);
