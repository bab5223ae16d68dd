import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadRules } from '../../../src/reports/rules/registry.js';
import { RULE_CATEGORIES, SEVERITIES } from '../../../src/reports/types.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'reachgraph-rules-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const rule = (overrides: Record<string, unknown> = {}) => ({
  id: 'sample-rule',
  title: 'A sample',
  category: 'credentials',
  severity: 'medium',
  description: 'What it finds.',
  recommendation: 'What to change.',
  compliance: { soc2: ['CC6.1'] },
  query: 'access-key-not-rotated',
  parameters: { maxAgeDays: 90 },
  references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html'],
  ...overrides,
});
const write = (file: string, content: unknown) =>
  writeFileSync(join(dir, file), typeof content === 'string' ? content : stringify(content));

describe('the shipped rules', () => {
  const rules = loadRules();

  it('load, each with a query, a recommendation and compliance mappings', () => {
    expect(rules.length).toBeGreaterThanOrEqual(13);
    for (const r of rules) {
      expect(SEVERITIES).toContain(r.severity);
      expect(RULE_CATEGORIES).toContain(r.category);
      expect(r.recommendation.length, r.id).toBeGreaterThan(40);
      expect(r.compliance.soc2?.length ?? 0, r.id).toBeGreaterThan(0);
      // References point at the platform's own documentation.
      expect(
        r.references.every((u) =>
          /^https:\/\/(docs\.aws\.amazon\.com|kubernetes\.io|cloud\.google\.com)\//.test(u),
        ),
        r.id,
      ).toBe(true);
    }
  });

  it('cover every required question and declare their thresholds', () => {
    const byId = new Map(rules.map((r) => [r.id, r]));
    expect(byId.get('access-key-not-rotated')?.parameters).toEqual({ maxAgeDays: 90 });
    expect(byId.get('access-key-unused')?.parameters).toEqual({ maxUnusedDays: 90 });
    expect(byId.get('role-unused')?.parameters.maxUnusedDays).toBe(90);
    expect(byId.get('access-key-not-rotated')?.compliance.cisAws).toEqual(['1.14']);
    expect(byId.get('user-multiple-active-keys')?.compliance.cisAws).toEqual(['1.13']);
    expect(byId.get('federated-trust-any-subject')?.parameters.flagRules).toEqual([
      'aws-oidc-trust-any-subject',
      'aws-oidc-trust-forallvalues',
    ]);
    expect(byId.get('gcp-service-account-key-not-rotated')?.parameters).toEqual({ maxAgeDays: 90 });
    expect(byId.get('gcp-service-account-key-not-rotated')?.compliance.cisGcp).toEqual(['1.7']);
    expect(byId.get('gcp-service-account-key-user-managed')?.compliance.cisGcp).toEqual(['1.4']);
  });
});

describe('loadRules', () => {
  it('reads YAML files in id order, with defaults for parameters and references', () => {
    write('b.yaml', rule({ id: 'b-rule' }));
    write(
      'a.yml',
      rule({ id: 'a-rule', parameters: undefined, references: undefined, query: 'nhi-administrators' }),
    );
    const rules = loadRules(dir);
    expect(rules.map((r) => r.id)).toEqual(['a-rule', 'b-rule']);
    expect(rules[0]?.parameters).toEqual({});
    expect(rules[0]?.references).toEqual([]);
  });

  it('rejects a duplicate id, naming both files', () => {
    write('one.yaml', rule());
    write('two.yaml', rule());
    expect(() => loadRules(dir)).toThrow(
      /two\.yaml: rule id "sample-rule" is already declared in .*one\.yaml/,
    );
  });

  it('rejects a query file that does not exist', () => {
    write('x.yaml', rule({ query: 'no-such-query' }));
    expect(() => loadRules(dir)).toThrow(
      /x\.yaml: rule sample-rule names the query "no-such-query", but cypher\/findings\/no-such-query\.cypher does not exist/,
    );
  });

  it('rejects a parameter the query does not use, and the reserved $now', () => {
    write('x.yaml', rule({ parameters: { maxAgeDays: 90, typo: 1 } }));
    expect(() => loadRules(dir)).toThrow(
      /x\.yaml: parameter "typo" is not used by cypher\/findings\/access-key-not-rotated/,
    );
    write('x.yaml', rule({ parameters: { now: 'x' } }));
    expect(() => loadRules(dir)).toThrow(/x\.yaml: parameter "now" is reserved/);
  });

  it('names the file of bad YAML', () => {
    write('broken.yaml', 'id: [unclosed\n');
    expect(() => loadRules(dir)).toThrow(/broken\.yaml: not valid YAML/);
  });

  it('names the file and field of a bad declaration', () => {
    write('bad.yaml', rule({ id: 'Not_Kebab', severity: 'severe', extra: true }));
    const error = (() => {
      try {
        loadRules(dir);
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    })();
    expect(error).toMatch(/bad\.yaml: /);
    expect(error).toMatch(/id: kebab-case/);
    expect(error).toMatch(/severity:/);
    expect(error).toMatch(/extra/);
  });

  it('rejects malformed compliance ids', () => {
    write('c.yaml', rule({ compliance: { iso27001: ['5.15'] } }));
    expect(() => loadRules(dir)).toThrow(
      /c\.yaml: compliance\.iso27001\.0: an ISO 27001:2022 Annex A control/,
    );
    write('c.yaml', rule({ compliance: { cisGcp: ['CIS 1.4'] } }));
    expect(() => loadRules(dir)).toThrow(
      /c\.yaml: compliance\.cisGcp\.0: a CIS Google Cloud Platform Foundations recommendation/,
    );
  });

  it('names a missing directory', () => {
    expect(() => loadRules(join(dir, 'nope'))).toThrow(/rules directory .*nope does not exist/);
  });
});
