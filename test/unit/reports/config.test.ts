import { describe, expect, it } from 'vitest';
import { effectiveRules, RulesConfigSchema } from '../../../src/reports/rules/config.js';
import { loadRules } from '../../../src/reports/rules/registry.js';

const rules = loadRules();
const byId = (list: typeof rules, id: string) => list.find((r) => r.id === id);

describe('effectiveRules', () => {
  it('returns the declarations unchanged without configuration', () => {
    expect(effectiveRules(rules)).toEqual(rules);
    expect(effectiveRules(rules, {})).toEqual(rules);
  });

  it('overrides parameters and severities, and leaves out disabled rules', () => {
    const config = RulesConfigSchema.parse({
      rules: {
        'access-key-not-rotated': { parameters: { maxAgeDays: 30 }, severity: 'high' },
        'role-unused': { enabled: false },
      },
    });
    const effective = effectiveRules(rules, config);
    const keys = byId(effective, 'access-key-not-rotated');
    expect(keys?.parameters).toEqual({ maxAgeDays: 30 });
    expect(keys?.severity).toBe('high');
    expect(keys?.severityFixed).toBe(true);
    expect(byId(effective, 'role-unused')).toBeUndefined();
    expect(effective).toHaveLength(rules.length - 1);
    // The registry's declarations are not modified.
    expect(byId(rules, 'access-key-not-rotated')?.parameters).toEqual({ maxAgeDays: 90 });
    expect(byId(effective, 'access-key-unused')).toEqual(byId(rules, 'access-key-unused'));
  });

  it('rejects unknown rules, unknown parameters and values of the wrong type', () => {
    expect(() => effectiveRules(rules, { rules: { 'no-such-rule': { enabled: false } } })).toThrow(
      /unknown rule no-such-rule; known: access-key-not-rotated/,
    );
    expect(() =>
      effectiveRules(rules, { rules: { 'access-key-unused': { parameters: { maxAgeDays: 1 } } } }),
    ).toThrow(
      /rules\.access-key-unused\.parameters\.maxAgeDays: rule access-key-unused has no parameter "maxAgeDays" \(it has maxUnusedDays\)/,
    );
    expect(() =>
      effectiveRules(rules, { rules: { 'access-key-unused': { parameters: { maxUnusedDays: '30' } } } }),
    ).toThrow(/expected a whole number like the default \(90\), got "30"/);
    expect(() =>
      effectiveRules(rules, { rules: { 'access-key-unused': { parameters: { maxUnusedDays: -1 } } } }),
    ).toThrow(/non-negative/);
  });

  it('the schema refuses unknown keys and severities', () => {
    expect(RulesConfigSchema.safeParse({ rules: { x: { severity: 'severe' } } }).success).toBe(false);
    expect(RulesConfigSchema.safeParse({ rule: {} }).success).toBe(false);
    expect(RulesConfigSchema.safeParse({ suppressions: 'accepted.yaml' }).success).toBe(true);
  });
});
