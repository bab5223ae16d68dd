import { describe, expect, it } from 'vitest';
import { pushAll } from '../../../src/util/collections.js';

describe('pushAll', () => {
  it('appends in place, from any iterable', () => {
    const target = [1];
    expect(pushAll(target, new Set([2, 3]).values())).toBe(target);
    expect(target).toEqual([1, 2, 3]);
  });

  it('appends more items than a call can take as arguments', () => {
    const many = Array.from({ length: 1_000_000 }, (_, i) => i);
    expect(() => [].push(...(many as never[]))).toThrow(RangeError);
    const target: number[] = [];
    pushAll(target, many);
    expect(target).toHaveLength(many.length);
    expect(target.at(-1)).toBe(999_999);
  });
});
