import { type Command, Option } from 'commander';
import { type GrantedVsUsed, grantedVsUsed } from '../activity/granted-vs-used.js';
import {
  LEAST_PRIVILEGE_FORMATS,
  type LeastPrivilegeFormat,
  type LeastPrivilegeProposal,
  leastPrivilege,
} from '../activity/least-privilege/index.js';
import { ActivityStore, activityDatabasePath, type Coverage } from '../activity/store.js';
import { type UnusedPermissions, unusedPermissions } from '../activity/unused-permissions.js';
import { openGraph } from '../graph/connection.js';
import type { GraphExecutor } from '../graph/executor.js';
import { registerActivityGenerate } from './activity-generate.js';
import type { CliContext } from './context.js';
import { json, table } from './output.js';

/** Runs `fn` with the activity store and the graph open, and closes both. */
export async function withActivity<T>(
  ctx: CliContext,
  fn: (executor: GraphExecutor, store: ActivityStore) => Promise<T>,
): Promise<T> {
  const store = await ActivityStore.open(activityDatabasePath(ctx.config));
  try {
    const graph = await openGraph(ctx.config, { onProgress: (m) => ctx.output.err(m) });
    try {
      return await fn(graph.executor, store);
    } finally {
      await graph.close();
    }
  } finally {
    store.close();
  }
}

/** The window line every activity answer prints first. */
export function windowLine(coverage: Coverage[]): string {
  return coverage.length
    ? coverage
        .map((c) => `${c.account} ${c.firstEvent} → ${c.lastEvent} (${c.days} days with events)`)
        .join('; ')
    : 'no logs of this identity’s accounts ingested: nothing is known to be unused';
}

export function registerActivity(program: Command, context: () => CliContext): void {
  const activity = program.command('activity');
  registerActivityGenerate(activity, context);
  activity
    .description(
      'Granted vs used for one identity: its access, assume and impersonation edges from the graph, each marked used or not from the activity store (docs/activity.md)',
    )
    .argument('<identity>', 'the identity node id (an ARN, aws:service:…, oidc:…)')
    .option('--json', 'print the answer as JSON')
    .action(async (identity: string, options: { json?: boolean }) => {
      const ctx = context();
      const { output } = ctx;
      await withActivity(ctx, async (executor, store) => {
        const answer = await grantedVsUsed(executor, store, identity);
        if (options.json) {
          output.out(json(answer));
          return;
        }
        output.out(`${identity}\n  window: ${windowLine(answer.coverage)}`);
        output.out(grantedVsUsedTable(answer));
        const unused = answer.granted.filter((g) => !g.used).length;
        output.out(`  ${answer.granted.length} granted, ${unused} unused over the window.`);
        for (const u of answer.unpredicted)
          output.out(
            `  assumed without a predicted edge: ${u.resource} (${u.action}, ${u.count}×, last ${u.lastTime})`,
          );
        for (const d of answer.unpredictedImpersonations)
          output.out(
            `  impersonated without a predicted edge: ${d.origin} → ${d.identity} (${d.count}×, last ${d.lastTime})`,
          );
        for (const d of answer.denied)
          output.out(
            `  denied: ${d.action} on ${d.resource ?? '(no resource)'} ${d.count}×, last ${d.lastTime}`,
          );
      });
    });

  program
    .command('unused-permissions')
    .description(
      'Unused permissions of one identity over the window its logs cover: services, actions and resources granted vs used, the roles and identities it never assumed or impersonated, and the routes to production data it never exercised (docs/activity.md)',
    )
    .argument('<identity>', 'the identity node id (an ARN, gcp:sa:…, a Kubernetes service account id)')
    .option('--json', 'print the answer as JSON')
    .action(async (identity: string, options: { json?: boolean }) => {
      const ctx = context();
      const answer = await withActivity(ctx, (executor, store) =>
        unusedPermissions(executor, store, identity),
      );
      ctx.output.out(options.json ? json(answer) : unusedText(answer));
    });

  program
    .command('least-privilege')
    .description(
      'A least-privilege proposal for one identity from what its logs show it used: an AWS IAM policy, Kubernetes Roles and bindings, or GCP predefined roles and a custom role; with the window it is based on and what it removes (docs/activity.md)',
    )
    .argument('<identity>', 'the identity node id (an ARN, gcp:sa:…, a Kubernetes service account id)')
    .addOption(
      new Option('--format <format>', 'the proposal’s form (default: from the identity’s provider)').choices([
        ...LEAST_PRIVILEGE_FORMATS,
      ]),
    )
    .option('--json', 'print the proposal, its window and what it removes as JSON')
    .option('--document', 'print only the document (the policy JSON or the YAML), to apply it')
    .action(
      async (
        identity: string,
        options: { format?: LeastPrivilegeFormat; json?: boolean; document?: boolean },
      ) => {
        const ctx = context();
        const proposal = await withActivity(ctx, (executor, store) =>
          leastPrivilege(executor, store, identity, options.format),
        );
        if (options.json) ctx.output.out(json(proposal));
        else if (options.document) ctx.output.out(proposal.document ?? '');
        else ctx.output.out(proposalText(proposal));
      },
    );
}

/** The text form of `reachgraph least-privilege`: the window, the document, what it removes. */
export function proposalText(p: LeastPrivilegeProposal): string {
  const lines = [
    `${p.identity} (${p.format})`,
    `  window: ${windowLine(p.coverage)}`,
    `  based on ${p.calls} successful calls of ${p.actions} actions`,
  ];
  for (const n of p.notes) lines.push(`  note: ${n}`);
  if (p.document) lines.push('', p.document.trimEnd(), '');
  lines.push('It removes (granted, never used over the window):');
  for (const r of p.removes.resources)
    lines.push(`  ${r.resource}${r.environment ? ` (${r.environment})` : ''}: ${r.actions.join(' ')}`);
  for (const h of p.removes.hops) lines.push(`  ${h.type} ${h.target}`);
  for (const r of p.removes.pathsToProduction) lines.push(`  the unused path to production data ${r}`);
  if (p.removes.resources.length + p.removes.hops.length === 0) lines.push('  nothing');
  return lines.join('\n');
}

/** The text form of `reachgraph unused-permissions`. */
export function unusedText(a: UnusedPermissions): string {
  const lines = [`${a.identity}`, `  window: ${windowLine(a.coverage)}`];
  const names = (label: string, n: { granted: string[]; used: string[]; unused: string[] }) =>
    `  ${label}: ${n.granted.length} granted, ${n.used.length} used, ${n.unused.length} unused${n.unused.length ? `: ${n.unused.join(' ')}` : ''}`;
  lines.push(names('services', a.services), names('actions', a.actions));
  lines.push(
    table(
      ['resource', 'environment', 'levels', 'used', 'uses', 'last used', 'unused actions'],
      a.resources.map((r) => [
        r.resource,
        r.environment,
        r.levels.join(' '),
        r.useCount > 0 ? 'yes' : a.window ? 'no' : 'unknown',
        r.useCount,
        r.lastUsed,
        r.unused.join(' '),
      ]),
    ),
  );
  for (const h of a.hops)
    lines.push(
      `  ${h.type} ${h.target}: ${h.used ? `used ${h.useCount}×, last ${h.lastUsed}` : a.window ? 'unused' : 'unknown'}`,
    );
  const route = (r: UnusedPermissions['unusedPathsToProduction'][number]) =>
    `  ${r.resource} (${r.levels.join(' ')}): ${r.hops.map((h) => `${h.type}${h.used ? '' : ' (unused)'} → ${h.to}`).join(', ')}`;
  lines.push(`Unused paths to production (${a.unusedPathsToProduction.length}):`);
  lines.push(...a.unusedPathsToProduction.map(route));
  lines.push(`Exercised paths to production (${a.exercisedPathsToProduction.length}):`);
  lines.push(...a.exercisedPathsToProduction.map(route));
  return lines.join('\n');
}

/** Granted vs used of one identity as a table, the CLI's and the demo's: an unused grant reads NO. */
export function grantedVsUsedTable(answer: GrantedVsUsed): string {
  return table(
    ['edge', 'target', 'environment', 'used', 'uses', 'last used', 'actions used'],
    answer.granted.map((g) => [
      g.type,
      g.target,
      g.environment,
      g.used ? 'yes' : 'NO',
      g.useCount,
      g.lastUsed,
      g.actionsUsed.join(' '),
    ]),
  );
}
