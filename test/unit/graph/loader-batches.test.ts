import { describe, expect, it } from 'vitest';
import { chunkBy, endpointKey, loadBatches, relationshipBatchGroups } from '../../../src/graph/loader.js';
import { validateInventory } from '../../../src/model/validate.js';
import { A, arn, estate } from '../../fixtures/inventories.js';

const stamp = { now: 'now', runId: 'run-test' };

describe('chunkBy', () => {
  const key = (s: string) => s.slice(0, 1);

  it('cuts only where the key changes once a slice is full', () => {
    expect(chunkBy(['a1', 'a2', 'a3', 'b1', 'c1', 'c2', 'd1'], 2, key)).toEqual([
      ['a1', 'a2', 'a3'],
      ['b1', 'c1', 'c2'],
      ['d1'],
    ]);
  });

  it('cuts a key with more than twice the size anyway', () => {
    expect(chunkBy(['a1', 'a2', 'a3', 'a4', 'a5'], 2, key)).toEqual([['a1', 'a2', 'a3', 'a4'], ['a5']]);
  });

  it('keeps every item once, in order', () => {
    const items = Array.from({ length: 57 }, (_, i) => `${String.fromCharCode(97 + (i % 7))}${i}`).sort();
    const chunks = chunkBy(items, 5, key);
    expect(chunks.flat()).toEqual(items);
    expect(chunks.every((c) => c.length > 0)).toBe(true);
  });
});

describe('relationshipBatchGroups', () => {
  const valid = validateInventory(estate(1), 'test');

  it('creates the relationships with an unlinked end and merges the others, one group each', () => {
    const unlinked = new Set([arn(A, 'role/legacy')]);
    const groups = relationshipBatchGroups(valid.relationships, 100, stamp, unlinked, new Map());
    const assume = groups.filter(
      (g) => g[0]?.kind === 'CAN_ASSUME' && g[0]?.endpoints?.toLabel === 'AwsRole',
    );
    const created = assume.find((g) => g[0]?.query.includes('CREATE'));
    const merged = assume.find((g) => g[0]?.query.includes('MERGE'));
    expect(created?.flatMap((b) => b.rows().map((r) => `${r.from} -> ${r.to}`))).toEqual([
      `${arn(A, 'role/ci')} -> ${arn(A, 'role/legacy')}`,
    ]);
    // A re-run of a created batch merges.
    expect(created?.[0]?.retryQuery).toBe(merged?.[0]?.query);
    expect(merged?.[0]?.retryQuery).toBeUndefined();
    expect(merged?.flatMap((b) => b.rows().map((r) => r.to))).not.toContain(arn(A, 'role/legacy'));
  });

  it('merges everything when no end is known to be unlinked, with the same rows as loadBatches', () => {
    const groups = relationshipBatchGroups(valid.relationships, 100, stamp, new Set(), new Map());
    expect(groups.flat().every((b) => !b.query.includes('CREATE'))).toBe(true);
    const rows = (b: { size: number }[]) => b.reduce((n, x) => n + x.size, 0);
    expect(rows(groups.flat())).toBe(valid.relationships.length);
    expect(rows(loadBatches(valid, 100, stamp).filter((b) => b.phase === 'relationships'))).toBe(
      valid.relationships.length,
    );
  });

  it('gives each row its endpoints element ids, and one statement text to every pair of kinds of a type', () => {
    const elements = new Map(
      valid.relationships.flatMap((r) => [
        [endpointKey(r.fromKind, r.from), `e:${r.from}`],
        [endpointKey(r.toKind, r.to), `e:${r.to}`],
      ]),
    );
    const batches = relationshipBatchGroups(valid.relationships, 100, stamp, new Set(), elements).flat();
    for (const b of batches)
      for (const r of b.rows()) {
        expect(r.fromElement).toBe(`e:${r.from}`);
        expect(r.toElement).toBe(`e:${r.to}`);
      }
    const texts = new Map<string, Set<string>>();
    for (const b of batches) texts.set(b.kind, (texts.get(b.kind) ?? new Set()).add(b.query));
    for (const set of texts.values()) expect(set.size).toBe(1);
    // Unknown endpoints are sent as null: the row writes nothing and the loader names the endpoint.
    const unknown = relationshipBatchGroups(valid.relationships, 100, stamp, new Set(), new Map()).flat();
    expect(unknown[0]?.rows()[0]?.fromElement).toBeNull();
  });

  it('orders rows by source, so concurrent batches of a group hold different sources', () => {
    const groups = relationshipBatchGroups(valid.relationships, 1, stamp, new Set(), new Map());
    for (const group of groups) {
      const sources = group.map((b) => new Set(b.rows().map((r) => r.from)));
      for (let i = 1; i < sources.length; i++)
        for (const s of sources[i] ?? []) expect(sources[i - 1]?.has(s)).toBe(false);
      const froms = group.flatMap((b) => b.rows().map((r) => r.from as string));
      expect(froms).toEqual([...froms].sort());
    }
  });
});
