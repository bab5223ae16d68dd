/**
 * The GitHub repository a CI identity's trust names. GitHub Actions' OIDC token has
 * `sub` = `repo:ORG/REPO:…` (`:ref:refs/heads/main`, `:environment:prod`, `:pull_request`) and a
 * `repository` claim
 * (https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect#example-subject-claims);
 * an AWS trust matches the subject (`token.actions.githubusercontent.com:sub`), a GCP workload
 * identity pool maps claims to attributes, usually `attribute.repository`
 * (https://cloud.google.com/iam/docs/workload-identity-federation-with-deployment-pipelines#github-actions).
 * A pattern whose ORG or REPO holds a wildcard names no one repository, so no owner comes from it.
 */

export const GITHUB_ISSUER_HOST = 'token.actions.githubusercontent.com';

/** ORG/REPO of a GitHub Actions subject (`repo:ORG/REPO:…`), when it names exactly one. */
export function repositoryOfSubject(subject: string): string | undefined {
  const match = /^repo:([^/:\s]+)\/([^/:\s]+)(:|$)/.exec(subject);
  if (!match) return undefined;
  const [, org, repo] = match as unknown as [string, string, string];
  if (/[*?]/.test(org) || /[*?]/.test(repo)) return undefined;
  return `${org}/${repo}`;
}

/** ORG/REPO of a workload identity pool principal set naming `attribute.repository/ORG/REPO`. */
export function repositoryOfPrincipalSet(uri: string): string | undefined {
  const match = /\/attribute\.repository\/([^/\s*?]+)\/([^/\s*?]+)$/.exec(uri);
  return match ? `${match[1]}/${match[2]}` : undefined;
}
