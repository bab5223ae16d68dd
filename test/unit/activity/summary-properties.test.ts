import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTIVITY_PROPERTIES } from '../../../src/model/properties.js';
import { packageRoot } from '../../../src/package-root.js';

// docs/graph-model.md lists the activity summary from ACTIVITY_PROPERTIES: every property the
// summary's Cypher sets or removes must be declared there, and nothing else.

describe('the activity summary’s properties', () => {
  it('are exactly the ones cypher/activity/ writes and clears', () => {
    const dir = join(packageRoot(), 'cypher', 'activity');
    const text = readdirSync(dir)
      .filter((f) => f.endsWith('.cypher'))
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join('\n');
    const written = new Set<string>();
    // SET n.p = …, n.q = … (the targets only) and REMOVE n.p, n.q.
    for (const [, set] of text.matchAll(/^\s*SET\s+(.+)$/gm))
      for (const [, name] of (set as string).matchAll(/\b[a-z]\w*\.(\w+)\s*=/g)) written.add(name as string);
    for (const [, removed] of text.matchAll(/^\s*REMOVE\s+(.+)$/gm))
      for (const [, name] of (removed as string).matchAll(/\b[a-z]\w*\.(\w+)/g)) written.add(name as string);
    expect([...written].sort()).toEqual(Object.keys(ACTIVITY_PROPERTIES).sort());
  });
});
