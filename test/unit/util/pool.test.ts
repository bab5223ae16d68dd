import { describe, expect, it } from 'vitest';
import { canonicalScope } from '../../../src/collectors/aws/raw.js';
import { eachLimit, mapLimit } from '../../../src/util/pool.js';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Delays that make later items finish first: completion order is the reverse of item order. */
const reversed = (items: number[]) => (n: number) => (items.length - n) * 3;

describe('bounded pool', () => {
  it('keeps at most the given number of calls in flight, and uses that many', async () => {
    let inFlight = 0;
    let most = 0;
    const items = Array.from({ length: 20 }, (_, i) => i);
    await eachLimit(items, 4, async (n) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await wait(1 + (n % 3));
      inFlight--;
    });
    expect(most).toBe(4);
    expect(inFlight).toBe(0);
  });

  it('runs one at a time with a limit of 1', async () => {
    const trace: string[] = [];
    await eachLimit([1, 2, 3], 1, async (n) => {
      trace.push(`start ${n}`);
      await wait(reversed([1, 2, 3])(n));
      trace.push(`end ${n}`);
    });
    expect(trace).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
  });

  it('returns results in item order whatever order the calls finish in', async () => {
    const items = [1, 2, 3, 4, 5, 6, 7, 8];
    const finished: number[] = [];
    const results = await mapLimit(items, 8, async (n, index) => {
      await wait(reversed(items)(n));
      finished.push(n);
      return `${index}:${n * 10}`;
    });
    expect(finished).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
    expect(results).toEqual(['0:10', '1:20', '2:30', '3:40', '4:50', '5:60', '6:70', '7:80']);
  });

  it('runs every item when some fail, then throws the first failure in item order', async () => {
    const ran: number[] = [];
    const failure = mapLimit([1, 2, 3, 4, 5, 6], 2, async (n) => {
      await wait(reversed([1, 2, 3, 4, 5, 6])(n));
      ran.push(n);
      if (n === 2 || n === 5) throw new Error(`item ${n} failed`);
      return n;
    });
    await expect(failure).rejects.toThrow('item 2 failed');
    // Nothing is still running once the pool has answered.
    expect([...ran].sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('answers an empty list at once and rejects a limit below 1', async () => {
    expect(await mapLimit([], 3, async () => 1)).toEqual([]);
    await expect(mapLimit([1], 0, async (n) => n)).rejects.toThrow(TypeError);
  });
});

describe('canonical scope', () => {
  it('orders documents, errors and commands run by name, whatever order they were stored in', () => {
    const a = canonicalScope({
      documents: { 'us-east-1/sqs-list-queues': {}, 's3api-get-bucket-policy/b': { Policy: '{}' } },
      ran: ['us-east-1/sqs-list-queue-tags', 's3api-get-bucket-policy', 's3api-get-bucket-policy'],
      errors: { 's3api-get-bucket-tagging/z': 'Throttling', 's3api-get-bucket-tagging/a': 'AccessDenied' },
    });
    const b = canonicalScope({
      documents: { 's3api-get-bucket-policy/b': { Policy: '{}' }, 'us-east-1/sqs-list-queues': {} },
      ran: ['s3api-get-bucket-policy', 'us-east-1/sqs-list-queue-tags'],
      errors: { 's3api-get-bucket-tagging/a': 'AccessDenied', 's3api-get-bucket-tagging/z': 'Throttling' },
    });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(Object.keys(a.documents)).toEqual(['s3api-get-bucket-policy/b', 'us-east-1/sqs-list-queues']);
    expect(a.ran).toEqual(['s3api-get-bucket-policy', 'us-east-1/sqs-list-queue-tags']);
  });
});
