/** Cypher's LIMIT takes a whole number: a page size is rounded down and kept at least `min`. */
export function pageLimit(size: number, min = 1): number {
  return Math.max(min, Math.floor(size));
}
