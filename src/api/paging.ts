import { ApiError } from './errors.js';

/**
 * Keyset pagination: a cursor is the sort key of the last row returned (base64url JSON), so a
 * page never skips or repeats rows when others are added before it, and a deep page costs what
 * the first one does.
 */
export function encodeCursor(key: readonly string[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string, parts: number): string[] {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === parts && key.every((k) => typeof k === 'string')) return key;
  } catch {
    // reported below
  }
  throw new ApiError(`invalid cursor "${cursor}": pass a cursor this API returned (pageInfo.endCursor)`);
}

export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/** Forward pagination only; `first` defaults to 20 and may not exceed the configured page size. */
export function pageSize(args: PageArgs, maxPageSize: number): number {
  if (args.last != null || args.before != null)
    throw new ApiError('backward pagination (last/before) is not supported; use first/after');
  const first = args.first ?? Math.min(20, maxPageSize);
  if (first < 0) throw new ApiError(`first must be zero or more, got ${first}`);
  if (first > maxPageSize) throw new ApiError(`first ${first} exceeds the page size limit of ${maxPageSize}`);
  return first;
}

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
}

/** Rows fetched with `limit = first + 1`: the extra row only says there is a next page. */
export function toPage<T>(
  rows: readonly T[],
  first: number,
  keyOf: (row: T) => string[],
  hadCursor: boolean,
): Page<T> {
  const shown = rows.slice(0, first);
  const edges = shown.map((node) => ({ cursor: encodeCursor(keyOf(node)), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: hadCursor,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/** Complexity of a connection field: its own cost plus its selection once per requested row. */
export function connectionComplexity(args: { first?: number | null }, perField = 1) {
  return { field: perField, multiplier: Math.max(1, args.first ?? 20) };
}
