import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEADLINE_PASSED, GraphExecutor } from '../../src/graph/executor.js';
import { asIs } from '../../src/graph/values.js';
import { testExecutor, testNeo4j, wipe } from '../helpers/graph.js';

const executor = testExecutor();

beforeAll(() => wipe(executor));
afterAll(async () => {
  await wipe(executor);
  await executor.close();
});

describe('parameters go through one conversion', () => {
  it('stores whole numbers as INTEGER at any depth, fractions as FLOAT and Dates as DATETIME', async () => {
    await executor.write(
      `UNWIND $rows AS row
       CREATE (:ExecutorProbe {id: row.id, count: row.props.count, score: row.props.score, keys: row.keys,
                               at: $at, floats: $floats})`,
      {
        rows: [{ id: 'a', props: { count: 3, score: 1.5 }, keys: [1, 2] }],
        at: new Date('2026-11-24T10:00:00Z'),
        floats: asIs([1, 2]),
      },
    );
    const [row] = await executor.read<Record<string, unknown>>(
      `MATCH (p:ExecutorProbe {id: 'a'})
       RETURN valueType(p.count) AS count, valueType(p.score) AS score, valueType(p.keys) AS keys,
              valueType(p.at) AS at, valueType(p.floats) AS floats, p.at AS atValue, p.count + 1 AS next`,
    );
    expect(row).toEqual({
      count: 'INTEGER NOT NULL',
      score: 'FLOAT NOT NULL',
      keys: 'LIST<INTEGER NOT NULL> NOT NULL',
      at: 'ZONED DATETIME NOT NULL',
      floats: 'LIST<FLOAT NOT NULL> NOT NULL',
      atValue: '2026-11-24T10:00:00.000Z',
      next: 4,
    });
  });

  it('lets LIMIT and list slices take plain numbers, in single statements and in transactions', async () => {
    const rows = await executor.read<{ n: number }>('UNWIND range(1, $to) AS n RETURN n LIMIT $limit', {
      to: 10,
      limit: 3,
    });
    expect(rows.map((r) => r.n)).toEqual([1, 2, 3]);
    const sliced = await executor.transaction('READ', (tx) =>
      tx.run<{ xs: number[] }>('RETURN range(1, 10)[$from..$to] AS xs', { from: 2, to: 4 }),
    );
    expect(sliced).toEqual([{ xs: [3, 4] }]);
  });

  it('reads integers beyond the safe range as exact strings', async () => {
    const [row] = await executor.read<{ big: unknown }>('RETURN 9007199254740993 AS big');
    expect(row?.big).toBe('9007199254740993');
  });

  it('cuts every transaction to the time left before a deadline, and starts none after it', async () => {
    const bounded = executor.withDeadline(Date.now() + 1_000);
    const started = Date.now();
    // A query that would run for minutes: the server stops it when the deadline's time is used up.
    await expect(
      bounded.read(
        'UNWIND range(1, 1000000000) AS x WITH x WHERE x % 7 = 99 RETURN count(x) AS n',
        {},
        {
          timeoutMs: 60_000,
        },
      ),
    ).rejects.toMatchObject({ code: expect.stringMatching(/TransactionTimedOut/) });
    expect(Date.now() - started).toBeLessThan(10_000);
    await expect(bounded.read('RETURN 1 AS one')).rejects.toMatchObject({ code: DEADLINE_PASSED });
    expect(await executor.read('RETURN 1 AS one')).toEqual([{ one: 1 }]);
  });
});

/** Keeps this process's event loop from turning for `ms`, as a CPU-bound computation does. */
function busy(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until);
}

describe('messages larger than one Bolt chunk', () => {
  it('go through whole in chunks of the protocol’s largest size, both ways', async () => {
    // 300,000 characters, many of them two or three bytes in UTF-8, cut across several 64 KB chunks.
    const text = Array.from({ length: 300_000 }, (_, i) =>
      String.fromCharCode(i % 2 ? 0x41 + (i % 26) : 0xe9 + (i % 7) * 0x100),
    ).join('');
    const rows = Array.from({ length: 2_000 }, (_, i) => ({ id: `row-${i}`, text: text.slice(i, i + 500) }));
    await executor.write('CREATE (:ChunkProbe {id: $id, text: $text, rows: $rows})', {
      id: 'big',
      text,
      rows: rows.map((r) => `${r.id}:${r.text}`),
    });
    const [row] = await executor.read<{ text: string; rows: string[] }>(
      `MATCH (p:ChunkProbe {id: 'big'}) RETURN p.text AS text, p.rows AS rows`,
    );
    expect(row?.text).toBe(text);
    expect(row?.rows).toEqual(rows.map((r) => `${r.id}:${r.text}`));
  });
});

describe('a process too busy to turn its event loop while a write waits for a connection', () => {
  // A fresh driver opens its first connection for the write: that handshake needs the event loop,
  // which is kept busy for longer than the (shortened) acquisition timeout right after the write starts.
  const write = async (acquisitionRetries: number) => {
    const busyExecutor = GraphExecutor.connect(testNeo4j(), { connectionAcquisitionTimeoutMs: 200 });
    try {
      const written = busyExecutor.write(
        "MERGE (p:ExecutorProbe {id: 'busy'}) RETURN p.id AS id",
        {},
        { action: 'writing while busy', acquisitionRetries },
      );
      setImmediate(() => busy(600));
      return await written;
    } finally {
      await busyExecutor.close();
    }
  };

  it('fails the write on the acquisition timeout when no retry is asked for', async () => {
    await expect(write(0)).rejects.toThrow(/writing while busy: .*Connection acquisition timed out/);
  });

  it('starts the transaction again with acquisitionRetries, and the write goes through', async () => {
    expect(await write(2)).toEqual([{ id: 'busy' }]);
  });
});
