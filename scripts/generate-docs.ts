// Writes the generated documentation: docs/graph-model.md, the inventory and report JSON Schemas,
// docs/findings.md, docs/edges.md (AWS edge families and the cross-provider rules), and every provider's own
// generated documents (AWS: docs/aws-escalation.md, docs/aws-condition-keys.md).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  GRAPH_MODEL_DOC,
  graphModelMarkdown,
  INVENTORY_SCHEMA_FILE,
  inventoryJsonSchema,
} from '../src/model/docs.js';
import { packageRoot } from '../src/package-root.js';
import { EDGES_DOC, edgesDocument } from '../src/pipeline/cross-provider-docs.js';
import { PROVIDER_REGISTRY } from '../src/providers/registry.js';
import { REPORT_SCHEMA_FILE, reportJsonSchema } from '../src/reports/format/report-schema.js';
import { FINDINGS_DOC, findingsMarkdown } from '../src/reports/rules/docs.js';

const written: string[] = [];
const write = (path: string, text: string) => {
  writeFileSync(join(packageRoot(), path), text);
  written.push(path);
};
write(GRAPH_MODEL_DOC, graphModelMarkdown());
write(INVENTORY_SCHEMA_FILE, `${JSON.stringify(inventoryJsonSchema(), null, 2)}\n`);
write(REPORT_SCHEMA_FILE, `${JSON.stringify(reportJsonSchema(), null, 2)}\n`);
write(FINDINGS_DOC, findingsMarkdown());
write(EDGES_DOC, edgesDocument());
for (const provider of PROVIDER_REGISTRY.providers)
  for (const doc of provider.docs.generated) write(doc.path, doc.render());
console.log(`wrote ${written.join(', ')}`);
