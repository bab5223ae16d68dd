import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CONDITION_KEYS_DOC,
  conditionKeysMarkdown,
} from '../../src/analyzers/aws-iam/engine/condition-keys-doc.js';
import { ESCALATION_DOC, escalationMarkdown } from '../../src/analyzers/aws-iam/escalation/docs.js';
import { GCP_ESCALATION_DOC, gcpEscalationMarkdown } from '../../src/analyzers/gcp-iam/docs.js';
import {
  GRAPH_MODEL_DOC,
  graphModelMarkdown,
  INVENTORY_SCHEMA_FILE,
  inventoryJsonSchema,
} from '../../src/model/docs.js';
import { RELATIONSHIP_KINDS } from '../../src/model/relationship-kinds.js';
import { packageRoot } from '../../src/package-root.js';
import { EDGES_DOC, edgesDocument } from '../../src/pipeline/cross-provider-docs.js';
import { FINDINGS_DOC, findingsMarkdown } from '../../src/reports/rules/docs.js';

const committed = (file: string) => readFileSync(join(packageRoot(), file), 'utf8');

const TYPES = new Set<string>(RELATIONSHIP_KINDS.map((r) => r.type));
const ATTACK_ID = /\bT\d{4}(?:\.\d{3})?\b/g;

/**
 * Every ATT&CK id a document publishes for a relationship type: in a table row that names the type
 * (as `TYPE`), or anywhere under a heading that names it. Other headings end the attribution, so the
 * escalation techniques' own ids (per technique, not per type) are left out.
 */
function publishedAttackIds(markdown: string): Map<string, Set<string>> {
  const ids = new Map<string, Set<string>>();
  const add = (type: string, line: string) => {
    const text = line.replace(/\]\([^)]*\)/g, ']'); // link targets repeat the id as a path
    for (const [id] of text.matchAll(ATTACK_ID)) ids.set(type, (ids.get(type) ?? new Set()).add(id));
  };
  const typeIn = (text: string) =>
    [...text.matchAll(/`?([A-Z][A-Z_]+)`?/g)].map((m) => m[1]).find((t) => t && TYPES.has(t));
  let current: string | undefined;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('#')) {
      current = typeIn(line.replace(/^#+\s*/, ''));
    } else if (line.startsWith('|')) {
      const type = line
        .split('|')
        .map((cell) => /^\s*`([A-Z_]+)`\s*$/.exec(cell)?.[1])
        .find((t) => t && TYPES.has(t));
      if (type) add(type, line);
    } else if (current) add(current, line);
  }
  return ids;
}

describe('generated documentation', () => {
  it(`${GRAPH_MODEL_DOC} matches the vocabulary (run npm run docs:generate)`, () => {
    expect(committed(GRAPH_MODEL_DOC)).toBe(graphModelMarkdown());
  });

  it(`${INVENTORY_SCHEMA_FILE} matches the zod types (run npm run docs:generate)`, () => {
    expect(JSON.parse(committed(INVENTORY_SCHEMA_FILE))).toEqual(inventoryJsonSchema());
  });

  it(`${ESCALATION_DOC} matches the escalation techniques (run npm run docs:generate)`, () => {
    expect(committed(ESCALATION_DOC)).toBe(escalationMarkdown());
  });

  it(`${GCP_ESCALATION_DOC} matches the GCP techniques (run npm run docs:generate)`, () => {
    expect(committed(GCP_ESCALATION_DOC)).toBe(gcpEscalationMarkdown());
  });

  it(`${EDGES_DOC} matches the edge registry (run npm run docs:generate)`, () => {
    expect(committed(EDGES_DOC)).toBe(edgesDocument());
  });

  it(`${CONDITION_KEYS_DOC} matches the condition-key table (run npm run docs:generate)`, () => {
    expect(committed(CONDITION_KEYS_DOC)).toBe(conditionKeysMarkdown());
  });

  it(`${FINDINGS_DOC} matches the rule registry (run npm run docs:generate)`, () => {
    expect(committed(FINDINGS_DOC)).toBe(findingsMarkdown());
  });

  it(`${GRAPH_MODEL_DOC} and ${EDGES_DOC} publish one ATT&CK id per relationship type, the vocabulary’s`, () => {
    const model = publishedAttackIds(committed(GRAPH_MODEL_DOC));
    const edges = publishedAttackIds(committed(EDGES_DOC));
    const declared = RELATIONSHIP_KINDS.filter((r) => r.attack);
    expect(declared.length).toBeGreaterThan(0);
    for (const kind of declared)
      expect([...(model.get(kind.type) ?? [])], kind.type).toEqual([kind.attack?.id]);
    for (const [type, ids] of edges) expect([...ids], type).toEqual([...(model.get(type) ?? [])]);
    // Every type an AWS edge family emits with a technique is in docs/edges.md.
    expect([...edges.keys()].sort()).toEqual(
      ['ADMINISTERS', 'CAN_ACCESS', 'CAN_ASSUME', 'CAN_ESCALATE', 'FEDERATES_TO', 'RUNS_AS'].sort(),
    );
  });

  it('finds a disagreement between the two documents', () => {
    const model = publishedAttackIds('| `CAN_ASSUME` | hop | Principal | AwsRole | T1548 | … |');
    const edges = publishedAttackIds(
      '## can-assume\n\n### `CAN_ASSUME`\n\n- ATT&CK: [T1550.001](…)\n## Other\nT1098',
    );
    expect([...(model.get('CAN_ASSUME') ?? [])]).toEqual(['T1548']);
    expect([...(edges.get('CAN_ASSUME') ?? [])]).toEqual(['T1550.001']);
    expect(edges.size).toBe(1);
  });

  it('documents every node kind and relationship type', () => {
    const doc = graphModelMarkdown();
    for (const heading of ['### AwsRole', '### K8sServiceAccount', '### CAN_ASSUME', '### CAN_ACCESS']) {
      expect(doc).toContain(heading);
    }
  });
});
