import { createComplexityRule } from '@pothos/plugin-complexity';
import type { Plugin } from 'graphql-yoga';
import { NoSchemaIntrospectionCustomRule } from './graphql.js';

export interface QueryLimits {
  maxDepth: number;
  maxComplexity: number;
  introspection: boolean;
}

/**
 * Depth and cost limits as validation rules, so an abusive query is rejected before anything runs
 * ("Query depth of 14 exceeds max depth of 12"). The cost counts each connection's selection once
 * per requested row (`first`), which is why the rule needs the request's variables.
 */
export function useQueryLimits(limits: QueryLimits): Plugin {
  return {
    onValidate({ addValidationRule, context }) {
      const params = (context as { params?: { variables?: Record<string, unknown>; operationName?: string } })
        .params;
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
  };
}
