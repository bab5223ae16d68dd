import { hashToken } from '../../../src/api/auth.js';
import { createApi } from '../../../src/api/yoga.js';
import { type ApiConfig, ApiConfigSchema } from '../../../src/config/api.js';
import { GraphExecutor } from '../../../src/graph/executor.js';
import { type GraphqlRequest, postGraphql } from '../../helpers/graphql.js';

export const TOKEN = 'rg_test-token-for-unit-tests';

/**
 * An API whose executor points at a port nothing listens on: requests that never reach Neo4j
 * (rejected by auth or limits, introspection) answer normally, and any that did would fail loudly.
 */
export function offlineApi(overrides: Partial<ApiConfig> = {}, demo?: boolean) {
  const { executor, config } = offlineApiOptions(overrides);
  const api = createApi({ executor, config, ...(demo === undefined ? {} : { demo }) });
  return { ...api, executor };
}

/** The executor and configuration `offlineApi` serves, for starting a real server on them. */
export function offlineApiOptions(overrides: Partial<ApiConfig> = {}) {
  const executor = GraphExecutor.connect(
    { uri: 'bolt://127.0.0.1:9', user: 'neo4j', password: '', database: 'neo4j' },
    { maxRetryTimeMs: 0 },
  );
  const config = ApiConfigSchema.parse({
    tokens: [{ name: 'unit', sha256: hashToken(TOKEN) }],
    ...overrides,
  });
  return { executor, config };
}

export function post(
  api: ReturnType<typeof offlineApi>,
  query: string,
  options: Partial<GraphqlRequest> = {},
) {
  return postGraphql(api, query, { ...options, token: options.token === undefined ? TOKEN : options.token });
}

/** How many Neo4j queries the API started (all of them, whatever their outcome). */
export async function neo4jQueryCount(api: ReturnType<typeof offlineApi>): Promise<number> {
  const metric = await api.metrics.neo4jSeconds.get();
  return metric.values.filter((v) => v.metricName?.endsWith('_count')).reduce((sum, v) => sum + v.value, 0);
}
