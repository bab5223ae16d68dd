// Owner resolution (src/owners/resolve.ts) on a synthetic run: N AWS roles across 100 accounts (a
// third tagged team=…, a tenth federated into from a GitHub subject of one of 200 repositories),
// N/2 Kubernetes service accounts with a workload each in 500 namespaces (a fifth labelled), and an
// owners file of 50 id rules, 20 tag rules, 100 account rules and 100 namespace rules, with 200
// repositories and one CODEOWNERS file per 10 repositories.
//
//   npx tsx bench/owners.ts [--identities N]   (default 100000)
//
// Prints wall and CPU time of one resolution, identities per second and the owned share.
import { parseArgs } from 'node:util';
import type { InventoryNode, InventoryRelationship } from '../src/model/inventory.js';
import { parseCodeOwners } from '../src/owners/codeowners.js';
import { OwnersFileSchema } from '../src/owners/owners-file.js';
import { resolveOwners } from '../src/owners/resolve.js';
import { positive } from './lib.js';

const { values } = parseArgs({ options: { identities: { type: 'string' } } });
const n = positive('--identities', values.identities, 'BENCH_IDENTITIES', 100_000);
const account = (i: number) => String(100_000_000_000 + (i % 100));
const team = (i: number) => `team-${i % 40}`;
const nodes: InventoryNode[] = [];
const relationships: InventoryRelationship[] = [];
for (let i = 0; i < n; i += 1) {
  const id = `arn:aws:iam::${account(i)}:role/app-${i}`;
  nodes.push({
    id,
    kind: 'AwsRole',
    scope: `aws:${account(i)}`,
    properties: {
      name: `app-${i}`,
      nonHuman: true,
      nhiType: 'role',
      accountId: account(i),
      tags: i % 3 === 0 ? [`team=${team(i)}`, 'env=prod'] : ['env=prod'],
    },
  });
  if (i % 10 === 0) {
    const subject = `oidc:token.actions.githubusercontent.com:repo:acme/repo-${i % 200}:ref:refs/heads/main`;
    if (i < 2000)
      nodes.push({
        id: subject,
        kind: 'OidcSubject',
        properties: {
          name: subject,
          issuer: 'https://token.actions.githubusercontent.com',
          subject: subject.slice(41),
          nonHuman: true,
          nhiType: 'ci-pipeline',
        },
      });
    relationships.push({ type: 'FEDERATES_TO', from: subject, to: id, properties: {}, evidence: [] });
  }
}
for (let i = 0; i < n / 2; i += 1) {
  const ns = `ns-${i % 500}`;
  const sa = `k8s:c${i % 5}:${ns}:sa:sa-${i}`;
  const workload = `k8s:c${i % 5}:${ns}:deployment:app-${i}`;
  nodes.push({
    id: sa,
    kind: 'K8sServiceAccount',
    scope: `k8s:c${i % 5}`,
    properties: { name: `sa-${i}`, namespace: ns, nonHuman: true, nhiType: 'service-account', labels: [] },
  });
  nodes.push({
    id: workload,
    kind: 'K8sWorkload',
    scope: `k8s:c${i % 5}`,
    properties: {
      name: `app-${i}`,
      namespace: ns,
      workloadKind: 'Deployment',
      nonHuman: true,
      nhiType: 'workload',
      labels: i % 5 === 0 ? [`team=${team(i)}`] : [],
    },
  });
  relationships.push({ type: 'RUNS_AS', from: workload, to: sa, properties: {}, evidence: [] });
}
const owners = OwnersFileSchema.parse({
  owners: Object.fromEntries(
    Array.from({ length: 40 }, (_, i) => [team(i), { aliases: [`@acme/${team(i)}`] }]),
  ),
  rules: [
    ...Array.from({ length: 50 }, (_, i) => ({ owner: team(i), id: `arn:aws:iam::*:role/app-${i}9*` })),
    ...Array.from({ length: 20 }, (_, i) => ({ owner: team(i), tag: { service: `svc-${i}` } })),
    ...Array.from({ length: 100 }, (_, i) => ({ owner: team(i), account: account(i) })),
    ...Array.from({ length: 100 }, (_, i) => ({ owner: team(i), namespace: `c${i % 5}/ns-${i}` })),
  ],
  repositories: Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`acme/repo-${i}`, team(i)])),
});
const codeowners = new Map(
  Array.from({ length: 20 }, (_, i) => [
    `acme/repo-${i * 10}`,
    { name: `CODEOWNERS ${i}`, codeowners: parseCodeOwners(`* @acme/${team(i)}\n`) },
  ]),
);
const cpu = process.cpuUsage();
const started = performance.now();
const { stats } = resolveOwners(
  { nodes, relationships },
  { file: { name: 'owners.yaml', owners }, codeowners },
);
const wall = performance.now() - started;
const used = process.cpuUsage(cpu);
process.stdout.write(
  `${stats.identities} identities (${nodes.length} nodes, ${relationships.length} relationships), 270 rules: ` +
    `${(wall / 1000).toFixed(2)} s wall, ${((used.user + used.system) / 1e6).toFixed(2)} s CPU, ` +
    `${Math.round(stats.identities / (wall / 1000))} identities/s; owned ${stats.owned}, unowned ${stats.unowned}, conflicts ${stats.conflicts}\n`,
);
