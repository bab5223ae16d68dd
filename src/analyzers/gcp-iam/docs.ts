import { attackUrl } from '../../model/attack.js';
import { GCP_TECHNIQUES } from './techniques.js';

/** docs/gcp-escalation.md is generated from techniques.ts; a unit test keeps the committed file in step. */
export const GCP_ESCALATION_DOC = 'docs/gcp-escalation.md';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function gcpEscalationMarkdown(): string {
  const lines = [
    '# GCP privilege escalation',
    '',
    '<!-- Generated from src/analyzers/gcp-iam/techniques.ts by `npm run docs:generate`; do not edit by hand. -->',
    '',
    'Each technique below is a way for a principal to gain another identity’s privileges or its own more. The edge',
    'names it in `technique` (CAN_ESCALATE; `techniques` when several apply, the first decided without conditions) or',
    'in `via` (CAN_ACCESS), with its MITRE ATT&CK id in `attack`. The evidence names every binding the technique rests',
    'on: the policy’s attachment point (`ref`), the binding, role and member (`statement`), and why it counts',
    '(`reason`). Permissions are checked as IAM decides them offline (docs/gcp.md, “How access is decided”): inherited',
    'allow bindings, deny policies first, conditions decided or kept. Permissions: each line of a cell is one group,',
    'and the technique needs one permission of every group. A technique that needs something the collection does not',
    'show (an existing instance, function or service) is conditional on `reachgraph:PrerequisiteExists` and names it',
    'in `requires`. docs/gcp.md maps Rhino Security Labs’ published methods onto these techniques.',
    '',
    '| technique | what the source does | permissions | edge | ATT&CK | documentation |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const t of GCP_TECHNIQUES) {
    const permissions = t.needs.map((group) => group.map((p) => `\`${p}\``).join(' or ')).join('<br>');
    const edge = t.requires ? `${t.edge}; requires ${t.requires}` : t.edge;
    lines.push(
      `| \`${t.id}\` | ${cell(t.title)} | ${permissions} | ${cell(edge)} | [${t.attack.id}](${attackUrl(t.attack.id)}) ${cell(t.attack.name)} | [docs](${t.reference}) |`,
    );
  }
  lines.push('');
  return lines.join('\n');
}
