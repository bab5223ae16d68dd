import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
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

export class SuppressionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SuppressionError';
  }
}

export async function readSuppressions(file: string): Promise<Suppression[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new SuppressionError(`${file}: cannot read the suppression file: ${(error as Error).message}`);
  }
  return parseSuppressions(file, text);
}

/** The file's text → entries; `file` names it in errors (entries by their 0-based index). */
export function parseSuppressions(file: string, text: string): Suppression[] {
  let raw: unknown;
  try {
    // JSON is YAML, so one parser reads both.
    raw = text.trim() === '' ? [] : parseYaml(text);
  } catch (error) {
    throw new SuppressionError(`${file}: not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}`);
  }
  if (raw === null || raw === undefined) return [];
  if (!Array.isArray(raw))
    throw new SuppressionError(`${file}: expected a list of { fingerprint, reason, expires } entries`);
  const seen = new Map<string, number>();
  return raw.map((entry, index) => {
    const parsed = SuppressionSchema.safeParse(entry);
    if (!parsed.success) {
      const problems = parsed.error.issues
        .map((i) => `${i.path.length ? i.path.join('.') : 'entry'}: ${i.message}`)
        .join('; ');
      throw new SuppressionError(`${file}: entry ${index}: ${problems}`);
    }
    const earlier = seen.get(parsed.data.fingerprint);
    if (earlier !== undefined)
      throw new SuppressionError(
        `${file}: entry ${index}: fingerprint ${parsed.data.fingerprint} is already suppressed by entry ${earlier}`,
      );
    seen.set(parsed.data.fingerprint, index);
    return parsed.data;
  });
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
