import { relationshipKind } from '../../../model/relationship-kinds.js';
import { ESCALATION_DOC } from '../escalation/docs.js';
import { TECHNIQUES } from '../escalation/registry.js';
import type { EdgeFamily } from '../types.js';
import { EDGE_FAMILIES } from './registry.js';

/** docs/edges.md is generated from the edge registry (and the escalation techniques); a unit test keeps it in step. */
export const EDGES_DOC = 'docs/edges.md';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** `T1550.001` → its MITRE ATT&CK page. */
export function attackUrl(id: string): string {
  return `https://attack.mitre.org/techniques/${id.replace('.', '/')}/`;
}

const attackLink = (id: string | undefined) => (id ? `[${id}](${attackUrl(id)})` : '');

export function edgesMarkdown(families: readonly EdgeFamily[] = EDGE_FAMILIES): string {
  const lines = [
    '# AWS edges',
    '',
    '<!-- Generated from src/analyzers/aws-iam/edges/registry.ts by `npm run docs:generate`; do not edit by hand. -->',
    '',
    'The AWS analyzer derives these edges from the collected environment, one edge family per file under',
    '`src/analyzers/aws-iam/edges/`, run in this order. Every request an edge rests on is decided by the policy',
    'engine with every layer AWS applies (identity policies incl. groups, resource or trust or key policy,',
    'permissions boundary, SCPs of the principal’s account, RCPs of the resource’s account). Every edge carries',
    'evidence: the policy id, the statement (Sid or `#index`) and a one-line reason; an edge that holds only under',
    'conditions that cannot be decided offline (source IP, MFA, external id, OIDC claims the subject does not',
    'fix…) is `conditional` and lists their keys, with their text in the reason.',
    '',
    '| family | edge | ATT&CK | meaning |',
    '|---|---|---|---|',
    ...families.map(
      (f) =>
        `| [${f.name}](#${f.name}) | ${f.emits.map((t) => `\`${t}\``).join(', ')} | ${attackLink(f.attack)} | ${cell(f.description)} |`,
    ),
    '',
  ];
  for (const family of families) {
    lines.push(`## ${family.name}`, '', cell(family.description), '');
    for (const type of family.emits) {
      const kind = relationshipKind(type);
      if (kind)
        lines.push(
          `- \`${type}\` (${kind.category}, ${kind.from.join('/')} → ${kind.to.join('/')}): ${kind.meaning}`,
        );
    }
    if (family.attack) lines.push(`- ATT&CK: ${attackLink(family.attack)}`);
    if (family.dependsOn?.length) lines.push(`- Runs after: ${family.dependsOn.join(', ')}`);
    if (family.references?.length) {
      lines.push('- References:');
      for (const r of family.references) lines.push(`  - [${r.title}](${r.url})`);
    }
    lines.push('');
  }
  lines.push(
    '## Escalation techniques',
    '',
    `\`CAN_ESCALATE\` edges come from ${TECHNIQUES.length} privilege-escalation techniques; [${ESCALATION_DOC.replace('docs/', '')}](${ESCALATION_DOC.replace('docs/', '')}) describes each.`,
    '',
    '| technique | name | ATT&CK |',
    '|---|---|---|',
    ...TECHNIQUES.map((t) => `| \`${t.id}\` | ${cell(t.name)} | ${attackLink(t.attack)} |`),
    '',
  );
  return lines.join('\n');
}
