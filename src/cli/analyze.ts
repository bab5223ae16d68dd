import type { Command } from 'commander';
import { expandGrants } from '../model/grants.js';
import type { InventoryNode } from '../model/inventory.js';
import { isOwnedIdentity, parseOwnerCandidates } from '../owners/resolve.js';
import { analyzeProviders } from '../pipeline/sync.js';
import type { DerivedRelationship, SourceOptionValues } from '../providers/contract.js';
import type { CliContext } from './context.js';
import { AS_OF_DESCRIPTION, AS_OF_FLAGS, asOfDate } from './flags.js';
import { json } from './output.js';
import { ownerOptions, ownerSourcesOf } from './owner-flags.js';
import { jobsOf, outcomeLines, ownersLine, perProvider, providerSourceOptions } from './sync.js';

export function registerAnalyze(program: Command, context: () => CliContext): void {
  ownerOptions(
    providerSourceOptions(
      program
        .command('analyze')
        .description(
          'Collect and analyze without Neo4j: print the derived edges with their evidence, findings and issues',
        ),
    ),
  )
    .option('--json', 'print JSON: edges, findings, issues, stats')
    .option(AS_OF_FLAGS, AS_OF_DESCRIPTION)
    .action(
      async (
        names: string[],
        options: SourceOptionValues & {
          snapshot?: string;
          json?: boolean;
          asOf?: string;
          owners?: string;
          codeowners?: string[];
        },
      ) => {
        const ctx = context();
        const { output } = ctx;
        const { json: asJson, asOf: asOfFlag, owners: ownersFlag, codeowners, ...source } = options;
        const asOf = asOfDate(asOfFlag);
        const owners = await ownerSourcesOf(ctx, {
          ...(ownersFlag ? { owners: ownersFlag } : {}),
          ...(codeowners ? { codeowners } : {}),
        });
        const run = await analyzeProviders(jobsOf(ctx, names, source), { owners, ...(asOf ? { asOf } : {}) });
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
              owners: ownersOf(run.valid.inventory.nodes),
              issues: run.issues,
              stats: perProvider(outcomes, (o) => o.analysis.stats),
            }),
          );
          return;
        }
        output.out(
          [
            `Analyzed ${run.sources.join(' + ')} as of ${run.valid.inventory.asOf} in ${seconds(run.timings.collectMs + run.timings.analyzeMs + run.timings.inventoryMs)} s.`,
            ...outcomeLines(outcomes, scopes),
            ownersLine(run.owners),
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

/** Every non-human identity's owner and its evidence (null: unowned), by id. */
function ownersOf(nodes: readonly InventoryNode[]) {
  return nodes
    .filter(isOwnedIdentity)
    .map((n) => ({
      id: n.id,
      owner: n.properties.owner ?? null,
      ownerSource: n.properties.ownerSource ?? null,
      ownerConfidence: n.properties.ownerConfidence ?? null,
      ownerConflict: n.properties.ownerConflict ?? false,
      candidates: parseOwnerCandidates(n.properties.ownerCandidates),
    }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

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
