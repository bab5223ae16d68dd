// Detection evaluation over generated logs of the sample estate (docs/activity.md#generated-logs-and-the-detection-evaluation):
// `reachgraph activity generate` writes the logs twice with one seed, once with the five injected
// incidents and once without (the same normal calls); each set is ingested into a fresh activity
// store; the sample estate is synced into Neo4j (NEO4J_URI, else a local server on a temporary
// store) for the graph's view of identities and resources; then the anomaly rules (detectAnomalies,
// default parameters) review the last --review days, each against its own baseline.
//
// It prints, per incident, whether it was detected (a finding on one of its identities on one of
// its days), which rules fired and which expected ones did not; and the false-positive rate: the
// findings of the set without incidents per 1,000 non-human identities per day reviewed (an
// identity-day is a non-human identity active on a reviewed day), beside the findings of the set
// with incidents that no incident explains. CPU seconds are printed beside wall time, since the
// machine may be shared.
//
//   npm run bench:activity-detection [-- --days 37 --review 7 --seed 1 --end 2026-12-01 --json]
//
// --days defaults to 37: a full 30-day baseline before each of the 7 days reviewed (and a
// dormancy the default `dormantDays: 30` can see).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAnomalyGraph } from '../src/activity/anomalies/graph-context.js';
import { type AnomalyRun, detectAnomalies } from '../src/activity/anomalies/index.js';
import { generateActivity, type Incident, type Manifest } from '../src/activity/generate/index.js';
import { ingestGenerated } from '../src/activity/generate/ingest-set.js';
import { ActivityStore } from '../src/activity/store.js';
import { SAMPLE_ENV } from '../src/cli/demo.js';
import { ConfigSchema } from '../src/config/schema.js';
import { packageRoot } from '../src/package-root.js';
import { providerJobs, syncProviders } from '../src/pipeline/sync.js';
import { PROVIDER_REGISTRY } from '../src/providers/registry.js';
import type { Finding } from '../src/reports/types.js';
import { benchArgs, cpuFigures, log, openBenchGraph, positive, printFigures, sec, timed } from './lib.js';

const args = await benchArgs(import.meta.url, {
  days: { type: 'string' },
  review: { type: 'string' },
  seed: { type: 'string' },
  end: { type: 'string' },
  keep: { type: 'boolean' },
});
const review = positive('review', args.review, '', 7);
const days = positive('days', args.days, '', 30 + review);
const seed = Number(args.seed ?? 1);
const end = new Date(`${args.end ?? new Date().toISOString().slice(0, 10)}T00:00:00Z`);
if (Number.isNaN(end.getTime())) throw new Error(`--end: expected YYYY-MM-DD, got "${args.end}"`);
const snapshot = join(packageRoot(), SAMPLE_ENV);

interface IncidentResult {
  id: string;
  identity: string;
  detected: boolean;
  fired: string[];
  expectedMissed: string[];
  findings: number;
}

const dir = mkdtempSync(join(tmpdir(), 'reachgraph-detection-'));
const graph = await openBenchGraph({ heapMb: 1024, pageCacheMb: 256, wipeExisting: false });
try {
  log(
    `Generating ${days} days ending ${end.toISOString().slice(0, 10)} (seed ${seed}) with and without incidents…`,
  );
  const [[withIncidents, clean], generation] = await timed(async () => [
    await generateActivity({ out: join(dir, 'incidents'), snapshot, days, seed, end }),
    await generateActivity({ out: join(dir, 'clean'), snapshot, days, seed, end, incidents: false }),
  ]);
  log('Syncing the sample estate…');
  const jobs = providerJobs(
    PROVIDER_REGISTRY,
    [],
    { snapshotRoot: snapshot, options: {} },
    ConfigSchema.parse({}),
  );
  const [, sync] = await timed(
    () => syncProviders(graph.executor, jobs, { summary: false }),
    graph.server?.pid,
  );
  const lastDay = new Date(end.getTime() - 86_400_000).toISOString().slice(0, 10);
  const firstDay = new Date(end.getTime() - review * 86_400_000).toISOString().slice(0, 10);
  const baselineStart = new Date(end.getTime() - (review + 30) * 86_400_000).toISOString().slice(0, 10);

  const evaluate = async (name: string, manifest: Manifest) => {
    const store = await ActivityStore.open(join(dir, `${name}.duckdb`));
    try {
      log(`Ingesting the set ${name}…`);
      const [, ingest] = await timed(() => ingestGenerated(store, join(dir, name), manifest, { now: end }));
      log(`Reviewing ${firstDay}..${lastDay} of the set ${name}…`);
      const [run, detection] = await timed(async () =>
        detectAnomalies(store, {
          day: lastDay,
          days: review,
          graph: await readAnomalyGraph(graph.executor, store, baselineStart, lastDay),
        }),
      );
      return { run, ingest, detection };
    } finally {
      store.close();
    }
  };
  const a = await evaluate('incidents', withIncidents);
  const c = await evaluate('clean', clean);

  const incidents = withIncidents.incidents.map((incident) => scoreIncident(incident, a.run.findings));
  const explained = new Set(
    withIncidents.incidents.flatMap((i) => findingsOf(i, a.run.findings).map((f) => f.fingerprint)),
  );
  const unexplained = a.run.findings.filter((f) => !explained.has(f.fingerprint));
  const identityDays = c.run.days.reduce((n, d) => n + d.identities, 0);
  const falsePositives = c.run.findings.length;
  const rate = identityDays ? (falsePositives / identityDays) * 1000 : 0;
  const result = {
    days,
    review,
    seed,
    period: { start: withIncidents.start, end: withIncidents.end, reviewed: `${firstDay}..${lastDay}` },
    events: Object.fromEntries(Object.entries(withIncidents.sources).map(([k, s]) => [k, s.events])),
    incidents,
    detected: incidents.filter((i) => i.detected).length,
    clean: {
      identityDays,
      findings: falsePositives,
      perThousandIdentityDays: rate,
      byRule: countByRule(c.run.findings),
      findingsList: c.run.findings.map(brief),
    },
    unexplainedWithIncidents: { findings: unexplained.length, byRule: countByRule(unexplained) },
    timings: {
      generationMs: generation.ms,
      generationCpuMs: generation.cpuMs,
      syncMs: sync.ms,
      ingestMs: a.ingest.ms,
      ingestCpuMs: a.ingest.cpuMs,
      detectionMs: a.detection.ms,
      detectionCpuMs: a.detection.cpuMs,
    },
    targets: [{ name: 'every injected incident detected', pass: incidents.every((i) => i.detected) }],
  };
  const lines = [
    `Detection evaluation: ${days} days of generated logs of ${SAMPLE_ENV} (seed ${seed}), the last ${review} reviewed (${firstDay}..${lastDay}), default anomaly rules, graph from Neo4j ${graph.info.version}.`,
    `Events: ${Object.entries(result.events)
      .map(([k, n]) => `${n.toLocaleString('en-US')} ${k}`)
      .join(', ')}.`,
    '',
    'incident                         detected  rules fired (expected ✓, other +)                                      expected, not fired',
    ...incidents.map(
      (i) =>
        `${i.id.padEnd(33)}${(i.detected ? 'yes' : 'NO').padEnd(10)}${i.fired.join(' ').padEnd(72)} ${i.expectedMissed.join(' ') || '-'}`,
    ),
    `${result.detected} of ${incidents.length} incidents detected.`,
    '',
    `False positives on the clean days: ${falsePositives} finding(s) over ${identityDays} identity-days (${c.run.days.map((d) => d.identities).join('+')} non-human identities active per day) = ${rate.toFixed(1)} per 1,000 identities per day${
      falsePositives
        ? ` (${Object.entries(result.clean.byRule)
            .map(([r, n]) => `${r} ${n}`)
            .join(', ')})`
        : ''
    }.`,
    ...c.run.findings.map((f) => `  ${f.facts.day} ${f.ruleId} ${f.subject.id}: ${f.message}`),
    `Findings of the set with incidents that no incident explains: ${unexplained.length}.`,
    ...unexplained.map((f) => `  ${f.facts.day} ${f.ruleId} ${f.subject.id}: ${f.message}`),
    '',
    `Generation (both sets) ${sec(generation.ms)} (CPU ${cpuFigures(generation)} s); sync ${sec(sync.ms)} (CPU ${cpuFigures(sync)} s); ingest ${sec(a.ingest.ms)} (CPU ${cpuFigures(a.ingest)} s); detection ${sec(a.detection.ms)} (CPU ${cpuFigures(a.detection)} s) per set.`,
  ];
  printFigures(lines.join('\n'), result, Boolean(args.json));
} finally {
  await graph.close();
  if (!args.keep) rmSync(dir, { recursive: true, force: true });
  else log(`Kept ${dir}`);
}

/** The findings on one of the incident's identities on one of its days. */
function findingsOf(incident: Incident, findings: Finding[]): Finding[] {
  const incidentDays = new Set([incident.start.slice(0, 10), incident.end.slice(0, 10)]);
  return findings.filter(
    (f) => incident.identities.includes(f.subject.id) && incidentDays.has(String(f.facts.day)),
  );
}

function scoreIncident(incident: Incident, findings: Finding[]): IncidentResult {
  const own = findingsOf(incident, findings);
  const fired = [...new Set(own.map((f) => f.ruleId))].sort();
  return {
    id: incident.id,
    identity: incident.identity,
    detected: own.length > 0,
    fired: fired.map(
      (r) => `${(incident.expected as string[]).includes(r) ? '✓' : '+'}${r.replace(/^anomaly-/, '')}`,
    ),
    expectedMissed: incident.expected
      .filter((r) => !fired.includes(r))
      .map((r) => r.replace(/^anomaly-/, '')),
    findings: own.length,
  };
}

function countByRule(findings: Finding[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const f of findings) counts[f.ruleId] = (counts[f.ruleId] ?? 0) + 1;
  return counts;
}

function brief(f: Finding) {
  return { day: f.facts.day, rule: f.ruleId, identity: f.subject.id, message: f.message };
}

export type { AnomalyRun };
