import { createComplexityRule } from '@pothos/plugin-complexity';
import type { Plugin } from 'graphql-yoga';
import {
  type ExecutionResult,
  GraphQLError,
  Kind,
  NoSchemaIntrospectionCustomRule,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from './graphql.js';

export interface QueryLimits {
  maxDepth: number;
  maxComplexity: number;
  /** Top-level fields one operation may select; every alias is a field of its own. */
  maxRootFields: number;
  introspection: boolean;
}

/**
 * Depth, cost and breadth limits as validation rules, so an abusive query is rejected before
 * anything runs ("Query depth of 14 exceeds max depth of 12"). The cost counts each connection's
 * selection once per requested row (`first`), which is why the rule needs the request's variables,
 * and every aliased field once per alias. Each top-level field is its own graph search, so their
 * number is capped as well: 5,000 aliased `node(id:)` lookups cost little each but much together.
 * With introspection off, validation errors lose their "Did you mean …?" hints, which would name
 * the schema's fields and values to anyone probing it.
 */
export function useQueryLimits(limits: QueryLimits): Plugin {
  return {
    onValidate({ addValidationRule, context }) {
      const params = (context as { params?: { variables?: Record<string, unknown>; operationName?: string } })
        .params;
      addValidationRule(rootFieldLimit(limits.maxRootFields));
      addValidationRule(
        createComplexityRule({
          context,
          variableValues: params?.variables ?? {},
          operationName: params?.operationName ?? null,
          maxDepth: limits.maxDepth,
          maxComplexity: limits.maxComplexity,
        }),
      );
      if (!limits.introspection) addValidationRule(NoSchemaIntrospectionCustomRule);
    },
    onResultProcess({ result, setResult }) {
      if (limits.introspection || Symbol.asyncIterator in result) return;
      const results = Array.isArray(result) ? result : [result];
      if (!results.some((r) => r.errors?.some((e) => SUGGESTION.test(e.message)))) return;
      const stripped = results.map(withoutSuggestions);
      setResult(Array.isArray(result) ? stripped : (stripped[0] as ExecutionResult));
    },
  };
}

/** graphql-js appends suggestions as ` Did you mean "a", "b" or "c"?` (also `the enum value …`). */
const SUGGESTION = / Did you mean [^?]*\?/;

function withoutSuggestions(result: ExecutionResult): ExecutionResult {
  if (!result.errors) return result;
  return {
    ...result,
    errors: result.errors.map((error) =>
      SUGGESTION.test(error.message)
        ? new GraphQLError(error.message.replace(SUGGESTION, ''), {
            nodes: error.nodes,
            source: error.source,
            positions: error.positions,
            path: error.path,
            extensions: error.extensions,
          })
        : error,
    ),
  };
}

/** Rejects an operation selecting more than `max` top-level fields, fragments included. */
export function rootFieldLimit(max: number): ValidationRule {
  return (context: ValidationContext) => ({
    OperationDefinition(operation) {
      const count = countFields(context, operation.selectionSet, new Set());
      if (count > max)
        context.reportError(
          new GraphQLError(
            `the query selects ${count} top-level fields (each alias counts); the limit is ${max}: split it into several requests`,
            { nodes: [operation], extensions: { code: 'QUERY_TOO_BROAD' } },
          ),
        );
    },
  });
}

function countFields(context: ValidationContext, selectionSet: SelectionSetNode, seen: Set<string>): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) count += 1;
    else if (selection.kind === Kind.INLINE_FRAGMENT)
      count += countFields(context, selection.selectionSet, seen);
    else if (!seen.has(selection.name.value)) {
      // A cyclic spread is reported by graphql-js's own rule; count each fragment once per path.
      const fragment = context.getFragment(selection.name.value);
      if (fragment)
        count += countFields(context, fragment.selectionSet, new Set([...seen, selection.name.value]));
    }
  }
  return count;
}
