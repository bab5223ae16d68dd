import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { actionMatches, arnMatches, globMatches } from '../../../../src/analyzers/aws-iam/engine/index.js';
import { evaluateStatement } from '../../../../src/analyzers/aws-iam/engine/statement.js';
import { LITERAL_QUESTION, LITERAL_STAR } from '../../../../src/analyzers/aws-iam/engine/wildcard.js';
import type { Statement } from '../../../../src/model/aws/policy.js';

// The wildcard matcher against two references: a dynamic-programming glob matcher (obviously
// right, quadratic, never exponential) on any pattern, adversarial ones included, and, on short
// inputs, the regular expressions the engine used to build (so the semantics did not move).

/** Pattern units as the engine reads them: `*`/`?` wildcards, marked literals, other characters. */
function referenceGlob(pattern: string, value: string, ignoreCase: boolean): boolean {
  const fold = (ch: string) => (ignoreCase ? ch.toLowerCase() : ch);
  const p = [...pattern].map((ch) =>
    ch === LITERAL_STAR
      ? { lit: '*' }
      : ch === LITERAL_QUESTION
        ? { lit: '?' }
        : ch === '*' || ch === '?'
          ? { wild: ch }
          : { lit: ch },
  );
  const v = [...value];
  // row[j]: the pattern's first i units match the value's first j units.
  let row = new Array<boolean>(v.length + 1).fill(false);
  row[0] = true;
  for (const unit of p) {
    const next = new Array<boolean>(v.length + 1).fill(false);
    if ('wild' in unit && unit.wild === '*') {
      let seen = false;
      for (let j = 0; j <= v.length; j++) {
        seen ||= row[j] === true;
        next[j] = seen;
      }
    } else {
      for (let j = 1; j <= v.length; j++)
        next[j] = row[j - 1] === true && ('wild' in unit || fold(unit.lit) === fold(v[j - 1] as string));
    }
    row = next;
  }
  return row[v.length] === true;
}

/** The former regex implementation, kept here as the semantic reference for ARNs. */
function regexArnMatches(pattern: string, arn: string): boolean {
  if (pattern === '*') return true;
  if (arn === '*') return /^\*+$/.test(pattern);
  const unmark = (t: string) => t.replaceAll(LITERAL_STAR, '*').replaceAll(LITERAL_QUESTION, '?');
  if (!pattern.includes('*') && !pattern.includes('?')) return unmark(pattern) === arn;
  const escapeText = (t: string) =>
    t
      .replace(/[.+^${}()|[\]\\/*?-]/g, '\\$&')
      .replaceAll(LITERAL_STAR, '\\*')
      .replaceAll(LITERAL_QUESTION, '\\?');
  const source = (glob: string, star: string, one: string) =>
    [...glob].map((ch) => (ch === '*' ? star : ch === '?' ? one : escapeText(ch))).join('');
  const parts = pattern.split(':');
  while (parts.length < 6) parts.push('*');
  const head = parts.slice(0, 5).map((s) => source(s, '[^:]*', '[^:]'));
  return new RegExp(`^${head.join(':')}:${source(parts.slice(5).join(':'), '.*', '.')}$`, 's').test(arn);
}

// Small alphabets make matches and near misses frequent.
const patternChar = fc.constantFrom('a', 'b', 'A', ':', '/', '*', '?', '.', LITERAL_STAR, LITERAL_QUESTION);
const valueChar = fc.constantFrom('a', 'b', 'A', 'B', ':', '/', '*', '?', '.', '\n');
const text = (chars: fc.Arbitrary<string>, max: number) =>
  fc.array(chars, { maxLength: max }).map((a) => a.join(''));

/** Star-question runs and near misses, the shape that sent backtracking regexes into runaway. */
const adversarialPattern = fc
  .tuple(
    fc.constantFrom('', 's3:', 'arn:aws:s3:::', 'a'),
    fc.array(fc.constantFrom('*', '?', '*?', '?*', '**', 'a*', '*a'), { minLength: 8, maxLength: 40 }),
    fc.constantFrom('#', 'b', '', 'a'),
  )
  .map(([head, runs, tail]) => head + runs.join('') + tail);
const longValue = fc
  .tuple(
    fc.constantFrom('', 's3:', 'arn:aws:s3:::'),
    fc.integer({ min: 0, max: 300 }),
    fc.constantFrom('', 'b', '#'),
  )
  .map(([head, n, tail]) => head + 'a'.repeat(n) + tail);

describe('globMatches agrees with a reference matcher', () => {
  it('on random patterns and values, both case modes', () => {
    fc.assert(
      fc.property(text(patternChar, 12), text(valueChar, 14), fc.boolean(), (pattern, value, ignoreCase) => {
        expect(globMatches(pattern, value, ignoreCase)).toBe(referenceGlob(pattern, value, ignoreCase));
      }),
      { numRuns: 3000 },
    );
  });

  it('on adversarial star-question patterns against long values', () => {
    fc.assert(
      fc.property(adversarialPattern, longValue, fc.boolean(), (pattern, value, ignoreCase) => {
        expect(globMatches(pattern, value, ignoreCase)).toBe(referenceGlob(pattern, value, ignoreCase));
      }),
      { numRuns: 500 },
    );
  });

  it('actionMatches is the case-insensitive glob', () => {
    fc.assert(
      fc.property(text(patternChar, 10), text(valueChar, 12), (pattern, action) => {
        expect(actionMatches(pattern, action)).toBe(referenceGlob(pattern, action, true));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('arnMatches agrees with the former regular expressions', () => {
  const segment = text(fc.constantFrom('a', 'b', '*', '?', '/', LITERAL_STAR), 4);
  const arnPattern = fc.array(segment, { minLength: 1, maxLength: 8 }).map((parts) => parts.join(':'));
  const arnValue = fc
    .array(text(fc.constantFrom('a', 'b', '/', '*', '?'), 4), { minLength: 1, maxLength: 8 })
    .map((p) => p.join(':'));

  it('on random segmented patterns and ARNs', () => {
    fc.assert(
      fc.property(arnPattern, arnValue, (pattern, arn) => {
        expect(arnMatches(pattern, arn)).toBe(regexArnMatches(pattern, arn));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('adversarial wildcards finish in linear-ish time', () => {
  // `"s3:" + "*?"*16 + "#"`: a backtracking regex took minutes on this; the matcher takes microseconds.
  const pattern = `s3:${'*?'.repeat(16)}#`;
  const budgetMs = 250;

  it('in Action', () => {
    const started = performance.now();
    for (let i = 0; i < 100; i++)
      expect(actionMatches(pattern, `s3:${'GetObject'.repeat(20)}${i}`)).toBe(false);
    expect(actionMatches(pattern, `s3:${'x'.repeat(40)}#`)).toBe(true);
    expect(performance.now() - started).toBeLessThan(budgetMs);
  });

  it('in a StringLike condition and a Resource pattern, through statement evaluation', () => {
    const statement: Statement = {
      index: 0,
      Effect: 'Allow',
      Action: [pattern],
      Resource: [`arn:aws:s3:::${'*?'.repeat(16)}#`],
      Condition: { StringLike: { 'aws:PrincipalTag/team': [`${'*?'.repeat(16)}#`] } },
    };
    const started = performance.now();
    for (let i = 0; i < 50; i++) {
      const result = evaluateStatement(statement, {
        principal: {
          arn: 'arn:aws:iam::111122223333:user/u',
          kind: 'user',
          accountId: '111122223333',
          tags: { team: 'a'.repeat(200) },
        },
        action: `s3:${'x'.repeat(200)}#`,
        resource: { arn: `arn:aws:s3:::${'b'.repeat(200)}${i}` },
      });
      expect(result.applies).toBe('no');
    }
    expect(performance.now() - started).toBeLessThan(budgetMs);
  });

  it('with a policy variable default full of spaces (no backtracking in the variable parser)', () => {
    const started = performance.now();
    const statement: Statement = {
      index: 0,
      Effect: 'Allow',
      Action: ['s3:GetObject'],
      Resource: [`arn:aws:s3:::\${${' '.repeat(5000)}x}`],
    };
    const result = evaluateStatement(statement, {
      principal: { arn: 'arn:aws:iam::111122223333:user/u', kind: 'user', accountId: '111122223333' },
      action: 's3:GetObject',
      resource: { arn: 'arn:aws:s3:::b' },
    });
    expect(result.applies).not.toBe('yes');
    expect(performance.now() - started).toBeLessThan(budgetMs);
  });
});
