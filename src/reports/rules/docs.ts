import type { RuleDeclaration } from '../types.js';
import { loadRules } from './registry.js';
import { COMPLIANCE_FRAMEWORKS } from './schema.js';

/** docs/findings.md, generated from the rule registry so the catalogue and the rules never drift. */
export const FINDINGS_DOC = 'docs/findings.md';

export function findingsMarkdown(rules: RuleDeclaration[] = loadRules()): string {
  const lines = [
    '# Findings rules',
    '',
    '<!-- Generated from rules/ by `npm run docs:generate`; do not edit by hand. -->',
    '',
    'Each rule is one YAML file under `rules/` naming one Cypher query under `cypher/findings/`. A rule',
    'has a default severity (a query may set a row’s own, e.g. by access level; configuration may fix it),',
    'compliance mappings and thresholds (`parameters`) that configuration can override. A finding’s',
    'fingerprint is a hash of the rule id and the ids that name the problem (identity and resource, key,',
    'flag), so the same problem is the same finding from run to run and a suppression entry keeps matching',
    'it. CIS numbers follow the CIS Amazon Web Services Foundations Benchmark v3.0.0, the CIS Kubernetes Benchmark v1.10.0 and the CIS Google Cloud Platform Foundation Benchmark v3.0.0.',
    '',
    '| rule | category | severity | compliance |',
    '|---|---|---|---|',
    ...rules.map(
      (r) => `| [\`${r.id}\`](#${r.id}) | ${r.category} | ${r.severity} | ${complianceText(r) || '–'} |`,
    ),
    '',
  ];
  for (const rule of rules) {
    lines.push(
      `## ${rule.id}`,
      '',
      `**${rule.title}** — ${rule.category}, default severity ${rule.severity}.`,
      '',
    );
    lines.push(rule.description, '', `**Recommendation.** ${rule.recommendation}`, '');
    lines.push(
      rule.detector
        ? `Detector: \`${rule.detector}\` over the activity store ([activity.md](activity.md#anomaly-detectors)).`
        : `Query: \`cypher/findings/${rule.query}.cypher\`.`,
      '',
    );
    const parameters = Object.entries(rule.parameters);
    if (parameters.length > 0) {
      lines.push('| parameter | default |', '|---|---|');
      for (const [name, value] of parameters) lines.push(`| \`${name}\` | \`${JSON.stringify(value)}\` |`);
      lines.push('');
    }
    const compliance = complianceText(rule);
    if (compliance) lines.push(`Compliance: ${compliance}.`, '');
    if (rule.references.length > 0) {
      lines.push('References:', '', ...rule.references.map((url) => `- <${url}>`), '');
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

function complianceText(rule: RuleDeclaration): string {
  return COMPLIANCE_FRAMEWORKS.flatMap(({ key, name }) => {
    const controls = rule.compliance[key];
    return controls?.length ? [`${name} ${controls.join(', ')}`] : [];
  }).join('; ');
}
