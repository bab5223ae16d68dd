// The shipped GCP predefined-role dataset: CPU time to parse it and expand the basic roles, in
// the compact form reachgraph ships against the keyed form (`{roles: {name: {includedPermissions}}}`,
// rebuilt in memory from the same data) in the same run, as a ratio; and the two sizes.
//
//   nice npx tsx bench/gcp-roles.ts [-- --repeat 5]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  type CompactRoleDataset,
  predefinedRolesOf,
  ROLE_DATASET_FILE,
  rolesOfDocument,
} from '../src/model/gcp/roles.js';
import { packageRoot } from '../src/package-root.js';

const { values } = parseArgs({ options: { repeat: { type: 'string', default: '5' } } });
const repeat = Number(values.repeat);
const compactText = readFileSync(join(packageRoot(), ROLE_DATASET_FILE), 'utf8');
const dataset = JSON.parse(compactText) as CompactRoleDataset;
const predefined = predefinedRolesOf(dataset, ROLE_DATASET_FILE);
const keyedText = JSON.stringify({
  roles: Object.fromEntries(
    Object.keys(dataset.roles).map((name) => {
      const role = predefined.role(name);
      return [name, { title: role?.title, stage: role?.stage, includedPermissions: role?.permissions }];
    }),
  ),
});
const BASIC = ['roles/owner', 'roles/editor', 'roles/viewer'];

function cpuMs(run: () => void): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < repeat; i++) {
    const start = process.cpuUsage();
    run();
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

const compactMs = cpuMs(() => {
  const roles = predefinedRolesOf(JSON.parse(compactText) as CompactRoleDataset, 'bench');
  for (const name of BASIC) roles.role(name);
});
const keyedMs = cpuMs(() => {
  const roles = rolesOfDocument(JSON.parse(keyedText), 'bench', false);
  new Map(roles.map((r) => [r.name, new Set(r.permissions)]));
});
const mb = (text: string) => (Buffer.byteLength(text) / 1e6).toFixed(2);
console.log(`roles ${Object.keys(dataset.roles).length}, permissions ${dataset.permissions.length}`);
console.log(
  `compact: ${mb(compactText)} MB, ${compactMs.toFixed(1)} ms CPU (parse + expand the basic roles)`,
);
console.log(`keyed:   ${mb(keyedText)} MB, ${keyedMs.toFixed(1)} ms CPU (parse + read every role)`);
console.log(
  `ratio keyed/compact: ${(keyedMs / compactMs).toFixed(2)}× CPU, ${(keyedText.length / compactText.length).toFixed(2)}× size`,
);
