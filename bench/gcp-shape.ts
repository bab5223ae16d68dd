// What the GCP analysis's pair edges rest on, at organization scale: each pair edge of the per-pair
// mode by type and by the levels of the bindings behind it (organization, folder, project, the
// target's own policy), one binding or several; and which of them the Grant hubs stand for.
//
//   npx tsx bench/gcp-shape.ts [--projects 2000 --seed 42]
import { analyzeGcp } from '../src/analyzers/gcp-iam/analyze.js';
import { transformGcp } from '../src/collectors/gcp/transform.js';
import { shippedPredefinedRoles } from '../src/model/gcp/roles.js';
import { expandGrants } from '../src/model/grants.js';
import { benchArgs, int, positive } from './lib.js';
import { syntheticGcpRaw } from './synthetic-gcp.js';

const args = await benchArgs(import.meta.url, { projects: { type: 'string' } });
const projects = positive('projects', args.projects, 'BENCH_PROJECTS', 2_000);
const seed = positive('seed', args.seed, 'BENCH_SEED', 42);
const asOf = new Date('2026-12-01T00:00:00Z');
const environment = transformGcp(syntheticGcpRaw({ projects, seed }).raw, {
  dataset: shippedPredefinedRoles(),
});

const level = (ref: string | undefined) =>
  ref === undefined
    ? '?'
    : ref.startsWith('organizations/')
      ? 'org'
      : ref.startsWith('folders/')
        ? 'folder'
        : /^projects\/[^/]+$/.test(ref)
          ? 'project'
          : 'own';
const shapeOf = (e: { evidence?: readonly { ref?: string; statement?: string }[] }) => {
  const bindings = (e.evidence ?? []).filter((x) => !x.statement?.startsWith('inherited from '));
  const levels = [...new Set(bindings.map((x) => level(x.ref)))].sort().join('+');
  const distinct = new Set(bindings.map((x) => `${x.ref} ${x.statement}`)).size;
  return `${levels} ${distinct > 1 ? 'several' : 'one'}`;
};

const pairs = analyzeGcp(environment, { asOf, grantHubs: false }).edges;
const hubbed = analyzeGcp(environment, { asOf });
const hubIds = new Set(hubbed.nodes.map((n) => n.id));
const behind = expandGrants({
  nodes: hubbed.nodes,
  relationships: hubbed.edges.filter((e) => hubIds.has(e.from) || hubIds.has(e.to)),
}).relationships;
const key = (e: { type: string; from: string; to: string }) => `${e.type} ${e.from} ${e.to}`;
const hubbedPairs = new Set(behind.map(key));
const table = new Map<string, { all: number; hubbed: number }>();
for (const e of pairs) {
  const k = `${e.type.padEnd(16)} ${shapeOf(e)}`;
  const row = table.get(k) ?? { all: 0, hubbed: 0 };
  row.all++;
  if (hubbedPairs.has(key(e))) row.hubbed++;
  table.set(k, row);
}
console.log(
  `${int(pairs.length)} pair edges, ${int(hubbed.edges.length)} stored with ${int(hubbed.nodes.length)} hubs`,
);
for (const [k, v] of [...table].sort((a, b) => b[1].all - a[1].all))
  console.log(`${k.padEnd(48)} ${int(v.all).padStart(9)} ${int(v.hubbed).padStart(9)} behind hubs`);
