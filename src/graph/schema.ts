import { NODE_KINDS } from '../model/node-kinds.js';
import { RELATIONSHIP_KINDS } from '../model/relationship-kinds.js';
import { cypherFile, cypherFiles, render } from './cypher-files.js';
import type { GraphExecutor } from './executor.js';

const PER_LABEL = ['schema/node-id-unique'];
const PER_TYPE = ['schema/relationship-scope-index'];

/** Every schema statement: the per-kind templates rendered for the whole vocabulary, then the fixed files. */
export function schemaStatements(): string[] {
  const templated = new Set([...PER_LABEL, ...PER_TYPE]);
  return [
    ...PER_LABEL.flatMap((path) => NODE_KINDS.map((k) => render(cypherFile(path), { label: k.label }))),
    ...PER_TYPE.flatMap((path) => RELATIONSHIP_KINDS.map((r) => render(cypherFile(path), { type: r.type }))),
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
