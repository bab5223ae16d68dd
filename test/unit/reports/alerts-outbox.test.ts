import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jobFailedPayload } from '../../../src/reports/alerts/message.js';
import { newOutboxItem, Outbox } from '../../../src/reports/alerts/outbox.js';
import { backoffDelay, DeliveryError, withRetry } from '../../../src/reports/alerts/retry.js';

describe('retry with backoff', () => {
  it('doubles the wait after each failed try', async () => {
    const waits: number[] = [];
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls += 1;
        if (calls < 4) throw new DeliveryError('HTTP 503', true);
      },
      { attempts: 5, baseDelayMs: 100, sleep: async (ms) => void waits.push(ms) },
    );
    expect(result).toEqual({ ok: true, attempts: 4 });
    expect(waits).toEqual([100, 200, 400]);
    expect(backoffDelay(30, 1000)).toBe(60_000);
  });

  it('stops at the first non-retryable failure', async () => {
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls += 1;
        throw new DeliveryError('HTTP 400 "invalid_blocks"', false);
      },
      { attempts: 5, baseDelayMs: 0 },
    );
    expect(calls).toBe(1);
    expect(result).toEqual({ ok: false, attempts: 1, error: 'HTTP 400 "invalid_blocks"', retryable: false });
  });

  it('gives up after the configured attempts with the last error', async () => {
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls += 1;
        throw new DeliveryError(`HTTP 50${calls}`, true);
      },
      { attempts: 3, baseDelayMs: 0 },
    );
    expect(calls).toBe(3);
    expect(result).toEqual({ ok: false, attempts: 3, error: 'HTTP 503', retryable: true });
  });
});

describe('outbox', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'reachgraph-outbox-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const payload = jobFailedPayload('nightly', new Error('boom'), new Date('2026-11-24T06:00:00Z'));

  it('stores one JSON file per pending delivery and lists them oldest first', async () => {
    const outbox = new Outbox(join(dir, 'nested', 'outbox'));
    const later = newOutboxItem({ name: 'b', type: 'slack' }, payload, new Date('2026-11-24T07:00:00Z'));
    const earlier = newOutboxItem({ name: 'a', type: 'webhook' }, payload, new Date('2026-11-24T06:00:00Z'));
    await outbox.add({ ...later, attempts: 3, lastError: 'HTTP 503' });
    await outbox.add(earlier);

    const files = await readdir(outbox.dir);
    expect(files.filter((f) => f.endsWith('.json'))).toHaveLength(2);
    expect(files.some((f) => f.includes('.tmp'))).toBe(false);

    const { entries, warnings } = await outbox.pending();
    expect(warnings).toEqual([]);
    expect(entries.map((e) => e.item.sink)).toEqual(['a', 'b']);
    expect(entries[1]?.item).toMatchObject({ attempts: 3, lastError: 'HTTP 503', payload });
    const stored = JSON.parse(await readFile(entries[0]?.file ?? '', 'utf8'));
    expect(stored).toEqual(earlier);
  });

  it('lets only one run claim an item, and removes it once delivered', async () => {
    const outbox = new Outbox(dir);
    const entry = await outbox.add(newOutboxItem({ name: 'a', type: 'slack' }, payload, new Date()));
    const other = new Outbox(dir);
    const [{ entries: mine }, { entries: theirs }] = [await outbox.pending(), await other.pending()];
    expect(await outbox.claim(mine[0] ?? entry)).toBe(true);
    expect(await other.claim(theirs[0] ?? entry)).toBe(false);
    expect((await other.pending()).entries).toEqual([]);
    await outbox.complete(entry);
    expect(await readdir(dir)).toEqual([]);
  });

  it('puts a released item back with its updated attempts', async () => {
    const outbox = new Outbox(dir);
    const entry = await outbox.add(newOutboxItem({ name: 'a', type: 'slack' }, payload, new Date()));
    expect(await outbox.claim(entry)).toBe(true);
    await outbox.release(entry, { ...entry.item, attempts: 2, lastError: 'ECONNREFUSED' });
    const { entries } = await outbox.pending();
    expect(entries.map((e) => [e.item.id, e.item.attempts, e.item.lastError])).toEqual([
      [entry.item.id, 2, 'ECONNREFUSED'],
    ]);
    expect((await readdir(dir)).filter((f) => f.endsWith('.sending'))).toEqual([]);
  });

  it('sets unreadable files aside with a warning instead of deleting them', async () => {
    const outbox = new Outbox(dir);
    await writeFile(join(dir, 'garbage.json'), '{ not json');
    await writeFile(join(dir, 'other.json'), JSON.stringify({ hello: 'world' }));
    const { entries, warnings } = await outbox.pending();
    expect(entries).toEqual([]);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('garbage.json');
    expect((await readdir(dir)).sort()).toEqual(['garbage.json.invalid', 'other.json.invalid']);
  });

  it('is empty when the directory does not exist yet', async () => {
    expect(await new Outbox(join(dir, 'missing')).pending()).toEqual({ entries: [], warnings: [] });
  });
});
