import { builder } from './builder.js';
import { type GraphQLSchema, lexicographicSortSchema, printSchema } from './graphql.js';
// Each import declares its types and the queries on them.
import './node.js';
import './resource.js';
import './owner.js';
import './identity.js';
import './relationship-kind.js';
import './edge.js';
import './path.js';
import './reach-summary.js';
import './search.js';
import './kubernetes.js';
import './gcp.js';
import './run.js';
import './finding.js';
import './report-run.js';
import './activity.js';
import './unused-permissions.js';
import './anomaly.js';
import './least-privilege.js';
import { guardVisibility } from './visibility.js';

let schema: GraphQLSchema | undefined;

export function apiSchema(): GraphQLSchema {
  // Scoped tokens: one guard over every resolver (visibility.ts).
  schema ??= guardVisibility(builder.toSchema({ sortSchema: false }));
  return schema;
}

/** The schema as committed in schema.graphql. */
export function printApiSchema(): string {
  return `${printSchema(lexicographicSortSchema(apiSchema()))}\n`;
}
