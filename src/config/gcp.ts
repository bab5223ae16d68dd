import { z } from 'zod';
import { ENVIRONMENTS } from '../model/properties.js';

const NUMBER = /^\d+$/;

/** Settings of `reachgraph sync gcp` / `analyze` (live collection and classification). */
export const GcpConfigSchema = z
  .object({
    organization: z
      .string()
      .regex(NUMBER, 'an organization number')
      .optional()
      .describe(
        'Live collection: the organization number; with no folders or projects named, everything under it.',
      ),
    folders: z
      .array(z.string().regex(NUMBER, 'a folder number'))
      .default([])
      .describe('Live collection: folder numbers, each collected with everything under it.'),
    projects: z
      .array(z.string().min(1))
      .default([])
      .describe(
        'Live collection: project ids; with no organization, folder or project named, every project the credentials list.',
      ),
    credentials: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Live collection: a service-account key or external-account credentials file (default: Application Default Credentials).',
      ),
    impersonateServiceAccount: z
      .string()
      .min(1)
      .optional()
      .describe('Live collection: act as this service account (as gcloud --impersonate-service-account).'),
    groupMembers: z
      .boolean()
      .default(false)
      .describe(
        'Live collection: also read the Cloud Identity members of the groups the policies name, nested groups followed (needs the Cloud Identity API and a Groups Reader admin role).',
      ),
    concurrency: z
      .number()
      .int()
      .min(1)
      .max(64)
      .default(8)
      .describe('Live collection: API calls in flight at once.'),
    projectEnvironments: z
      .record(z.string(), z.enum(ENVIRONMENTS))
      .default({})
      .describe('Environment of each project (project id → environment) when its labels do not say.'),
  })
  .strict()
  .prefault({});

export type GcpConfig = z.infer<typeof GcpConfigSchema>;

/** Environment variables of the GCP settings and the key each one sets. */
export const GCP_ENV_KEYS: Record<string, string> = {
  REACHGRAPH_GCP_ORGANIZATION: 'gcp.organization',
  REACHGRAPH_GCP_IMPERSONATE_SERVICE_ACCOUNT: 'gcp.impersonateServiceAccount',
};
