import neo4j, { Neo4jError } from 'neo4j-driver';
import { describe, expect, it } from 'vitest';
import { parseCypherFile, render } from '../../src/graph/cypher-files.js';
import { mapDriverError } from '../../src/graph/errors.js';
import { asIs, fromNeo4j, toNeo4jParams, toNeo4jProperties } from '../../src/graph/values.js';
import { newRunId } from '../../src/model/run.js';

describe('driver value conversion', () => {
  it('sends whole numbers as Integers and declared date-times as DateTimes', () => {
    const out = toNeo4jProperties(
      { ageDays: 12, ratio: 0.5, createdAt: '2026-01-02T03:04:05Z', tags: ['a'], counts: [1, 2], gone: null },
      { ageDays: { type: 'integer', description: '' }, createdAt: { type: 'datetime', description: '' } },
    );
    expect(neo4j.isInt(out.ageDays)).toBe(true);
    expect(out.ratio).toBe(0.5);
    expect(neo4j.isDateTime(out.createdAt as never)).toBe(true);
    expect((out.counts as unknown[]).every((n) => neo4j.isInt(n))).toBe(true);
    expect('gone' in out).toBe(false);
  });

  it('converts parameters by one rule: whole numbers to Integers at any depth, other numbers stay floats', () => {
    const out = toNeo4jParams({
      limit: 20,
      ratio: 0.5,
      rows: [{ id: 'a', props: { count: 3, score: 1.5, tags: ['x'] } }],
      keys: [1, 2],
      huge: 2 ** 60,
      label: 'x',
      flag: true,
      none: null,
    });
    expect(neo4j.isInt(out.limit)).toBe(true);
    expect((out.limit as ReturnType<typeof neo4j.int>).toNumber()).toBe(20);
    expect(out.ratio).toBe(0.5);
    const [row] = out.rows as { id: string; props: Record<string, unknown> }[];
    expect(neo4j.isInt(row?.props.count)).toBe(true);
    expect(row?.props.score).toBe(1.5);
    expect(row?.props.tags).toEqual(['x']);
    expect((out.keys as unknown[]).every((k) => neo4j.isInt(k))).toBe(true);
    // Beyond the safe range a number is not a whole number one can trust: it stays a float.
    expect(out.huge).toBe(2 ** 60);
    expect(out).toMatchObject({ label: 'x', flag: true, none: null });
  });

  it('sends Dates as DateTimes, driver values unchanged, and asIs values exactly as given', () => {
    const int = neo4j.int(7);
    const floats = [1, 2, 3];
    const out = toNeo4jParams({ at: new Date('2026-11-24T10:00:00Z'), int, floats: asIs(floats) });
    expect(neo4j.isDateTime(out.at as never)).toBe(true);
    expect(fromNeo4j(out.at)).toBe('2026-11-24T10:00:00.000Z');
    expect(out.int).toBe(int);
    expect(out.floats).toBe(floats);
  });

  it('reads Integers as numbers in the safe range and as strings beyond it, never rounded', () => {
    expect(fromNeo4j(neo4j.int(42))).toBe(42);
    expect(fromNeo4j(neo4j.int('9007199254740993'))).toBe('9007199254740993');
    expect(fromNeo4j({ list: [neo4j.int(1)], nested: { n: neo4j.int(2) } })).toEqual({
      list: [1],
      nested: { n: 2 },
    });
    const dt = neo4j.types.DateTime.fromStandardDate(new Date('2026-11-24T10:00:00Z'));
    expect(fromNeo4j(dt)).toBe('2026-11-24T10:00:00.000Z');
    expect(fromNeo4j([1.5, 'a', true, null, 42n, 2n ** 60n])).toEqual([
      1.5,
      'a',
      true,
      null,
      42,
      '1152921504606846976',
    ]);
  });
});

describe('cypher files', () => {
  const file = parseCypherFile('load/x', '// name: x\n// description: does x\nMATCH (n:{{label}}) RETURN n');

  it('reads the header and strips comments', () => {
    expect(file).toMatchObject({ name: 'x', description: 'does x', text: 'MATCH (n:{{label}}) RETURN n' });
  });

  it('fills placeholders only with plain identifiers', () => {
    expect(render(file, { label: 'AwsRole' })).toBe('MATCH (n:AwsRole) RETURN n');
    expect(render(file, { label: 'Principal:Entity' })).toBe('MATCH (n:Principal:Entity) RETURN n');
    expect(() => render(file, { label: 'AwsRole) DETACH DELETE (n' })).toThrow(/not a plain identifier/);
    expect(() => render(file, {})).toThrow(/no value for \{\{label\}\}/);
  });
});

describe('errors and run ids', () => {
  it('maps driver errors to one line naming the server and the action', () => {
    const error = mapDriverError(
      new Neo4jError('connect ECONNREFUSED', 'ServiceUnavailable', '08000', 'error'),
      {
        uri: 'bolt://db:7687',
        database: 'neo4j',
        action: 'loading AwsRole nodes',
      },
    );
    expect(error.message).toMatch(
      /^loading AwsRole nodes: Neo4j at bolt:\/\/db:7687 \(database "neo4j"\) is unreachable/,
    );
    expect(error.retryable).toBe(true);
  });

  it('run ids sort by start time', () => {
    const a = newRunId(new Date('2026-11-24T10:00:00Z'));
    const b = newRunId(new Date('2026-11-24T10:00:01Z'));
    expect(a < b).toBe(true);
    expect(a).toMatch(/^run-20261124T100000000Z-[a-z0-9]+$/);
  });
});
