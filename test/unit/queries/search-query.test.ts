import { describe, expect, it } from 'vitest';
import { escapeLucene, searchQuery } from '../../../src/answers/search.js';

describe('the explorer search query (Lucene syntax written, never parsed from user text)', () => {
  it('requires every word, whole as a phrase or as prefixes of its pieces, and ranks the exact name', () => {
    expect(searchQuery('ci-dep')).toBe('+("ci-dep" (+ci* +dep*)) name:"ci-dep"^10');
    expect(searchQuery('payments  bucket')).toBe(
      '+("payments" (+payments*)) +("bucket" (+bucket*)) name:"payments  bucket"^10',
    );
  });

  it('escapes syntax in user text and adds the field filters', () => {
    expect(escapeLucene('a+b:(c)*')).toBe('a\\+b\\:\\(c\\)\\*');
    expect(searchQuery('x"y', { provider: ['aws'], owner: ['team "a"'], tag: ['team=payments'] })).toBe(
      '+("x\\"y" (+x* +y*)) name:"x\\"y"^10 +(provider:"aws") +(owner:"team \\"a\\"") +(tags:"team=payments" labels:"team=payments")',
    );
  });

  it('has no query for text without a letter or digit', () => {
    expect(searchQuery(' :: -- ')).toBeNull();
    expect(searchQuery('')).toBeNull();
  });
});
