import { z } from 'zod';
import { MAX_HOPS_LIMIT } from '../answers/bounds.js';

/** The hard cap on path length the API ever accepts, whatever the configuration says. */
export const API_MAX_HOPS_HARD_CAP = MAX_HOPS_LIMIT;

const SHA256_HEX = /^[0-9a-f]{64}$/;

export const ApiTokenSchema = z
  .object({
    name: z.string().min(1).describe('Who the token is for (shown in logs, never the token).'),
    sha256: z
      .string()
      .regex(SHA256_HEX, 'expected the SHA-256 of the token as 64 lowercase hex digits')
      .describe('SHA-256 of the token; the token itself is never stored.'),
  })
  .strict();
export type ApiToken = z.infer<typeof ApiTokenSchema>;

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
      .preprocess(parseList, z.array(z.string().min(1)))
      .default([])
      .describe('Origins allowed to call the API from a browser (portals); none by default.'),
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
