import { z } from 'zod';
import { type AttackTechnique, attackUrl } from './attack.js';
import { EVIDENCE_SOURCES } from './evidence.js';
import { InventorySchema } from './inventory.js';
import { labelsOf, NODE_CATEGORIES, NODE_KINDS, propertiesOf } from './node-kinds.js';
import { ACTIVITY_PROPERTIES, LOADER_PROPERTIES, type PropertySpecs } from './properties.js';
import {
  DERIVED_EDGE_PROPERTIES,
  helpReferences,
  isDerived,
  RELATIONSHIP_KINDS,
  type RelationshipKindSpec,
} from './relationship-kinds.js';

/**
 * docs/graph-model.md and schema/inventory.v1.schema.json are generated from the vocabulary, so
 * the catalogue and its documentation never drift (a unit test compares them with these functions).
 */

export const GRAPH_MODEL_DOC = 'docs/graph-model.md';
export const INVENTORY_SCHEMA_FILE = 'schema/inventory.v1.schema.json';

export function inventoryJsonSchema(): Record<string, unknown> {
  return {
    title: 'reachgraph inventory, version 1',
    ...z.toJSONSchema(InventorySchema, { io: 'input' }),
  };
}

/** `[T1548.005](https://attack.mitre.org/techniques/T1548/005/)`; empty without a technique. */
export function attackLink(attack: AttackTechnique | undefined): string {
  return attack ? `[${attack.id}](${attackUrl(attack.id)})` : '';
}

/**
 * A relationship kind's ATT&CK technique and help as Markdown list items; docs/graph-model.md and
 * docs/edges.md both print it, so the two never disagree.
 */
export function relationshipHelpMarkdown(kind: RelationshipKindSpec): string[] {
  const lines: string[] = [];
  if (kind.attack) lines.push(`- ATT&CK: ${attackLink(kind.attack)} ${kind.attack.name}`);
  if (kind.help) {
    lines.push(
      `- General: ${kind.help.general}`,
      `- Abuse: ${kind.help.abuse}`,
      `- Remediation: ${kind.help.remediation}`,
    );
  }
  const references = helpReferences(kind);
  if (references.length > 0) {
    lines.push('- References:');
    for (const r of references) lines.push(`  - [${r.title}](${r.url})`);
  }
  return lines;
}

function propertyTable(specs: PropertySpecs): string[] {
  const rows = Object.entries(specs).map(([name, spec]) => {
    const type = spec.values ? `${spec.type}: ${spec.values.join(' \\| ')}` : spec.type;
    return `| \`${name}\` | ${type} | ${spec.required ? 'yes' : ''} | ${spec.description} |`;
  });
  return ['| property | type | required | meaning |', '|---|---|---|---|', ...rows];
}

export function graphModelMarkdown(): string {
  const lines: string[] = [
    '# Graph model',
    '',
    '<!-- Generated from src/model by `npm run docs:generate`; do not edit by hand. -->',
    '',
    'Every node has a unique, stable `id` (one uniqueness constraint per kind), its kind as its first label and',
    'its categories as further labels, so a query can ask for any `:Principal` or `:Resource`, and the label',
    '`Entity` (one index on `Entity.scope` serves scoped cleanup for every kind). Every node and',
    'relationship written by the loader carries the bookkeeping properties below. Derived edges (hops and terminal',
    'edges) always carry evidence: the document that grants them and a one-line reason.',
    '',
    '## Bookkeeping on every node and relationship',
    '',
    ...propertyTable(LOADER_PROPERTIES),
    '| `scope` | string |  | The collection scope that owns the fact; cleanup works per scope. |',
    '',
    '## Activity summary on principals and access keys',
    '',
    'Written from the activity store ([activity.md](activity.md#in-the-graph)) after each ingest and sync on every',
    '`Principal` the logs name and every `AwsAccessKey` calls were made with; never loaded from an inventory, and',
    'removed from a node the store no longer names (its calls aged out of the retention window).',
    '',
    ...propertyTable(ACTIVITY_PROPERTIES),
    '',
    '## Categories (extra labels)',
    '',
    '| category | label |',
    '|---|---|',
    ...Object.entries(NODE_CATEGORIES).map(([category, label]) => `| ${category} | \`${label}\` |`),
    '',
    '## Node kinds',
    '',
    '| kind | labels | provider | id format | meaning |',
    '|---|---|---|---|---|',
    ...NODE_KINDS.map(
      (k) =>
        `| [\`${k.label}\`](#${k.label.toLowerCase()}) | ${labelsOf(k).join(', ')} | ${k.provider} | \`${k.idFormat}\` | ${k.meaning} |`,
    ),
    '',
  ];
  for (const kind of NODE_KINDS) {
    lines.push(
      `### ${kind.label}`,
      '',
      kind.meaning,
      '',
      `Id: \`${kind.idFormat}\``,
      '',
      ...propertyTable(propertiesOf(kind)),
      '',
    );
  }
  lines.push(
    '## Relationship kinds',
    '',
    'Hops (principal → principal) are what path queries traverse; a terminal edge ends a path at a resource;',
    'structural edges explain and scope, and are never traversed by path queries. Summary edges are computed',
    'in the graph after every load from the hops and terminal edges (never part of an Inventory) and answer',
    'global questions without a path search.',
    '',
    '| type | category | from | to | ATT&CK | meaning |',
    '|---|---|---|---|---|---|',
    ...RELATIONSHIP_KINDS.map(
      (r) =>
        `| \`${r.type}\` | ${r.category} | ${r.from.join(', ')} | ${r.to.join(', ')} | ${attackLink(r.attack)} | ${r.meaning} |`,
    ),
    '',
  );
  for (const rel of RELATIONSHIP_KINDS) {
    const specs = isDerived(rel) ? { ...DERIVED_EDGE_PROPERTIES, ...rel.properties } : rel.properties;
    lines.push(`### ${rel.type}`, '', rel.meaning, '');
    const help = relationshipHelpMarkdown(rel);
    if (help.length > 0) lines.push(...help, '');
    if (Object.keys(specs).length > 0) lines.push(...propertyTable(specs), '');
  }
  lines.push(
    '## Evidence',
    '',
    'Each derived edge stores its evidence records as a JSON array in `evidence`, and `conditional`/`conditions`',
    'when the grant depends on conditions that cannot be decided offline. An edge granted by several documents',
    "is one edge with all of them; it is conditional only when every grant is. Its one-line reason (the API's",
    "`Edge.reason`, a route hop's and a finding's) is not stored: it is the first record's `reason`, with",
    '" (+N more)" when there are more records, derived from `evidence` when read.',
    '',
    '| field | meaning |',
    '|---|---|',
    `| \`source\` | One of ${EVIDENCE_SOURCES.map((s) => `\`${s}\``).join(', ')}. |`,
    '| `ref` | Id of the policy, binding or object (ARN, binding name…). |',
    '| `statement` | Statement Sid or index, rule index, binding member. |',
    '| `reason` | One-line human reason. |',
    '| `conditions` | Condition keys that could not be decided offline. |',
    '',
    '## Bookkeeping nodes',
    '',
    '| label | id | properties | meaning |',
    '|---|---|---|---|',
    '| `CollectionRun` | `run-<UTC timestamp>-<random>` | status (running, succeeded, failed, interrupted), startedAt, finishedAt, heartbeatAt, host, pid, sources, scopes, cleanedScopes, counts (JSON), deleted (JSON), errors | One load of one inventory. |',
    '| `Scope` | the scope id (`aws:<account>`, `gcp:<project>`, `k8s:<cluster>`, `custom:<name>`) | provider, name, lastRunId, lastLoadedAt, lastCompleteRunId, lastCompleteAt | A unit of collection and cleanup; `(CollectionRun)-[:COLLECTED]->(Scope)`. |',
    '| `ActionSet` | SHA-256 of the list as JSON, first 128 bits in base64url (src/model/action-sets.ts) | actions, firstSeen, lastSeen, lastRunId | One distinct `CAN_ACCESS.actions` list, stored once for every edge, scope and provider that has it: an access edge names it by its `actionSet` property and readers see `actions`; removed once no access edge names it. |',
    '',
  );
  return lines.join('\n');
}
