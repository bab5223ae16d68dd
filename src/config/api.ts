import { z } from 'zod';
import { MAX_HOPS_LIMIT } from '../answers/bounds.js';

/** The hard cap on path length the API ever accepts, whatever the configuration says. */
export const API_MAX_HOPS_HARD_CAP = MAX_HOPS_LIMIT;

const SHA256_HEX = /^[0-9a-f]{64}$/;

const nonEmptyList = <T extends z.ZodTypeAny>(item: T) => z.array(item).min(1).optional();

/**
 * The part of the estate a token may see (docs/api.md#scoped-tokens): a node is visible when it lies
 * in any of the listed providers, accounts, projects, clusters or namespaces.
 */
export const TokenScopeSchema = z
  .object({
    providers: nonEmptyList(z.enum(['aws', 'gcp', 'kubernetes'])).describe('Whole providers.'),
    accounts: nonEmptyList(z.string().regex(/^\d{12}$/, 'expected a 12-digit AWS account id')).describe(
      'AWS account ids.',
    ),
    // GCP project ids: 6-30 lowercase letters, digits and hyphens, starting with a letter
    // (https://cloud.google.com/resource-manager/docs/creating-managing-projects#before_you_begin).
    projects: nonEmptyList(
      z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, 'expected a GCP project id such as acme-prod-data'),
    ).describe('GCP project ids.'),
    clusters: nonEmptyList(z.string().regex(/^[^:/\s]+$/, 'expected a cluster name')).describe(
      'Kubernetes cluster names (as collected).',
    ),
    namespaces: nonEmptyList(
      z.string().regex(/^[^:/\s]+\/[^:/\s]+$/, 'expected CLUSTER/NAMESPACE, e.g. prod-payments/payments'),
    ).describe('Kubernetes namespaces as CLUSTER/NAMESPACE.'),
  })
  .strict()
  .refine((scope) => Object.values(scope).some((values) => values !== undefined && values.length > 0), {
    message: 'a scope lists at least one provider, account, project, cluster or namespace',
  });
export type TokenScopeConfig = z.infer<typeof TokenScopeSchema>;

export const ApiTokenSchema = z
  .object({
    name: z.string().min(1).describe('Who the token is for (shown in logs, never the token).'),
    sha256: z
      .string()
      .regex(SHA256_HEX, 'expected the SHA-256 of the token as 64 lowercase hex digits')
      .describe('SHA-256 of the token; the token itself is never stored.'),
    readOnly: z
      .boolean()
      .optional()
      .describe('Queries only, no mutation; default true for a scoped token, false otherwise.'),
    scope: TokenScopeSchema.optional().describe(
      'Only these providers, accounts, projects, clusters or namespaces are visible (docs/api.md#scoped-tokens).',
    ),
  })
  .strict()
  .refine((token) => !(token.scope && token.readOnly === false), {
    message: 'a scoped token is read only (a mutation acts on the whole estate): drop readOnly: false',
    path: ['readOnly'],
  });
export type ApiToken = z.infer<typeof ApiTokenSchema>;

/**
 * An origin as browsers send it (`scheme://host[:port]`, no path): what `frame-ancestors` and CORS
 * compare (https://www.w3.org/TR/CSP3/#grammardef-host-source,
 * https://fetch.spec.whatwg.org/#origin-header). http only for loopback hosts.
 */
export const OriginSchema = z.string().superRefine((value, ctx) => {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    // reported below
  }
  const loopback = url && /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(url.hostname);
  if (
    !url ||
    url.origin !== value ||
    !/^([a-z0-9-]+\.)*[a-z0-9-]+$|^\[[0-9a-f:.]+\]$/.test(url.hostname) ||
    !(url.protocol === 'https:' || (url.protocol === 'http:' && loopback))
  )
    ctx.addIssue({
      code: 'custom',
      message: `expected an origin such as https://portal.example.com (scheme, host and port only; http only for loopback), got "${value}"`,
    });
});

/** `name:sha256,name:sha256` (the environment form) → token records; arrays pass through. */
function parseTokenList(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const colon = entry.lastIndexOf(':');
      return colon < 0
        ? { name: 'token', sha256: entry }
        : { name: entry.slice(0, colon), sha256: entry.slice(colon + 1) };
    });
}

function parseList(value: unknown): unknown {
  return typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : value;
}

// z.coerce.boolean() would read "false" as true.
const flag = z.preprocess((value) => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  return value;
}, z.boolean());

/** Settings of `reachgraph serve` (the GraphQL API). */
export const ApiConfigSchema = z
  .object({
    host: z.string().min(1).default('127.0.0.1').describe('Address to bind; loopback by default.'),
    port: z.coerce.number().int().min(0).max(65_535).default(4000).describe('0 lets the OS pick a port.'),
    tokens: z
      .preprocess(parseTokenList, z.array(ApiTokenSchema))
      .default([])
      .describe('Accepted bearer tokens, as SHA-256 hashes (`reachgraph token create` prints one).'),
    corsOrigins: z
      .preprocess(parseList, z.array(OriginSchema))
      .default([])
      .describe('Origins allowed to call the API from a browser (portals); none by default.'),
    frameAncestors: z
      .preprocess(parseList, z.array(OriginSchema))
      .default([])
      .describe(
        "Origins allowed to show the explorer (/ui) in a frame: its CSP's frame-ancestors (docs/portals.md); none by default.",
      ),
    introspection: flag.default(true).describe('Schema introspection (notebooks and GraphiQL rely on it).'),
    demo: flag
      .default(false)
      .describe('Local demo mode: no token needed; refused unless bound to a loopback address.'),
    maxDepth: z.coerce.number().int().min(2).max(50).default(12).describe('Deepest selection accepted.'),
    maxComplexity: z.coerce
      .number()
      .int()
      .min(10)
      .default(10_000)
      .describe('Highest estimated query cost accepted (lists count per requested page size).'),
    maxRootFields: z.coerce
      .number()
      .int()
      .min(1)
      .max(1_000)
      .default(20)
      .describe('Most top-level fields one request may select, aliases of one field each counted.'),
    maxHops: z.coerce
      .number()
      .int()
      .min(1)
      .max(API_MAX_HOPS_HARD_CAP)
      .default(6)
      .describe('Longest path (hop edges before the final access) a request may ask for.'),
    maxPageSize: z.coerce.number().int().min(1).max(1_000).default(100).describe('Largest `first` accepted.'),
    queryTimeoutMs: z.coerce
      .number()
      .int()
      .min(100)
      .default(15_000)
      .describe('Transaction timeout of every Neo4j query the API runs.'),
    requestTimeoutMs: z.coerce
      .number()
      .int()
      .min(100)
      .default(30_000)
      .describe('Time one request may take in all; its queries are cut to what is left, then refused.'),
  })
  .strict()
  .prefault({});

export type ApiConfig = z.infer<typeof ApiConfigSchema>;

/** Environment variables of the API settings and the key each one sets. */
export const API_ENV_KEYS: Record<string, string> = {
  REACHGRAPH_API_HOST: 'api.host',
  REACHGRAPH_API_PORT: 'api.port',
  REACHGRAPH_API_TOKENS: 'api.tokens',
  REACHGRAPH_API_CORS_ORIGINS: 'api.corsOrigins',
  REACHGRAPH_API_FRAME_ANCESTORS: 'api.frameAncestors',
  REACHGRAPH_API_INTROSPECTION: 'api.introspection',
  REACHGRAPH_API_DEMO: 'api.demo',
  REACHGRAPH_API_MAX_DEPTH: 'api.maxDepth',
  REACHGRAPH_API_MAX_COMPLEXITY: 'api.maxComplexity',
  REACHGRAPH_API_MAX_HOPS: 'api.maxHops',
  REACHGRAPH_API_MAX_PAGE_SIZE: 'api.maxPageSize',
  REACHGRAPH_API_QUERY_TIMEOUT_MS: 'api.queryTimeoutMs',
  REACHGRAPH_API_REQUEST_TIMEOUT_MS: 'api.requestTimeoutMs',
  REACHGRAPH_API_MAX_ROOT_FIELDS: 'api.maxRootFields',
};
