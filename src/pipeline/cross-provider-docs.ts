import { EDGES_DOC, edgesMarkdown } from '../analyzers/aws-iam/edges/docs.js';
import { GKE_WORKLOAD_IDENTITY } from '../analyzers/cross-provider/gke-workload-identity.js';
import { attackLink } from '../model/docs.js';
import { relationshipKind } from '../model/relationship-kinds.js';
import { CROSS_PROVIDER_RULES, type CrossProviderRule } from './cross-provider.js';

/**
 * docs/edges.md: the AWS edge families, then the rules that join providers (the registry's, in run
 * order, and GKE Workload Identity, which the Kubernetes provider runs until a GCP provider exists),
 * each with the edges it emits, their ATT&CK techniques and the documentation it follows.
 */
export { EDGES_DOC };

type DocumentedRule = Pick<CrossProviderRule, 'name' | 'description' | 'requires' | 'emits' | 'references'>;

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function edgesDocument(
  rules: readonly DocumentedRule[] = [...CROSS_PROVIDER_RULES, GKE_WORKLOAD_IDENTITY],
): string {
  const lines = [
    '# Cross-provider edges',
    '',
    'Rules that join two providers’ data (`src/analyzers/cross-provider/`, registered in',
    '`src/pipeline/cross-provider.ts`) run over the union of a run’s providers, after each provider’s own',
    'analysis; cross-cloud edges are decided from the trust side. gke-workload-identity is run by the Kubernetes',
    'provider until a GCP provider collects the other side. [kubernetes.md](kubernetes.md) describes each in full.',
    '',
    '| rule | providers | edge | ATT&CK | what it derives | documentation |',
    '|---|---|---|---|---|---|',
    ...rules.map(
      (r) =>
        `| ${r.name} | ${r.requires.join(', ')} | ${r.emits.map((t) => `\`${t}\``).join(', ')} | ${[
          ...new Set(r.emits.map((t) => attackLink(relationshipKind(t)?.attack)).filter(Boolean)),
        ].join(', ')} | ${cell(r.description)} | ${r.references.map((u) => `<${u}>`).join('<br>')} |`,
    ),
    '',
  ];
  return `${edgesMarkdown()}\n${lines.join('\n')}`;
}
