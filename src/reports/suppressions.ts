import { z } from 'zod';
import { type ConfigFileSpec, describeProblem, parseConfigFile, readConfigFile } from '../config/file.js';
import type { Finding } from './types.js';

/**
 * Accepted risks: a list of `{ fingerprint, reason, expires: YYYY-MM-DD }` in a YAML or JSON file.
 * A suppression hides its finding from the active list until the end of its expiry day (UTC); after
 * that the finding is active again and the entry is reported as expired, so accepted risks are
 * looked at again rather than forgotten.
 */

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const SuppressionSchema = z.strictObject({
  fingerprint: z.string().regex(/^[0-9a-f]{32}$/, 'a finding fingerprint: 32 lower-case hex digits'),
  reason: z.string().trim().min(1, 'say why the risk is accepted'),
  expires: z
    .string()
    .regex(DATE, 'a date as YYYY-MM-DD')
    .refine(
      (d) =>
        !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
      'not a calendar date',
    ),
});
export type Suppression = z.infer<typeof SuppressionSchema>;

/** The file: a list of entries, each fingerprint suppressed once. */
const SuppressionFileSchema = z
  .array(SuppressionSchema, { error: 'expected a list of { fingerprint, reason, expires } entries' })
  .superRefine((entries, ctx) => {
    const seen = new Map<string, number>();
    entries.forEach((entry, index) => {
      const earlier = seen.get(entry.fingerprint);
      if (earlier !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: [index],
          message: `fingerprint ${entry.fingerprint} is already suppressed by entry ${earlier}`,
        });
      else seen.set(entry.fingerprint, index);
    });
  });

/** How suppression files are read: entries are named by their 0-based index, one line each. */
const SUPPRESSION_FILE: ConfigFileSpec<Suppression[]> = {
  schema: SuppressionFileSchema,
  syntax: 'yaml',
  empty: [],
  wording: {
    unreadable: (file, reason) => `${file}: cannot read the suppression file: ${reason}`,
    invalid: (file, problems) => {
      const byEntry = new Map<string, string[]>();
      for (const problem of problems) {
        const [index, ...inside] = problem.path;
        const at = index === undefined ? '' : ` entry ${String(index)}:`;
        const text = inside.length ? describeProblem({ ...problem, path: inside }) : problem.message;
        byEntry.set(at, [...(byEntry.get(at) ?? []), text]);
      }
      return [...byEntry].map(([at, texts]) => `${file}:${at} ${texts.join('; ')}`).join('\n');
    },
  },
};

export async function readSuppressions(file: string): Promise<Suppression[]> {
  return readConfigFile(file, SUPPRESSION_FILE);
}

/** The file's text → entries; `file` names it in errors. */
export function parseSuppressions(file: string, text: string): Suppression[] {
  return parseConfigFile(file, text, SUPPRESSION_FILE);
}

/** True while `now` is on or before the expiry day (the whole day counts, UTC). */
export function suppressionActive(suppression: Suppression, now: Date): boolean {
  return now.getTime() < Date.parse(`${suppression.expires}T00:00:00Z`) + 24 * 60 * 60 * 1000;
}

export function applySuppressions(
  findings: Finding[],
  suppressions: Suppression[],
  now: Date,
): { active: Finding[]; suppressed: Finding[]; expired: Suppression[] } {
  const current = new Map<string, Suppression>();
  const expired: Suppression[] = [];
  for (const s of suppressions) {
    if (suppressionActive(s, now)) current.set(s.fingerprint, s);
    else expired.push(s);
  }
  const active: Finding[] = [];
  const suppressed: Finding[] = [];
  for (const finding of findings) {
    const s = current.get(finding.fingerprint);
    if (s) suppressed.push({ ...finding, suppression: { reason: s.reason, expires: s.expires } });
    else active.push(finding);
  }
  return { active, suppressed, expired };
}
