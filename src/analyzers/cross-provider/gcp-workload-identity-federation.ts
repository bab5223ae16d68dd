import type { GcpWorkloadIdentityPool, GcpWorkloadIdentityProvider } from '../../model/gcp/environment.js';
import type { InventoryNode } from '../../model/inventory.js';
import type { CrossProviderRule, CrossProviderUnion } from '../../pipeline/cross-provider.js';
import { gcpProvider } from '../../providers/gcp/index.js';
import { globMatches } from '../aws-iam/engine/wildcard.js';
import { decideCondition, MalformedCondition } from '../gcp-iam/conditions.js';
import { hostPath } from './eks-clusters.js';
import {
  type Admission,
  FEDERATED_GRANT_TYPES,
  federatedGrants,
  principalGrants,
} from './gcp-federated-grants.js';

const FEDERATION = 'https://cloud.google.com/iam/docs/workload-identity-federation';
const WITH_AWS = 'https://cloud.google.com/iam/docs/workload-identity-federation-with-other-clouds';
const WITH_PIPELINES =
  'https://cloud.google.com/iam/docs/workload-identity-federation-with-deployment-pipelines';
const PRINCIPALS = 'https://cloud.google.com/iam/docs/principal-identifiers';

/**
 * The attribute mapping an AWS provider has when none is set (WITH_AWS, "attribute mapping"):
 * `google.subject` is the caller's ARN, `attribute.aws_role` the assumed role without its session.
 */
const AWS_DEFAULT_MAPPING: Readonly<Record<string, string>> = {
  'google.subject': 'assertion.arn',
  'attribute.aws_account': 'assertion.account',
  'attribute.aws_role':
    "assertion.arn.contains('assumed-role') ? assertion.arn.extract('{account_arn}assumed-role/') + 'assumed-role/' + assertion.arn.extract('assumed-role/{role_name}/') : assertion.arn",
};

const POOL_MEMBER =
  /^(principal|principalSet):\/\/iam\.googleapis\.com\/(projects\/\d+\/locations\/global\/workloadIdentityPools\/[^/\s]+)\/(.+)$/;
const ROLE_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/;
const USER_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):user\//;
const GITHUB_SUBJECT = /^repo:([^/:*?]+)\/([^:*?]+):(.*)$/;

/** What a token of the admitted identity is known to carry: assertion claims, and the caller's session when it is one. */
interface Token {
  assertion: Record<string, string>;
  /** An OIDC subject pattern with wildcards: the `sub` claims it stands for. */
  subPattern?: string;
  /** AWS roles: the session name is the caller's choice, not known offline. */
  sessionPrefix?: string;
  describe: string;
}

/**
 * Workload identity federation from identities of another provider in the run
 * (FEDERATION, PRINCIPALS): a pool provider admits tokens of its issuer, maps their claims to
 * `google.subject` and `attribute.*` (attributeMapping), keeps those its `attributeCondition` accepts,
 * and the pool's principals (`principal://…/subject/S`, `principalSet://…/attribute.A/V`,
 * `principalSet://…/*`) hold what bindings grant them. The GCP analysis gives those principals their
 * grants; this rule gives them to the identities of the run that the pool admits as them:
 *
 * - an AWS provider (`aws.accountId`, WITH_AWS): the account's roles (their sessions: `assertion.arn`
 *   = `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`, the default `attribute.aws_role` =
 *   `arn:aws:sts::ACCOUNT:assumed-role/ROLE`) and users (`assertion.arn` = the user's ARN);
 * - an OIDC provider whose issuer is one an AWS trust names (WITH_PIPELINES): the OidcSubject nodes
 *   of that issuer (a GitHub Actions subject gives `sub`, `repository`, `repository_owner` and its
 *   ref or environment), so one node shows a repository reaching AWS and GCP.
 *
 * Decided where the mapping is `assertion.CLAIM` (or the AWS default) and the claims are known; a
 * subject naming an AWS session, a mapping or attribute condition that depends on what is not known
 * (another claim, a wildcard subject) leaves the edge conditional, naming it.
 */
export const gcpWorkloadIdentityFederation: CrossProviderRule = {
  name: 'gcp-workload-identity-federation',
  description:
    'AWS roles and users (an AWS provider of a GCP workload identity pool) and OIDC subjects of an AWS trust (GitHub Actions repositories, any issuer a GCP pool provider also trusts) → what GCP bindings grant the pool principals they are admitted as (principal://…/subject/…, principalSet://…/attribute.aws_role/…, attribute.repository/…, /*): FEDERATES_TO a GcpServiceAccount (roles/iam.workloadIdentityUser), CAN_ACCESS for direct resource access; the provider’s attributeCondition decided where its claims are known.',
  requires: ['aws', 'gcp'],
  emits: [...FEDERATED_GRANT_TYPES],
  references: [FEDERATION, WITH_AWS, WITH_PIPELINES, PRINCIPALS],
  derive(union: CrossProviderUnion) {
    const gcp = union.dataOf(gcpProvider)?.environment;
    if (!gcp) return { edges: [] };
    const pools = new Map(gcp.pools.filter((p) => !p.disabled).map((p) => [p.name, p]));
    const candidates = union.nodes.filter(
      (n) => n.kind === 'AwsRole' || n.kind === 'AwsUser' || n.kind === 'OidcSubject',
    );
    const admissions: Admission[] = [];
    for (const node of union.nodes) {
      if (node.kind !== 'GcpPrincipalSet') continue;
      const uri = node.id.slice('gcp:principalset:'.length);
      const m = POOL_MEMBER.exec(uri);
      const pool = m ? pools.get(m[2] as string) : undefined;
      if (!m || !pool) continue;
      const member = { set: m[1] === 'principalSet', path: m[3] as string };
      for (const provider of pool.providers) {
        if (provider.disabled) continue;
        for (const candidate of candidates) {
          const token = tokenOf(candidate, provider);
          if (!token) continue;
          const admission = admit(node.id, uri, member, pool, provider, candidate, token);
          if (admission) admissions.push(admission);
        }
      }
    }
    return { edges: federatedGrants(admissions, principalGrants(union)) };
  },
};

/** The token a run's identity would present to the provider, or undefined when the provider does not admit its kind. */
function tokenOf(node: InventoryNode, provider: GcpWorkloadIdentityProvider): Token | undefined {
  if (provider.protocol === 'aws') {
    const account = provider.issuer?.slice('aws:'.length) ?? '';
    const role = ROLE_ARN.exec(node.id);
    if (node.kind === 'AwsRole' && role && role[2] === account) {
      const prefix = `arn:${role[1]}:sts::${account}:assumed-role/${role[3]}`;
      return {
        assertion: { account },
        sessionPrefix: prefix,
        describe: `role ${role[3]} of AWS account ${account} (its sessions ${prefix}/SESSION)`,
      };
    }
    const user = USER_ARN.exec(node.id);
    if (node.kind === 'AwsUser' && user && user[2] === account)
      return { assertion: { account, arn: node.id }, describe: `AWS user ${node.id}` };
    return undefined;
  }
  if (provider.protocol !== 'oidc' || node.kind !== 'OidcSubject' || !provider.issuer) return undefined;
  const issuer = String(node.properties.issuer ?? '');
  if (!issuer || hostPath(issuer) !== hostPath(provider.issuer)) return undefined;
  const subject = String(node.properties.subject ?? '');
  const wildcard = /[*?]/.test(subject);
  const assertion: Record<string, string> = wildcard ? {} : { sub: subject };
  const github = GITHUB_SUBJECT.exec(subject);
  if (hostPath(issuer) === 'token.actions.githubusercontent.com' && github) {
    // GitHub's standard subject names the repository (https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect).
    assertion.repository = `${github[1]}/${github[2]}`;
    assertion.repository_owner = github[1] as string;
    const rest = github[3] as string;
    const ref = /^ref:([^*?]+)$/.exec(rest)?.[1];
    const environment = /^environment:([^*?]+)$/.exec(rest)?.[1];
    if (ref) assertion.ref = ref;
    if (environment) assertion.environment = environment;
  }
  return {
    assertion,
    ...(wildcard ? { subPattern: subject } : {}),
    describe: `${issuer} subject ${subject}`,
  };
}

/** `google.*` and `attribute.*` values a token gets from the provider's mapping, where they are known. */
function mapped(provider: GcpWorkloadIdentityProvider, token: Token) {
  const mapping =
    provider.protocol === 'aws' && Object.keys(provider.attributeMapping).length === 0
      ? AWS_DEFAULT_MAPPING
      : provider.attributeMapping;
  const values: Record<string, string> = {};
  const unknown: string[] = [];
  let sessionSubject = false;
  let subjectClaim: string | undefined;
  for (const [target, expression] of Object.entries(mapping)) {
    const expr = expression.replace(/\s+/g, ' ').trim();
    const claim = /^assertion\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(expr)?.[1];
    if (target === 'google.subject') subjectClaim = claim;
    let value: string | undefined;
    if (claim) value = token.assertion[claim];
    else if (expr === AWS_DEFAULT_MAPPING['attribute.aws_role']?.replace(/\s+/g, ' '))
      value = token.sessionPrefix ?? token.assertion.arn;
    if (value !== undefined) values[target] = value;
    else {
      if (target === 'google.subject' && claim === 'arn' && token.sessionPrefix) sessionSubject = true;
      unknown.push(target);
    }
  }
  return { values, unknown, sessionSubject, subjectClaim };
}

function admit(
  principal: string,
  uri: string,
  member: { set: boolean; path: string },
  pool: GcpWorkloadIdentityPool,
  provider: GcpWorkloadIdentityProvider,
  candidate: InventoryNode,
  token: Token,
): Admission | undefined {
  const { values, unknown, sessionSubject, subjectClaim } = mapped(provider, token);
  const conditions: string[] = [];
  // Which pool principal the token is (PRINCIPALS).
  if (!member.set) {
    const subject = /^subject\/(.+)$/.exec(member.path)?.[1];
    if (!subject) return undefined;
    const known = values['google.subject'];
    if (known !== undefined) {
      if (known !== subject) return undefined;
    } else if (sessionSubject && token.sessionPrefix && subject.startsWith(`${token.sessionPrefix}/`)) {
      conditions.push(`the AWS session is named ${subject.slice(token.sessionPrefix.length + 1)}`);
    } else if (subjectClaim === 'sub' && token.subPattern && globMatches(token.subPattern, subject)) {
      conditions.push(`the token's sub is ${subject}`);
    } else return undefined;
  } else if (member.path !== '*') {
    const attribute = /^attribute\.([^/]+)\/(.+)$/.exec(member.path);
    if (!attribute) return undefined;
    const key = `attribute.${attribute[1]}`;
    const known = values[key];
    if (known !== undefined) {
      if (known !== attribute[2]) return undefined;
    } else if (unknown.includes(key)) conditions.push(`${key} of the token is ${attribute[2]}`);
    else return undefined; // the provider does not map that attribute
  }
  // The provider's attribute condition, in three values.
  if (provider.attributeCondition) {
    const names = {
      assertion: token.assertion,
      attribute: prefixed(values, 'attribute.'),
      google: prefixed(values, 'google.'),
    };
    let decided: boolean | 'undecided';
    try {
      decided = decideCondition(provider.attributeCondition, { asOf: new Date(0), names });
    } catch (error) {
      if (!(error instanceof MalformedCondition)) throw error;
      decided = 'undecided';
    }
    if (decided === false) return undefined;
    if (decided === 'undecided') conditions.push(provider.attributeCondition);
  }
  return {
    principal,
    holder: { id: candidate.id, kind: candidate.kind },
    conditions,
    evidence: {
      source: 'trust-policy',
      ref: provider.name,
      statement: provider.attributeCondition
        ? `attributeCondition ${provider.attributeCondition}`
        : 'attributeMapping',
      reason: `workload identity provider ${provider.name.slice(provider.name.lastIndexOf('/') + 1)} of pool ${pool.displayName ?? pool.name} admits ${token.describe} as ${uri}${conditions.length ? ` when ${conditions.join(' and ')}` : ''}`,
      ...(conditions.length ? { conditions } : {}),
    },
  };
}

function prefixed(values: Record<string, string>, prefix: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values)
      .filter(([k]) => k.startsWith(prefix))
      .map(([k, v]) => [k.slice(prefix.length), v]),
  );
}
