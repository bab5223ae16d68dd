/**
 * graphql-js ships both CommonJS (index.js) and ES modules (index.mjs) without an exports map.
 * Node resolves a bare `graphql` import to the CommonJS build, which is what Pothos and Yoga get;
 * importing the same file by name keeps this code on that one copy under every loader (a
 * bundler-style resolver would otherwise pick index.mjs, and graphql-js refuses to mix copies).
 */
export {
  defaultFieldResolver,
  type ExecutionResult,
  GraphQLError,
  type GraphQLField,
  GraphQLInterfaceType,
  GraphQLList,
  type GraphQLNamedType,
  GraphQLNonNull,
  GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  getNamedType,
  Kind,
  lexicographicSortSchema,
  NoSchemaIntrospectionCustomRule,
  type OperationDefinitionNode,
  parse,
  printSchema,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql/index.js';
