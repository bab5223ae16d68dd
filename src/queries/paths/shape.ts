import type { Evidence } from '../../model/evidence.js';
import { ACCESS_LEVELS } from '../../model/properties.js';
import { relationshipKind } from '../../model/relationship-kinds.js';
import { DEFAULT_MAX_HOPS, MAX_HOPS_LIMIT, type PathHop } from './types.js';

/**
 * What both answerers share: turning an edge's stored properties into a hop, choosing one path
 * among equally short ones, and checking the options. Sharing it is what makes the Neo4j and the
 * in-memory answers identical.
 */

/** An edge as stored: endpoints, type and the derived-edge properties (evidence as a JSON string). */
export interface RawEdge {
  from: string;
  to: string;
  type: string;
  properties: Readonly<Record<string, unknown>>;
}

export function toHop(edge: RawEdge): PathHop {
  const p = edge.properties;
  const requires = Array.isArray(p.requires) && p.requires.length > 0 ? (p.requires as string[]) : undefined;
  return {
    from: edge.from,
    to: edge.to,
    type: edge.type,
    technique: typeof p.technique === 'string' ? p.technique : null,
    reason: typeof p.reason === 'string' ? p.reason : '',
    evidence: parseEvidence(p.evidence, edge),
    conditional: p.conditional === true,
    ...(requires ? { requires } : {}),
  };
}

function parseEvidence(value: unknown, edge: RawEdge): Evidence[] {
  if (typeof value !== 'string' || value === '') return [];
  try {
    const parsed = JSON.parse(value);
    return Array.isArray(parsed) ? (parsed as Evidence[]) : [];
  } catch {
    throw new Error(`${edge.type} ${edge.from} -> ${edge.to}: stored evidence is not valid JSON`);
  }
}

/** Hop edges in a path: every edge but a terminal one (ADMINISTERS, CAN_ACCESS). */
export function hopCount(path: readonly { type: string }[]): number {
  return path.filter((e) => relationshipKind(e.type)?.category === 'hop').length;
}

/**
 * Among equally short paths, the one whose edges, compared in order by (target id, type), come
 * first. The in-memory search picks the same path greedily (see in-memory/search.ts).
 */
export function compareEdges(a: { to: string; type: string }, b: { to: string; type: string }): number {
  if (a.to !== b.to) return a.to < b.to ? -1 : 1;
  if (a.type !== b.type) return a.type < b.type ? -1 : 1;
  return 0;
}

export function comparePaths<E extends { to: string; type: string }>(
  a: readonly E[],
  b: readonly E[],
): number {
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < a.length; i++) {
    const c = compareEdges(a[i] as E, b[i] as E);
    if (c !== 0) return c;
  }
  return 0;
}

/** Keeps, per key, the first path in `comparePaths` order. */
export function firstPathPerKey<T extends { path: readonly { to: string; type: string }[] }>(
  rows: readonly T[],
  key: (row: T) => string,
): T[] {
  const best = new Map<string, T>();
  for (const row of rows) {
    const k = key(row);
    const seen = best.get(k);
    if (!seen || comparePaths(row.path, seen.path) < 0) best.set(k, row);
  }
  return [...best.values()];
}

export function byKeys<T>(...keys: ((item: T) => string)[]): (a: T, b: T) => number {
  return (a, b) => {
    for (const key of keys) {
      const x = key(a);
      const y = key(b);
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  };
}

export function accountOfNode(id: string): string {
  return id.startsWith('aws:account:') ? id.slice('aws:account:'.length) : id;
}

// ── Option checks: bad options are errors naming the option, never a silent default ──────────

export function checkMaxHops(value: number | undefined): number {
  if (value === undefined) return DEFAULT_MAX_HOPS;
  if (!Number.isSafeInteger(value) || value < 0 || value > MAX_HOPS_LIMIT)
    throw new Error(`--max-hops: expected an integer from 0 to ${MAX_HOPS_LIMIT}, got ${value}`);
  return value;
}

export function checkAccount(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{12}$/.test(value))
    throw new Error(`--account: expected a 12-digit AWS account id, got "${value}"`);
  return value;
}

export function checkLevel(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!(ACCESS_LEVELS as readonly string[]).includes(value))
    throw new Error(`--level: expected one of ${ACCESS_LEVELS.join(', ')}, got "${value}"`);
  return value;
}
