import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingestCloudTrail, isCloudTrailLogFile } from '../../../src/activity/aws/ingest.js';
import { layoutOf } from '../../../src/activity/files.js';
import { ActivityStore } from '../../../src/activity/store.js';
import { cloudTrailRecord, writeTrailFile } from '../../helpers/cloudtrail.js';

// The ingest over a real DuckDB file: incremental by content, idempotent, bad input named and skipped.

let dir: string;
let trail: string;
let store: ActivityStore;
const NOW = new Date('2026-11-10T00:00:00Z');

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'activity-ingest-'));
  trail = join(dir, 'trail');
  store = await ActivityStore.open(join(dir, 'activity', 'activity.duckdb'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const ingest = (paths = [trail], options: { retentionDays?: number; now?: Date } = {}) =>
  ingestCloudTrail(store, paths, { now: NOW, ...options });

const totals = () =>
  store.rows<{ identity: string | null; action: string; events: string }>(
    `SELECT identity, action, sum(count)::VARCHAR AS events FROM daily GROUP BY ALL ORDER BY identity NULLS LAST, action`,
  );

describe('ingest aws-cloudtrail', () => {
  it('reads the S3 layout, organization trails included, and counts each file once', async () => {
    writeTrailFile(trail, [cloudTrailRecord({ eventID: 'a1' }), cloudTrailRecord({ eventID: 'a2' })]);
    writeTrailFile(trail, [cloudTrailRecord({ eventID: 'b1', recipientAccountId: '444455556666' })], {
      organization: 'o-exampleorgid',
      account: '444455556666',
      region: 'eu-west-1',
    });
    // Digest files carry no events.
    const digest = join(trail, 'AWSLogs', '111122223333', 'CloudTrail-Digest', 'us-east-1');
    mkdirSync(digest, { recursive: true });
    writeFileSync(join(digest, 'x_CloudTrail-Digest_us-east-1_trail_2026.json.gz'), 'not read');

    const first = await ingest();
    expect(first).toMatchObject({ filesRead: 2, filesSkipped: 0, filesFailed: [], events: 3, duplicates: 0 });
    expect(first.coverage.map((c) => [c.account, c.events])).toEqual([
      ['111122223333', 2],
      ['444455556666', 1],
    ]);

    const again = await ingest();
    expect(again).toMatchObject({ filesRead: 0, filesSkipped: 2, events: 0 });
    expect(await totals()).toEqual([
      { identity: 'arn:aws:iam::111122223333:user/ci-bot', action: 's3:GetObject', events: '3' },
    ]);
  });

  it('the same content under another path, and a record delivered twice, count once', async () => {
    const path = writeTrailFile(trail, [cloudTrailRecord({ eventID: 'a1' })]);
    const copy = join(dir, 'copy');
    mkdirSync(copy);
    writeFileSync(join(copy, 'same.json.gz'), readFileSync(path));
    writeTrailFile(trail, [cloudTrailRecord({ eventID: 'a1' }), cloudTrailRecord({ eventID: 'a3' })], {
      name: 'b',
    });
    const result = await ingest([trail, copy]);
    expect(result).toMatchObject({ filesRead: 2, filesSkipped: 1, events: 2, duplicates: 1 });
    // Across runs too: a new file repeating an event already counted.
    writeTrailFile(trail, [cloudTrailRecord({ eventID: 'a3' })], { name: 'c' });
    expect(await ingest()).toMatchObject({ filesRead: 1, events: 0, duplicates: 1 });
    expect((await totals())[0]?.events).toBe('2');
  });

  it('names a line that is not JSON and an event of the wrong shape, and keeps the rest of the file', async () => {
    mkdirSync(trail, { recursive: true });
    const path = join(trail, 'events.jsonl');
    writeFileSync(
      path,
      [
        JSON.stringify(cloudTrailRecord({ eventID: 'l1' })),
        '{"eventID": "l2", ',
        JSON.stringify(cloudTrailRecord({ eventID: 'l3', userIdentity: 'someone' })),
        JSON.stringify(cloudTrailRecord({ eventID: 'l4', eventTime: 'yesterday' })),
        JSON.stringify(cloudTrailRecord({ eventID: 'l5', unknownField: { deeply: ['nested'] } })),
        '',
      ].join('\n'),
    );
    const result = await ingest();
    expect(result).toMatchObject({ filesRead: 1, filesFailed: [], events: 2 });
    expect(result.malformed).toEqual([
      { file: path, line: 2, reason: expect.stringMatching(/^not JSON/) },
      { file: path, line: 3, reason: 'userIdentity: not an object' },
      { file: path, line: 4, reason: 'no valid eventTime (eventID l4)' },
    ]);
  });

  it('a truncated archive fails on its own: nothing of it counted, the batch goes on, a fixed copy counts', async () => {
    const good = writeTrailFile(trail, [cloudTrailRecord({ eventID: 'g1' })]);
    const cut = writeTrailFile(
      trail,
      [cloudTrailRecord({ eventID: 't1' }), cloudTrailRecord({ eventID: 't2' })],
      {
        name: 'cut',
      },
    );
    const whole = readFileSync(cut);
    for (const length of [30, whole.length - 12]) {
      writeFileSync(cut, whole.subarray(0, length));
      const result = await ingest();
      expect(result.filesFailed.map((f) => f.file)).toEqual([cut]);
      expect(result.filesFailed[0]?.reason).toMatch(/cannot be read|not a JSON document/);
    }
    writeFileSync(cut, whole);
    expect(await ingest()).toMatchObject({ filesRead: 1, filesSkipped: 1, events: 2, filesFailed: [] });
    expect(good).toBeTruthy();
  });

  it('reads lookup-events output: each CloudTrailEvent string', async () => {
    mkdirSync(trail, { recursive: true });
    const path = join(trail, 'lookup-events.json');
    writeFileSync(
      path,
      JSON.stringify(
        {
          Events: [
            {
              EventId: 'k1',
              EventName: 'GetObject',
              CloudTrailEvent: JSON.stringify(cloudTrailRecord({ eventID: 'k1' })),
            },
            { EventId: 'k2', CloudTrailEvent: '{"truncated' },
          ],
        },
        null,
        4,
      ),
    );
    const result = await ingest();
    expect(result).toMatchObject({ filesRead: 1, events: 1 });
    expect(result.malformed).toEqual([
      { file: path, record: 2, reason: expect.stringMatching(/^CloudTrailEvent is not JSON/) },
    ]);
  });

  it('an event naming only an access key is the key’s user; unresolved actors are listed', async () => {
    writeTrailFile(trail, [
      cloudTrailRecord({ eventID: 'u1' }),
      cloudTrailRecord({
        eventID: 'u2',
        errorCode: 'AccessDenied',
        userIdentity: { type: 'IAMUser', accountId: '111122223333', accessKeyId: 'AKIAEXAMPLEKEY000001' },
      }),
      cloudTrailRecord({ eventID: 'u3', userIdentity: { type: 'IdentityCenterUser', principalId: 'ic-1' } }),
    ]);
    const result = await ingest();
    expect(result.unresolved).toBe(1);
    expect(result.unresolvedActors).toMatchObject([
      { actorType: 'IdentityCenterUser', principalId: 'ic-1', count: 1 },
    ]);
    expect(await totals()).toEqual([
      { identity: 'arn:aws:iam::111122223333:user/ci-bot', action: 's3:GetObject', events: '2' },
      { identity: null, action: 's3:GetObject', events: '1' },
    ]);
    expect(await store.accessKeyLastUse()).toEqual([
      { accessKeyId: 'AKIAEXAMPLEKEY000001', lastUsed: '2026-11-02T10:00:00Z', events: 2 },
    ]);
  });

  it('keeps aggregates for the retention window only', async () => {
    writeTrailFile(trail, [cloudTrailRecord({ eventID: 'old', eventTime: '2026-08-01T00:00:00Z' })], {
      name: 'old',
    });
    writeTrailFile(trail, [cloudTrailRecord({ eventID: 'new' })], { name: 'new' });
    await ingest([trail], { retentionDays: 30 });
    expect(await totals()).toHaveLength(1);
    expect((await store.coverage()).map((c) => c.firstEvent)).toEqual(['2026-11-02T10:00:00Z']);
  });

  it('merges the rows of several batches into one per day and combination', async () => {
    for (const name of ['a', 'b', 'c'])
      writeTrailFile(trail, [cloudTrailRecord({ eventID: name })], { name });
    await ingestCloudTrail(store, [trail], { now: NOW, batchFiles: 1 });
    const [row] = await store.rows<{ n: string; total: string }>(
      'SELECT count(*) AS n, sum(count) AS total FROM daily',
    );
    expect(row).toEqual({ n: '1', total: '3' });
  });

  it('keeps each row’s active hours and its earliest events, merged across batches', async () => {
    writeTrailFile(trail, [cloudTrailRecord({ eventID: 'late', eventTime: '2026-11-02T22:30:00Z' })], {
      name: 'a',
    });
    writeTrailFile(trail, [cloudTrailRecord({ eventID: 'early', eventTime: '2026-11-02T03:15:00Z' })], {
      name: 'b',
    });
    await ingestCloudTrail(store, [trail], { now: NOW, batchFiles: 1 });
    const [row] = await store.rows<{ hours: number; samples: { time: string; id: string }[] }>(
      'SELECT hours, samples FROM daily',
    );
    expect(row?.hours).toBe((1 << 3) | (1 << 22));
    expect(row?.samples).toEqual([
      { time: '2026-11-02 03:15:00', id: 'early' },
      { time: '2026-11-02 22:30:00', id: 'late' },
    ]);
  });
});

describe('which files are logs', () => {
  it('takes log files, leaves digests and Insights out', () => {
    expect(isCloudTrailLogFile('/b/AWSLogs/1/CloudTrail/us-east-1/2026/11/02/x.json.gz')).toBe(true);
    expect(isCloudTrailLogFile('/b/AWSLogs/1/CloudTrail-Digest/us-east-1/2026/11/02/x.json.gz')).toBe(false);
    expect(isCloudTrailLogFile('/b/AWSLogs/1/CloudTrail-Insight/us-east-1/2026/11/02/x.json.gz')).toBe(false);
    expect(isCloudTrailLogFile('/b/events.jsonl')).toBe(true);
    expect(isCloudTrailLogFile('/b/readme.txt')).toBe(false);
  });

  it('tells documents from JSON lines by their first key', () => {
    expect(layoutOf('{"Records":[{')).toBe('records');
    expect(layoutOf('\uFEFF{\n    "Events": [')).toBe('events');
    expect(layoutOf('{"eventVersion":"1.09"}\n')).toBe('lines');
  });
});
