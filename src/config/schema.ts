import { z } from 'zod';
import { LOG_LEVELS } from '../logging.js';
import { ACTIVITY_ENV_KEYS, ActivityConfigSchema } from './activity.js';
import { API_ENV_KEYS, ApiConfigSchema } from './api.js';
import { AWS_ENV_KEYS, AwsConfigSchema } from './aws.js';
import { GCP_ENV_KEYS, GcpConfigSchema } from './gcp.js';
import { KUBERNETES_ENV_KEYS, KubernetesConfigSchema } from './kubernetes.js';
import { OWNERS_ENV_KEYS, OwnersConfigSchema } from './owners.js';

/**
 * How long the Neo4j driver retries transient errors (load.maxRetryTimeMs) unless configured. Its
 * backoff doubles from 1 s, and the wait begun before the time is up still runs: 30 s meant a dead
 * server failed a load only after ~63 s; 10 s fails it after ~15 s.
 */
export const DEFAULT_MAX_RETRY_TIME_MS = 10_000;

/** Every setting, its default and its check, in one place (docs/configuration.md lists them). */
export const ConfigSchema = z
  .object({
    neo4j: z
      .object({
        uri: z
          .string()
          .regex(
            /^(bolt|neo4j)(\+s|\+ssc)?:\/\/.+/,
            'expected a bolt:// or neo4j:// URI (optionally +s or +ssc)',
          )
          .optional()
          .describe('Use this Neo4j server instead of the local one.'),
        user: z.string().min(1).default('neo4j'),
        password: z.string().default(''),
        database: z.string().min(1).default('neo4j'),
        connectTimeoutMs: z.coerce
          .number()
          .int()
          .min(0)
          .default(30_000)
          .describe('How long to keep trying to reach the server before giving up.'),
      })
      .strict()
      .default({ user: 'neo4j', password: '', database: 'neo4j', connectTimeoutMs: 30_000 }),
    local: z
      .object({
        dataDir: z
          .string()
          .min(1)
          .optional()
          .describe('Where the local server keeps its data between commands.'),
        cacheDir: z.string().min(1).optional().describe('Where the Neo4j jars are cached.'),
        heapMb: z.coerce.number().int().min(256).default(1024),
        pageCacheMb: z.coerce.number().int().min(64).default(512),
        readyTimeoutMs: z.coerce.number().int().min(1000).default(120_000),
      })
      .strict()
      .default({ heapMb: 1024, pageCacheMb: 512, readyTimeoutMs: 120_000 }),
    load: z
      .object({
        batchSize: z.coerce.number().int().min(1).max(100_000).default(5_000),
        maxRetryTimeMs: z.coerce.number().int().min(0).default(DEFAULT_MAX_RETRY_TIME_MS),
      })
      .strict()
      .default({ batchSize: 5_000, maxRetryTimeMs: DEFAULT_MAX_RETRY_TIME_MS }),
    api: ApiConfigSchema,
    aws: AwsConfigSchema,
    kubernetes: KubernetesConfigSchema,
    gcp: GcpConfigSchema,
    activity: ActivityConfigSchema,
    owners: OwnersConfigSchema,
    log: z
      .object({
        level: z.enum(LOG_LEVELS).default('warn'),
      })
      .strict()
      .default({ level: 'warn' }),
  })
  .strict();

export type Config = z.infer<typeof ConfigSchema>;

/** Environment variables and the key each one sets. */
export const ENV_KEYS: Record<string, string> = {
  NEO4J_URI: 'neo4j.uri',
  NEO4J_USER: 'neo4j.user',
  NEO4J_USERNAME: 'neo4j.user',
  NEO4J_PASSWORD: 'neo4j.password',
  NEO4J_DATABASE: 'neo4j.database',
  REACHGRAPH_CONNECT_TIMEOUT_MS: 'neo4j.connectTimeoutMs',
  REACHGRAPH_DATA_DIR: 'local.dataDir',
  REACHGRAPH_CACHE_DIR: 'local.cacheDir',
  REACHGRAPH_NEO4J_HEAP_MB: 'local.heapMb',
  REACHGRAPH_NEO4J_PAGECACHE_MB: 'local.pageCacheMb',
  REACHGRAPH_NEO4J_READY_TIMEOUT_MS: 'local.readyTimeoutMs',
  REACHGRAPH_BATCH_SIZE: 'load.batchSize',
  REACHGRAPH_MAX_RETRY_TIME_MS: 'load.maxRetryTimeMs',
  REACHGRAPH_LOG_LEVEL: 'log.level',
  ...API_ENV_KEYS,
  ...AWS_ENV_KEYS,
  ...KUBERNETES_ENV_KEYS,
  ...GCP_ENV_KEYS,
  ...ACTIVITY_ENV_KEYS,
  ...OWNERS_ENV_KEYS,
};
