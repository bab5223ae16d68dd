import { describe, expect, it } from 'vitest';
import { createRegistry, EDGE_FAMILIES } from '../../../../src/analyzers/aws-iam/edges/registry.js';
import type { EdgeFamily } from '../../../../src/analyzers/aws-iam/types.js';
import { helpReferences, relationshipKind } from '../../../../src/model/relationship-kinds.js';

const family = (name: string, dependsOn: string[] = []): EdgeFamily => ({
  name,
  emits: ['CAN_ACCESS'],
  description: name,
  dependsOn,
  derive: () => ({ edges: [] }),
});

describe('edge registry', () => {
  it('orders families after what they depend on, keeping registration order otherwise', () => {
    const ordered = createRegistry([family('c', ['b']), family('a'), family('b', ['a']), family('d')]);
    expect(ordered.map((f) => f.name)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('rejects duplicate names, unknown dependencies and cycles', () => {
    expect(() => createRegistry([family('a'), family('a')])).toThrow('edge family "a" is registered twice');
    expect(() => createRegistry([family('a', ['missing'])])).toThrow(
      'depends on "missing", which is not registered',
    );
    expect(() => createRegistry([family('a', ['b']), family('b', ['a'])])).toThrow('cycle: a → b → a');
  });

  it('registers the AWS families, each documented with the relationship types it emits', () => {
    const names = EDGE_FAMILIES.map((f) => f.name);
    for (const name of ['can-assume', 'federates-to', 'runs-as', 'can-access', 'administers'])
      expect(names).toContain(name);
    for (const f of EDGE_FAMILIES) {
      expect(f.description.length).toBeGreaterThan(40);
      expect(f.emits.length).toBeGreaterThan(0);
      // A family's references are those of the kinds it emits, declared once in src/model.
      const references = f.emits.flatMap((type) => {
        const kind = relationshipKind(type);
        return kind ? helpReferences(kind) : [];
      });
      expect(references.length).toBeGreaterThan(0);
    }
  });
});
