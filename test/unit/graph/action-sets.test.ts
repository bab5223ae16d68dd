import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cypherFile } from '../../../src/graph/cypher-files.js';
import { loadBatches } from '../../../src/graph/loader.js';
import { ACTION_SET_LABEL, ActionSets, actionSetId } from '../../../src/model/action-sets.js';
import { storedProperties, validateInventory, writtenProperties } from '../../../src/model/validate.js';
import { packageRoot } from '../../../src/package-root.js';
import { estate } from '../../fixtures/inventories.js';

const CYPHER = join(packageRoot(), 'cypher');
/** Every Cypher file's source as written (fragments not yet included), by path. */
const sources = readdirSync(CYPHER).flatMap((folder) =>
  readdirSync(join(CYPHER, folder))
    .filter((f) => f.endsWith('.cypher'))
    .map((f) => ({
      path: `${folder}/${f.slice(0, -'.cypher'.length)}`,
      text: readFileSync(join(CYPHER, folder, f), 'utf8'),
    })),
);
const code = (text: string) =>
  text
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('//'))
    .join('\n');

describe('action lists stored once', () => {
  it('names a list by its content: the same list one id, another order or name another', () => {
    const a = ['s3:GetObject', 's3:ListBucket'];
    expect(actionSetId(a)).toBe(actionSetId([...a]));
    expect(actionSetId(a)).not.toBe(actionSetId([...a].reverse()));
    expect(actionSetId(a)).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const sets = new ActionSets();
    expect(sets.idOf(a)).toBe(actionSetId(a));
    expect(sets.idOf([...a])).toBe(actionSetId(a));
    sets.idOf(['s3:PutObject']);
    expect(sets.entries().map((s) => s.actions)).toEqual([a, ['s3:PutObject']]);
  });

  it('writes an edge with its list replaced by the id, everything else as readers see it', () => {
    const valid = validateInventory(estate(1), 'test');
    const access = valid.relationships.find((r) => r.type === 'CAN_ACCESS');
    if (!access) throw new Error('no access edge');
    const sets = new ActionSets();
    const { actions, ...rest } = storedProperties(access);
    expect(writtenProperties(access, sets)).toEqual({ ...rest, actionSet: actionSetId(actions as string[]) });
    const assume = valid.relationships.find((r) => r.type === 'CAN_ASSUME');
    if (!assume) throw new Error('no trust edge');
    expect(writtenProperties(assume, sets)).toEqual(storedProperties(assume));
  });

  it('loads the distinct lists as ActionSet nodes before any relationship, rows naming them by id', () => {
    const valid = validateInventory(estate(1), 'test');
    const batches = loadBatches(valid, 100, { now: 'now', runId: 'run' });
    const sets = batches.filter((b) => b.kind === ACTION_SET_LABEL);
    expect(sets.flatMap((b) => b.rows())).toEqual([
      {
        id: actionSetId(['s3:GetObject', 's3:PutObject']),
        properties: {
          id: actionSetId(['s3:GetObject', 's3:PutObject']),
          actions: ['s3:GetObject', 's3:PutObject'],
          lastSeen: 'now',
          lastRunId: 'run',
        },
      },
    ]);
    const first = batches.findIndex((b) => b.phase === 'relationships');
    expect(batches.indexOf(sets[0] as (typeof batches)[number])).toBeLessThan(first);
    const rows = batches.filter((b) => b.kind === 'CAN_ACCESS').flatMap((b) => b.rows());
    expect(rows.map((r) => (r.properties as Record<string, unknown>).actions)).toEqual([undefined]);
  });

  it('every Cypher reader of an edge’s actions or whole properties goes through the one fragment', () => {
    const fragments = new Set(['graph/edge-actions', 'graph/edge-properties']);
    const readers = sources.filter((f) => !fragments.has(f.path));
    for (const file of readers) {
      const text = code(file.text);
      // Neither `v.actions` nor `properties(v)` of a relationship `v` that may be an access edge
      // (`[v]`, `[v:…CAN_ACCESS…]`, `[v:{{type}}]`), but `properties` of a Grant hub's member leg,
      // which carries no actions (MEMBER_LEG_PROPERTIES, src/model/grants.ts).
      const relationships = [...text.matchAll(/\[(\w+)(:[^\]]*)?\]/g)]
        .filter((m) => !m[2] || /CAN_ACCESS|\{\{/.test(m[2]))
        .map((m) => m[1] as string);
      const memberLegs = [...text.matchAll(/\[(\w+)(?::[^\]]*)?\]->\(\w*:Grant\)/g)].map((m) => m[1]);
      for (const v of relationships) {
        expect(text, `${file.path}: ${v}.actions`).not.toMatch(new RegExp(`\\b${v}\\.actions\\b`));
        if (!memberLegs.includes(v))
          expect(text, `${file.path}: properties(${v})`).not.toContain(`properties(${v})`);
      }
    }
    const including = readers.filter((f) => /\{\{include graph\/edge-(actions|properties)\}\}/.test(f.text));
    expect(including.map((f) => f.path).sort()).toEqual([
      'activity/granted',
      'activity/pair-use',
      'anomalies/granted',
      'answers/route-edges',
      'api/edge',
      'api/edges-in',
      'api/edges-out',
    ]);
    expect(cypherFile('graph/edge-properties').text).toContain(cypherFile('graph/edge-actions').text);
  });
});
