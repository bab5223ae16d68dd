import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { readConfigFile } from '../config/file.js';
import { OWNER_TYPES } from '../model/properties.js';

/**
 * The owners file (YAML or JSON, docs/owners.md): who owns what, said explicitly. `owners` declares
 * each team or person once (type, contacts, alert route, the other names it goes by in tags and
 * CODEOWNERS); `rules` map identities to an owner by id pattern, scope (account, project, cluster,
 * namespace) or a tag or label; `repositories` and `codeowners` map the repositories CI identities
 * come from. Unknown keys are errors: a typo must not leave identities silently unowned.
 */

const OwnerEntrySchema = z
  .object({
    type: z.enum(OWNER_TYPES).optional().describe('team (default) or person (default for an email address).'),
    contacts: z
      .array(z.string().min(1))
      .default([])
      .describe('Where to reach the owner (email, chat channel).'),
    alert: z
      .string()
      .min(1)
      .optional()
      .describe(
        'The alert route: the key of `alerts.owners` in a schedule job naming the owner’s sinks (default: the owner’s name).',
      ),
    aliases: z
      .array(z.string().min(1))
      .default([])
      .describe(
        'Other names of this owner in tags, labels and CODEOWNERS (`@acme/payments`, `payments-team`), matched without case.',
      ),
  })
  .strict();

const RuleSchema = z
  .object({
    owner: z.string().min(1).describe('The owner: a name declared under `owners`, or any team or person.'),
    id: z
      .string()
      .min(1)
      .optional()
      .describe('Node id pattern, `*` matching any run of characters (arn:aws:iam::111111111111:role/ci-*).'),
    account: z
      .string()
      .regex(/^\d{12}$/, 'expected a 12-digit AWS account id')
      .optional(),
    project: z.string().min(1).optional().describe('A GCP project id.'),
    cluster: z.string().min(1).optional().describe('A Kubernetes cluster (its name as collected).'),
    namespace: z
      .string()
      .min(1)
      .optional()
      .describe('A Kubernetes namespace, `CLUSTER/NAMESPACE` or a namespace in any cluster.'),
    tag: z
      .record(z.string().min(1), z.string())
      .optional()
      .describe('Tags or labels the identity carries, key → value pattern (`*` for any value).'),
  })
  .strict()
  .refine(
    (rule) =>
      [rule.id, rule.account, rule.project, rule.cluster, rule.namespace, rule.tag].some(
        (m) => m !== undefined,
      ),
    { message: 'a rule needs at least one of id, account, project, cluster, namespace or tag' },
  );

export const OwnersFileSchema = z
  .object({
    owners: z.record(z.string().min(1), OwnerEntrySchema.prefault({})).default({}),
    rules: z.array(RuleSchema).default([]),
    repositories: z
      .record(z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'expected OWNER/REPOSITORY keys'), z.string().min(1))
      .default({})
      .describe('Repository (ORG/REPO) → owner, for CI identities whose trust names the repository.'),
    codeowners: z
      .record(z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'expected OWNER/REPOSITORY keys'), z.string().min(1))
      .default({})
      .describe('Repository → its CODEOWNERS file, relative to the owners file.'),
  })
  .strict();

export type OwnersFile = z.infer<typeof OwnersFileSchema>;
export type OwnerRule = OwnersFile['rules'][number];
export type OwnerEntry = OwnersFile['owners'][string];

/** The owners file, with its CODEOWNERS paths made absolute (they are relative to the file). */
export function readOwnersFile(file: string): OwnersFile {
  const parsed = readConfigFile(file, { schema: OwnersFileSchema, title: 'owners file', empty: {} });
  const base = dirname(resolve(file));
  return {
    ...parsed,
    codeowners: Object.fromEntries(
      Object.entries(parsed.codeowners).map(([repo, path]) => [
        repo,
        isAbsolute(path) ? path : resolve(base, path),
      ]),
    ),
  };
}
