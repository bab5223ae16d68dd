import type { Command } from 'commander';
import { getAwsLive } from '../collectors/aws/live.js';
import { writeAwsSnapshot } from '../collectors/aws/snapshot.js';
import { allIssues, transformAws } from '../collectors/aws/transform.js';
import { getGcpLive } from '../collectors/gcp/live.js';
import { writeGcpSnapshot } from '../collectors/gcp/snapshot.js';
import { getKubernetesLive } from '../collectors/kubernetes/live.js';
import { rawIssues, writeKubernetesSnapshot } from '../collectors/kubernetes/snapshot.js';
import { concurrencyOf } from '../providers/aws/source.js';
import { gcpRequest } from '../providers/gcp/index.js';
import type { CliContext } from './context.js';
import { json } from './output.js';

/** `reachgraph snapshot aws|kubernetes|gcp`: write a provider's snapshot layout (docs/snapshots.md) from its live API. */
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
  snapshot
    .command('kubernetes')
    .description(
      'Collect Kubernetes clusters read-only and write them in the snapshot layout (docs/kubernetes.md); secrets as metadata only',
    )
    .requiredOption('--out <dir>', 'snapshot directory to write (kubernetes/<cluster>/… inside it)')
    .option('--context <name...>', 'kubeconfig context to collect (repeatable; default the current one)')
    .option('--kubeconfig <file>', 'the kubeconfig file (default KUBECONFIG, else ~/.kube/config)')
    .option('--json', 'print the summary as JSON')
    .action(async (options: { out: string; context?: string[]; kubeconfig?: string; json?: boolean }) => {
      const { output, logger, config } = context();
      const kubeconfig = options.kubeconfig ?? config.kubernetes.kubeconfig;
      const contexts = options.context ?? config.kubernetes.contexts;
      const raw = await getKubernetesLive({
        ...(kubeconfig ? { kubeconfig } : {}),
        ...(contexts.length ? { contexts } : {}),
        ...(Object.keys(config.kubernetes.userGroups).length
          ? { userGroups: config.kubernetes.userGroups }
          : {}),
        ...(Object.keys(config.kubernetes.workloadPools).length
          ? { workloadPools: config.kubernetes.workloadPools }
          : {}),
        onProgress: (message) => {
          logger.info(message);
          if (!options.json) output.err(message);
        },
      });
      await writeKubernetesSnapshot(raw, options.out);
      const summary = {
        out: options.out,
        clusters: raw.clusters.map((c) => c.name),
        problems: rawIssues(raw)
          .filter((i) => i.severity !== 'info')
          .map((i) => `${i.source}: ${i.message}`),
      };
      if (options.json) output.out(json(summary));
      else
        output.out(
          [
            `Wrote ${summary.clusters.length} cluster(s) to ${options.out}: ${summary.clusters.join(', ')}.`,
            ...summary.problems.map((p) => `  problem: ${p}`),
          ].join('\n'),
        );
    });
  snapshot
    .command('gcp')
    .description(
      'Collect a GCP organization, folders or projects read-only and write them in the snapshot layout (docs/gcp.md); key metadata only',
    )
    .requiredOption(
      '--out <dir>',
      'snapshot directory to write (gcp/organization/, gcp/folders/<n>/, gcp/projects/<id>/)',
    )
    .option(
      '--organization <number>',
      'the organization (with no --folder or --project, everything under it)',
    )
    .option('--folder <number...>', 'folder to collect with everything under it (repeatable)')
    .option('--project <id...>', 'project to collect (repeatable)')
    .option('--impersonate-service-account <email>', 'act as this service account, as gcloud does')
    .option('--group-members', 'also read the Cloud Identity members of the groups the policies name')
    .option('--concurrency <n>', 'API calls in flight at once (default 8)')
    .option('--json', 'print the summary as JSON')
    .action(
      async (options: {
        out: string;
        organization?: string;
        folder?: string[];
        project?: string[];
        impersonateServiceAccount?: string;
        groupMembers?: boolean;
        concurrency?: string;
        json?: boolean;
      }) => {
        const { output, logger, config } = context();
        const { out, json: asJson, ...flags } = options;
        const request = gcpRequest(
          {
            live: flags,
            onProgress: (message) => {
              logger.info(message);
              if (!asJson) output.err(message);
            },
          },
          config.gcp,
        );
        if (!('live' in request.source)) throw new Error('gcp: expected a live source');
        const raw = await getGcpLive(request.source.live);
        await writeGcpSnapshot(raw, out);
        const summary = {
          out,
          levels: raw.levels.map((l) => (l.kind === 'organization' ? 'organization' : `${l.kind}s/${l.id}`)),
          problems: raw.issues
            .filter((i) => i.severity !== 'info')
            .map((i) => `${i.source}${i.object ? ` (${i.object})` : ''}: ${i.message}`),
        };
        if (asJson) output.out(json(summary));
        else
          output.out(
            [
              `Wrote ${summary.levels.length} level(s) to ${out}: ${summary.levels.join(', ')}.`,
              ...summary.problems.map((p) => `  problem: ${p}`),
            ].join('\n'),
          );
      },
    );
}
