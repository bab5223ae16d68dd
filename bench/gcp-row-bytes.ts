// What the GCP organization's relationships weigh as the loader writes them, property by property,
// beside the form stored before an edge's `reason` and `evidenceRefs` were derived when read instead
// (`before`: both added back, as model/validate.ts made them from the evidence), and what a compact
// form would save: `CAN_ACCESS.actions` stored as the roles behind it (each role's permissions on the
// resource's kind are in the role catalogue: the dataset, the snapshot's roles, the custom roles)
// with the permissions a deny rule takes away. A measurement of the potential, not a stored form:
// nothing here changes what the loader writes. `written` is what the loader does write: `stored`
// with each distinct `actions` list once, as an ActionSet node the edge names by `actionSet`
// (src/model/action-sets.ts), the sets' own bytes counted apart.
//
//   npx tsx bench/gcp-row-bytes.ts [--projects 2000 --seed 42] [--write --repeat 2]
//
// `--write` also writes the three forms with the bare driver's `UNWIND … CREATE` (bench/bare-driver.ts)
// into a local Neo4j, the store emptied before each, alternating (before, stored, compact, before …),
// with the Node and JVM CPU seconds of each pass: the load CPU the bytes cost, apart from the loader.
import { analyzeGcp } from '../src/analyzers/gcp-iam/analyze.js';
import { DATA_KINDS, dataPermissions } from '../src/analyzers/gcp-iam/data-resources.js';
import { transformGcp } from '../src/collectors/gcp/transform.js';
import { ensureSchema } from '../src/graph/schema.js';
import { ActionSets } from '../src/model/action-sets.js';
import type { Evidence } from '../src/model/evidence.js';
import type { GcpDataKind, GcpEnvironment } from '../src/model/gcp/environment.js';
import { shippedPredefinedRoles } from '../src/model/gcp/roles.js';
import type { PropertyValue } from '../src/model/inventory.js';
import {
  evidenceReason,
  type LoadRelationship,
  storedProperties,
  type ValidInventory,
  validateInventory,
  writtenProperties,
} from '../src/model/validate.js';
import { buildGcpInventory } from '../src/providers/gcp/inventory.js';
import { runBareDriver } from './bare-driver.js';
import { benchArgs, int, log, mb, openBenchGraph, positive, timed, wipe } from './lib.js';
import { syntheticGcpRaw } from './synthetic-gcp.js';

const args = await benchArgs(import.meta.url, {
  projects: { type: 'string' },
  write: { type: 'boolean' },
  repeat: { type: 'string' },
});
const projects = positive('projects', args.projects, 'BENCH_PROJECTS', 2_000);
const seed = positive('seed', args.seed, 'BENCH_SEED', 42);
const repeat = positive('repeat', args.repeat, 'BENCH_REPEAT', 2);
const asOf = new Date('2026-12-01T00:00:00Z');
const SOURCE = 'bench synthetic gcp';

const environment = transformGcp(syntheticGcpRaw({ projects, seed }).raw, {
  dataset: shippedPredefinedRoles(),
});
const analysis = analyzeGcp(environment, { asOf });
const valid = validateInventory(
  buildGcpInventory(
    environment,
    analysis,
    { sourceName: SOURCE, onIssue: () => {} },
    { projectEnvironments: {}, generatedAt: asOf.toISOString() },
  ),
  SOURCE,
);

const kindOfLabel = new Map(
  Object.entries(DATA_KINDS).map(([kind, spec]) => [spec.label, kind as GcpDataKind] as const),
);
/** The role a binding record names: `bindings[3] roles/x member`. */
const roleOf = (e: Evidence) => /^bindings\[\d+\] (\S+) /.exec(e.statement ?? '')?.[1];
// A hub's target legs carry the actions; its member legs name the bindings' roles.
const hubRoles = new Map<string, Set<string>>();
for (const r of valid.relationships)
  if (r.toKind === 'Grant')
    for (const e of r.evidence ?? []) {
      const role = roleOf(e);
      if (!role) continue;
      const roles = hubRoles.get(r.to) ?? new Set<string>();
      roles.add(role);
      hubRoles.set(r.to, roles);
    }

const permissionsOf = (env: GcpEnvironment, role: string): readonly string[] => {
  const found = env.roles.custom.get(role) ?? env.roles.collected.get(role) ?? env.roles.dataset.role(role);
  return found && !found.deleted ? found.permissions : [];
};

interface Tally {
  rows: number;
  bytes: number;
  byProperty: Map<string, number>;
}
const tally = (): Tally => ({ rows: 0, bytes: 0, byProperty: new Map() });
const size = (v: unknown) => Buffer.byteLength(JSON.stringify(v));
const add = (t: Tally, props: Record<string, PropertyValue>) => {
  t.rows++;
  for (const [name, value] of Object.entries(props)) {
    const n = size(value) + name.length;
    t.bytes += n;
    t.byProperty.set(name, (t.byProperty.get(name) ?? 0) + n);
  }
};

const before = tally();
const full = tally();
const compact = tally();
/** As the loader writes them: each distinct action list once, an ActionSet node the edge names. */
const written = tally();
const actionSets = new ActionSets();
/** The form stored before: the first record's reason and the documents' ids on every derived edge. */
const storedBefore = (r: LoadRelationship): LoadRelationship =>
  r.evidence && r.evidence.length > 0
    ? {
        ...r,
        properties: {
          ...r.properties,
          reason: evidenceReason(r.evidence),
          evidenceRefs: [...new Set(r.evidence.map((e) => e.ref))],
        },
      }
    : r;
const beforeRelationships = valid.relationships.map(storedBefore);
for (const r of beforeRelationships) add(before, storedProperties(r));
let resolvable = 0;
let withDenied = 0;
let unresolved = 0;
const compactRelationships = valid.relationships.map((r) => {
  const stored = storedProperties(r);
  add(full, stored);
  add(written, writtenProperties(r, actionSets));
  let properties: Record<string, PropertyValue> = r.properties;
  const actions = r.properties.actions;
  const kind = kindOfLabel.get(r.toKind);
  if (r.type === 'CAN_ACCESS' && Array.isArray(actions) && kind) {
    const roles = r.fromKind === 'Grant' ? hubRoles.get(r.from) : new Set((r.evidence ?? []).map(roleOf));
    const wanted = dataPermissions(kind);
    const resolved = new Set(
      [...(roles ?? [])].flatMap((role) => (role ? permissionsOf(environment, role).filter(wanted.has) : [])),
    );
    const held = new Set(actions as string[]);
    if ([...held].every((a) => resolved.has(a))) {
      resolvable++;
      const denied = [...resolved].filter((p) => !held.has(p)).sort();
      if (denied.length > 0) withDenied++;
      const { actions: __, ...others } = properties;
      properties = {
        ...others,
        actionRoles: [...(roles ?? [])].filter((x): x is string => x !== undefined).sort(),
        ...(denied.length ? { actionsDenied: denied } : {}),
      };
    } else unresolved++;
  }
  const row = { ...r, properties };
  add(compact, storedProperties(row));
  return row;
});

const line = (name: string, t: Tally) =>
  `${name}: ${int(t.rows)} relationships, ${mb(t.bytes / 1024)} of properties as JSON (${int(t.bytes / t.rows)} bytes each)`;
console.log(line('before', before));
for (const [name, bytes] of [...before.byProperty].sort((a, b) => b[1] - a[1]).slice(0, 12))
  console.log(
    `  ${name.padEnd(16)} ${mb(bytes / 1024).padStart(8)}  ${((bytes / before.bytes) * 100).toFixed(1)} %`,
  );
console.log(line('stored', full));
for (const [name, bytes] of [...full.byProperty].sort((a, b) => b[1] - a[1]).slice(0, 12))
  console.log(
    `  ${name.padEnd(16)} ${mb(bytes / 1024).padStart(8)}  ${((bytes / full.bytes) * 100).toFixed(1)} %`,
  );
console.log(line('compact', compact));
for (const [name, bytes] of [...compact.byProperty].sort((a, b) => b[1] - a[1]).slice(0, 12))
  console.log(
    `  ${name.padEnd(16)} ${mb(bytes / 1024).padStart(8)}  ${((bytes / compact.bytes) * 100).toFixed(1)} %`,
  );
console.log(line('written', written));
for (const [name, bytes] of [...written.byProperty].sort((a, b) => b[1] - a[1]).slice(0, 12))
  console.log(
    `  ${name.padEnd(16)} ${mb(bytes / 1024).padStart(8)}  ${((bytes / written.bytes) * 100).toFixed(1)} %`,
  );
const sets = actionSets.entries();
const setBytes = sets.reduce((n, x) => n + size(x.actions) + 'actions'.length + size(x.id) + 'id'.length, 0);
console.log(
  `ActionSet nodes: ${int(sets.length)} distinct lists, ${int(setBytes)} bytes; stored ${(full.bytes / 2 ** 20).toFixed(1)} MB, written ${(written.bytes / 2 ** 20).toFixed(1)} MB + the sets: ${(((full.bytes - written.bytes - setBytes) / full.bytes) * 100).toFixed(1)} % less`,
);
console.log(
  `CAN_ACCESS actions resolvable from the roles: ${int(resolvable)} (${int(withDenied)} of them with denied permissions listed), not resolvable: ${int(unresolved)}`,
);
console.log(
  `stored vs before: ${mb((before.bytes - full.bytes) / 1024)} less (${(((before.bytes - full.bytes) / before.bytes) * 100).toFixed(1)} %); compact vs stored: ${mb((full.bytes - compact.bytes) / 1024)} less (${(((full.bytes - compact.bytes) / full.bytes) * 100).toFixed(1)} %)`,
);

if (args.write) {
  const graph = await openBenchGraph({ heapMb: 2048, pageCacheMb: 1024, wipeExisting: false });
  // The kinds' unique id indexes, as a sync has them: each relationship row seeks its two ends.
  await ensureSchema(graph.executor);
  const compactValid: ValidInventory = { ...valid, relationships: compactRelationships };
  const beforeValid: ValidInventory = { ...valid, relationships: beforeRelationships };
  try {
    for (let round = 1; round <= repeat; round++)
      for (const [name, form] of [
        ['before', beforeValid],
        ['stored', valid],
        ['compact', compactValid],
      ] as const) {
        await wipe(graph.driver, graph.target.database);
        const [phases, figures] = await timed(
          () => runBareDriver(graph.driver, graph.target.database, form, 5_000, 'create'),
          graph.server?.pid,
        );
        log(
          `round ${round} ${name}: ${(phases.totalMs / 1000).toFixed(1)} s wall (relationships ${(phases.relationshipsMs / 1000).toFixed(1)} s), CPU ${(figures.cpuMs / 1000).toFixed(1)} + ${((figures.jvmCpuMs ?? 0) / 1000).toFixed(1)} s Node + JVM`,
        );
      }
  } finally {
    await graph.close();
  }
}
