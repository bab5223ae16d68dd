// Writes the generated documentation: docs/graph-model.md, the inventory and report JSON Schemas, docs/edges.md, docs/aws-escalation.md and docs/findings.md.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EDGES_DOC, edgesMarkdown } from '../src/analyzers/aws-iam/edges/docs.js';
import { ESCALATION_DOC, escalationMarkdown } from '../src/analyzers/aws-iam/escalation/docs.js';
import {
  GRAPH_MODEL_DOC,
  graphModelMarkdown,
  INVENTORY_SCHEMA_FILE,
  inventoryJsonSchema,
} from '../src/model/docs.js';
import { packageRoot } from '../src/package-root.js';
import { REPORT_SCHEMA_FILE, reportJsonSchema } from '../src/reports/format/report-schema.js';
import { FINDINGS_DOC, findingsMarkdown } from '../src/reports/rules/docs.js';

writeFileSync(join(packageRoot(), GRAPH_MODEL_DOC), graphModelMarkdown());
writeFileSync(
  join(packageRoot(), INVENTORY_SCHEMA_FILE),
  `${JSON.stringify(inventoryJsonSchema(), null, 2)}\n`,
);
writeFileSync(join(packageRoot(), REPORT_SCHEMA_FILE), `${JSON.stringify(reportJsonSchema(), null, 2)}\n`);
writeFileSync(join(packageRoot(), ESCALATION_DOC), escalationMarkdown());
writeFileSync(join(packageRoot(), EDGES_DOC), edgesMarkdown());
writeFileSync(join(packageRoot(), FINDINGS_DOC), findingsMarkdown());
console.log(
  `wrote ${GRAPH_MODEL_DOC}, ${INVENTORY_SCHEMA_FILE}, ${REPORT_SCHEMA_FILE}, ${EDGES_DOC}, ${ESCALATION_DOC} and ${FINDINGS_DOC}`,
);
