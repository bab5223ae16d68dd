import neo4j from 'neo4j-driver';
import type { PropertyValue } from '../model/inventory.js';
import type { PropertySpecs } from '../model/properties.js';

/**
 * Conversions at the driver boundary, in one place.
 *
 * Parameters (the executor applies `toNeo4jParams` to every query): a JavaScript number reaches
 * Neo4j as FLOAT unless sent as a driver Integer, and LIMIT, SKIP, range() and list indexes refuse
 * floats, and integer properties compared or summed must stay INTEGER. So every safe-integer number
 * becomes an Integer, however deep in arrays and plain objects (rows of a batch, filter maps);
 * other numbers stay FLOAT; a Date becomes a DateTime; driver values pass through. A value wrapped
 * in `asIs` is sent unchanged: rows the row builders already converted (the loader's batches, so
 * large writes are not walked twice) and numbers meant to travel as FLOAT (see `asIs`).
 * https://neo4j.com/docs/javascript-manual/current/data-types/
 */

type Params = Record<string, unknown>;

/** A parameter value the executor sends exactly as given (see `asIs`). */
export class AsIs {
  constructor(readonly value: unknown) {}
}

/**
 * Send `value` unchanged: rows built with `toNeo4jProperties` (already in driver form), or numbers
 * that must stay FLOAT, such as a property declared `float` or columns of ids that the Cypher
 * converts with `toInteger()` itself (no Integer object per element).
 */
export function asIs(value: unknown): AsIs {
  return new AsIs(value);
}

export function toNeo4jParams(params: Params): Params {
  const out: Params = {};
  for (const key of Object.keys(params)) out[key] = toNeo4jParam(params[key]);
  return out;
}

function toNeo4jParam(value: unknown): unknown {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? neo4j.int(value) : value;
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof AsIs) return value.value;
  if (Array.isArray(value)) return value.map(toNeo4jParam);
  if (value instanceof Date) return toDateTime(value);
  const prototype = Object.getPrototypeOf(value);
  // Plain maps are walked; anything else (Integer, DateTime and the other driver types) is sent as is.
  if (prototype === Object.prototype || prototype === null) return toNeo4jParams(value as Params);
  return value;
}

/**
 * An inventory record's properties in driver form, by their declared types: declared date-times
 * as DateTime (so Cypher can compare them), declared floats as FLOAT even when whole, other whole
 * numbers (and lists of them) as Integers. Rows built from these are sent with `asIs`.
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

function toNeo4jValue(value: PropertyValue): unknown {
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
  // Strings, floats and booleans are most of what large reads return: answer them first.
  if (typeof value !== 'object') {
    if (typeof value !== 'bigint') return value;
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (Array.isArray(value)) return value.map(fromNeo4j);
  if (neo4j.isInt(value)) {
    const int = value as ReturnType<typeof neo4j.int>;
    return int.inSafeRange() ? int.toNumber() : int.toString();
  }
  if (isTemporal(value)) return temporalToIso(value);
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
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, fromNeo4j(v)]),
  );
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
