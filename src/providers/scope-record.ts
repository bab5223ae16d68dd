import type { CollectionIssue } from '../model/collection-issue.js';
import type { Inventory } from '../model/inventory.js';

/**
 * A scope's record in the inventory: complete unless an error of the collection belongs to it (or
 * to no scope at all), with the first five such errors named.
 */
export function scopeRecord(
  scope: Pick<Inventory['scopes'][number], 'id' | 'provider' | 'name'>,
  issues: readonly CollectionIssue[],
  scopeOfIssue: (issue: CollectionIssue) => string | undefined,
): Inventory['scopes'][number] {
  const errors = issues
    .filter((i) => i.severity === 'error' && [scope.id, undefined].includes(scopeOfIssue(i)))
    .map((i) => `${i.source}${i.object ? ` (${i.object})` : ''}: ${i.message}`);
  return {
    ...scope,
    complete: errors.length === 0,
    ...(errors.length ? { errors: errors.slice(0, 5) } : {}),
  };
}
