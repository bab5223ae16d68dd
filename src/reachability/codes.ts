import { ACCESS_LEVELS } from '../model/properties.js';
import { HOP_TYPE_CODES, levelList, levelMask } from './search.js';

/**
 * How a REACHES row stores its level sets and its route's hop types: as small integers, which Neo4j
 * keeps inline in the relationship's property record (a list would take a record of its own), so a
 * row costs a fraction of the storage and the write time.
 *
 * - level masks: bit i is ACCESS_LEVELS[i];
 * - via code: the hop types in base 8, first hop most significant, each digit the type's index in
 *   HOP_TYPES plus one (so 0 is the empty route). Twelve hops take 36 bits, within both a Neo4j
 *   integer and a JavaScript safe integer.
 */

const VIA_BASE = 8;

export function encodeVia(codes: readonly number[]): number {
  let value = 0;
  for (const code of codes) value = value * VIA_BASE + code + 1;
  return value;
}

/** The hop types of a via code; unknown digits (a newer vocabulary) decode as nothing. */
export function decodeVia(value: number): string[] {
  const types: string[] = [];
  let rest = Math.trunc(value);
  while (rest > 0) {
    const type = HOP_TYPE_CODES[(rest % VIA_BASE) - 1];
    if (type) types.push(type);
    rest = Math.floor(rest / VIA_BASE);
  }
  return types.reverse();
}

/** The level names of a stored mask, in ACCESS_LEVELS order. */
export function levelsOfMask(mask: number | null | undefined): string[] {
  return [...levelList(Math.trunc(mask ?? 0))];
}

/**
 * Every mask that grants at least one of `levels`: Cypher has no bitwise operators, so "grants any
 * of these" is `mask IN <this list>`.
 */
export function masksGranting(levels: readonly string[]): number[] {
  const wanted = levelMask(levels);
  return Array.from({ length: 1 << ACCESS_LEVELS.length }, (_, mask) => mask).filter(
    (mask) => (mask & wanted) !== 0,
  );
}
