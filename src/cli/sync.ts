import type { Command } from 'commander';
import { refreshActivitySummary } from '../activity/graph-summary.js';
import type { CollectionIssue } from '../model/collection-issue.js';
import {
  type ProviderJob,
  type ProviderOutcome,
  providerJobs,
  type SyncResult,
  syncProviders,
} from '../pipeline/sync.js';
import type { SourceOptionValues } from '../providers/contract.js';
import { PROVIDER_REGISTRY } from '../providers/registry.js';
import type { CliContext } from './context.js';
import { AS_OF_DESCRIPTION, AS_OF_FLAGS, asOfDate } from './flags.js';
import { formatCounts, json, reachabilityLines } from './output.js';
import { ownerOptions, ownerSourcesOf } from './owner-flags.js';
import { batchSizeOf, runGraphLoad } from './progress.js';

const providerNames = () => PROVIDER_REGISTRY.providers.map((p) => p.name).join(', ');

/**
 * The arguments and options naming what a run collects, shared by `sync` and `analyze`: the
 * providers, `--snapshot`, and each provider's live options.
 */
export function providerSourceOptions(command: Command): Command {
  command
    .argument(
      '[providers...]',
      `providers to collect (${providerNames()}); default: every provider with a folder in the --snapshot root, or every provider live`,
    )
    .option(
      '--snapshot <dir>',
      'read a snapshot root (docs/snapshots.md: aws/… inside it) instead of the live APIs',
    );
  const seen = new Set<string>();
  for (const provider of PROVIDER_REGISTRY.providers)
    for (const option of provider.sourceOptions) {
      if (seen.has(option.flags)) continue;
      seen.add(option.flags);
      command.option(option.flags, option.description);
    }
  return command;
}

/** The jobs the providers and options name: flags that make no sense together throw before anything runs. */
export function jobsOf(
  ctx: CliContext,
  names: readonly string[],
  options: SourceOptionValues & { snapshot?: string },
  onProgress?: (message: string) => void,
): ProviderJob[] {
  const { snapshot, ...rest } = options;
  return providerJobs(
    PROVIDER_REGISTRY,
    names,
    snapshot !== undefined
      ? { snapshotRoot: snapshot, options: rest }
      : { live: true, options: rest, ...(onProgress ? { onProgress } : {}) },
    ctx.config,
  );
}

/** One provider's value as itself; several providers' as an object keyed by provider name. */
export function perProvider<T>(
  outcomes: readonly ProviderOutcome[],
  value: (o: ProviderOutcome) => T,
): unknown {
  const [only] = outcomes;
  if (outcomes.length === 1 && only) return value(only);
  return Object.fromEntries(outcomes.map((o) => [o.provider.name, value(o)]));
}

interface SyncFlags extends SourceOptionValues {
  snapshot?: string;
  batchSize?: string;
  json?: boolean;
  progress: boolean;
  summary: boolean;
  asOf?: string;
  owners?: string;
  codeowners?: string[];
}

export function registerSync(program: Command, context: () => CliContext): void {
  ownerOptions(
    providerSourceOptions(
      program
        .command('sync')
        .description(
          'Collect (live or a snapshot), analyze and load one or more providers into the graph: one run, scoped per account, cluster or project',
        ),
    ),
  )
    .option('--batch-size <n>', 'rows per transaction (default from config: load.batchSize)')
    .option('--json', 'print the result as JSON')
    .option('--no-progress', 'do not show progress')
    .option('--no-summary', 'do not recompute the reachability summary the API answers global questions from')
    .option(AS_OF_FLAGS, AS_OF_DESCRIPTION)
    .action(async (names: string[], options: SyncFlags) => {
      const ctx = context();
      const { config, output, logger } = ctx;
      const {
        batchSize: batchFlag,
        json: asJson,
        progress,
        summary,
        asOf: asOfFlag,
        owners: ownersFlag,
        codeowners,
        ...source
      } = options;
      const asOf = asOfDate(asOfFlag);
      const owners = await ownerSourcesOf(ctx, {
        ...(ownersFlag ? { owners: ownersFlag } : {}),
        ...(codeowners ? { codeowners } : {}),
      });
      const batchSize = batchSizeOf(batchFlag, config.load.batchSize);
      // Live collection can take minutes: say what it is doing, on stderr.
      const jobs = jobsOf(ctx, names, source, asJson ? undefined : (m) => output.err(m));
      const result = await runGraphLoad(ctx, progress && !asJson, async (graph, hooks) => {
        const synced = await syncProviders(graph, jobs, {
          batchSize,
          summary,
          owners,
          ...(asOf ? { asOf } : {}),
          ...hooks,
          onStep: (step) => logger.info({ step }, `sync ${jobs.map((j) => j.provider.name).join(' ')}`),
        });
        // The load replaced node properties whole: write the activity summary again (docs/activity.md).
        if (synced.load.status === 'succeeded') {
          const activity = await refreshActivitySummary(await graph, config, {
            warn: (reason) => output.err(`activity summary not written: ${reason}`),
          });
          if (activity) logger.info({ activity }, 'activity summary written');
        }
        return synced;
      });
      const { load, outcomes } = result;
      if (asJson) {
        output.out(
          json({
            runId: load.runId,
            status: load.status,
            asOf: result.asOf,
            summary: perProvider(outcomes, (o) => o.summary),
            counts: load.counts,
            deleted: load.deleted,
            cleanedScopes: load.cleanedScopes,
            protectedScopes: result.protectedScopes,
            owners: result.owners,
            issues: result.issues,
            timings: result.timings,
          }),
        );
        return;
      }
      const t = result.timings;
      output.out(
        [
          `Run ${load.runId} ${load.status} (as of ${result.asOf}) in ${seconds(t.collectMs + t.analyzeMs + t.inventoryMs + t.graphWaitMs + t.loadMs)} s (collect ${seconds(t.collectMs)} s, analyze ${seconds(t.analyzeMs)} s, inventory ${seconds(t.inventoryMs)} s, ${t.graphWaitMs >= 50 ? `waiting for Neo4j to be ready ${seconds(t.graphWaitMs)} s, ` : ''}load ${seconds(t.loadMs)} s).`,
          ...outcomeLines(outcomes, result.scopes),
          `  written: ${formatCounts(load.counts)}`,
          `  deleted (stale): ${formatCounts(load.deleted)}`,
          `  cleaned scopes: ${load.cleanedScopes.join(', ') || 'none'}`,
          ownersLine(result.owners),
          ...reachabilityLines(load.reachability),
          ...(result.protectedScopes.length
            ? [
                `  kept (edges into an incomplete ${outcomes.length === 1 ? outcomes[0]?.provider.scopeNoun.one : 'scope'}): ${result.protectedScopes.join(', ')}`,
              ]
            : []),
        ].join('\n'),
      );
    });
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);

/** How many non-human identities have an owner (docs/owners.md); shared with `analyze`. */
export function ownersLine(owners: SyncResult['owners']): string {
  return `  owners: ${owners.owned} of ${owners.identities} non-human identities owned, ${owners.unowned} unowned, ${owners.conflicts} with conflicting sources`;
}
const MAX_ISSUES_SHOWN = 10;

/**
 * Each provider's summary as indented lines (shared with `analyze`); with several providers, each
 * under its title.
 */
export function outcomeLines(
  outcomes: readonly ProviderOutcome[],
  scopes: readonly { id: string; complete: boolean }[],
): string[] {
  if (outcomes.length === 1 && outcomes[0]) return summaryLines(outcomes[0], scopes);
  return outcomes.flatMap((o) => [
    `  ${o.provider.title} (${o.source}):`,
    ...summaryLines(o, scopes).map((line) => `  ${line}`),
  ]);
}

function summaryLines(
  outcome: ProviderOutcome,
  scopes: readonly { id: string; complete: boolean }[],
): string[] {
  const { provider, summary, issues } = outcome;
  const own = new Set(outcome.inventory.scopes.map((s) => s.id));
  const mine = scopes
    .filter((s) => own.has(s.id))
    .map((s) => `${s.id}${s.complete ? '' : ' (incomplete: stale data kept)'}`)
    .join(', ');
  const errors = issues.filter((i: CollectionIssue) => i.severity === 'error');
  return [
    `  ${provider.scopeNoun.many}: ${mine || 'none'}`,
    `  principals: ${summary.principals}`,
    `  derived edges: ${formatCounts(summary.edges)}`,
    `  findings: ${formatCounts(summary.findings)}`,
    `  issues: ${summary.issues.error} errors, ${summary.issues.warning} warnings, ${summary.issues.info} notes`,
    ...errors
      .slice(0, MAX_ISSUES_SHOWN)
      .map((i) => `    error: ${i.source}${i.object ? ` (${i.object})` : ''}: ${i.message}`),
    ...(errors.length > MAX_ISSUES_SHOWN
      ? [`    … and ${errors.length - MAX_ISSUES_SHOWN} more errors`]
      : []),
  ];
}
