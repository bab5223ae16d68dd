import type { Command } from 'commander';
import { grantedVsUsed } from '../activity/granted-vs-used.js';
import { ActivityStore, activityDatabasePath } from '../activity/store.js';
import { openGraph } from '../graph/connection.js';
import { registerActivityGenerate } from './activity-generate.js';
import type { CliContext } from './context.js';
import { json, table } from './output.js';

export function registerActivity(program: Command, context: () => CliContext): void {
  const activity = program.command('activity');
  registerActivityGenerate(activity, context);
  activity
    .description(
      'Granted vs used for one identity: its access and assume edges from the graph, each marked used or not from the activity store (docs/activity.md)',
    )
    .argument('<identity>', 'the identity node id (an ARN, aws:service:…, oidc:…)')
    .option('--json', 'print the answer as JSON')
    .action(async (identity: string, options: { json?: boolean }) => {
      const ctx = context();
      const { config, output } = ctx;
      const store = await ActivityStore.open(activityDatabasePath(config));
      const graph = await openGraph(config, { onProgress: (m) => output.err(m) });
      try {
        const answer = await grantedVsUsed(graph.executor, store, identity);
        if (options.json) {
          output.out(json(answer));
          return;
        }
        const window = answer.coverage.length
          ? answer.coverage
              .map((c) => `${c.account} ${c.firstEvent} → ${c.lastEvent} (${c.days} days with events)`)
              .join('; ')
          : 'no logs of this identity’s accounts ingested';
        output.out(`${identity}\n  window: ${window}`);
        output.out(
          table(
            ['edge', 'target', 'environment', 'used', 'uses', 'last used', 'actions used'],
            answer.granted.map((g) => [
              g.type,
              g.target,
              g.environment,
              g.used ? 'yes' : 'no',
              g.useCount,
              g.lastUsed,
              g.actionsUsed.join(' '),
            ]),
          ),
        );
        const unused = answer.granted.filter((g) => !g.used).length;
        output.out(`  ${answer.granted.length} granted, ${unused} unused over the window.`);
        for (const u of answer.unpredicted)
          output.out(
            `  assumed without a predicted edge: ${u.resource} (${u.action}, ${u.count}×, last ${u.lastTime})`,
          );
        for (const d of answer.denied)
          output.out(
            `  denied: ${d.action} on ${d.resource ?? '(no resource)'} ${d.count}×, last ${d.lastTime}`,
          );
      } finally {
        store.close();
        await graph.close();
      }
    });
}
