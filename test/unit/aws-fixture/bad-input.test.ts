import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeAws } from '../../../src/analyzers/aws-iam/analyze.js';
import type { DerivedEdge } from '../../../src/analyzers/aws-iam/types.js';
import { collectAws } from '../../../src/collectors/aws/collect.js';
import { allIssues } from '../../../src/collectors/aws/transform.js';
import type { AwsEnvironment, CollectionIssue } from '../../../src/model/aws/environment.js';
import { edgesBetween, prop } from './expected.js';

// test/fixtures/aws/bad/mixed: account 555555555555 holds one broken thing of each kind next to good
// data; account 666666666666's required file was cut off mid-write. Each problem must be reported
// naming the file and the object, and everything else must still be analyzed.

const BAD = fileURLToPath(new URL('../../fixtures/aws/bad/mixed/', import.meta.url));
const ACCOUNT = '555555555555';
const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const user = (name: string) => `arn:aws:iam::${ACCOUNT}:user/${name}`;
const GOOD_BUCKET = 'arn:aws:s3:::acme-bad-good';

let env: AwsEnvironment;
let issues: CollectionIssue[];
let edges: DerivedEdge[];

beforeAll(async () => {
  env = await collectAws({ snapshotDir: BAD });
  const analysis = await analyzeAws(env);
  issues = [...allIssues(env), ...analysis.issues];
  edges = analysis.edges;
}, 120_000);

/** The issues whose file, object and message together match every pattern. */
function issuesMatching(
  severity: CollectionIssue['severity'],
  ...patterns: (string | RegExp)[]
): CollectionIssue[] {
  return issues.filter((i) => {
    if (i.severity !== severity) return false;
    const text = `${i.source} ${i.object ?? ''} ${i.message}`;
    return patterns.every((p) => (typeof p === 'string' ? text.includes(p) : p.test(text)));
  });
}

const levels = (from: string, to: string) => {
  const [edge] = edgesBetween(edges, 'CAN_ACCESS', from, to);
  return edge ? (prop<string[]>(edge, 'levels') ?? []) : undefined;
};

describe('bad input is reported precisely and loses nothing else', () => {
  it('a truncated required file is an error naming it; the other account is still collected', () => {
    expect(
      issuesMatching('error', 'aws/666666666666/iam-get-account-authorization-details.json'),
    ).not.toEqual([]);
    const good = env.accounts.find((a) => a.accountId === ACCOUNT);
    expect(good?.roles.map((r) => r.name).sort()).toEqual(['admin', 'misspelled']);
  });

  it('a truncated optional file is an error naming the file and the bucket; the bucket is still known', () => {
    expect(
      issuesMatching('error', 's3api-get-bucket-policy/acme-bad-truncated.json', 'acme-bad-truncated'),
    ).not.toEqual([]);
    const buckets = env.accounts.find((a) => a.accountId === ACCOUNT)?.resources.map((r) => r.arn);
    expect(buckets).toContain('arn:aws:s3:::acme-bad-truncated');
  });

  it('a misspelled element names the file, principal, policy, statement and element, with a suggestion', () => {
    const found = issuesMatching(
      'error',
      `aws/${ACCOUNT}/iam-get-account-authorization-details.json`,
      role('misspelled'),
      'typo',
      'Typo',
      'Efect',
    );
    expect(found).not.toEqual([]);
    expect(found.some((i) => i.message.includes('Effect'))).toBe(true);
  });

  it('a wrong type where a string or an array belongs names the principal, policy, statement and element', () => {
    expect(
      issuesMatching('error', user('wrong-type'), 'object-action', 'ObjectAction', /\bAction\b/),
    ).not.toEqual([]);
  });

  it('a wrong type in the CLI output itself names the list entry and the field', () => {
    expect(
      issuesMatching('error', 'iam-get-account-authorization-details.json', 'RoleDetailList[2]', 'RoleName'),
    ).not.toEqual([]);
  });

  it('an action of a service the catalogue does not know is a warning naming it, not an error', () => {
    expect(issuesMatching('warning', 'foobarsvc')).not.toEqual([]);
    expect(issuesMatching('error', 'foobarsvc')).toEqual([]);
  });

  it('the rest of the account is analyzed, down to the good statements of the bad policies', () => {
    expect(edgesBetween(edges, 'ADMINISTERS', role('admin'), `aws:account:${ACCOUNT}`)).toHaveLength(1);
    // The misspelled statement is left out; its neighbour ListGood still grants.
    expect(levels(role('misspelled'), GOOD_BUCKET)).toEqual(['list']);
    // The statement with an object for Action is left out; ReadGood still grants.
    expect(levels(user('wrong-type'), GOOD_BUCKET)).toEqual(['read']);
    // The unknown action does not void the known one beside it.
    expect(levels(user('unknown-service'), GOOD_BUCKET)).toEqual(['read']);
  });
});
