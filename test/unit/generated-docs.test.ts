import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  GRAPH_MODEL_DOC,
  graphModelMarkdown,
  INVENTORY_SCHEMA_FILE,
  inventoryJsonSchema,
} from '../../src/model/docs.js';
import { packageRoot } from '../../src/package-root.js';

const committed = (file: string) => readFileSync(join(packageRoot(), file), 'utf8');

describe('generated documentation', () => {
  it(`${GRAPH_MODEL_DOC} matches the vocabulary (run npm run docs:generate)`, () => {
    expect(committed(GRAPH_MODEL_DOC)).toBe(graphModelMarkdown());
  });

  it(`${INVENTORY_SCHEMA_FILE} matches the zod types (run npm run docs:generate)`, () => {
    expect(JSON.parse(committed(INVENTORY_SCHEMA_FILE))).toEqual(inventoryJsonSchema());
  });

  it('documents every node kind and relationship type', () => {
    const doc = graphModelMarkdown();
    for (const heading of ['### AwsRole', '### K8sServiceAccount', '### CAN_ASSUME', '### CAN_ACCESS']) {
      expect(doc).toContain(heading);
    }
  });
});
