import { z } from 'zod';
import { PARTITION } from '../model/aws/partitions.js';
import { ENVIRONMENTS } from '../model/properties.js';

const ACCOUNT_ID = /^\d{12}$/;
const ROLE_ARN = new RegExp(`^arn:${PARTITION}:iam::\\d{12}:role/.+$`);

function parseList(value: unknown): unknown {
  return typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : value;
}

/** `111111111111=production,222222222222=staging` (the environment form) → a map; objects pass through. */
function parseAccountMap(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  return Object.fromEntries(
    (parseList(value) as string[]).map((entry) => {
      const eq = entry.indexOf('=');
      return eq < 0 ? [entry, ''] : [entry.slice(0, eq).trim(), entry.slice(eq + 1).trim()];
    }),
  );
}

/** Per-resource calls in flight at once (`aws.concurrency`, `--concurrency`): 1 to 64. */
export const CONCURRENCY = z.coerce.number().int().min(1).max(64);

/** Settings of `reachgraph sync aws` / `analyze` (live collection and classification). */
export const AwsConfigSchema = z
  .object({
    profile: z
      .string()
      .min(1)
      .optional()
      .describe('Named profile of the shared AWS config (live collection).'),
    region: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Region for regional APIs (live collection); for snapshots, the home region that regional files at the top of an account folder are in when nothing else says.',
      ),
    roleArns: z
      .preprocess(parseList, z.array(z.string().regex(ROLE_ARN, 'expected IAM role ARNs')))
      .default([])
      .describe('Roles to assume, one per account to collect; none means the credentials’ own account.'),
    endpointUrl: z
      .string()
      .url()
      .optional()
      .describe('Send every AWS API call to this endpoint (a local stand-in such as moto).'),
    concurrency: CONCURRENCY.optional().describe(
      'Live collection: per-resource calls (a bucket’s policy, a user’s keys…) in flight at once, per service and region (default 8).',
    ),
    snapshotMaxFileBytes: z.coerce
      .number()
      .int()
      .min(1)
      .optional()
      .describe(
        'Largest snapshot file read, in bytes (default 536870912, 512 MiB); a larger file is an error for its account.',
      ),
    accountEnvironments: z
      .preprocess(
        parseAccountMap,
        z.record(z.string().regex(ACCOUNT_ID, 'expected 12-digit account ids as keys'), z.enum(ENVIRONMENTS)),
      )
      .default({})
      .describe(
        'Environment of each account’s resources when their tags do not say (account id → environment).',
      ),
  })
  .strict()
  .prefault({});

export type AwsConfig = z.infer<typeof AwsConfigSchema>;

/** Environment variables of the AWS settings and the key each one sets. */
export const AWS_ENV_KEYS: Record<string, string> = {
  REACHGRAPH_AWS_PROFILE: 'aws.profile',
  REACHGRAPH_AWS_REGION: 'aws.region',
  REACHGRAPH_AWS_ROLE_ARNS: 'aws.roleArns',
  REACHGRAPH_AWS_ENDPOINT_URL: 'aws.endpointUrl',
  REACHGRAPH_AWS_CONCURRENCY: 'aws.concurrency',
  REACHGRAPH_AWS_SNAPSHOT_MAX_FILE_BYTES: 'aws.snapshotMaxFileBytes',
  REACHGRAPH_AWS_ACCOUNT_ENVIRONMENTS: 'aws.accountEnvironments',
};
