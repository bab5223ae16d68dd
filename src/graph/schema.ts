import { NODE_KINDS } from '../model/node-kinds.js';
import { isLoadable, RELATIONSHIP_KINDS } from '../model/relationship-kinds.js';
import { cypherFile, cypherFiles, render } from './cypher-files.js';
import type { GraphExecutor } from './executor.js';

const PER_LABEL = ['schema/node-id-unique'];

/**
 * Every schema statement: the per-kind templates rendered for the whole vocabulary, then the fixed
 * files. Relationships have no property index: one would make every write of a relationship decode
 * all of its properties (src/graph/cleanup.ts finds stale relationships from the scopes' nodes).
 */
export function schemaStatements(): string[] {
  const templated = new Set(PER_LABEL);
  return [
    ...PER_LABEL.flatMap((path) => NODE_KINDS.map((k) => render(cypherFile(path), { label: k.label }))),
    ...cypherFiles('schema')
      .filter((f) => !templated.has(f.path))
      .map((f) => f.text),
  ];
}

const ensured = new WeakSet<GraphExecutor>();

/**
 * Constraints and indexes first, before any data (IF NOT EXISTS makes this idempotent). Statements
 * whose constraint or index already exists are skipped without a round trip each, then the new
 * indexes are awaited so the first load already uses them.
 */
export async function ensureSchema(executor: GraphExecutor): Promise<void> {
  if (ensured.has(executor)) return;
  const existing = new Set(
    (
      await executor.read<{ name: string }>(
        'SHOW INDEXES YIELD name RETURN name',
        {},
        { action: 'reading the schema' },
      )
    ).map((r) => r.name),
  );
  await dropRelationshipScopeIndexes(executor, existing);
  const missing = schemaStatements().filter(
    (s) => !existing.has(s.match(/^CREATE (?:CONSTRAINT|(?:FULLTEXT )?INDEX) (\w+)/)?.[1] ?? ''),
  );
  if (missing.length > 0) {
    // One transaction for all of them: ~40 ms each instead of a round trip and commit each.
    await executor.transaction(
      'WRITE',
      async (tx) => {
        for (const statement of missing) await tx.run(statement);
      },
      { action: 'creating constraints and indexes' },
    );
    await executor.write('CALL db.awaitIndexes(300)', {}, { action: 'waiting for indexes' });
  }
  ensured.add(executor);
}

/**
 * A store written before cleanup found stale relationships from the scopes' nodes holds an index on
 * `scope` per relationship type. Before each is dropped, the scopes of that type's relationships
 * none of whose ends is a node of their scope are marked (cypher/migrations/detached-scopes-of-type),
 * as the loader marks them since, so that cleanup still finds them; a failure before a drop leaves
 * the index, and the next start does both again.
 */
async function dropRelationshipScopeIndexes(
  executor: GraphExecutor,
  existing: ReadonlySet<string>,
): Promise<void> {
  for (const kind of RELATIONSHIP_KINDS) {
    if (!existing.has(`${kind.type}_scope`)) continue;
    if (isLoadable(kind))
      await executor.write(
        render(cypherFile('migrations/detached-scopes-of-type'), { type: kind.type }),
        {},
        { action: `marking the scopes of ${kind.type} relationships outside their nodes` },
      );
    await executor.write(
      render(cypherFile('migrations/drop-relationship-scope-index'), { type: kind.type }),
      {},
      { action: `dropping the scope index of ${kind.type} relationships` },
    );
  }
}
