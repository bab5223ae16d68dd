import { z } from 'zod';
import { OWNER_CONFIDENCES, type OwnerConfidence } from '../model/properties.js';

const OwnerKeySchema = z.union([
  z
    .string()
    .min(1)
    .transform((key) => ({ key, confidence: 'medium' as OwnerConfidence })),
  z.object({ key: z.string().min(1), confidence: z.enum(OWNER_CONFIDENCES) }).strict(),
]);
export type OwnerKey = { key: string; confidence: OwnerConfidence };

/**
 * The tag and label keys that name an owner, in the order they are tried. `cost-center` names a
 * budget more often than a team, so it is the weakest.
 */
export const DEFAULT_OWNER_KEYS: readonly OwnerKey[] = [
  { key: 'owner', confidence: 'high' },
  { key: 'team', confidence: 'high' },
  { key: 'contact', confidence: 'medium' },
  { key: 'cost-center', confidence: 'low' },
];

/** Settings of owner resolution (docs/owners.md): where the owners file and CODEOWNERS files are. */
export const OwnersConfigSchema = z
  .object({
    file: z
      .string()
      .min(1)
      .optional()
      .describe('The owners file (YAML or JSON, docs/owners.md); `sync --owners FILE` overrides it.'),
    codeowners: z
      .record(z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'expected OWNER/REPOSITORY keys'), z.string().min(1))
      .default({})
      .describe(
        'Repository (ORG/REPO) → its CODEOWNERS file, for CI identities whose trust names the repository; `sync --codeowners ORG/REPO=FILE` adds to it.',
      ),
    keys: z
      .array(OwnerKeySchema)
      .min(1)
      .default([...DEFAULT_OWNER_KEYS])
      .describe(
        'Tag, label and annotation keys naming an owner, tried in order: a key, or {key, confidence} (default owner, team: high; contact: medium; cost-center: low).',
      ),
  })
  .strict()
  .prefault({});

export type OwnersConfig = z.infer<typeof OwnersConfigSchema>;

/** Environment variables of the owner settings and the key each one sets. */
export const OWNERS_ENV_KEYS: Record<string, string> = {
  REACHGRAPH_OWNERS_FILE: 'owners.file',
};
