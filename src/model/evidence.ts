import { z } from 'zod';

/** Where the fact that creates a derived edge is written down. */
export const EVIDENCE_SOURCES = [
  'identity-policy',
  'resource-policy',
  'bucket-acl',
  'trust-policy',
  'permissions-boundary',
  'session-policy',
  'scp',
  'rcp',
  'iam-binding',
  'rbac-binding',
  'annotation',
  'workload-spec',
  'instance-profile',
  'declared',
] as const;

/**
 * The record every derived edge carries: which document (`ref`), which part of it (`statement`),
 * and a one-line reason a person can read. `conditions` lists condition keys that could not be
 * decided offline; an edge with any is conditional, never silently granted or dropped.
 */
export const EvidenceSchema = z
  .object({
    source: z.enum(EVIDENCE_SOURCES).describe('What kind of document grants the edge.'),
    ref: z.string().min(1).describe('Id of the policy, binding or object (ARN, binding name…).'),
    statement: z.string().optional().describe('Statement Sid or index, rule index, binding member.'),
    reason: z.string().min(1).describe('One-line human reason.'),
    conditions: z
      .array(z.string().min(1))
      .optional()
      .describe('Condition keys that could not be decided offline.'),
  })
  .strict();

export type Evidence = z.infer<typeof EvidenceSchema>;
