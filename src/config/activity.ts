import { z } from 'zod';

/** Settings of `reachgraph ingest` (the activity store of docs/activity.md). */
export const ActivityConfigSchema = z
  .object({
    database: z
      .string()
      .min(1)
      .optional()
      .describe(
        'The DuckDB file holding the activity aggregates (default: activity/activity.duckdb under the user’s data directory).',
      ),
    retentionDays: z.coerce
      .number()
      .int()
      .min(1)
      .default(90)
      .describe('Days of per-day aggregates kept; older days are dropped at each ingest.'),
  })
  .strict()
  .prefault({});

export type ActivityConfig = z.infer<typeof ActivityConfigSchema>;

/** Environment variables of the activity settings and the key each one sets. */
export const ACTIVITY_ENV_KEYS: Record<string, string> = {
  REACHGRAPH_ACTIVITY_DATABASE: 'activity.database',
  REACHGRAPH_ACTIVITY_RETENTION_DAYS: 'activity.retentionDays',
};
