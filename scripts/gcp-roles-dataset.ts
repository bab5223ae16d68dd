// Writes data/gcp-iam-roles/roles.json, the compact predefined-role dataset reachgraph ships
// (docs/gcp.md#predefined-roles), from one of:
//   - the keyed dataset `{source, commit, commitDate, roles: {"roles/x": {title, stage, includedPermissions}}}`
//   - `gcloud iam roles list --format=json` output whose roles carry includedPermissions
//     (for example assembled from `gcloud iam roles describe` of each role).
// Usage: npx tsx scripts/gcp-roles-dataset.ts INPUT.json [--source TEXT] [--date YYYY-MM-DD]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compactRoleDataset, ROLE_DATASET_FILE } from '../src/model/gcp/roles.js';
import { packageRoot } from '../src/package-root.js';

const [input, ...rest] = process.argv.slice(2);
if (!input)
  throw new Error('usage: tsx scripts/gcp-roles-dataset.ts INPUT.json [--source TEXT] [--date YYYY-MM-DD]');
const flag = (name: string) => {
  const at = rest.indexOf(name);
  return at >= 0 ? rest[at + 1] : undefined;
};
const document: unknown = JSON.parse(readFileSync(input, 'utf8'));
const compact = compactRoleDataset(document, {
  ...(flag('--source') ? { source: flag('--source') as string } : {}),
  ...(flag('--date') ? { date: flag('--date') as string } : {}),
});
const path = join(packageRoot(), ROLE_DATASET_FILE);
writeFileSync(path, `${JSON.stringify(compact)}\n`);
console.log(
  `wrote ${path}: ${Object.keys(compact.roles).length} roles, ${compact.permissions.length} permissions`,
);
