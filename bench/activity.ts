// Activity ingest benchmark: N synthetic CloudTrail events in gzipped log files in CloudTrail's S3
// layout, ingested into a fresh activity store (`ingestCloudTrail`: DuckDB reads the archives,
// resolves identities and writes per-day aggregates), then ingested again (every file skipped by its
// hash), beside two references over the same files: DuckDB's bare `read_json` of the records with the
// same column types and options as the ingest's (the ceiling: reading without resolving, aggregating or
// recording anything; `records = true`, as the ingest reads, so neither samples files twice) and a
// plain Node loop (gunzip, JSON.parse, one Map of counts per identity, action and day: what a
// hand-written ingester would do). Each step runs in a child process of its own, so its peak RSS is
// its own; CPU seconds (user + system, every thread) are printed beside wall time, since the machine
// may be shared, with each step's CPU as a multiple of the ceiling's and the store's size on disk.
//
// The files are generated once per (events, events per file) under the temporary directory's
// reachgraph-bench-activity/ and reused by later runs with --keep-files (the default removes them).
//
//   npm run bench:activity [-- --events 200000,1000000 --events-per-file 5000 --steps ingest,duckdb
//                              --keep-files --fresh-files --json]
//
// The issue's target is 10 million events on 2 cores in under 2 minutes and 2 GiB: the events/s
// column is compared with 83,334 events/s (10 M / 120 s) and the peak RSS with 2 GiB.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gunzipSync, gzip } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { CLOUDTRAIL_EVENT_TYPE } from '../src/activity/aws/cloudtrail-sql.js';
import { ingestCloudTrail } from '../src/activity/aws/ingest.js';
import { ActivityStore, sqlString } from '../src/activity/store.js';
import { benchArgs, log, now, printFigures, processCpuMs } from './lib.js';

const args = await benchArgs(import.meta.url, {
  events: { type: 'string', default: '200000,1000000' },
  'events-per-file': { type: 'string', default: '5000' },
  steps: { type: 'string', default: 'ingest,reingest,duckdb,node' },
  'keep-files': { type: 'boolean', default: false },
  'fresh-files': { type: 'boolean', default: false },
  phase: { type: 'string' },
  trail: { type: 'string' },
  work: { type: 'string' },
});

const gzipAsync = promisify(gzip);
/** Bumped whenever the generated trail changes, so a cached trail of an older generator is not reused. */
const GENERATOR_VERSION = 2;

const TARGET_RATE = 10_000_000 / 120;
const TARGET_RSS_MB = 2048;

interface PhaseFigures {
  phase: string;
  events: number;
  wallMs: number;
  cpuMs: number;
  peakRssMb: number;
  /** The store's file after the step, closed (ingest only). */
  storeMiB?: number;
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

/**
 * The synthetic trail, written as JSON text from templates (every value is a plain string or number, no
 * escaping needed) rather than built as objects and stringified, and compressed on libuv's thread pool
 * while the next file is written, so 10 million events take minutes, not a quarter of an hour. The
 * same parameters always give the same bytes.
 */
async function generate(
  dir: string,
  events: number,
  perFile: number,
  seed: number,
): Promise<{ files: number; bytes: number }> {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
  const seedHex = hex(seed, 12);
  const agents = [
    'aws-cli/2.15.30 md/Botocore#1.34.30',
    'aws-sdk-java/2.25.1',
    'Boto3/1.34.30 Python/3.12.1',
    'aws-sdk-go-v2/1.25.2',
  ];
  let files = 0;
  let bytes = 0;
  let id = 0;
  const pending = new Set<Promise<void>>();
  const start = Date.parse('2026-10-01T00:00:00Z');
  while (id < events) {
    const account = pick(ACCOUNTS);
    const region = pick(REGIONS);
    const dayStart = start + Math.floor(random() * 30) * 86_400_000;
    const records: string[] = [];
    const count = Math.min(perFile, events - id);
    for (let i = 0; i < count; i++, id++) {
      const [source, name, readOnly] = pick(CALLS);
      const n = Math.floor(random() ** 2 * 2_000);
      const asRole = n % 3 !== 0;
      const time = new Date(dayStart + Math.floor(random() * 86_400_000))
        .toISOString()
        .replace(/\.\d+Z$/, 'Z');
      const padded = String(n).padStart(16, '0');
      const userIdentity = asRole
        ? `{"type":"AssumedRole","principalId":"AROA${padded}:session-${i % 50}","arn":"arn:aws:sts::${account}:assumed-role/app-${n}/session-${i % 50}","accountId":"${account}","accessKeyId":"ASIA${String(id).padStart(16, '0')}","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROA${padded}","arn":"arn:aws:iam::${account}:role/apps/app-${n}","accountId":"${account}","userName":"app-${n}"},"attributes":{"creationDate":"${time}","mfaAuthenticated":"false"}}}`
        : `{"type":"IAMUser","principalId":"AIDA${padded}","arn":"arn:aws:iam::${account}:user/bots/bot-${n}","accountId":"${account}","accessKeyId":"AKIA${padded}","userName":"bot-${n}"}`;
      const bucket = `data-${n % 40}`;
      const s3 = source === 's3.amazonaws.com';
      const address =
        random() < 0.9
          ? `10.${n % 200}.${Math.floor(random() * 4)}.${Math.floor(random() * 250)}`
          : `2001:db8:${(n % 50).toString(16)}::${Math.floor(random() * 9999)}`;
      const agent = pick(agents);
      const error =
        random() < 0.03
          ? ',"errorCode":"AccessDenied","errorMessage":"User is not authorized to perform this operation"'
          : '';
      const parameters = s3
        ? `{"bucketName":"${bucket}","key":"objects/${Math.floor(random() * 1e6)}.json","Host":"${bucket}.s3.${region}.amazonaws.com"}`
        : source === 'sts.amazonaws.com'
          ? `{"roleArn":"arn:aws:iam::${account}:role/apps/app-${(n + 1) % 2000}","roleSessionName":"s-${i}","durationSeconds":3600}`
          : '{"limit":50}';
      records.push(
        `{"eventVersion":"1.09","userIdentity":${userIdentity},"eventTime":"${time}","eventSource":"${source}","eventName":"${name}","awsRegion":"${region}","sourceIPAddress":"${address}","userAgent":"${agent}"${error},"requestParameters":${parameters},"responseElements":null,${
          s3
            ? '"additionalEventData":{"SignatureVersion":"SigV4","CipherSuite":"TLS_AES_128_GCM_SHA256","bytesTransferredIn":0,"AuthenticationMethod":"AuthHeader","x-amz-id-2":"Zm9vYmFyYmF6cXV4"},'
            : ''
        }"requestID":"${hex(id, 8)}-REQ","eventID":"${hex(id, 8)}-0000-4000-8000-${seedHex}","readOnly":${readOnly},${
          s3
            ? `"resources":[{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::${bucket}/objects/x"},{"accountId":"${account}","type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::${bucket}"}],`
            : ''
        }"eventType":"AwsApiCall","managementEvent":${!s3},"recipientAccountId":"${account}","eventCategory":"${s3 ? 'Data' : 'Management'}","tlsDetails":{"tlsVersion":"TLSv1.3","cipherSuite":"TLS_AES_128_GCM_SHA256","clientProvidedHostHeader":"${source.split('.')[0]}.${region}.amazonaws.com"}}`,
      );
    }
    const day = new Date(dayStart).toISOString().slice(0, 10).split('-');
    const folder = join(dir, 'AWSLogs', account, 'CloudTrail', region, ...day);
    mkdirSync(folder, { recursive: true });
    const path = join(folder, `${account}_CloudTrail_${region}_${day.join('')}T0000Z_${files}.json.gz`);
    const text = `{"Records":[${records.join(',')}]}`;
    // At most two archives compressing at once (the machine's two cores), the next file built meanwhile.
    if (pending.size >= 2) await Promise.race(pending);
    const job = gzipAsync(text, { level: 6 }).then(async (body) => {
      await writeFile(path, body);
      bytes += body.length;
      pending.delete(job);
    });
    pending.add(job);
    files += 1;
  }
  await Promise.all(pending);
  return { files, bytes };
}

/**
 * The trail for these parameters, generated once and kept under the temporary directory (a
 * `complete.json` written last marks it whole), so repeated runs, and runs of the ingest before and
 * after a change, read the same files.
 */
async function cachedTrail(
  events: number,
  perFile: number,
  seed: number,
  fresh: boolean,
): Promise<{ dir: string; files: number; bytes: number; generateMs: number | undefined }> {
  const dir = join(
    tmpdir(),
    'reachgraph-bench-activity',
    `cloudtrail-${GENERATOR_VERSION}-${events}-${perFile}-${seed}`,
  );
  const marker = join(dir, 'complete.json');
  if (!fresh && existsSync(marker))
    return {
      dir,
      ...(JSON.parse(readFileSync(marker, 'utf8')) as { files: number; bytes: number }),
      generateMs: undefined,
    };
  rmSync(dir, { recursive: true, force: true });
  const t = now();
  const made = await generate(join(dir, 'trail'), events, perFile, seed);
  writeFileSync(marker, JSON.stringify(made));
  return { dir, ...made, generateMs: now() - t };
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

// ── Steps (each in a child process) ─────────────────────────────────────────────────────────────
async function runPhase(phase: string, trail: string, work: string): Promise<PhaseFigures> {
  const database = join(work, 'activity.duckdb');
  const cpu = processCpuMs();
  const t = now();
  let events = 0;
  let note: string | undefined;
  let storeMiB: number | undefined;
  if (phase === 'ingest' || phase === 'reingest') {
    const store = await ActivityStore.open(database);
    let rows: string | undefined;
    try {
      const result = await ingestCloudTrail(store, [trail], { now: new Date('2026-11-01T00:00:00Z') });
      events = result.events;
      note = `${result.filesRead} files read, ${result.filesSkipped} skipped, ${result.duplicates} duplicates, ${result.malformed.length} malformed`;
      if (phase === 'ingest')
        rows = (await store.rows<{ n: string }>('SELECT count(*) AS n FROM daily'))[0]?.n;
    } finally {
      store.close();
    }
    if (phase === 'ingest') {
      storeMiB = statSync(database).size / 2 ** 20;
      note += `, ${rows} aggregate rows`;
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
         columns = {Records: '${CLOUDTRAIL_EVENT_TYPE}[]'}, format = 'unstructured', records = true, compression = 'gzip',
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
  } else throw new Error(`unknown step ${phase}`);
  return {
    phase,
    events,
    wallMs: now() - t,
    cpuMs: processCpuMs() - cpu,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    ...(storeMiB === undefined ? {} : { storeMiB }),
    ...(note ? { note } : {}),
  };
}

function inChild(phase: string, trail: string, work: string): PhaseFigures {
  const script = fileURLToPath(import.meta.url);
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, script, '--phase', phase, '--trail', trail, '--work', work],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  if (child.status !== 0) throw new Error(`step ${phase} failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1) as string) as PhaseFigures;
}

if (args.phase) {
  const figures = await runPhase(args.phase, args.trail as string, args.work as string);
  process.stdout.write(`${JSON.stringify(figures)}\n`);
  process.exit(0);
}

const sizes = (args.events as string).split(',').map((s) => Number(s.replaceAll('_', '')));
const perFile = Number(args['events-per-file']);
const steps = (args.steps as string).split(',');
for (const step of steps)
  if (!['ingest', 'reingest', 'duckdb', 'node'].includes(step))
    throw new Error(`--steps: unknown step ${step}`);
const results: {
  events: number;
  files: number;
  gzipMiB: number;
  generateMs?: number;
  loadAverage: [number, number];
  phases: PhaseFigures[];
}[] = [];
const targets: { name: string; value: number; limit: number; pass: boolean }[] = [];
for (const size of sizes) {
  log(`trail of ${size} events in files of ${perFile}…`);
  const trail = await cachedTrail(size, perFile, 42, Boolean(args['fresh-files']));
  log(
    trail.generateMs === undefined
      ? `  reusing ${trail.dir}`
      : `  generated in ${(trail.generateMs / 1000).toFixed(1)} s under ${trail.dir}`,
  );
  const work = mkdtempSync(join(tmpdir(), 'bench-activity-'));
  const loadBefore = loadavg()[0] as number;
  try {
    const phases: PhaseFigures[] = [];
    for (const phase of steps) {
      log(`  ${phase}…`);
      phases.push(inChild(phase, join(trail.dir, 'trail'), work));
    }
    results.push({
      events: size,
      files: trail.files,
      gzipMiB: trail.bytes / 2 ** 20,
      ...(trail.generateMs === undefined ? {} : { generateMs: trail.generateMs }),
      loadAverage: [loadBefore, loadavg()[0] as number],
      phases,
    });
    const ingest = phases.find((p) => p.phase === 'ingest');
    if (ingest) {
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
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
    if (!args['keep-files']) rmSync(trail.dir, { recursive: true, force: true });
  }
}

const lines = [
  `Activity ingest benchmark (${availableParallelism()} cores; CPU s = user + system of every thread of the step's process)`,
];
for (const r of results) {
  const ceiling = r.phases.find((p) => p.phase === 'duckdb');
  lines.push(
    '',
    `${r.events} events in ${r.files} gzipped files (${r.gzipMiB.toFixed(1)} MiB; ${r.generateMs === undefined ? 'files reused' : `generated in ${(r.generateMs / 1000).toFixed(1)} s`}; 1-min load average ${r.loadAverage[0].toFixed(1)} before, ${r.loadAverage[1].toFixed(1)} after)`,
    '  step       events      wall s   CPU s   events/s wall   events/CPU s   × ceiling CPU   peak RSS MiB   store MiB   note',
  );
  for (const p of r.phases) {
    const perCpu = p.events ? p.events / (p.cpuMs / 1000) : undefined;
    lines.push(
      [
        `  ${p.phase.padEnd(9)}`,
        String(p.events).padStart(8),
        (p.wallMs / 1000).toFixed(1).padStart(10),
        (p.cpuMs / 1000).toFixed(1).padStart(7),
        String(p.events ? Math.round(p.events / (p.wallMs / 1000)) : '-').padStart(15),
        String(perCpu ? Math.round(perCpu) : '-').padStart(14),
        (ceiling && p.events ? (p.cpuMs / ceiling.cpuMs).toFixed(2) : '-').padStart(15),
        p.peakRssMb.toFixed(0).padStart(14),
        (p.storeMiB === undefined ? '-' : p.storeMiB.toFixed(0)).padStart(11),
        `  ${p.note ?? ''}`,
      ].join(' '),
    );
  }
}
lines.push('', 'Targets (10 M events in 2 min and 2 GiB on 2 cores):');
for (const target of targets)
  lines.push(`  ${target.pass ? 'pass' : 'MISS'}  ${target.name}: ${target.value} (limit ${target.limit})`);
const figures = { results, targets };
printFigures(lines.join('\n'), figures, Boolean(args.json));
