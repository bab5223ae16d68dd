// Writes the generated documentation: docs/graph-model.md and the inventory JSON Schema.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  GRAPH_MODEL_DOC,
  graphModelMarkdown,
  INVENTORY_SCHEMA_FILE,
  inventoryJsonSchema,
} from '../src/model/docs.js';
import { packageRoot } from '../src/package-root.js';

writeFileSync(join(packageRoot(), GRAPH_MODEL_DOC), graphModelMarkdown());
writeFileSync(
  join(packageRoot(), INVENTORY_SCHEMA_FILE),
  `${JSON.stringify(inventoryJsonSchema(), null, 2)}\n`,
);
console.log(`wrote ${GRAPH_MODEL_DOC} and ${INVENTORY_SCHEMA_FILE}`);
