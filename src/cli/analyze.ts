import type { Command } from 'commander';
import type { DerivedEdge } from '../analyzers/aws-iam/types.js';
import { awsValidInventory, describeSource, summarizeAws } from '../pipeline/aws.js';
import { type AwsSourceFlags, awsSourceOf } from '../pipeline/aws-source.js';
import type { CliContext } from './context.js';
import { json } from './output.js';
import { awsSourceOptions, summaryLines } from './sync.js';

export function registerAnalyze(program: Command, context: () => CliContext): void {
  awsSourceOptions(
    program
      .command('analyze')
      .description(
        'Collect and analyze AWS without Neo4j: print the derived edges with their evidence, findings and issues',
      ),
  )
    .option('--json', 'print JSON: edges, findings, issues, stats')
    .action(async (options: AwsSourceFlags & { json?: boolean }) => {
      const { config, output } = context();
      const source = awsSourceOf(options, config.aws);
      const { run, valid } = await awsValidInventory(source, {
        classification: { accountEnvironments: config.aws.accountEnvironments },
      });
      const edges = [...run.analysis.edges].sort(edgeOrder);
      const findings = [...run.analysis.findings].sort((a, b) =>
        a.rule !== b.rule
          ? a.rule < b.rule
            ? -1
            : 1
          : a.subject < b.subject
            ? -1
            : a.subject > b.subject
              ? 1
              : 0,
      );
      const summary = summarizeAws(valid, run);
      if (options.json) {
        output.out(
          json({
            source: describeSource(source),
            accounts: summary.accounts,
            edges,
            findings,
            issues: run.issues,
            stats: run.analysis.stats,
          }),
        );
        return;
      }
      output.out(
        [
          `Analyzed ${describeSource(source)} in ${seconds(run.timings.collectMs + run.timings.analyzeMs)} s.`,
          ...summaryLines(summary, run.issues),
          '',
          ...edges.map(edgeLine),
          ...(findings.length
            ? ['', ...findings.map((f) => `${f.severity.toUpperCase()} ${f.rule} ${f.subject}: ${f.message}`)]
            : []),
        ].join('\n'),
      );
    });
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);

function edgeOrder(a: DerivedEdge, b: DerivedEdge): number {
  for (const key of ['type', 'from', 'to'] as const) {
    if (a[key] !== b[key]) return a[key] < b[key] ? -1 : 1;
  }
  return 0;
}

function edgeLine(edge: DerivedEdge): string {
  const p = edge.properties;
  const detail = Array.isArray(p.levels)
    ? ` [${(p.levels as string[]).join(',')}]`
    : typeof p.technique === 'string'
      ? ` (${p.technique})`
      : '';
  const conditional =
    edge.evidence.length > 0 && edge.evidence.every((e) => e.conditions?.length) ? ' [conditional]' : '';
  return `${edge.type} ${edge.from} -> ${edge.to}${detail}${conditional}: ${edge.evidence[0]?.reason ?? ''}`;
}
