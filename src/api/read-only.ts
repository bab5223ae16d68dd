import type { Plugin } from 'graphql-yoga';
import {
  type DefinitionNode,
  type DocumentNode,
  GraphQLError,
  Kind,
  type OperationDefinitionNode,
} from './graphql.js';
import type { Access } from './token-scope.js';

/**
 * Read-only tokens (scoped tokens always are) run queries only: a document with a mutation or a
 * subscription is refused before it is validated, whatever the schema declares, so a mutation added
 * later is closed to them without a change here (docs/api.md#scoped-tokens).
 */
export function useReadOnly(accessOf: (request: Request) => Access): Plugin {
  return {
    onValidate({ context, params, setResult }) {
      // Validation runs before the context is built: the request says who asks.
      const { request } = context as { request?: Request };
      if (!request || !accessOf(request).readOnly) return;
      const document = params.documentAST as DocumentNode;
      const writes = document.definitions.filter(
        (d: DefinitionNode): d is OperationDefinitionNode =>
          d.kind === Kind.OPERATION_DEFINITION && d.operation !== 'query',
      );
      if (writes.length > 0)
        setResult([
          new GraphQLError(
            `this token is read only: it may run queries, not ${writes.map((w: OperationDefinitionNode) => w.operation).join(' or ')}s`,
            { extensions: { code: 'FORBIDDEN' } },
          ),
        ]);
    },
  };
}
