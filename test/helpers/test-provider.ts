import type { Provider, ProviderAnalysis, ProviderSummary } from '../../src/providers/contract.js';
import { scopeStates, summarizeRun } from '../../src/providers/summary.js';

/**
 * A tiny provider for pipeline tests: a system of identities and resources held in memory,
 * `grants` derived into CAN_ACCESS edges, one `custom:<system>` scope. `broken` makes its
 * collection report an error, so its scope is incomplete.
 */
export interface LedgerEnvironment {
  system: string;
  identities: string[];
  resources: string[];
  /** [identity, resource] pairs that can read. */
  grants: [string, string][];
  broken?: boolean;
}

export interface LedgerSummary extends ProviderSummary {
  scopes: { id: string; complete: boolean }[];
}

export const identityId = (system: string, name: string) => `custom:${system}:identity/${name}`;
export const resourceId = (system: string, name: string) => `custom:${system}:resource/${name}`;

export function ledgerProvider(
  name = 'ledger',
): Provider<LedgerEnvironment, LedgerEnvironment, ProviderAnalysis, LedgerSummary> {
  return {
    name,
    title: `Ledger ${name}`,
    graphProvider: 'custom',
    scopePrefix: 'custom',
    scopeNoun: { one: 'system', many: 'systems' },
    snapshotLayout: {
      folder: name,
      description: 'none: held in memory',
      doc: 'test/helpers/test-provider.ts',
    },
    nodeKinds: ['CustomIdentity', 'CustomResource'],
    relationshipKinds: ['CAN_ACCESS', 'CONTAINS'],
    docs: { guide: 'test/helpers/test-provider.ts', generated: [] },
    sourceOptions: [],
    requestOf: () => {
      throw new Error('the ledger provider is only given its environment directly');
    },
    describeSource: (request) => `${name} memory ${request.system}`,
    async collect(request) {
      return {
        environment: request,
        issues: request.broken
          ? [{ severity: 'error', source: `${name}/${request.system}`, message: 'could not be read' }]
          : [],
      };
    },
    async analyze(environment) {
      return {
        edges: environment.grants.map(([identity, resource]) => ({
          type: 'CAN_ACCESS',
          from: identityId(environment.system, identity),
          to: resourceId(environment.system, resource),
          properties: { levels: ['read'] },
          evidence: [
            {
              source: 'declared',
              ref: `${environment.system}/grants`,
              reason: `${identity} may read ${resource} in ${environment.system}`,
            },
          ],
        })),
        findings: [],
        issues: [],
        stats: { grants: environment.grants.length },
      };
    },
    inventory(_request, environment, analysis, context) {
      const scope = `custom:${environment.system}`;
      const node = (kind: string, id: string, label: string) => ({
        id,
        kind,
        scope,
        properties: {
          name: label,
          provider: 'custom',
          system: environment.system,
          ...(kind === 'CustomIdentity' ? { nonHuman: true, nhiType: 'bot' } : {}),
        },
      });
      return {
        format: 'reachgraph-inventory',
        version: 1,
        source: { name: context.sourceName },
        scopes: [
          {
            id: scope,
            provider: 'custom',
            complete: !environment.broken,
            ...(environment.broken ? { errors: ['could not be read'] } : {}),
          },
        ],
        nodes: [
          ...environment.identities.map((i) => node('CustomIdentity', identityId(environment.system, i), i)),
          ...environment.resources.map((r) => node('CustomResource', resourceId(environment.system, r), r)),
        ],
        relationships: [...analysis.edges],
      };
    },
    summarize: (analysis, inventory, issues) => ({
      scopes: scopeStates(inventory),
      ...summarizeRun(analysis, inventory, issues),
    }),
  };
}
