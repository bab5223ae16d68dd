import { z } from 'zod';
import { ENVIRONMENTS } from '../model/properties.js';

/** Settings of `reachgraph sync gcp` / `analyze` (classification). */
export const GcpConfigSchema = z
  .object({
    projectEnvironments: z
      .record(z.string(), z.enum(ENVIRONMENTS))
      .default({})
      .describe('Environment of each project (project id → environment) when its labels do not say.'),
  })
  .strict()
  .prefault({});

export type GcpConfig = z.infer<typeof GcpConfigSchema>;
