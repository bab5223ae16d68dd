import type { EscalationAnswer } from '../answers/answer-types.js';
import type { StoredFinding } from '../records/stored-findings.js';
import type { ApiContext } from './context.js';
import { ApiError } from './errors.js';
import {
  defaultFieldResolver,
  type GraphQLField,
  GraphQLInterfaceType,
  GraphQLList,
  type GraphQLNamedType,
  GraphQLNonNull,
  GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  getNamedType,
} from './graphql.js';
import type { ReachRow } from './reach.js';
import type { EdgeRecord, NodeRecord } from './records.js';

/**
 * What a scoped token sees (docs/api.md#scoped-tokens), enforced once over the whole schema rather
 * than in each resolver:
 *
 * 1. Top-level fields: a scoped token may ask only the questions listed in `SCOPED_QUERIES`, each
 *    answered within its scope; any other (whole-estate questions, and any field added later until
 *    it is listed here) is refused with FORBIDDEN.
 * 2. Every value of a guarded type, wherever a field returns it, is checked: an identity, resource
 *    or credential must lie in the scope; a path, an edge and a finding need both ends in it; an
 *    escalation its principal and its target. Out of scope, a list drops the value, a nullable
 *    field answers null, a connection drops the row (its cursors stay those of the page read).
 * 3. The hops of a route whose ends are in scope are explanation, not answers: `Hop` (from, edge,
 *    to) is shown whole, and so are a visible edge's or path's own ends. Navigating on from such an
 *    out-of-scope hop (its edges, its credentials, a finding node's live node) is checked again.
 *
 * The Cypher answers are narrowed before they run (ApiGraph: node filters, lookups by id), so pages
 * are full; this guard is what makes a forgotten case a missing row instead of a leak.
 */

/** Top-level fields a scoped token may ask, each answered within its scope. */
export const SCOPED_QUERIES: ReadonlySet<string> = new Set([
  'node',
  'identities',
  'resources',
  'paths',
  'path',
  'reachableFrom',
  'reachableFromSummary',
  'whoCanReach',
  'whoCanReachSummary',
  'search',
  'findings',
  'explain',
  'escalations',
  // The vocabulary: no estate data.
  'relationshipKinds',
]);

/** Fields whose value the parent's own rule already covers, or that explain a route (shown whole). */
const EXEMPT = new Set(['Hop.from', 'Hop.edge', 'Hop.to', 'Edge.from', 'Edge.to', 'Path.from', 'Path.to']);

type Rule = (value: unknown, context: ApiContext) => boolean | Promise<boolean>;

const inScope = (record: NodeRecord, context: ApiContext) => context.graph.visible(record);

const RULES: Record<string, Rule> = {
  Path: (value, context) => {
    const row = value as ReachRow;
    return inScope(row.from, context) && inScope(row.to, context);
  },
  Edge: (value, context) => {
    const edge = value as EdgeRecord;
    return inScope(edge.from, context) && inScope(edge.to, context);
  },
  Finding: (value, context) => {
    const finding = value as StoredFinding;
    const scope = context.access.scope;
    return (
      !scope || (scope.containsRef(finding.subject) && (!finding.target || scope.containsRef(finding.target)))
    );
  },
  // Looked up through the scoped graph: null when outside the scope.
  Escalation: async (value, context) => {
    const escalation = value as EscalationAnswer;
    const [principal, target] = await Promise.all([
      context.graph.node(escalation.principal, ['principal']),
      context.graph.node(escalation.target, ['resource', 'principal', 'workload']),
    ]);
    return principal !== null && target !== null;
  },
};

/** The rule for values of a type: its own, a node type's, or a connection edge's node's. */
function ruleFor(type: GraphQLNamedType): Rule | undefined {
  const own = RULES[type.name];
  if (own) return own;
  if (isNodeType(type)) return (value, context) => inScope(value as NodeRecord, context);
  if (type instanceof GraphQLObjectType) {
    const fields = type.getFields();
    const node = fields.node;
    if (node && fields.cursor) {
      const inner = ruleFor(getNamedType(node.type));
      if (inner) return (value, context) => inner((value as { node: unknown }).node, context);
    }
  }
  return undefined;
}

/** Identities, resources (every kind, and the interfaces) and credentials: graph nodes. */
function isNodeType(type: GraphQLNamedType): boolean {
  if (type.name === 'Node' || type.name === 'Credential') return true;
  return (
    (type instanceof GraphQLObjectType || type instanceof GraphQLInterfaceType) &&
    type.getInterfaces().some((i) => i.name === 'Node')
  );
}

/** Wrap the schema's resolvers with the scope checks above (once, when the schema is built). */
export function guardVisibility(schema: GraphQLSchema): GraphQLSchema {
  const query = schema.getQueryType();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!(type instanceof GraphQLObjectType) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (type === query && !SCOPED_QUERIES.has(field.name)) refuseScoped(field);
      const rule = EXEMPT.has(`${type.name}.${field.name}`) ? undefined : ruleFor(getNamedType(field.type));
      if (rule) guardField(field, rule);
    }
  }
  return schema;
}

function refuseScoped(field: GraphQLField<unknown, ApiContext>): void {
  const resolve = field.resolve ?? defaultFieldResolver;
  field.resolve = (source, args, context, info) => {
    if (context.access.scope)
      throw new ApiError(
        `${field.name} answers over the whole estate, which a scoped token does not see; ask ${[...SCOPED_QUERIES].join(', ')}`,
        'FORBIDDEN',
      );
    return resolve(source, args, context, info);
  };
}

function guardField(field: GraphQLField<unknown, ApiContext>, rule: Rule): void {
  const resolve = field.resolve ?? defaultFieldResolver;
  const list = isList(field.type);
  const nullable = !(field.type instanceof GraphQLNonNull);
  field.resolve = async (source, args, context, info) => {
    const result = await resolve(source, args, context, info);
    if (!context.access.scope || result === null || result === undefined) return result;
    if (list) {
      const values = result as unknown[];
      const kept = await Promise.all(values.map((v) => rule(v, context)));
      return values.filter((_, i) => kept[i]);
    }
    if (await rule(result, context)) return result;
    if (nullable) return null;
    throw new ApiError('not found', 'NOT_FOUND');
  };
}

function isList(type: GraphQLOutputType): boolean {
  const inner = type instanceof GraphQLNonNull ? type.ofType : type;
  return inner instanceof GraphQLList;
}
