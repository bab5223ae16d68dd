import type { Command } from 'commander';
import { type AnomalyFilter, queryAnomalies } from '../activity/anomalies/query.js';
import { ActivityStore, activityDatabasePath } from '../activity/store.js';
import { openGraph } from '../graph/connection.js';
import { readRulesConfig } from '../reports/rules/config.js';
import { readSuppressions } from '../reports/suppressions.js';
import { SEVERITIES, type Severity } from '../reports/types.js';
import type { CliContext } from './context.js';
import { positiveInteger } from './flags.js';
import { graphAvailable } from './ingest-command.js';
import { json, table } from './output.js';

interface AnomalyFlags {
  identity?: string;
  day?: string;
  days?: string;
  baselineDays?: string;
  rule?: string[];
  minSeverity?: string;
  rulesConfig?: string;
  suppressions?: string;
  graph: boolean;
  json?: boolean;
}

export function registerAnomalies(program: Command, context: () => CliContext): void {
  program
    .command('anomalies')
    .description(
      'Non-human identities behaving unlike themselves: the anomaly rules over the activity store, each day against the identity’s own baseline, with the events behind each anomaly (docs/activity.md#anomaly-detectors)',
    )
    .option('--identity <id>', 'only this identity (node id: an ARN, gcp:sa:…, k8s:…)')
    .option(
      '--day <YYYY-MM-DD>',
      'the (last) day under review (default: the last day the store holds events for)',
    )
    .option('--days <n>', 'review this many days ending at --day, each against its own baseline (default 1)')
    .option('--baseline-days <n>', 'days of baseline before each day under review (default 30)')
    .option(
      '--rule <id>',
      'only this anomaly rule; repeatable',
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .option('--min-severity <severity>', `only anomalies at least this severe (${SEVERITIES.join('|')})`)
    .option(
      '--rules-config <file>',
      'rules config (YAML or JSON): enable/disable rules, severities, thresholds',
    )
    .option('--suppressions <file>', 'accepted risks (YAML or JSON list of fingerprint, reason, expires)')
    .option('--no-graph', 'do not read the graph (identity kinds, environments and edges are then unknown)')
    .option('--json', 'print the answer as JSON')
    .action(async (flags: AnomalyFlags) => {
      const ctx = context();
      const { config, output } = ctx;
      if (flags.minSeverity && !(SEVERITIES as readonly string[]).includes(flags.minSeverity))
        throw new Error(
          `--min-severity: expected one of ${SEVERITIES.join(', ')}, got "${flags.minSeverity}"`,
        );
      const filter: AnomalyFilter = {
        ...(flags.identity ? { identity: flags.identity } : {}),
        ...(flags.day ? { day: flags.day } : {}),
        ...(flags.days ? { days: positiveInteger(flags.days, '--days') } : {}),
        ...(flags.baselineDays
          ? { baselineDays: positiveInteger(flags.baselineDays, '--baseline-days') }
          : {}),
        ...(flags.rule ? { ruleIds: flags.rule } : {}),
        ...(flags.minSeverity ? { minSeverity: flags.minSeverity as Severity } : {}),
      };
      const rulesConfig = flags.rulesConfig ? readRulesConfig(flags.rulesConfig) : undefined;
      const suppressionsFile = flags.suppressions ?? rulesConfig?.suppressions;
      const suppressions = suppressionsFile ? await readSuppressions(suppressionsFile) : [];
      const store = await ActivityStore.open(activityDatabasePath(config));
      const graph =
        flags.graph && (await graphAvailable(ctx))
          ? await openGraph(config, { onProgress: (m) => output.err(m) })
          : undefined;
      try {
        const answer = await queryAnomalies(store, filter, {
          ...(graph ? { executor: graph.executor } : {}),
          ...(rulesConfig ? { rulesConfig } : {}),
          suppressions,
        });
        if (flags.json) {
          output.out(json(answer));
          return;
        }
        const reviewed =
          answer.days.map((d) => `${d.day} (${d.identities})`).join(', ') || 'none (no events)';
        output.out(
          `Days reviewed (non-human identities active): ${reviewed}; baseline ${answer.baselineDays} days before each${graph ? '' : '; no graph read'}.`,
        );
        if (answer.anomalies.length === 0) output.out('No anomalies.');
        for (const a of answer.anomalies) {
          output.out(`\n[${a.severity}] ${a.ruleId} ${a.fingerprint}\n  ${a.message}`);
          output.out(
            table(
              ['time', 'action', 'resource', 'source', 'region', 'outcome', 'request id'],
              (a.events ?? []).map((e) => [
                e.time,
                e.action,
                e.resource,
                e.source,
                e.region,
                e.outcome,
                e.requestId,
              ]),
            ),
          );
        }
        if (answer.suppressed.length > 0) output.out(`\n${answer.suppressed.length} suppressed.`);
      } finally {
        store.close();
        await graph?.close();
      }
    });
}
