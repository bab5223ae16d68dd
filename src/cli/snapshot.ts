import type { Command } from 'commander';
import { getAwsLive } from '../collectors/aws/live.js';
import { writeAwsSnapshot } from '../collectors/aws/snapshot.js';
import { allIssues, transformAws } from '../collectors/aws/transform.js';
import { concurrencyOf } from '../providers/aws/source.js';
import type { CliContext } from './context.js';
import { json } from './output.js';

/** `reachgraph snapshot aws`: write the AWS snapshot layout (docs/snapshots.md) from the live API. */
export function registerSnapshot(program: Command, context: () => CliContext): void {
  const snapshot = program
    .command('snapshot')
    .description('Write a snapshot directory from a live cloud API');
  snapshot
    .command('aws')
    .description('Collect AWS accounts read-only and write them in the snapshot layout (docs/snapshots.md)')
    .requiredOption('--out <dir>', 'snapshot directory to write (aws/<account-id>/… inside it)')
    .option('--profile <name>', 'AWS profile (default: the default credential chain)')
    .option('--role-arn <arn...>', 'role to assume per account (repeatable)')
    .option('--region <region>', 'home region, and the only region collected (default: every enabled region)')
    .option('--endpoint-url <url>', 'custom endpoint for every AWS service')
    .option('--concurrency <n>', 'per-resource calls in flight at once, per service and region (default 8)')
    .option('--json', 'print the summary as JSON')
    .action(
      async (options: {
        out: string;
        profile?: string;
        roleArn?: string[];
        region?: string;
        endpointUrl?: string;
        concurrency?: string;
        json?: boolean;
      }) => {
        const { output, logger } = context();
        const raw = await getAwsLive({
          ...(options.profile ? { profile: options.profile } : {}),
          ...(options.roleArn?.length ? { roleArns: options.roleArn } : {}),
          ...(options.region ? { region: options.region } : {}),
          ...(options.endpointUrl ? { endpoint: options.endpointUrl } : {}),
          ...(options.concurrency !== undefined ? { concurrency: concurrencyOf(options.concurrency) } : {}),
          onProgress: (message) => {
            logger.info(message);
            if (!options.json) output.err(message);
          },
        });
        await writeAwsSnapshot(raw, options.out);
        const issues = allIssues(transformAws(raw)).filter((i) => i.severity !== 'info');
        const summary = {
          out: options.out,
          accounts: Object.keys(raw.accounts),
          organization: raw.organization !== undefined,
          problems: issues.map((i) => `${i.source}: ${i.message}`),
        };
        if (options.json) output.out(json(summary));
        else {
          output.out(
            [
              `Wrote ${summary.accounts.length} account(s) to ${options.out}: ${summary.accounts.join(', ')}${summary.organization ? ' and the organization' : ''}.`,
              ...summary.problems.map((p) => `  problem: ${p}`),
            ].join('\n'),
          );
        }
      },
    );
}
