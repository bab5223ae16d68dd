import type { EdgeFamily } from '../types.js';
import { administers } from './administers.js';
import { canAccess } from './can-access.js';
import { canAssume } from './can-assume.js';
import { canEscalate } from './can-escalate.js';
import { cognitoIdentityPools } from './cognito-identity.js';
import { federatesTo } from './federates-to.js';
import { runsAs } from './runs-as.js';
import { s3PublicAccess } from './s3-public-access.js';

/**
 * The edge families, in an order that respects `dependsOn`. `createRegistry` rejects two families
 * with one name, a dependency on a family that is not registered, and dependency cycles.
 */
export function createRegistry(families: readonly EdgeFamily[]): EdgeFamily[] {
  const byName = new Map<string, EdgeFamily>();
  for (const family of families) {
    if (byName.has(family.name)) throw new Error(`edge family "${family.name}" is registered twice`);
    byName.set(family.name, family);
  }
  for (const family of families)
    for (const dependency of family.dependsOn ?? [])
      if (!byName.has(dependency))
        throw new Error(`edge family "${family.name}" depends on "${dependency}", which is not registered`);

  // Depth-first topological order, keeping registration order among independent families.
  const ordered: EdgeFamily[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (family: EdgeFamily, path: string[]) => {
    const seen = state.get(family.name);
    if (seen === 'done') return;
    if (seen === 'visiting')
      throw new Error(`edge families depend on each other in a cycle: ${[...path, family.name].join(' → ')}`);
    state.set(family.name, 'visiting');
    for (const dependency of family.dependsOn ?? [])
      visit(byName.get(dependency) as EdgeFamily, [...path, family.name]);
    state.set(family.name, 'done');
    ordered.push(family);
  };
  for (const family of families) visit(family, []);
  return ordered;
}

/** Every AWS edge family `analyzeAws` runs and docs/edges.md documents, in run order. */
export const EDGE_FAMILIES: readonly EdgeFamily[] = createRegistry([
  canAssume,
  federatesTo,
  cognitoIdentityPools,
  runsAs,
  canAccess,
  s3PublicAccess,
  administers,
  canEscalate,
]);
