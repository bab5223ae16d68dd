import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cypherFile, cypherFiles, render } from '../../../src/graph/cypher-files.js';
import { HOP_TYPES, relationshipKind } from '../../../src/model/relationship-kinds.js';
import { packageRoot } from '../../../src/package-root.js';
import { MAX_DELEGATION_DEPTH } from '../../../src/reachability/delegation.js';

describe('reachability Cypher', () => {
  it('reads exactly the hop types of the vocabulary, and no Cypher file types them by hand', () => {
    const text = render(cypherFile('reachability/hop-edges'), { hopTypes: HOP_TYPES.join('|') });
    const pattern = text.match(/\[h:([A-Z_|]+)\]/)?.[1];
    expect(pattern?.split('|').sort()).toEqual([...HOP_TYPES].sort());
    const folders = readdirSync(join(packageRoot(), 'cypher'));
    for (const file of folders.flatMap((f) => cypherFiles(f)))
      expect(file.text, file.path).not.toMatch(/CAN_ASSUME\s*\|\s*CAN_|CAN_IMPERSONATE\s*\|/);
  });

  it('writes only properties REACHES declares, and every declared one', () => {
    const declared = Object.keys(relationshipKind('REACHES')?.properties ?? {});
    // The property map of `CREATE (…)-[r:REACHES {…}]->(…)` / `SET r = {…}`.
    const written = (path: string) => {
      const map = cypherFile(path).text.match(/(?:REACHES|r =) \{([^}]*)\}/)?.[1] ?? '';
      return [...map.matchAll(/(\w+):/g)].map((m) => m[1] as string).sort();
    };
    expect(written('reachability/create-reaches')).toEqual([...declared, 'firstSeen'].sort());
    expect(written('reachability/update-reaches')).toEqual([...declared, 'firstSeen'].sort());
  });

  it('writes only properties REACHES_AS declares, and every declared one', () => {
    const declared = Object.keys(relationshipKind('REACHES_AS')?.properties ?? {});
    const written = (path: string) => {
      const map = cypherFile(path).text.match(/(?:REACHES_AS|d =) \{([^}]*)\}/)?.[1] ?? '';
      return [...map.matchAll(/(\w+):/g)].map((m) => m[1] as string).sort();
    };
    expect(written('reachability/create-delegations')).toEqual([...declared, 'firstSeen'].sort());
    expect(written('reachability/update-delegations')).toEqual([...declared, 'firstSeen'].sort());
  });

  it('every reader of the summary expands it through the one fragment', () => {
    const folders = readdirSync(join(packageRoot(), 'cypher')).filter((f) => f !== 'reachability');
    const readers = folders.flatMap((f) => cypherFiles(f)).filter((f) => /\[\w*:REACHES\]/.test(f.text));
    const fragment = cypherFile('reachability/summary-rows').text;
    for (const file of readers)
      expect(file.text.includes(fragment) || /count\(x\)/.test(file.text), file.path).toBe(true);
    expect(readers.length).toBeGreaterThan(5);
    // The fragment follows chains as long as the summary writes them.
    expect(fragment).toContain(`REACHES_AS*0..${MAX_DELEGATION_DEPTH}]`);
    expect(fragment.match(/delegator\d\)-\[:REACHES\]/g)?.length).toBe(MAX_DELEGATION_DEPTH - 1);
  });

  it('every file is parameterised and named', () => {
    for (const file of cypherFiles('reachability')) {
      expect(file.name).toMatch(/reaches|reachability/);
      expect(file.description.length).toBeGreaterThan(20);
      expect(file.text.replaceAll('{{hopTypes}}', '').replaceAll('{{type}}', '')).not.toMatch(/\{\{/);
    }
  });
});
