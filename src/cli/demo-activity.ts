import { join } from 'node:path';
import { readAnomalyGraph } from '../activity/anomalies/graph-context.js';
import { detectAnomalies } from '../activity/anomalies/index.js';
import { generateActivity, type Manifest } from '../activity/generate/index.js';
import { incidentEvents, ingestGenerated } from '../activity/generate/ingest-set.js';
import { grantedVsUsed } from '../activity/granted-vs-used.js';
import { writeActivitySummary } from '../activity/graph-summary.js';
import { ActivityStore } from '../activity/store.js';
import type { GraphExecutor } from '../graph/executor.js';
import { grantedVsUsedTable } from './activity.js';
import type { Output } from './output.js';
import { table } from './output.js';

/**
 * The demo's activity: logs of the sample estate generated for the last 30 days
 * (`reachgraph activity generate`), ingested into a store of the demo's own, then granted vs used for
 * one identity and one injected incident with its events.
 */
export const DEMO_ACTIVITY = {
  /** Reaches production customer data it never reads; reads and writes the state it is meant to. */
  identity: 'arn:aws:iam::111111111111:role/ci/gha-infra',
  incident: 'leaked-ci-key',
} as const;

export const DEMO_ACTIVITY_HEADING = 'What they actually did: 30 days of generated logs of the sample estate';

/** Lines of an incident's events before "… and N more". */
const EVENT_LINES = 30;

/** Days the demo's anomaly review covers, ending at the last day of the logs. */
const REVIEW_DAYS = 7;

/** Events of one anomaly listed. */
const ANOMALY_EVENT_LINES = 12;

export interface PreparedActivity {
  database: string;
  manifest: Manifest;
  seconds: number;
}

/** Generate the logs under `dir` and ingest them into `dir/activity.duckdb`. */
export async function prepareDemoActivity(dir: string, snapshot: string): Promise<PreparedActivity> {
  const started = Date.now();
  const logs = join(dir, 'logs');
  const database = join(dir, 'activity.duckdb');
  const manifest = await generateActivity({ out: logs, snapshot });
  const store = await ActivityStore.open(database);
  try {
    await ingestGenerated(store, logs, manifest);
  } finally {
    store.close();
  }
  return { database, manifest, seconds: (Date.now() - started) / 1000 };
}

/**
 * Print the activity part of the demo. `writeSummary`: write `lastActivity` onto the demo's own
 * graph (never onto a user's graph named by NEO4J_URI, whose activity summary comes from its own store).
 */
export async function showDemoActivity(
  executor: GraphExecutor,
  output: Output,
  prepared: PreparedActivity,
  options: { writeSummary: boolean },
): Promise<void> {
  const { manifest } = prepared;
  const store = await ActivityStore.open(prepared.database);
  try {
    if (options.writeSummary) await writeActivitySummary(executor, store);
    const counts = Object.entries(manifest.sources)
      .map(([source, s]) => `${s.events.toLocaleString('en-US')} ${source} events`)
      .join(', ');
    output.out(
      `\n${DEMO_ACTIVITY_HEADING} (${manifest.start.slice(0, 10)} to ${manifest.end.slice(0, 10)}; reachgraph activity generate, docs/activity.md):`,
    );
    output.out(`${counts}, generated and ingested in ${prepared.seconds.toFixed(1)} s.`);

    const answer = await grantedVsUsed(executor, store, DEMO_ACTIVITY.identity);
    output.out(`\nGranted vs used, ${DEMO_ACTIVITY.identity} (reachgraph activity IDENTITY):`);
    output.out(grantedVsUsedTable(answer));

    const incident = manifest.incidents.find((i) => i.id === DEMO_ACTIVITY.incident);
    if (!incident) return;
    const events = await incidentEvents(store, incident);
    output.out(`\nAn injected incident, ${incident.id}: ${incident.title}.`);
    output.out(`Its events as the store holds them (${incident.start} to ${incident.end}):`);
    const shown = events.slice(0, EVENT_LINES);
    output.out(
      table(
        ['first', 'identity', 'action', 'resource', 'network', 'regions', 'outcome', 'count'],
        shown.map((e) => [
          e.firstTime.slice(11),
          short(e.identity),
          e.action,
          e.resource ? short(e.resource) : '',
          e.network,
          e.regions.length > 1 ? `${e.regions.length} regions` : e.regions[0],
          e.outcome,
          e.count,
        ]),
      ),
    );
    if (events.length > shown.length) output.out(`… and ${events.length - shown.length} more rows.`);

    // What the anomaly rules make of the last days, with the graph's view (docs/activity.md#anomaly-detectors).
    const last = new Date(Date.parse(manifest.end) - 86_400_000).toISOString().slice(0, 10);
    const from = new Date(Date.parse(manifest.end) - (REVIEW_DAYS + 30) * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const run = await detectAnomalies(store, {
      day: last,
      days: REVIEW_DAYS,
      graph: await readAnomalyGraph(executor, store, from, last),
    });
    const byRule = new Map<string, number>();
    for (const f of run.findings) byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
    output.out(
      `\nAnomalies of the last ${REVIEW_DAYS} days (reachgraph anomalies --days ${REVIEW_DAYS}): ${run.findings.length} finding(s): ${[...byRule].map(([rule, n]) => `${n} ${rule}`).join(', ')}.`,
    );
    const own = run.findings.filter((f) => incident.identities.includes(f.subject.id));
    output.out(`Those on the identities of ${incident.id} (expected: ${incident.expected.join(', ')}):`);
    for (const f of own) output.out(`  ${f.severity.toUpperCase()} ${f.ruleId}: ${f.message}`);
    const burst = own.find((f) => f.ruleId === 'anomaly-access-denied-burst') ?? own[0];
    if (!burst?.events?.length) return;
    output.out(`The events behind ${burst.ruleId}:`);
    output.out(
      table(
        ['time', 'action', 'resource', 'source', 'region', 'outcome', 'request id'],
        burst.events
          .slice(0, ANOMALY_EVENT_LINES)
          .map((e) => [
            e.time,
            e.action,
            e.resource ? short(e.resource) : '',
            e.source,
            e.region,
            e.outcome,
            e.requestId,
          ]),
      ),
    );
    if (burst.events.length > ANOMALY_EVENT_LINES)
      output.out(`… and ${burst.events.length - ANOMALY_EVENT_LINES} more.`);
  } finally {
    store.close();
  }
}

/** `arn:aws:iam::222222222222:user/ci/iam-helper` → `user/ci/iam-helper`; `arn:aws:s3:::b/k` → `b/k`. */
function short(id: string): string {
  const match = /^arn:aws:[^:]*:[^:]*:[^:]*:(.+)$/.exec(id);
  return match ? (match[1] as string) : id;
}
