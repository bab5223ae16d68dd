import type { AnalysisFinding } from '../../../model/analysis-flags.js';
import type { AwsRoleData } from '../../../model/aws/environment.js';
import { type ConditionBlock, type Statement, statementLabel } from '../../../model/aws/policy.js';
import type { Evidence } from '../../../model/evidence.js';
import type { InventoryNode } from '../../../model/inventory.js';
import { statementMatchesAction } from '../engine/index.js';
import type { ContextValues, StatementMatch } from '../engine/types.js';
import type { DerivedEdge, EdgeFamily } from '../types.js';
import { COGNITO_IDENTITY } from './cognito-identity.js';
import { conditionalProperties, evidenceFrom, isGranted } from './evidence.js';
import { edge, externalNode, NodeSet, scopeOf } from './nodes.js';

const WEB_IDENTITY = 'sts:AssumeRoleWithWebIdentity';
const SAML = 'sts:AssumeRoleWithSAML';
const GITHUB = 'token.actions.githubusercontent.com';

/**
 * FEDERATES_TO: a federated identity is admitted by a role's trust policy.
 *
 * - OIDC (sts:AssumeRoleWithWebIdentity): one OidcSubject node per distinct `sub` pattern the
 *   trust's conditions admit (`repo:acme/app:ref:refs/heads/main`, `system:serviceaccount:ns:sa`).
 *   Each is evaluated by the engine with the token's claims in the request context
 *   (`<issuer>:sub`, `<issuer>:aud`, and for GitHub the claims its standard subject implies,
 *   https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect);
 *   claims the subject does not determine (`job_workflow_ref`, `repository_id`…) stay undecided,
 *   so a trust that also checks them yields a conditional edge naming them.
 * - A trust that admits any subject (no `sub` condition, a `*`/`repo:*` pattern, a wildcard
 *   namespace, or `sub` checked only with `ForAllValues:`, which is true when the claim is
 *   absent) is a finding, and its subject node is the wildcard subject `*`.
 * - SAML (sts:AssumeRoleWithSAML): the subject is the SAML provider's users, an ExternalPrincipal.
 */
export const federatesTo: EdgeFamily = {
  name: 'federates-to',
  emits: ['FEDERATES_TO'],
  description:
    'A federated identity can assume a role: an OIDC subject (GitHub Actions repository/ref/environment, EKS service account, any OIDC issuer) admitted by the role’s trust policy for sts:AssumeRoleWithWebIdentity, evaluated with the token’s claims as condition keys; or the users of a SAML provider for sts:AssumeRoleWithSAML. Trusts admitting any subject are findings.',
  derive(authorizer) {
    const nodes = new NodeSet();
    const edges: DerivedEdge[] = [];
    const findings: AnalysisFinding[] = [];
    for (const account of authorizer.environment.accounts) {
      const providers = new Map(account.oidcProviders.map((p) => [p.arn, p]));
      for (const role of account.roles) {
        for (const provider of federatedProviders(role, WEB_IDENTITY)) {
          // Cognito's tokens name an identity pool, not a subject: cognito-identity.ts decides them.
          if (provider === COGNITO_IDENTITY) continue;
          const issuer = providers.get(provider)?.url ?? issuerOf(provider);
          for (const subject of subjectsOf(role, provider, issuer, findings)) {
            const context = claims(issuer, subject.pattern, subject.audience);
            const decision = authorizer.evaluate(`external:${provider}`, WEB_IDENTITY, role.arn, context);
            if (!isGranted(decision)) continue;
            const node = oidcSubjectNode(issuer, subject.pattern);
            nodes.add(node);
            const describe = (m: StatementMatch) =>
              `trust policy of role ${role.name} (statement ${m.statement}) admits ${issuer} subject ${subject.pattern}${
                subject.audience ? `, audience ${subject.audience}` : ''
              }`;
            edges.push(
              edge({
                type: 'FEDERATES_TO',
                from: node.id,
                fromKind: 'OidcSubject',
                to: role.arn,
                toKind: 'AwsRole',
                scope: scopeOf(role.accountId),
                properties: conditionalProperties([decision]),
                evidence: evidenceFrom(decision, describe),
              }),
            );
          }
        }
        for (const provider of federatedProviders(role, SAML)) {
          const id = `external:${provider}`;
          const decision = authorizer.evaluate(id, SAML, role.arn);
          if (!isGranted(decision)) continue;
          const node = externalNode(id);
          node.properties.name = `users of SAML provider ${provider.slice(provider.lastIndexOf('/') + 1)}`;
          nodes.add(node);
          const describe = (m: StatementMatch) =>
            `trust policy of role ${role.name} (statement ${m.statement}) admits users of SAML provider ${provider}`;
          edges.push(
            edge({
              type: 'FEDERATES_TO',
              from: id,
              fromKind: 'ExternalPrincipal',
              to: role.arn,
              toKind: 'AwsRole',
              scope: scopeOf(role.accountId),
              properties: conditionalProperties([decision]),
              evidence: evidenceFrom(decision, describe),
            }),
          );
        }
      }
    }
    return { edges, nodes: nodes.list(), findings };
  },
};

/** Provider ARNs (or web identity domains) the trust names as Federated for the action. */
function federatedProviders(role: AwsRoleData, action: string): string[] {
  const out = new Set<string>();
  for (const s of role.trustPolicy.document.Statement)
    if (s.Effect === 'Allow' && s.Principal && s.Principal !== '*' && statementMatchesAction(s, action))
      for (const p of s.Principal.Federated ?? []) {
        const isSaml = p.includes(':saml-provider/');
        if (isSaml === (action === SAML)) out.add(p);
      }
  return [...out];
}

/** `token.actions.githubusercontent.com` from `arn:aws:iam::1:oidc-provider/token.actions…`. */
function issuerOf(provider: string): string {
  const slash = provider.indexOf('oidc-provider/');
  return slash < 0 ? provider : provider.slice(slash + 'oidc-provider/'.length);
}

interface Subject {
  pattern: string;
  audience?: string;
}

/** Operators whose values name the subjects a trust admits. */
const POSITIVE = /^(ForAnyValue:)?String(Equals|Like)(IgnoreCase)?(IfExists)?$/;

/**
 * The distinct `sub` patterns the role's trust admits for this provider, with the audience it
 * requires; the wildcard subject `*` (and a finding) when it admits any subject.
 */
function subjectsOf(
  role: AwsRoleData,
  provider: string,
  issuer: string,
  findings: AnalysisFinding[],
): Subject[] {
  const subjects = new Map<string, Subject>();
  for (const statement of role.trustPolicy.document.Statement) {
    if (statement.Effect !== 'Allow' || !statement.Principal || statement.Principal === '*') continue;
    if (!(statement.Principal.Federated ?? []).includes(provider)) continue;
    if (!statementMatchesAction(statement, WEB_IDENTITY)) continue;
    const condition = statement.Condition ?? {};
    const audience = valuesOf(condition, `${issuer}:aud`)[0];
    const misused = forAllValuesKeys(condition, issuer);
    for (const key of misused)
      findings.push(
        finding(role, statement, 'aws-oidc-trust-forallvalues', `uses ForAllValues: on ${key} in an Allow`, [
          `ForAllValues is true when the token has no ${key} claim`,
        ]),
      );
    const patterns = valuesOf(condition, `${issuer}:sub`);
    if (patterns.length === 0 || misused.some((k) => k.endsWith(':sub'))) {
      findings.push(
        finding(role, statement, 'aws-oidc-trust-any-subject', `admits any subject of ${issuer}`, [
          patterns.length === 0
            ? `no condition on ${issuer}:sub`
            : `${issuer}:sub is checked only with ForAllValues`,
        ]),
      );
      subjects.set('*', { pattern: '*', ...(audience ? { audience } : {}) });
      continue;
    }
    for (const pattern of patterns) {
      const wide = admitsAnySubject(issuer, pattern);
      if (wide)
        findings.push(
          finding(role, statement, 'aws-oidc-trust-any-subject', `admits ${wide} (${pattern})`, []),
        );
      if (!subjects.has(pattern)) subjects.set(pattern, { pattern, ...(audience ? { audience } : {}) });
    }
  }
  return [...subjects.values()];
}

function valuesOf(condition: ConditionBlock, key: string): string[] {
  const out: string[] = [];
  for (const [operator, entries] of Object.entries(condition)) {
    if (!POSITIVE.test(operator)) continue;
    for (const [k, values] of Object.entries(entries))
      if (k.toLowerCase() === key.toLowerCase()) out.push(...values);
  }
  return out;
}

function forAllValuesKeys(condition: ConditionBlock, issuer: string): string[] {
  const keys: string[] = [];
  for (const [operator, entries] of Object.entries(condition))
    if (operator.startsWith('ForAllValues:'))
      for (const key of Object.keys(entries))
        if (key.toLowerCase().startsWith(`${issuer.toLowerCase()}:`)) keys.push(key);
  return keys;
}

/** What a `sub` pattern admits when it admits any repository or any service account, else undefined. */
export function admitsAnySubject(issuer: string, pattern: string): string | undefined {
  if (/^[*?]*$/.test(pattern)) return 'any subject';
  if (issuer === GITHUB) {
    const owner = /^repo:([^/]*)/.exec(pattern)?.[1];
    if (!pattern.startsWith('repo:') && /^[^:]*[*?]/.test(pattern)) return 'any repository';
    if (owner !== undefined && /[*?]/.test(owner)) return 'any repository of any owner';
  }
  if (/^oidc\.eks\./.test(issuer)) {
    const namespace = /^system:serviceaccount:([^:]*)/.exec(pattern)?.[1];
    if (namespace !== undefined && /[*?]/.test(namespace)) return 'any service account in any namespace';
    if (/^system:[*?]/.test(pattern)) return 'any service account';
  }
  return undefined;
}

/**
 * The token claims a subject determines: `sub` and `aud` always; for GitHub's standard subjects
 * also the repository, its owner, and the environment or ref
 * (`repo:<owner>/<repo>:environment:<env>`, `repo:<owner>/<repo>:ref:<ref>`).
 */
export function claims(issuer: string, sub: string, audience: string | undefined): ContextValues {
  const context: ContextValues = { [`${issuer}:sub`]: [sub] };
  if (audience) context[`${issuer}:aud`] = [audience];
  if (issuer === GITHUB) {
    const m = /^repo:([^/:*?]+)\/([^:*?]+):(environment|ref):([^*?]+)$/.exec(sub);
    if (m) {
      context[`${issuer}:repository`] = [`${m[1]}/${m[2]}`];
      context[`${issuer}:repository_owner`] = [m[1] as string];
      context[`${issuer}:${m[3]}`] = [m[4] as string];
    }
  }
  return context;
}

function oidcSubjectNode(issuer: string, pattern: string): InventoryNode {
  const github = issuer === GITHUB;
  const eks = /^oidc\.eks\./.test(issuer);
  return {
    id: `oidc:${issuer}:${pattern}`,
    kind: 'OidcSubject',
    properties: {
      name: github ? `github ${pattern.replace(/^repo:/, '')}` : `${issuer} ${pattern}`,
      issuer: `https://${issuer}`,
      subject: pattern,
      nonHuman: true,
      nhiType: github ? 'ci-pipeline' : eks ? 'service-account' : 'workload',
    },
  };
}

function finding(
  role: AwsRoleData,
  statement: Statement,
  rule: string,
  what: string,
  details: string[],
): AnalysisFinding {
  const name = statementLabel(statement);
  const evidence: Evidence = {
    source: 'trust-policy',
    ref: role.trustPolicy.id,
    statement: name,
    reason: [`trust policy of role ${role.name} ${what}`, ...details].join('; '),
  };
  return {
    rule,
    severity: 'high',
    subject: role.arn,
    message: `role ${role.name}: trust policy statement ${name} ${what}${details.length ? ` (${details.join('; ')})` : ''}`,
    evidence: [evidence],
  };
}
