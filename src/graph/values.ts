import neo4j from 'neo4j-driver';
import type { PropertyValue } from '../model/inventory.js';
import type { PropertySpecs } from '../model/properties.js';

/**
 * Conversions at the driver boundary, in one place. JavaScript numbers reach Neo4j as FLOAT unless
 * sent as driver Integers, so whole numbers are sent as Integers; declared date-times are sent as
 * DateTime values so Cypher can compare them.
 */
export function toNeo4jProperties(
  properties: Record<string, PropertyValue>,
  specs: PropertySpecs,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(properties)) {
    if (value === null) continue;
    const type = specs[name]?.type;
    if (type === 'datetime' && typeof value === 'string') out[name] = toDateTime(value);
    else if (type === 'float') out[name] = value;
    else out[name] = toNeo4jValue(value);
  }
  return out;
}

export function toNeo4jValue(value: PropertyValue): unknown {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? neo4j.int(value) : value;
  if (Array.isArray(value) && value.length > 0 && typeof value[0] === 'number') {
    const numbers = value as number[];
    return numbers.every(Number.isSafeInteger) ? numbers.map((n) => neo4j.int(n)) : numbers;
  }
  return value;
}

export function toDateTime(value: string | Date): unknown {
  return neo4j.types.DateTime.fromStandardDate(value instanceof Date ? value : new Date(value));
}

/**
 * Driver values → plain JSON-friendly values: Integers become numbers when in the safe range and
 * strings otherwise (never silently rounded), temporals become ISO strings, nodes and relationships
 * become their properties.
 */
export function fromNeo4j(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (neo4j.isInt(value)) {
    const int = value as ReturnType<typeof neo4j.int>;
    return int.inSafeRange() ? int.toNumber() : int.toString();
  }
  if (typeof value === 'bigint') {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (isTemporal(value)) return temporalToIso(value);
  if (Array.isArray(value)) return value.map(fromNeo4j);
  if (neo4j.isNode(value as never) || neo4j.isRelationship(value as never)) {
    return fromNeo4j((value as { properties: unknown }).properties);
  }
  if (neo4j.isPath(value as never)) {
    const path = value as { segments: { start: unknown; relationship: unknown; end: unknown }[] };
    return path.segments.map((s) => ({
      start: fromNeo4j(s.start),
      relationship: fromNeo4j(s.relationship),
      end: fromNeo4j(s.end),
    }));
  }
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, fromNeo4j(v)]),
    );
  }
  return value;
}

function isTemporal(value: unknown): boolean {
  return (
    neo4j.isDateTime(value as never) ||
    neo4j.isDate(value as never) ||
    neo4j.isLocalDateTime(value as never) ||
    neo4j.isTime(value as never) ||
    neo4j.isLocalTime(value as never) ||
    neo4j.isDuration(value as never)
  );
}

function temporalToIso(value: unknown): string {
  if (neo4j.isDateTime(value as never)) {
    const dt = value as { toStandardDate(): Date; timeZoneId?: string | null };
    // Stored date-times are UTC instants; ISO "Z" form is what notebooks and reports expect.
    return dt.toStandardDate().toISOString();
  }
  return String(value);
}
