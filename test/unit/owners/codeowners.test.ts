import { describe, expect, it } from 'vitest';
import { parseCodeOwners, repositoryOwners } from '../../../src/owners/codeowners.js';
import { repositoryOfPrincipalSet, repositoryOfSubject } from '../../../src/owners/github.js';

describe('CODEOWNERS', () => {
  const text = [
    '# Default owners for everything in the repo',
    '*       @acme/platform @acme/sre',
    '',
    '/docs/  docs@example.com   # inline comment',
    '*.js    @octocat',
    '\\#notes @acme/writers',
    '/apps/  not-an-owner',
    '**      @acme/payments',
    '/build/logs/',
  ].join('\n');
  const parsed = parseCodeOwners(text);

  it('reads patterns and owners, skipping comments and blank lines', () => {
    expect(parsed.rules.map((r) => [r.line, r.pattern, r.owners])).toEqual([
      [2, '*', ['@acme/platform', '@acme/sre']],
      [4, '/docs/', ['docs@example.com']],
      [5, '*.js', ['@octocat']],
      [6, '#notes', ['@acme/writers']],
      [8, '**', ['@acme/payments']],
      [9, '/build/logs/', []],
    ]);
  });

  it('reports an owner GitHub would refuse and leaves the line out', () => {
    expect(parsed.problems).toEqual(['line 7: not-an-owner is not @user, @org/team or an email address']);
  });

  it('takes the last line matching every file as the repository’s owners', () => {
    expect(repositoryOwners(parsed)).toMatchObject({ line: 8, owners: ['@acme/payments'] });
    expect(repositoryOwners(parseCodeOwners('/src/ @acme/dev\n'))).toBeUndefined();
  });
});

describe('GitHub OIDC subjects', () => {
  it('names the repository of repo:ORG/REPO subjects', () => {
    expect(repositoryOfSubject('repo:acme/deploy:ref:refs/heads/main')).toBe('acme/deploy');
    expect(repositoryOfSubject('repo:acme/infra:environment:prod')).toBe('acme/infra');
    expect(repositoryOfSubject('repo:acme/infra:pull_request')).toBe('acme/infra');
    expect(repositoryOfSubject('repo:acme/infra')).toBe('acme/infra');
  });

  it('names no repository when the subject could be any of several', () => {
    expect(repositoryOfSubject('repo:acme/*:ref:refs/heads/main')).toBeUndefined();
    expect(repositoryOfSubject('repo:*')).toBeUndefined();
    expect(repositoryOfSubject('*')).toBeUndefined();
    expect(repositoryOfSubject('system:serviceaccount:payments:api')).toBeUndefined();
  });

  it('names the repository of a pool principal set on attribute.repository', () => {
    expect(
      repositoryOfPrincipalSet(
        'principalSet://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/github/attribute.repository/acme/deploy',
      ),
    ).toBe('acme/deploy');
    expect(
      repositoryOfPrincipalSet(
        'principalSet://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/github/*',
      ),
    ).toBeUndefined();
  });
});
