// What an AWS account's or a Kubernetes cluster's relationships weigh as the loader writes them,
// property by property (the sibling of bench/gcp-row-bytes.ts, which measures the GCP organization
// and a compact form of its `actions`). Counts, not timings: each relationship's stored properties
// (`storedProperties`, src/model/validate.ts) as JSON, the name counted with its value; then the
// same as the loader writes them (`writtenProperties`: each distinct `actions` list once, as an
// ActionSet node the edge names by `actionSet`), with the sets' own bytes.
//
//   npx tsx bench/row-bytes.ts [--provider aws --roles 500 --seed 42]
//   npx tsx bench/row-bytes.ts --provider kubernetes [--pods 25000]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeAws } from '../src/analyzers/aws-iam/analyze.js';
import { analyzeKubernetes } from '../src/analyzers/kubernetes/analyze.js';
import { collectAws } from '../src/collectors/aws/collect.js';
import { writeAwsSnapshot } from '../src/collectors/aws/snapshot.js';
import { collectKubernetes } from '../src/collectors/kubernetes/collect.js';
import { writeKubernetesSnapshot } from '../src/collectors/kubernetes/snapshot.js';
import { ActionSets } from '../src/model/action-sets.js';
import type { PropertyValue } from '../src/model/inventory.js';
import {
  type LoadRelationship,
  storedProperties,
  validateInventory,
  writtenProperties,
} from '../src/model/validate.js';
import { buildAwsInventory } from '../src/providers/aws/inventory.js';
import { buildKubernetesInventory } from '../src/providers/kubernetes/inventory.js';
import { benchArgs, int, positive } from './lib.js';
import { toSnapshotRaw } from './synthetic-aws.js';
import { denseAwsEnvironment } from './synthetic-aws-dense.js';
import { syntheticKubernetesRaw } from './synthetic-kubernetes.js';

const args = await benchArgs(import.meta.url, {
  provider: { type: 'string' },
  roles: { type: 'string' },
  pods: { type: 'string' },
});
const provider = args.provider ?? 'aws';
const seed = positive('seed', args.seed, 'BENCH_SEED', 42);

async function relationshipsOf(): Promise<readonly LoadRelationship[]> {
  const dir = await mkdtemp(join(tmpdir(), 'reachgraph-row-bytes-'));
  try {
    if (provider === 'aws') {
      const roles = positive('roles', args.roles, 'BENCH_ROLES', 500);
      console.log(`AWS dense account, ${int(roles)} roles, seed ${seed}`);
      // As `sync aws` and bench:aws's dense profile: the account written as a snapshot and read back.
      await writeAwsSnapshot(toSnapshotRaw(denseAwsEnvironment({ roles, seed })), dir);
      const environment = await collectAws({ snapshotDir: dir });
      const analysis = await analyzeAws(environment, {});
      const source = 'bench synthetic aws';
      return validateInventory(buildAwsInventory(environment, analysis, { sourceName: source }), source)
        .relationships;
    }
    if (provider === 'kubernetes') {
      const pods = positive('pods', args.pods, 'BENCH_PODS', 25_000);
      console.log(`Kubernetes cluster, ${int(pods)} pods, seed ${seed}`);
      await writeKubernetesSnapshot(syntheticKubernetesRaw({ pods, seed }).raw, dir);
      const environment = await collectKubernetes({ snapshotDir: dir });
      const analysis = analyzeKubernetes(environment, {});
      const source = 'bench synthetic kubernetes';
      return validateInventory(
        buildKubernetesInventory(environment, analysis, { sourceName: source }),
        source,
      ).relationships;
    }
    throw new Error(`--provider must be aws or kubernetes (GCP: bench/gcp-row-bytes.ts), got ${provider}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const size = (v: unknown) => Buffer.byteLength(JSON.stringify(v));
const relationships = await relationshipsOf();

interface Tally {
  bytes: number;
  byProperty: Map<string, number>;
  byType: Map<string, { rows: number; bytes: number }>;
}

/** Every relationship's properties in one form, as JSON, by property and by type. */
function tally(form: (r: LoadRelationship) => Record<string, PropertyValue>): Tally {
  const out: Tally = { bytes: 0, byProperty: new Map(), byType: new Map() };
  for (const r of relationships) {
    let own = 0;
    for (const [name, value] of Object.entries(form(r))) {
      const n = size(value) + name.length;
      own += n;
      out.byProperty.set(name, (out.byProperty.get(name) ?? 0) + n);
    }
    out.bytes += own;
    const t = out.byType.get(r.type) ?? { rows: 0, bytes: 0 };
    t.rows++;
    t.bytes += own;
    out.byType.set(r.type, t);
  }
  return out;
}

function show(title: string, t: Tally): void {
  const pct = (n: number) => `${((n / t.bytes) * 100).toFixed(1)} %`;
  console.log(
    `${title}: ${int(relationships.length)} relationships, ${mb(t.bytes)} of properties as JSON (${int(t.bytes / relationships.length)} bytes each)`,
  );
  for (const [name, n] of [...t.byProperty].sort((a, b) => b[1] - a[1]).slice(0, 14))
    console.log(`  ${name.padEnd(20)} ${mb(n).padStart(9)}  ${pct(n).padStart(7)}`);
  console.log('by type:');
  for (const [type, x] of [...t.byType].sort((a, b) => b[1].bytes - a[1].bytes))
    console.log(
      `  ${type.padEnd(20)} ${int(x.rows).padStart(9)} rows ${mb(x.bytes).padStart(9)}  ${int(x.bytes / x.rows).padStart(6)} bytes each`,
    );
}

// As readers see them (each edge its own list: what the loader wrote before action lists were
// shared), then as the loader writes them: each list once, as an ActionSet node the edge names.
const before = tally(storedProperties);
show('each edge its own actions', before);
const actionSets = new ActionSets();
const after = tally((r) => writtenProperties(r, actionSets));
const sets = actionSets.entries();
const setBytes = sets.reduce((n, s) => n + size(s.actions) + 'actions'.length + size(s.id) + 'id'.length, 0);
console.log('');
show('as written (actions as an ActionSet id)', after);
console.log(
  `ActionSet nodes: ${int(sets.length)} distinct lists, ${(setBytes / 1024).toFixed(1)} KB; relationships + sets ${mb(after.bytes + setBytes)} vs ${mb(before.bytes)} (${((1 - (after.bytes + setBytes) / before.bytes) * 100).toFixed(1)} % less)`,
);
