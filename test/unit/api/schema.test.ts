import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { typeAlternation } from '../../../src/answers/graph-reader.js';
import { printApiSchema } from '../../../src/api/schema.js';
import { cypherFile, render } from '../../../src/graph/cypher-files.js';
import { HOP_TYPES } from '../../../src/model/relationship-kinds.js';

describe('schema.graphql', () => {
  it('is the printed schema (run `reachgraph print-schema > schema.graphql` after changing src/api)', () => {
    const committed = readFileSync(new URL('../../../schema.graphql', import.meta.url), 'utf8');
    expect(committed).toBe(printApiSchema());
  });

  it('declares an object type per principal and resource kind, behind the Identity and Resource interfaces', () => {
    const schema = printApiSchema();
    expect(schema).toContain('type AwsRole implements Identity & Node {');
    expect(schema).toContain('type AwsS3Bucket implements Node & Resource {');
    expect(schema).toContain('type K8sPod implements Identity & Node & Resource {');
    expect(schema).toMatch(/enum Environment \{\s+DEVELOPMENT\s+PRODUCTION\s+STAGING\s+UNKNOWN\s+\}/);
  });
});

describe('answer queries', () => {
  it('traverse exactly the hop edge types of the vocabulary, rendered from it', () => {
    for (const name of ['route-out-hops', 'route-in-hops']) {
      const text = render(cypherFile(`answers/${name}`), { hopTypes: typeAlternation(null) });
      const lists = [...text.matchAll(/\[h:([A-Z_|]+)/g)].map((m) => m[1]);
      expect(lists.length, name).toBeGreaterThan(0);
      for (const list of lists) expect(list?.split('|').sort(), name).toEqual([...HOP_TYPES].sort());
    }
  });
});
