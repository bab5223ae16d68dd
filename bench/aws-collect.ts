// Live collection benchmark: one account served by moto, collected by the SDK collector at
// concurrency 1 (the baseline: one per-resource call at a time) and at the default and further
// limits, in the same run. moto answers a call on loopback in a few milliseconds, far faster than
// the real API, so every call goes through a loopback proxy that waits `--delay` ms before
// forwarding it (default 50 ms, about a real API call's latency); the ratio is what the pool saves
// when calls wait on the network rather than on this machine.
//
//   npm run bench:collect [-- --buckets 60 --users 40 --queues 20 --delay 50 --concurrency 1,8,16 --runs 2 --json]
//
// The account: `buckets` S3 buckets with a policy and tags, `users` IAM users with an access key,
// `queues` SQS queues and as many SNS topics (test/helpers/moto-bulk.ts); one region. Each figure is the best of `runs`
// collections; the calls column counts the calls the proxy forwarded in one collection.
import { parseArgs } from 'node:util';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DEFAULT_CONCURRENCY, getAwsLive } from '../src/collectors/aws/live.js';
import { transformAws } from '../src/collectors/aws/transform.js';
import { eachLimit } from '../src/util/pool.js';
import { type AwsProxy, startAwsProxy } from '../test/helpers/aws-proxy.js';
import { seedBulk } from '../test/helpers/moto-bulk.js';
import {
  MOTO_ACCOUNT as ACCOUNT,
  MOTO_CREDENTIALS as credentials,
  MOTO_REGION as REGION,
} from '../test/helpers/moto-environment.js';
import { type MotoServer, startMoto } from '../test/setup/moto.js';
import { log, now, positive, printUsage, runBench, seconds } from './lib.js';

interface Estate {
  buckets: number;
  users: number;
  queues: number;
}

async function seed(endpoint: string, estate: Estate): Promise<void> {
  const config = { endpoint, region: REGION, credentials };
  const sqs = new SQSClient(config);
  const sns = new SNSClient(config);
  const range = (n: number) => Array.from({ length: n }, (_, i) => String(i).padStart(4, '0'));
  await seedBulk(endpoint, {
    buckets: range(estate.buckets).map((i) => `bench-bucket-${i}`),
    users: range(estate.users).map((i) => `bench-user-${i}`),
  });
  await eachLimit(range(estate.queues), 8, async (i) => {
    await sqs.send(new CreateQueueCommand({ QueueName: `bench-queue-${i}` }));
    await sns.send(new CreateTopicCommand({ Name: `bench-topic-${i}` }));
  });
}

let moto: MotoServer | undefined;
let proxy: AwsProxy | undefined;

async function main(): Promise<void> {
  const { values: flags } = parseArgs({
    options: {
      buckets: { type: 'string' },
      users: { type: 'string' },
      queues: { type: 'string' },
      delay: { type: 'string' },
      concurrency: { type: 'string' },
      runs: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (flags.help) {
    await printUsage(import.meta.url);
    return;
  }
  const estate: Estate = {
    buckets: positive('buckets', flags.buckets, 'BENCH_BUCKETS', 60),
    users: positive('users', flags.users, 'BENCH_USERS', 40),
    queues: positive('queues', flags.queues, 'BENCH_QUEUES', 20),
  };
  const delay = Number(flags.delay ?? 50);
  if (!Number.isFinite(delay) || delay < 0)
    throw new Error(`--delay: expected milliseconds, got ${flags.delay}`);
  const limits = (flags.concurrency ?? `1,${DEFAULT_CONCURRENCY},16`)
    .split(',')
    .map((s) => positive('concurrency', s, '', 1));
  if (!limits.includes(1)) limits.unshift(1);
  const runs = positive('runs', flags.runs, 'BENCH_RUNS', 2);

  log('starting moto…');
  moto = await startMoto(log);
  log(`seeding ${estate.buckets} buckets, ${estate.users} users, ${estate.queues} queues and topics…`);
  await seed(moto.endpoint, estate);
  const delayMs = delay;
  proxy = await startAwsProxy({ target: moto.endpoint, delayMs: () => delayMs });
  const endpoint = proxy.endpoint;

  const rows: { concurrency: number; seconds: number; calls: number; documents: number }[] = [];
  let reference: string | undefined;
  for (const concurrency of limits) {
    let best = Number.POSITIVE_INFINITY;
    let calls = 0;
    let documents = 0;
    for (let run = 0; run < runs; run++) {
      const before = proxy.counts.forwarded;
      const started = now();
      const raw = await getAwsLive({ endpoint, region: REGION, credentials, concurrency });
      const ms = now() - started;
      best = Math.min(best, ms);
      calls = proxy.counts.forwarded - before;
      const scope = raw.accounts[ACCOUNT];
      documents = Object.keys(scope?.documents ?? {}).length;
      const errors = Object.keys(scope?.errors ?? {});
      if (errors.length)
        throw new Error(`collection at concurrency ${concurrency} had errors: ${errors.join(', ')}`);
      // Every limit must collect the same account.
      const env = JSON.stringify(transformAws(raw).accounts.map((a) => a.resources.map((r) => r.arn)));
      reference ??= env;
      if (env !== reference) throw new Error(`concurrency ${concurrency} collected another account`);
      log(`concurrency ${concurrency}, run ${run + 1}: ${seconds(ms).toFixed(2)} s, ${calls} calls`);
    }
    rows.push({ concurrency, seconds: seconds(best), calls, documents });
  }
  const baseline = rows.find((r) => r.concurrency === 1)?.seconds ?? Number.NaN;
  const result = {
    estate,
    delayMs: delay,
    runs,
    rows: rows.map((r) => ({ ...r, speedup: baseline / r.seconds })),
  };
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const lines = [
    `reachgraph live collection benchmark: ${estate.buckets} buckets, ${estate.users} users, ${estate.queues} queues and topics; ${delay} ms added per call; best of ${runs}`,
    '',
    `${'concurrency'.padStart(11)}${'time'.padStart(10)}${'calls'.padStart(8)}${'documents'.padStart(11)}${'vs 1'.padStart(8)}`,
    ...result.rows.map(
      (r) =>
        `${String(r.concurrency).padStart(11)}${`${r.seconds.toFixed(2)} s`.padStart(10)}${String(r.calls).padStart(8)}${String(r.documents).padStart(11)}${`${r.speedup.toFixed(1)}×`.padStart(8)}`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

await runBench(main, async () => {
  await proxy?.stop();
  await moto?.stop();
});
