import { EDGES_DOC, edgesMarkdown } from '../analyzers/aws-iam/edges/docs.js';
import { attackLink } from '../model/docs.js';
import { relationshipKind } from '../model/relationship-kinds.js';
import { CROSS_PROVIDER_RULES, type CrossProviderRule } from './cross-provider.js';

/**
 * docs/edges.md: the AWS edge families, then the rules that join providers (the registry's, in run
 * order), each with the edges it emits, their ATT&CK techniques and the documentation it follows.
 */
export { EDGES_DOC };

type DocumentedRule = Pick<CrossProviderRule, 'name' | 'description' | 'requires' | 'emits' | 'references'>;

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function edgesDocument(rules: readonly DocumentedRule[] = CROSS_PROVIDER_RULES): string {
  const lines = [
    '# Cross-provider edges',
    '',
    'Rules that join two providers’ data (`src/analyzers/cross-provider/`, registered in',
    '`src/pipeline/cross-provider.ts`) run over the union of a run’s providers, after each provider’s own',
    'analysis; cross-cloud edges are decided from the trust side. [kubernetes.md](kubernetes.md) describes the',
    'Kubernetes ones in full, [gcp.md](gcp.md) the GCP ones.',
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
