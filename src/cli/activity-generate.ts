import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { generateActivity, MANIFEST, type Manifest } from '../activity/generate/index.js';
import { packageRoot } from '../package-root.js';
import type { CliContext } from './context.js';
import { SAMPLE_ENV } from './demo.js';
import { json, table } from './output.js';

/** The commands that ingest a generated set, one per source. */
export function ingestCommands(dir: string, manifest: Manifest): string[] {
  const { sources } = manifest;
  return [
    `reachgraph ingest aws-cloudtrail ${join(dir, sources['aws-cloudtrail'].path)}`,
    `reachgraph ingest gcp-audit ${join(dir, sources['gcp-audit'].path)}`,
    `reachgraph ingest kubernetes-audit ${join(dir, sources['kubernetes-audit'].path)} --cluster ${sources['kubernetes-audit'].cluster}`,
  ];
}

function whole(flag: string, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n))
    throw new Error(`${flag}: expected a whole number, got "${value}"`);
  return n;
}

/** `reachgraph activity generate --out DIR [--days 30] [--seed N] [--end YYYY-MM-DD] [--no-incidents]`. */
export function registerActivityGenerate(activity: Command, context: () => CliContext): void {
  activity
    .command('generate')
    .description(
      'Generate realistic CloudTrail, Cloud Audit Logs and Kubernetes audit logs of the sample estate, with injected incidents and their ground truth (docs/activity.md#generated-logs-and-the-detection-evaluation)',
    )
    .requiredOption('--out <dir>', 'the directory to write into (new or empty)')
    .option('--days <n>', 'days of logs, ending at --end', '30')
    .option('--seed <n>', 'the random seed: the same seed and end give the same logs', '1')
    .option('--end <date>', 'the end of the period (exclusive, YYYY-MM-DD, UTC); default: today')
    .option('--no-incidents', 'normal behaviour only')
    .option('--json', 'print the manifest as JSON')
    .action(
      async (options: {
        out: string;
        days: string;
        seed: string;
        end?: string;
        incidents: boolean;
        json?: boolean;
      }) => {
        const { output } = context();
        const end = options.end === undefined ? undefined : new Date(`${options.end}T00:00:00Z`);
        if (end && Number.isNaN(end.getTime()))
          throw new Error(`--end: expected YYYY-MM-DD, got "${options.end}"`);
        const out = resolve(options.out);
        const started = Date.now();
        const manifest = await generateActivity({
          out,
          snapshot: join(packageRoot(), SAMPLE_ENV),
          days: whole('--days', options.days),
          seed: whole('--seed', options.seed),
          incidents: options.incidents,
          ...(end ? { end } : {}),
        });
        if (options.json) {
          output.out(json(manifest));
          return;
        }
        const { sources } = manifest;
        output.out(
          `Generated ${manifest.days} days (${manifest.start.slice(0, 10)} to ${manifest.end.slice(0, 10)}, end excluded) of logs of ${SAMPLE_ENV} into ${out} in ${((Date.now() - started) / 1000).toFixed(1)} s (seed ${manifest.seed}):`,
        );
        output.out(
          table(
            ['source', 'files', 'events', 'path'],
            Object.entries(sources).map(([name, s]) => [name, s.files, s.events, s.path]),
          ),
        );
        if (manifest.incidents.length > 0) {
          output.out(`Injected incidents (the ground truth is in ${join(out, MANIFEST)}):`);
          output.out(
            table(
              ['incident', 'identity', 'start', 'events', 'expected detectors'],
              manifest.incidents.map((i) => [
                i.id,
                i.identity,
                i.start,
                Object.values(i.events).reduce((a, b) => a + b, 0),
                i.expected.join(' '),
              ]),
            ),
          );
        } else output.out('No incidents (--no-incidents).');
        output.out(['Ingest them:', ...ingestCommands(out, manifest).map((c) => `  ${c}`)].join('\n'));
      },
    );
}
