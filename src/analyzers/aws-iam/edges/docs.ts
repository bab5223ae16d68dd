import { attackUrl } from '../../../model/attack.js';
import { attackLink, relationshipHelpMarkdown } from '../../../model/docs.js';
import { type RelationshipKindSpec, relationshipKind } from '../../../model/relationship-kinds.js';
import { ESCALATION_DOC } from '../escalation/docs.js';
import { TECHNIQUES } from '../escalation/registry.js';
import type { EdgeFamily } from '../types.js';
import { EDGE_FAMILIES } from './registry.js';

/**
 * docs/edges.md is generated from the edge registry, the relationship kinds it emits (their meaning,
 * ATT&CK technique and help come from src/model) and the escalation techniques; a unit test keeps it in step.
 */
export const EDGES_DOC = 'docs/edges.md';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The kinds a family emits, as the vocabulary declares them; emitting an undeclared type is an error. */
function emittedKinds(family: EdgeFamily): RelationshipKindSpec[] {
  return family.emits.map((type) => {
    const kind = relationshipKind(type);
    if (!kind)
      throw new Error(`edge family "${family.name}" emits ${type}, which src/model does not declare`);
    return kind;
  });
}

export function edgesMarkdown(families: readonly EdgeFamily[] = EDGE_FAMILIES): string {
  const lines = [
    '# AWS edges',
    '',
    '<!-- Generated from src/analyzers/aws-iam/edges/registry.ts and src/model/relationship-kinds.ts by `npm run docs:generate`; do not edit by hand. -->',
    '',
    'The AWS analyzer derives these edges from the collected environment, one edge family per file under',
    '`src/analyzers/aws-iam/edges/`, run in this order. Every request an edge rests on is decided by the policy',
    'engine with every layer AWS applies (identity policies incl. groups, resource or trust or key policy,',
    'permissions boundary, SCPs of the principal’s account, RCPs of the resource’s account). Every edge carries',
    'evidence: the policy id, the statement (Sid or `#index`) and a one-line reason; an edge that holds only under',
    'conditions that cannot be decided offline (source IP, MFA, external id, OIDC claims the subject does not',
    'fix…) is `conditional` and lists their keys, with their text in the reason.',
    '',
    'Each edge type’s meaning, ATT&CK technique and help (general, abuse, remediation, references) are the',
    'vocabulary’s ([graph-model.md](graph-model.md)); the API shows them as `Edge.kind` and the HTML report',
    'on every hop.',
    '',
    '| family | edge | ATT&CK | how AWS derives it |',
    '|---|---|---|---|',
    ...families.map(
      (f) =>
        `| [${f.name}](#${f.name}) | ${f.emits.map((t) => `\`${t}\``).join(', ')} | ${emittedKinds(f)
          .map((k) => attackLink(k.attack))
          .filter(Boolean)
          .join(', ')} | ${cell(f.description)} |`,
    ),
    '',
  ];
  for (const family of families) {
    lines.push(`## ${family.name}`, '', cell(family.description), '');
    if (family.dependsOn?.length) lines.push(`Runs after: ${family.dependsOn.join(', ')}.`, '');
    for (const kind of emittedKinds(family)) {
      lines.push(
        `### \`${kind.type}\``,
        '',
        `${kind.category}, ${kind.from.join('/')} → ${kind.to.join('/')}: ${kind.meaning}`,
        '',
        ...relationshipHelpMarkdown(kind),
        '',
      );
    }
  }
  lines.push(
    '## Escalation techniques',
    '',
    `\`CAN_ESCALATE\` edges come from ${TECHNIQUES.length} privilege-escalation techniques; [${ESCALATION_DOC.replace('docs/', '')}](${ESCALATION_DOC.replace('docs/', '')}) describes each.`,
    '',
    '| technique | name | ATT&CK |',
    '|---|---|---|',
    ...TECHNIQUES.map((t) => `| \`${t.id}\` | ${cell(t.name)} | [${t.attack}](${attackUrl(t.attack)}) |`),
    '',
  );
  return lines.join('\n');
}
