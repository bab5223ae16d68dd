import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Calls, CLUSTER, type Context, type Creation, type Day, normalBehaviour } from './behaviour.js';
import { DAY, isWeekday } from './calls.js';
import { readEstate } from './estate.js';
import { type Incident, injectIncidents } from './incidents.js';
import { Random } from './random.js';
import { LAYOUT, writeCloudTrail, writeGcpAudit, writeKubernetesAudit } from './write.js';

export type { Creation } from './behaviour.js';
export type { Detector, Incident } from './incidents.js';
export { LAYOUT } from './write.js';

export interface GenerateOptions {
  /** The directory to write into: it must not exist or be empty. */
  out: string;
  /** The snapshot whose identities and resources the logs use (the sample estate's layout). */
  snapshot: string;
  days?: number;
  seed?: number;
  incidents?: boolean;
  /** The end of the generated period (exclusive), at 00:00 UTC; default: today's 00:00 UTC. */
  end?: Date;
}

/** The ground truth of a generated set, written as `manifest.json` beside the logs. */
export interface Manifest {
  seed: number;
  days: number;
  /** The period the logs cover: [start, end). */
  start: string;
  end: string;
  /** Where each source's files are, relative to the set, and the cluster name of the Kubernetes logs. */
  sources: {
    'aws-cloudtrail': { path: string; files: number; events: number };
    'gcp-audit': { path: string; files: number; events: number };
    'kubernetes-audit': { path: string; cluster: string; files: number; events: number };
  };
  /** The non-human identities of the estate (the denominator of rates per identity). */
  nonHumanIdentities: number;
  /** The identities and credentials the logs show created, with their creators (owner evidence), in time order. */
  creations: Creation[];
  incidents: Incident[];
}

export const MANIFEST = 'manifest.json';

/**
 * Generate `days` days of CloudTrail, Cloud Audit Logs and Kubernetes audit logs of the estate in
 * `snapshot`, ending at `end`, deterministic for `seed` (and the end date): the identities' normal
 * behaviour, plus the injected incidents unless `incidents` is false, with their manifest.
 */
export async function generateActivity(options: GenerateOptions): Promise<Manifest> {
  const days = options.days ?? 30;
  const seed = options.seed ?? 1;
  if (!Number.isInteger(days) || days < 1 || days > 366) throw new Error(`days: expected 1-366, got ${days}`);
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`seed: expected a whole number ≥ 0, got ${seed}`);
  const endDay = Math.floor((options.end ?? new Date()).getTime() / DAY) * DAY;
  const start = endDay - days * DAY;
  const existing = await readdir(options.out).catch(() => []);
  if (existing.length > 0) throw new Error(`${options.out} is not empty: generate into a new directory`);

  const estate = await readEstate(options.snapshot, new Date(endDay));
  const out: Calls = { aws: [], gcp: [], k8s: [] };
  const dayList: Day[] = Array.from({ length: days }, (_, index) => {
    const dayStart = start + index * DAY;
    return { start: dayStart, index, weekday: isWeekday(dayStart) };
  });
  const creations: Creation[] = [];
  const ctx: Context = {
    estate,
    creations,
    days: dayList,
    stream: (name) => new Random(seed, name),
    out,
  };
  normalBehaviour(ctx);
  const incidents = options.incidents === false ? [] : injectIncidents(ctx);
  // Only what falls in the period (a session opened just before midnight of the first day is left out).
  const inside = <T extends { time: number }>(calls: T[]) =>
    calls.filter((c) => c.time >= start && c.time < endDay);
  const aws = inside(out.aws);
  const gcp = inside(out.gcp);
  const k8s = inside(out.k8s);

  await mkdir(options.out, { recursive: true });
  const files = new Random(seed, 'files');
  const manifest: Manifest = {
    seed,
    days,
    start: new Date(start).toISOString(),
    end: new Date(endDay).toISOString(),
    sources: {
      'aws-cloudtrail': {
        path: LAYOUT.cloudTrail,
        files: writeCloudTrail(join(options.out, LAYOUT.cloudTrail), estate.organizationId, aws, files),
        events: aws.length,
      },
      'gcp-audit': {
        path: LAYOUT.gcpAudit,
        files: writeGcpAudit(join(options.out, LAYOUT.gcpAudit), gcp, files),
        events: gcp.length,
      },
      'kubernetes-audit': {
        path: `${LAYOUT.kubernetesAudit}/${CLUSTER}`,
        cluster: CLUSTER,
        files: writeKubernetesAudit(join(options.out, LAYOUT.kubernetesAudit), CLUSTER, k8s, files),
        events: k8s.length,
      },
    },
    nonHumanIdentities: estate.nonHumanIdentities().length,
    creations: creations
      .filter((c) => c.time >= new Date(start).toISOString() && c.time < new Date(endDay).toISOString())
      .sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0)),
    incidents,
  };
  await writeFile(join(options.out, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
