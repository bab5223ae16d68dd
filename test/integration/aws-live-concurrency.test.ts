import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsInventory } from '../../src/collectors/aws/inventory.js';
import { getAwsLive, type LiveOptions } from '../../src/collectors/aws/live.js';
import type { AwsRaw } from '../../src/collectors/aws/raw.js';
import { transformAws } from '../../src/collectors/aws/transform.js';
import type { AwsEnvironment } from '../../src/model/aws/environment.js';
import {
  type AwsProxy,
  type AwsProxyOptions,
  type ProxiedCall,
  startAwsProxy,
  THROTTLED,
} from '../helpers/aws-proxy.js';
import { seedBulk } from '../helpers/moto-bulk.js';
import {
  MOTO_ACCOUNT as ACCOUNT,
  MOTO_CREDENTIALS as credentials,
  MOTO_REGION as REGION,
  seedMotoEnvironment,
} from '../helpers/moto-environment.js';
import { seededRandom } from '../helpers/random.js';
import { type MotoServer, startMoto } from '../setup/moto.js';

// The live collector's per-resource calls run in a bounded pool with the SDK's adaptive retry:
// here moto sits behind a loopback proxy that reorders completions (random delays) and throttles
// calls, and the collection must come out the same as a plain sequential one. Every collection
// goes through the same proxy, since documents such as SQS queue URLs name the endpoint.

const BUCKETS = Array.from({ length: 12 }, (_, i) => `pool-bucket-${String(i).padStart(2, '0')}`);
const USERS = Array.from({ length: 6 }, (_, i) => `pool-user-${i}`);
const FAILING = 'pool-bucket-03';
const now = new Date('2030-01-01T00:00:00Z');

let moto: MotoServer;
let proxy: AwsProxy;
/** What the proxy does to the calls of the running test. */
let behaviour: Omit<AwsProxyOptions, 'target'> = {};
let baselineRaw: AwsRaw;
let baseline: AwsEnvironment;

/** One collection of the home region through the proxy, with what it did to the calls. */
async function collect(
  options: Partial<LiveOptions>,
  during: Omit<AwsProxyOptions, 'target'> = {},
): Promise<{ raw: AwsRaw; forwarded: number; faulted: number }> {
  behaviour = during;
  const before = { ...proxy.counts };
  try {
    const raw = await getAwsLive({ endpoint: proxy.endpoint, region: REGION, credentials, ...options });
    return {
      raw,
      forwarded: proxy.counts.forwarded - before.forwarded,
      faulted: proxy.counts.faulted - before.faulted,
    };
  } finally {
    behaviour = {};
  }
}

/**
 * The operations throttled below, named by the resource they read: a few of each kind only, since
 * every throttle lowers the client's adaptive send rate (to 0.5 calls/s at the floor).
 */
function throttledCall(
  call: ProxiedCall,
): { key: string; answer: () => ReturnType<typeof THROTTLED.s3> } | undefined {
  const path = call.url.split('?')[0] ?? '';
  const bucket = path.split('/')[1];
  if (call.method === 'GET' && (bucket === FAILING || /^pool-bucket-0[0-5]$/.test(bucket ?? ''))) {
    if (/[?&]policy(=|&|$)/.test(call.url)) return { key: `policy ${bucket}`, answer: THROTTLED.s3 };
    if (/[?&]tagging(=|&|$)/.test(call.url)) return { key: `tagging ${bucket}`, answer: THROTTLED.s3 };
  }
  if (call.action === 'ListAccessKeys') {
    const user = new URLSearchParams(call.body).get('UserName');
    if (user === 'pool-user-1' || user === 'pool-user-2')
      return { key: `keys ${user}`, answer: THROTTLED.query };
  }
  if (call.action === 'GetKeyPolicy') {
    const key = (JSON.parse(call.body) as { KeyId?: string }).KeyId;
    return { key: `key policy ${key}`, answer: THROTTLED.json };
  }
  return undefined;
}

/**
 * The raw collection as text, key order included, without the one value moto makes up at answer
 * time (an EFS file system's `SizeInBytes.Timestamp`).
 */
const stable = (raw: AwsRaw): string =>
  JSON.stringify(raw, (key, value) =>
    key === 'SizeInBytes' && value && typeof value === 'object' ? { ...value, Timestamp: undefined } : value,
  );

const errorsOf = (env: AwsEnvironment) =>
  env.accounts.flatMap((a) => a.issues).filter((i) => i.severity === 'error');

beforeAll(async () => {
  moto = await startMoto((message) => console.log(`[moto] ${message}`));
  await seedMotoEnvironment(moto.endpoint);
  await seedBulk(moto.endpoint, { buckets: BUCKETS, users: USERS });
  proxy = await startAwsProxy({
    target: moto.endpoint,
    delayMs: (call) => behaviour.delayMs?.(call) ?? 0,
    fault: (call) => behaviour.fault?.(call),
  });
  baselineRaw = (await collect({ concurrency: 1 })).raw;
  baseline = transformAws(baselineRaw);
}, 900_000);

afterAll(async () => {
  await proxy?.stop();
  await moto?.stop();
});

describe('live AWS collection with a bounded pool', () => {
  it('collects the seeded account without errors', () => {
    expect(errorsOf(baseline)).toEqual([]);
    const names = baseline.accounts[0]?.resources.filter((r) => r.type === 's3-bucket').map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(BUCKETS));
    const bucket = baseline.accounts[0]?.resources.find((r) => r.name === 'pool-bucket-07');
    expect(bucket?.tags).toEqual({ name: 'pool-bucket-07' });
    expect(bucket?.policy?.document.Statement[0]?.Action).toEqual(['s3:GetObject']);
    expect(baseline.accounts[0]?.users.find((u) => u.name === 'pool-user-4')?.accessKeys).toHaveLength(1);
  }, 60_000);

  it('gives the same documents in the same order whatever order the calls finish in', async () => {
    const random = seededRandom(7);
    const jitter = { delayMs: () => Math.floor(random() * 40) };
    const { raw: wide, forwarded } = await collect({ concurrency: 16 }, jitter);
    const { raw: narrow } = await collect({ concurrency: 1 }, jitter);
    expect(forwarded).toBeGreaterThan(100);
    // The raw scopes, key order included, and what the transform makes of them.
    expect(stable(wide)).toBe(stable(narrow));
    expect(stable(wide)).toBe(stable(baselineRaw));
    expect(transformAws(wide)).toEqual(baseline);
  }, 300_000);

  it('retries throttled calls (S3 SlowDown, IAM Throttling, a JSON 429) until they succeed', async () => {
    const seen = new Map<string, number>();
    const { raw, faulted } = await collect(
      { concurrency: 8, maxAttempts: 4 },
      {
        fault: (call) => {
          const throttled = throttledCall(call);
          if (!throttled) return undefined;
          const count = (seen.get(throttled.key) ?? 0) + 1;
          seen.set(throttled.key, count);
          // The first two attempts of each call are throttled, the third goes through.
          return count <= 2 ? throttled.answer() : undefined;
        },
      },
    );
    const keys = [...seen.keys()].sort();
    expect(keys).toEqual(
      expect.arrayContaining(['policy pool-bucket-00', 'tagging pool-bucket-05', 'keys pool-user-1']),
    );
    expect(keys.some((k) => k.startsWith('key policy '))).toBe(true);
    expect([...seen.values()].every((n) => n === 3)).toBe(true);
    expect(faulted).toBe(2 * keys.length);
    expect(raw.accounts[ACCOUNT]?.errors).toEqual({});
    expect(stable(raw)).toBe(stable(baselineRaw));
  }, 300_000);

  it('marks only the object whose call keeps failing, and the account incomplete', async () => {
    const { raw, faulted } = await collect(
      { concurrency: 8, maxAttempts: 3 },
      {
        fault: (call) => {
          const throttled = throttledCall(call);
          return throttled?.key === `policy ${FAILING}` ? throttled.answer() : undefined;
        },
      },
    );
    expect(faulted).toBe(3);
    const scope = raw.accounts[ACCOUNT];
    expect(Object.keys(scope?.errors ?? {})).toEqual([`s3api-get-bucket-policy/${FAILING}`]);
    expect(scope?.errors[`s3api-get-bucket-policy/${FAILING}`]).toMatch(/^SlowDown: /);

    const env = transformAws(raw);
    const errors = errorsOf(env);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      severity: 'error',
      object: FAILING,
      source: `aws/${ACCOUNT}/s3api-get-bucket-policy/${FAILING}.json`,
    });
    // The bucket is still there, without the policy that could not be read; every other bucket whole.
    const buckets = (e: AwsEnvironment) =>
      e.accounts[0]?.resources.filter((r) => r.type === 's3-bucket') ?? [];
    const failed = buckets(env).find((b) => b.name === FAILING);
    expect(failed?.tags).toEqual({ name: FAILING });
    expect(failed?.policy).toBeUndefined();
    expect(buckets(env).filter((b) => b.name !== FAILING)).toEqual(
      buckets(baseline).filter((b) => b.name !== FAILING),
    );
    const [scopeNode] = awsInventory(env, { now }).scopes;
    expect(scopeNode).toMatchObject({ complete: false });
    expect(scopeNode?.errors).toHaveLength(1);
    expect(awsInventory(baseline, { now }).scopes[0]).toMatchObject({ complete: true });
  }, 300_000);
});
