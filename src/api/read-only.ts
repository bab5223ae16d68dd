import type { Plugin } from 'graphql-yoga';
import { GraphQLError, Kind, type OperationDefinitionNode, parse } from './graphql.js';
import type { Access } from './token-scope.js';

/**
 * Read-only tokens (scoped tokens always are) run queries only: a request whose operation is a
 * mutation or a subscription is refused with FORBIDDEN before it is validated, whatever the schema
 * declares, so a mutation added later is closed to them without a change here
 * (docs/api.md#scoped-tokens). Decided per request from its own parameters, never through the
 * server's parse or validation caches, which are shared by every token.
 */
export function useReadOnly(accessOf: (request: Request) => Access): Plugin {
  return {
    onParams({ params, request, setResult }) {
      if (!params.query || !accessOf(request).readOnly) return;
      const operation = writeOperation(params.query, params.operationName);
      if (!operation) return;
      setResult({
        errors: [
          new GraphQLError(`this token is read only: it may run queries, not ${operation}s`, {
            extensions: { code: 'FORBIDDEN' },
          }),
        ],
      });
    },
  };
}

/** The operation type the request would run when it is not a query (undefined for a query or unparsable text). */
function writeOperation(query: string, operationName: string | undefined): string | undefined {
  let operations: OperationDefinitionNode[];
  try {
    operations = parse(query).definitions.filter(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
  } catch {
    return undefined; // the server answers the syntax error itself
  }
  const chosen = operationName ? operations.filter((o) => o.name?.value === operationName) : operations;
  return chosen.find((o) => o.operation !== 'query')?.operation;
}
