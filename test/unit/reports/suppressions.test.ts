import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fingerprint } from '../../../src/reports/fingerprint.js';
import {
  applySuppressions,
  parseSuppressions,
  readSuppressions,
  type Suppression,
} from '../../../src/reports/suppressions.js';
import type { Finding } from '../../../src/reports/types.js';

const dir = mkdtempSync(join(tmpdir(), 'reachgraph-suppressions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function finding(ruleId: string, ids: string[]): Finding {
  return {
    fingerprint: fingerprint(ruleId, ids),
    ruleId,
    title: ruleId,
    category: 'credentials',
    severity: 'medium',
    subject: { id: ids[0] ?? '', kind: 'AwsUser', name: ids[0] ?? '', scope: null },
    target: null,
    message: `${ruleId} ${ids.join(' ')}`,
    path: [],
    conditional: false,
    facts: {},
  };
}

const old = finding('access-key-not-rotated', ['aws:key:AKIAOLD']);
const unused = finding('access-key-unused', ['aws:key:AKIAUNUSED']);
const other = finding('role-unused', ['arn:aws:iam::111111111111:role/x']);

describe('readSuppressions', () => {
  it('reads YAML and JSON lists', async () => {
    const yamlFile = join(dir, 'accepted.yaml');
    writeFileSync(
      yamlFile,
      `- fingerprint: ${old.fingerprint}\n  reason: vendor key, rotation scheduled\n  expires: 2024-07-01\n`,
    );
    expect(await readSuppressions(yamlFile)).toEqual([
      { fingerprint: old.fingerprint, reason: 'vendor key, rotation scheduled', expires: '2024-07-01' },
    ]);
    const jsonFile = join(dir, 'accepted.json');
    writeFileSync(
      jsonFile,
      JSON.stringify([{ fingerprint: unused.fingerprint, reason: 'r', expires: '2025-01-31' }]),
    );
    expect((await readSuppressions(jsonFile))[0]?.expires).toBe('2025-01-31');
  });

  it('names the file and the entry index of a malformed entry', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      `- fingerprint: ${old.fingerprint}\n  reason: fine\n  expires: 2024-07-01\n- fingerprint: nothex\n  reason: ''\n  expires: 31/01/2025\n`,
    );
    await expect(readSuppressions(file)).rejects.toThrow(
      new RegExp(
        `${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: entry 1: fingerprint: .*reason: .*expires: a date as YYYY-MM-DD`,
      ),
    );
  });

  it('rejects impossible dates, a non-list, unknown keys, duplicates and unreadable files', async () => {
    expect(() =>
      parseSuppressions('s.yaml', `- {fingerprint: ${old.fingerprint}, reason: r, expires: 2024-02-30}`),
    ).toThrow(/s\.yaml: entry 0: expires: not a calendar date/);
    expect(() => parseSuppressions('s.yaml', 'fingerprint: x')).toThrow(/s\.yaml: expected a list/);
    expect(() =>
      parseSuppressions(
        's.yaml',
        `- {fingerprint: ${old.fingerprint}, reason: r, expires: 2024-02-01, by: me}`,
      ),
    ).toThrow(/s\.yaml: entry 0: .*by/);
    expect(() =>
      parseSuppressions(
        's.yaml',
        `- {fingerprint: ${old.fingerprint}, reason: r, expires: 2024-02-01}\n- {fingerprint: ${old.fingerprint}, reason: r, expires: 2024-03-01}`,
      ),
    ).toThrow(/s\.yaml: entry 1: fingerprint .* is already suppressed by entry 0/);
    expect(() => parseSuppressions('s.yaml', '- [unclosed')).toThrow(/s\.yaml: not valid YAML or JSON/);
    expect(parseSuppressions('empty.yaml', '')).toEqual([]);
    await expect(readSuppressions(join(dir, 'missing.yaml'))).rejects.toThrow(/missing\.yaml: cannot read/);
  });
});

describe('applySuppressions', () => {
  const entries: Suppression[] = [
    { fingerprint: old.fingerprint, reason: 'rotation scheduled', expires: '2024-06-30' },
    { fingerprint: unused.fingerprint, reason: 'kept for DR', expires: '2024-06-09' },
  ];

  it('hides findings until the end of the expiry day; expired entries bring theirs back', () => {
    const { active, suppressed, expired } = applySuppressions(
      [old, unused, other],
      entries,
      new Date('2024-06-10T08:00:00Z'),
    );
    expect(suppressed).toEqual([
      { ...old, suppression: { reason: 'rotation scheduled', expires: '2024-06-30' } },
    ]);
    expect(active.map((f) => f.fingerprint)).toEqual([unused.fingerprint, other.fingerprint]);
    expect(expired).toEqual([entries[1]]);
  });

  it('counts the whole expiry day as suppressed, and the next day as expired', () => {
    const lastDay = applySuppressions([old], entries.slice(0, 1), new Date('2024-06-30T23:59:59Z'));
    expect(lastDay.suppressed).toHaveLength(1);
    const after = applySuppressions([old], entries.slice(0, 1), new Date('2024-07-01T00:00:00Z'));
    expect(after.active).toEqual([old]);
    expect(after.expired).toEqual(entries.slice(0, 1));
  });

  it('an entry for a finding that is gone changes nothing', () => {
    const result = applySuppressions([other], entries, new Date('2024-06-01T00:00:00Z'));
    expect(result).toEqual({ active: [other], suppressed: [], expired: [] });
  });
});
