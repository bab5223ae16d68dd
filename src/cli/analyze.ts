import type { Command } from 'commander';
import { expandGrants } from '../model/grants.js';
import { analyzeProviders } from '../pipeline/sync.js';
import type { DerivedRelationship, SourceOptionValues } from '../providers/contract.js';
import type { CliContext } from './context.js';
import { AS_OF_DESCRIPTION, AS_OF_FLAGS, asOfDate } from './flags.js';
import { json } from './output.js';
import { jobsOf, outcomeLines, perProvider, providerSourceOptions } from './sync.js';

export function registerAnalyze(program: Command, context: () => CliContext): void {
  providerSourceOptions(
    program
      .command('analyze')
      .description(
        'Collect and analyze without Neo4j: print the derived edges with their evidence, findings and issues',
      ),
  )
    .option('--json', 'print JSON: edges, findings, issues, stats')
    .option(AS_OF_FLAGS, AS_OF_DESCRIPTION)
    .action(
      async (
        names: string[],
        options: SourceOptionValues & { snapshot?: string; json?: boolean; asOf?: string },
      ) => {
        const ctx = context();
        const { output } = ctx;
        const { json: asJson, asOf: asOfFlag, ...source } = options;
        const asOf = asOfDate(asOfFlag);
        const run = await analyzeProviders(jobsOf(ctx, names, source), asOf ? { asOf } : {});
        const { outcomes } = run;
        // Grant hubs (src/model/grants.ts) are printed as the pair edges they stand for.
        const edges = expandGrants({
          nodes: run.valid.inventory.nodes,
          relationships: [...outcomes.flatMap((o) => o.analysis.edges), ...run.crossProvider.edges],
        }).relationships.sort(edgeOrder);
        const findings = outcomes
          .flatMap((o) => o.analysis.findings)
          .sort((a, b) =>
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
        const scopes = run.valid.inventory.scopes.map((s) => ({ id: s.id, complete: s.complete }));
        if (asJson) {
          const [only] = outcomes;
          output.out(
            json({
              source: perProvider(outcomes, (o) => o.source),
              asOf: run.valid.inventory.asOf,
              // One provider: its scopes under its own noun (`accounts`); several: every scope.
              [outcomes.length === 1 && only ? only.provider.scopeNoun.many : 'scopes']: scopes,
              edges,
              findings,
              issues: run.issues,
              stats: perProvider(outcomes, (o) => o.analysis.stats),
            }),
          );
          return;
        }
        output.out(
          [
            `Analyzed ${run.sources.join(' + ')} as of ${run.valid.inventory.asOf} in ${seconds(run.timings.collectMs + run.timings.analyzeMs)} s.`,
            ...outcomeLines(outcomes, scopes),
            '',
            ...edges.map(edgeLine),
            ...(findings.length
              ? [
                  '',
                  ...findings.map((f) => `${f.severity.toUpperCase()} ${f.rule} ${f.subject}: ${f.message}`),
                ]
              : []),
          ].join('\n'),
        );
      },
    );
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);

function edgeOrder(a: DerivedRelationship, b: DerivedRelationship): number {
  for (const key of ['type', 'from', 'to'] as const) {
    if (a[key] !== b[key]) return a[key] < b[key] ? -1 : 1;
  }
  return 0;
}

function edgeLine(edge: DerivedRelationship): string {
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
