import { describe, expect, it } from 'vitest';
import { MAX_HOPS_LIMIT as SUMMARY_MAX_HOPS_LIMIT } from '../../../src/answers/bounds.js';
import { ACCESS_LEVELS } from '../../../src/model/properties.js';
import { HOP_TYPES, relationshipKind } from '../../../src/model/relationship-kinds.js';
import {
  decodeVia,
  encodeVia,
  levelMask,
  levelsOfMask,
  masksGranting,
} from '../../../src/reachability/codes.js';

const code = (type: string) => HOP_TYPES.indexOf(type);

describe('REACHES integer encodings', () => {
  it('via codes round-trip every route up to the deepest bound, and keep the order of hops', () => {
    expect(decodeVia(encodeVia([]))).toEqual([]);
    const route = ['CAN_ASSUME', 'RUNS_AS', 'CAN_ASSUME', 'CAN_ESCALATE'];
    expect(decodeVia(encodeVia(route.map(code)))).toEqual(route);
    // Routes that differ only in order or length get different codes.
    const seen = new Set<number>();
    for (const r of [[0], [0, 0], [0, 1], [1, 0], [0, 0, 0]]) seen.add(encodeVia(r));
    expect(seen.size).toBe(5);
    const deepest = Array.from({ length: SUMMARY_MAX_HOPS_LIMIT }, (_, i) => i % HOP_TYPES.length);
    const encoded = encodeVia(deepest);
    expect(Number.isSafeInteger(encoded)).toBe(true);
    expect(decodeVia(encoded)).toEqual(deepest.map((c) => HOP_TYPES[c]));
  });

  it('the documented digits are the vocabulary order', () => {
    const text = relationshipKind('REACHES')?.properties.viaCode?.description ?? '';
    HOP_TYPES.forEach((type, i) => {
      expect(text).toContain(`${i + 1} ${type}`);
    });
  });

  it('level masks decode in vocabulary order; "grants any of" lists exactly the masks sharing a bit', () => {
    expect(levelsOfMask(levelMask(['write', 'list']))).toEqual(['list', 'write']);
    expect(levelsOfMask(null)).toEqual([]);
    const write = masksGranting(['write']);
    expect(write).toHaveLength(1 << (ACCESS_LEVELS.length - 1));
    for (const mask of write) expect(levelsOfMask(mask)).toContain('write');
    const either = new Set(masksGranting(['read', 'tagging']));
    for (let mask = 0; mask < 1 << ACCESS_LEVELS.length; mask++) {
      const levels = levelsOfMask(mask);
      expect(either.has(mask)).toBe(levels.includes('read') || levels.includes('tagging'));
    }
    expect(masksGranting([])).toEqual([]);
  });

  it('the documented bits are the vocabulary order', () => {
    const text = relationshipKind('REACHES')?.properties.levelMask?.description ?? '';
    ACCESS_LEVELS.forEach((level, i) => {
      expect(text).toContain(`${1 << i} ${level}`);
    });
  });
});
