import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EDGES_DOC, edgesMarkdown } from '../../src/analyzers/aws-iam/edges/docs.js';
import { ESCALATION_DOC, escalationMarkdown } from '../../src/analyzers/aws-iam/escalation/docs.js';
import {
  GRAPH_MODEL_DOC,
  graphModelMarkdown,
  INVENTORY_SCHEMA_FILE,
  inventoryJsonSchema,
} from '../../src/model/docs.js';
import { packageRoot } from '../../src/package-root.js';
import { FINDINGS_DOC, findingsMarkdown } from '../../src/reports/rules/docs.js';

const committed = (file: string) => readFileSync(join(packageRoot(), file), 'utf8');

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

  it(`${EDGES_DOC} matches the edge registry (run npm run docs:generate)`, () => {
    expect(committed(EDGES_DOC)).toBe(edgesMarkdown());
  });

  it(`${FINDINGS_DOC} matches the rule registry (run npm run docs:generate)`, () => {
    expect(committed(FINDINGS_DOC)).toBe(findingsMarkdown());
  });

  it('documents every node kind and relationship type', () => {
    const doc = graphModelMarkdown();
    for (const heading of ['### AwsRole', '### K8sServiceAccount', '### CAN_ASSUME', '### CAN_ACCESS']) {
      expect(doc).toContain(heading);
    }
  });
});
