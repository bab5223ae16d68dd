import { ACCESS_LEVELS } from '../model/properties.js';
import { HOP_TYPES } from '../model/relationship-kinds.js';

/**
 * The integer encodings of routes and levels, in one place for the route search, the summary's
 * rows, the API, the CLI and the reports. A REACHES row stores its level sets and its route's hop
 * types as small integers, which Neo4j keeps inline in the relationship's property record (a list
 * would take a record of its own), so a row costs a fraction of the storage and the write time.
 *
 * - level masks: bit i is ACCESS_LEVELS[i];
 * - hop type codes: a hop type's index in HOP_TYPES (the vocabulary's hop category);
 * - via code: the hop types in base 8, first hop most significant, each digit the type's code plus
 *   one (so 0 is the empty route). Twelve hops take 36 bits, within both a Neo4j integer and a
 *   JavaScript safe integer.
 */

/** Hop relationship types by code (the index in this list). */
export const HOP_TYPE_CODES: readonly string[] = HOP_TYPES;
const hopCodeByType = new Map(HOP_TYPE_CODES.map((t, i) => [t, i]));

export function hopTypeCode(type: string): number {
  const code = hopCodeByType.get(type);
  if (code === undefined) throw new Error(`not a hop relationship type: ${type}`);
  return code;
}

/** A set of hop types as a bit mask over their codes; every hop type when `types` is null. */
export function hopTypeMask(types: readonly string[] | null | undefined): number {
  if (!types) return (1 << HOP_TYPE_CODES.length) - 1;
  let mask = 0;
  for (const type of types) mask |= 1 << hopTypeCode(type);
  return mask;
}

/** Access levels as bits (bit i = ACCESS_LEVELS[i]); unknown level names are ignored. */
export function levelMask(levels: readonly string[] | null | undefined): number {
  let mask = 0;
  for (const level of levels ?? []) {
    const bit = (ACCESS_LEVELS as readonly string[]).indexOf(level);
    if (bit >= 0) mask |= 1 << bit;
  }
  return mask;
}

const LEVEL_LISTS = Array.from({ length: 1 << ACCESS_LEVELS.length }, (_, mask) =>
  ACCESS_LEVELS.filter((_, bit) => (mask & (1 << bit)) !== 0),
);

/** The level names of a mask, in ACCESS_LEVELS order (shared arrays: do not mutate). */
export function levelList(mask: number): readonly string[] {
  return LEVEL_LISTS[mask] ?? [];
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
