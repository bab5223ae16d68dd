// The Node phases of `bench:gcp` without Neo4j: the synthetic organization's snapshot read back and
// transformed (collect), analyzed, and its inventory built and validated, each phase with its CPU
// seconds, then a SHA-256 digest of what the loader would be given (every node and relationship of
// the validated inventory, as stored, sorted), so that a change to these phases can show its CPU
// figure and that it writes the same rows.
//
//   npx tsx bench/gcp-node-phases.ts [--projects 2000 --seed 42 --repeat 1]
//   NODE_OPTIONS='--cpu-prof --cpu-prof-dir=/tmp/prof' npx tsx bench/gcp-node-phases.ts
import { createHash } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeGcp } from '../src/analyzers/gcp-iam/analyze.js';
import { collectGcp } from '../src/collectors/gcp/collect.js';
import { writeGcpSnapshot } from '../src/collectors/gcp/snapshot.js';
import { boundHeapGrowth } from '../src/heap-growth.js';
import { validateInventory } from '../src/model/validate.js';
import { buildGcpInventory } from '../src/providers/gcp/inventory.js';
import { benchArgs, int, log, positive, timed } from './lib.js';
import { syntheticGcpRaw } from './synthetic-gcp.js';

const args = await benchArgs(import.meta.url, {
  projects: { type: 'string' },
  repeat: { type: 'string' },
  'no-digest': { type: 'boolean' },
});
const projects = positive('projects', args.projects, 'BENCH_PROJECTS', 2_000);
const seed = positive('seed', args.seed, 'BENCH_SEED', 42);
const repeat = positive('repeat', args.repeat, 'BENCH_REPEAT', 1);
const AS_OF = new Date('2026-12-01T00:00:00Z');
const SOURCE = 'bench synthetic gcp';

boundHeapGrowth();
// The snapshot's files are named in the evidence and in the Grant hubs' ids: a fixed directory (one run
// at a time, or another through BENCH_SNAPSHOT_DIR) gives the same rows in every run.
const dir = process.env.BENCH_SNAPSHOT_DIR ?? join(tmpdir(), 'reachgraph-bench-gcp-node-phases');
await rm(dir, { recursive: true, force: true });
await mkdir(dir, { recursive: true });
try {
  await writeGcpSnapshot(syntheticGcpRaw({ projects, seed }).raw, dir);
  for (let round = 1; round <= repeat; round++) {
    const [environment, collect] = await timed(() => collectGcp({ snapshotDir: dir }));
    const [analysis, analyze] = await timed(() => analyzeGcp(environment, { asOf: AS_OF }));
    const [valid, inventory] = await timed(() =>
      validateInventory(
        buildGcpInventory(
          environment,
          analysis,
          { sourceName: SOURCE, onIssue: () => {} },
          { projectEnvironments: {}, generatedAt: AS_OF.toISOString() },
        ),
        SOURCE,
      ),
    );
    const cpu = (t: { cpuMs: number }) => (t.cpuMs / 1000).toFixed(1);
    log(
      `round ${round}: collect ${cpu(collect)}, analyze ${cpu(analyze)}, inventory ${cpu(inventory)} CPU s; ${int(valid.nodes.length)} nodes, ${int(valid.relationships.length)} relationships`,
    );
    if (!args['no-digest'] && round === repeat) {
      const lines = [
        ...valid.nodes.map((n) => JSON.stringify(n)),
        ...valid.relationships.map((r) => JSON.stringify(r)),
      ].sort();
      if (process.env.BENCH_DUMP) await writeFile(process.env.BENCH_DUMP, lines.join('\n'));
      const hash = createHash('sha256');
      for (const line of lines) hash.update(line).update('\n');
      log(`digest of the ${int(lines.length)} rows: ${hash.digest('hex')}`);
    }
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
