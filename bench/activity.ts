// Activity ingest benchmark: N synthetic CloudTrail events in gzipped log files in CloudTrail's S3
// layout, ingested into a fresh activity store (`ingestCloudTrail`: DuckDB reads the archives,
// resolves identities and writes per-day aggregates), then ingested again (every file skipped by its
// hash), beside two references over the same files: DuckDB's bare `read_json` of the records with the
// same column types (the ceiling: reading without resolving, aggregating or recording anything) and a
// plain Node loop (gunzip, JSON.parse, one Map of counts per identity, action and day: what a
// hand-written ingester would do). Each step runs in a child process of its own, so its peak RSS is
// its own; CPU seconds (user + system, every thread) are printed beside wall time, since the machine
// may be shared.
//
//   npm run bench:activity [-- --events 200000,1000000 --events-per-file 5000 --json]
//
// The target is 10 million events on 2 cores in under 2 minutes and 2 GiB: the events/s
// column is compared with 83,334 events/s (10 M / 120 s) and the peak RSS with 2 GiB.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { CLOUDTRAIL_EVENT_TYPE } from '../src/activity/aws/cloudtrail-sql.js';
import { ingestCloudTrail } from '../src/activity/aws/ingest.js';
import { ActivityStore, sqlString } from '../src/activity/store.js';
import { benchArgs, log, now, printFigures, processCpuMs } from './lib.js';

const args = await benchArgs(import.meta.url, {
  events: { type: 'string', default: '200000,1000000' },
  'events-per-file': { type: 'string', default: '5000' },
  phase: { type: 'string' },
  dir: { type: 'string' },
});

const TARGET_RATE = 10_000_000 / 120;
const TARGET_RSS_MB = 2048;

interface PhaseFigures {
  phase: string;
  events: number;
  wallMs: number;
  cpuMs: number;
  peakRssMb: number;
  note?: string;
}

// ── Synthetic trail ─────────────────────────────────────────────────────────────────────────────
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ACCOUNTS = ['111111111111', '222222222222', '333333333333'];
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
const CALLS: [string, string, boolean][] = [
  ['s3.amazonaws.com', 'GetObject', true],
  ['s3.amazonaws.com', 'PutObject', false],
  ['s3.amazonaws.com', 'ListObjects', true],
  ['sts.amazonaws.com', 'AssumeRole', false],
  ['dynamodb.amazonaws.com', 'Query', true],
  ['secretsmanager.amazonaws.com', 'GetSecretValue', true],
  ['kms.amazonaws.com', 'Decrypt', true],
  ['ec2.amazonaws.com', 'DescribeInstances', true],
  ['iam.amazonaws.com', 'ListRoles', true],
  ['lambda.amazonaws.com', 'Invoke', false],
];

function generate(
  dir: string,
  events: number,
  perFile: number,
  seed: number,
): { files: number; bytes: number } {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  let files = 0;
  let bytes = 0;
  let id = 0;
  const start = Date.parse('2026-10-01T00:00:00Z');
  while (id < events) {
    const account = pick(ACCOUNTS);
    const region = pick(REGIONS);
    const dayStart = start + Math.floor(random() * 30) * 86_400_000;
    const records: unknown[] = [];
    const count = Math.min(perFile, events - id);
    for (let i = 0; i < count; i++, id++) {
      const [source, name, readOnly] = pick(CALLS);
      const n = Math.floor(random() ** 2 * 2_000);
      const asRole = n % 3 !== 0;
      const time = new Date(dayStart + Math.floor(random() * 86_400_000))
        .toISOString()
        .replace(/\.\d+Z$/, 'Z');
      const userIdentity = asRole
        ? {
            type: 'AssumedRole',
            principalId: `AROA${String(n).padStart(16, '0')}:session-${i % 50}`,
            arn: `arn:aws:sts::${account}:assumed-role/app-${n}/session-${i % 50}`,
            accountId: account,
            accessKeyId: `ASIA${String(id).padStart(16, '0')}`,
            sessionContext: {
              sessionIssuer: {
                type: 'Role',
                principalId: `AROA${String(n).padStart(16, '0')}`,
                arn: `arn:aws:iam::${account}:role/apps/app-${n}`,
                accountId: account,
                userName: `app-${n}`,
              },
              attributes: { creationDate: time, mfaAuthenticated: 'false' },
            },
          }
        : {
            type: 'IAMUser',
            principalId: `AIDA${String(n).padStart(16, '0')}`,
            arn: `arn:aws:iam::${account}:user/bots/bot-${n}`,
            accountId: account,
            accessKeyId: `AKIA${String(n).padStart(16, '0')}`,
            userName: `bot-${n}`,
          };
      const bucket = `data-${n % 40}`;
      records.push({
        eventVersion: '1.09',
        userIdentity,
        eventTime: time,
        eventSource: source,
        eventName: name,
        awsRegion: region,
        sourceIPAddress:
          random() < 0.9
            ? `10.${n % 200}.${Math.floor(random() * 4)}.${Math.floor(random() * 250)}`
            : `2001:db8:${(n % 50).toString(16)}::${Math.floor(random() * 9999)}`,
        userAgent: pick([
          'aws-cli/2.15.30 md/Botocore#1.34.30',
          'aws-sdk-java/2.25.1',
          'Boto3/1.34.30 Python/3.12.1',
          'aws-sdk-go-v2/1.25.2',
        ]),
        ...(random() < 0.03
          ? { errorCode: 'AccessDenied', errorMessage: 'User is not authorized to perform this operation' }
          : {}),
        requestParameters:
          source === 's3.amazonaws.com'
            ? {
                bucketName: bucket,
                key: `objects/${Math.floor(random() * 1e6)}.json`,
                Host: `${bucket}.s3.${region}.amazonaws.com`,
              }
            : source === 'sts.amazonaws.com'
              ? {
                  roleArn: `arn:aws:iam::${account}:role/apps/app-${(n + 1) % 2000}`,
                  roleSessionName: `s-${i}`,
                  durationSeconds: 3600,
                }
              : { limit: 50 },
        responseElements: null,
        additionalEventData:
          source === 's3.amazonaws.com'
            ? {
                SignatureVersion: 'SigV4',
                CipherSuite: 'TLS_AES_128_GCM_SHA256',
                bytesTransferredIn: 0,
                AuthenticationMethod: 'AuthHeader',
                'x-amz-id-2': 'Zm9vYmFyYmF6cXV4',
              }
            : undefined,
        requestID: `${id.toString(16).padStart(8, '0')}-REQ`,
        eventID: `${id.toString(16).padStart(8, '0')}-0000-4000-8000-${seed.toString(16).padStart(12, '0')}`,
        readOnly,
        resources:
          source === 's3.amazonaws.com'
            ? [
                { type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${bucket}/objects/x` },
                { accountId: account, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` },
              ]
            : undefined,
        eventType: 'AwsApiCall',
        managementEvent: source !== 's3.amazonaws.com',
        recipientAccountId: account,
        eventCategory: source === 's3.amazonaws.com' ? 'Data' : 'Management',
        tlsDetails: {
          tlsVersion: 'TLSv1.3',
          cipherSuite: 'TLS_AES_128_GCM_SHA256',
          clientProvidedHostHeader: `${source.split('.')[0]}.${region}.amazonaws.com`,
        },
      });
    }
    const day = new Date(dayStart).toISOString().slice(0, 10).split('-');
    const folder = join(dir, 'AWSLogs', account, 'CloudTrail', region, ...day);
    mkdirSync(folder, { recursive: true });
    const body = gzipSync(JSON.stringify({ Records: records }), { level: 6 });
    writeFileSync(
      join(folder, `${account}_CloudTrail_${region}_${day.join('')}T0000Z_${files}.json.gz`),
      body,
    );
    files += 1;
    bytes += body.length;
  }
  return { files, bytes };
}

function logFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.json.gz')) out.push(path);
    }
  };
  walk(dir);
  return out;
}

// ── Phases (each in a child process) ────────────────────────────────────────────────────────────
async function runPhase(phase: string, dir: string): Promise<PhaseFigures> {
  const trail = join(dir, 'trail');
  const database = join(dir, 'activity.duckdb');
  const cpu = processCpuMs();
  const t = now();
  let events = 0;
  let note: string | undefined;
  if (phase === 'ingest' || phase === 'reingest') {
    const store = await ActivityStore.open(database);
    try {
      const result = await ingestCloudTrail(store, [trail], { now: new Date('2026-11-01T00:00:00Z') });
      events = result.events;
      note = `${result.filesRead} files read, ${result.filesSkipped} skipped, ${result.duplicates} duplicates, ${result.malformed.length} malformed`;
      if (phase === 'ingest') {
        const [row] = await store.rows<{ n: string }>('SELECT count(*) AS n FROM daily');
        note += `, ${row?.n} aggregate rows, store ${(statSync(database).size / 2 ** 20).toFixed(0)} MiB`;
      }
    } finally {
      store.close();
    }
  } else if (phase === 'duckdb') {
    const instance = await DuckDBInstance.create(':memory:', {
      memory_limit: '1GB',
      preserve_insertion_order: 'false',
    });
    const connection = await instance.connect();
    const list = `[${logFiles(trail).map(sqlString).join(', ')}]`;
    const reader = await connection.runAndReadAll(
      `SELECT count(*)::BIGINT AS n FROM (SELECT unnest(Records) AS e FROM read_json(${list},
         columns = {Records: '${CLOUDTRAIL_EVENT_TYPE}[]'}, format = 'unstructured', compression = 'gzip',
         maximum_object_size = ${64 << 20}))`,
    );
    events = Number(reader.getRowObjectsJson()[0]?.n ?? 0);
    connection.closeSync();
    instance.closeSync();
  } else if (phase === 'node') {
    const counts = new Map<string, number>();
    for (const file of logFiles(trail)) {
      const { Records } = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as {
        Records: {
          eventTime: string;
          eventSource: string;
          eventName: string;
          userIdentity?: { arn?: string; sessionContext?: { sessionIssuer?: { arn?: string } } };
        }[];
      };
      for (const r of Records) {
        const who = r.userIdentity?.sessionContext?.sessionIssuer?.arn ?? r.userIdentity?.arn ?? '';
        const key = `${r.eventTime.slice(0, 10)}|${who}|${r.eventSource.split('.')[0]}:${r.eventName}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
        events += 1;
      }
    }
    note = `${counts.size} keys (identity × action × day only)`;
  } else throw new Error(`unknown phase ${phase}`);
  return {
    phase,
    events,
    wallMs: now() - t,
    cpuMs: processCpuMs() - cpu,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    ...(note ? { note } : {}),
  };
}

function inChild(phase: string, dir: string): PhaseFigures {
  const script = fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, [...process.execArgv, script, '--phase', phase, '--dir', dir], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (child.status !== 0) throw new Error(`phase ${phase} failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1) as string) as PhaseFigures;
}

if (args.phase) {
  const figures = await runPhase(args.phase, args.dir as string);
  process.stdout.write(`${JSON.stringify(figures)}\n`);
  process.exit(0);
}

const sizes = (args.events as string).split(',').map((s) => Number(s.replaceAll('_', '')));
const perFile = Number(args['events-per-file']);
const results: {
  events: number;
  files: number;
  gzipMiB: number;
  generateMs: number;
  phases: PhaseFigures[];
}[] = [];
const targets: { name: string; value: number; limit: number; pass: boolean }[] = [];
for (const size of sizes) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-activity-'));
  try {
    log(`generating ${size} events in files of ${perFile}…`);
    const t = now();
    const { files, bytes } = generate(join(dir, 'trail'), size, perFile, 42);
    const generateMs = now() - t;
    const phases: PhaseFigures[] = [];
    for (const phase of ['ingest', 'reingest', 'duckdb', 'node']) {
      log(`  ${phase}…`);
      phases.push(inChild(phase, dir));
    }
    results.push({ events: size, files, gzipMiB: bytes / 2 ** 20, generateMs, phases });
    const ingest = phases[0] as PhaseFigures;
    const rate = ingest.events / (ingest.wallMs / 1000);
    targets.push(
      {
        name: `${size} events: ingest events/s (wall)`,
        value: Math.round(rate),
        limit: Math.round(TARGET_RATE),
        pass: rate >= TARGET_RATE,
      },
      {
        name: `${size} events: ingest peak RSS MiB`,
        value: Math.round(ingest.peakRssMb),
        limit: TARGET_RSS_MB,
        pass: ingest.peakRssMb <= TARGET_RSS_MB,
      },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const lines = [
  `Activity ingest benchmark (${availableParallelism()} cores; CPU s = user + system of every thread of the step's process)`,
];
for (const r of results) {
  lines.push(
    '',
    `${r.events} events in ${r.files} gzipped files (${r.gzipMiB.toFixed(1)} MiB; generated in ${(r.generateMs / 1000).toFixed(1)} s)`,
    '  step       events      wall s   CPU s   events/s (wall)   peak RSS MiB   note',
  );
  for (const p of r.phases)
    lines.push(
      `  ${p.phase.padEnd(9)}  ${String(p.events).padStart(8)}  ${(p.wallMs / 1000).toFixed(1).padStart(8)}  ${(p.cpuMs / 1000).toFixed(1).padStart(6)}  ${String(p.events ? Math.round(p.events / (p.wallMs / 1000)) : '-').padStart(16)}  ${p.peakRssMb.toFixed(0).padStart(13)}   ${p.note ?? ''}`,
    );
}
lines.push('', 'Targets (10 M events in 2 min and 2 GiB on 2 cores):');
for (const target of targets)
  lines.push(`  ${target.pass ? 'pass' : 'MISS'}  ${target.name}: ${target.value} (limit ${target.limit})`);
const figures = { results, targets };
printFigures(lines.join('\n'), figures, Boolean(args.json));
