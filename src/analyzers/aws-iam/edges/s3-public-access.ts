import type { AnalysisFinding } from '../../../model/analysis-flags.js';
import type { AwsResourceData } from '../../../model/aws/environment.js';
import { statementLabel } from '../../../model/aws/policy.js';
import {
  type AclGrant,
  type AclGroup,
  type AclPermission,
  formatAclGrant,
  parseAclGrant,
} from '../../../model/aws/s3-acl.js';
import type { Evidence } from '../../../model/evidence.js';
import { ACCESS_LEVELS, type AccessLevel } from '../../../model/properties.js';
import { PUBLIC_AWS } from '../authorizer/principal-ids.js';
import { isPublicBucketPolicy, publicStatements } from '../authorizer/s3-block-public-access.js';
import { accessLevel } from '../catalog.js';
import type { UndecidedCondition } from '../engine/types.js';
import type { Authorizer, DerivedEdge, EdgeFamily } from '../types.js';
import { conditionText } from './evidence.js';
import { edge, publicNode, scopeOf } from './nodes.js';

/**
 * S3 public access that is not in a bucket policy, and public access S3 Block Public Access holds back.
 *
 * Bucket ACLs (https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html): a grant to
 * the `AllUsers` group is to anyone, one to `AuthenticatedUsers` to any AWS account's principal
 * (anyone can open one); S3's Block Public Access counts both as public
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html).
 * Each gives the Public node a CAN_ACCESS edge with the actions of its permission, unless
 * - Object Ownership `BucketOwnerEnforced` disables ACLs (they no longer affect permissions:
 *   https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html), or
 * - `IgnorePublicAcls` (the bucket's or the account's) makes S3 ignore public ACLs: no edge, and a
 *   latent-exposure finding instead, or
 * - an explicit Deny of the bucket policy or an RCP applies to anyone (an explicit deny overrides
 *   every allow, an ACL's included: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html);
 *   a Deny under conditions that cannot be decided offline makes the grant conditional.
 * `BlockPublicAcls` only rejects new public ACLs: an ACL in place stays in force, and the finding says so.
 * Grants to other canonical users are not edges: a canonical user id names an account, but the
 * collection has no way to tell which account offline. Grants to the owner are the owner's own
 * access (its IAM policies decide), and `LogDelivery` is S3's log delivery, not a principal of anyone's.
 *
 * A public bucket policy that `RestrictPublicBuckets` voids (s3-block-public-access.ts) and a public
 * ACL that `IgnorePublicAcls` voids are not public; they are reported at low severity
 * (`aws-resource-public-blocked`): turning the setting off would open them.
 */

/** What each bucket ACL permission allows (the ACL overview's table of permissions and actions). */
const ACL_ACTIONS: Record<Exclude<AclPermission, 'FULL_CONTROL'>, readonly string[]> = {
  READ: ['s3:ListBucket', 's3:ListBucketVersions', 's3:ListBucketMultipartUploads'],
  WRITE: ['s3:PutObject', 's3:DeleteObject'],
  READ_ACP: ['s3:GetBucketAcl'],
  WRITE_ACP: ['s3:PutBucketAcl'],
};

/** Object actions are asked about on `<bucket>/*`; the others on the bucket. */
const OBJECT_ACTIONS = new Set(['s3:PutObject', 's3:DeleteObject']);

const PUBLIC_GROUPS: Partial<Record<AclGroup, string>> = {
  AllUsers: 'anyone',
  AuthenticatedUsers: "any AWS account's principal",
};

export function aclActions(permission: AclPermission): string[] {
  return permission === 'FULL_CONTROL' ? Object.values(ACL_ACTIONS).flat() : [...ACL_ACTIONS[permission]];
}

/** The bucket's ACL grants as collected; none when the ACL was not collected. */
export function bucketAcl(bucket: AwsResourceData): AclGrant[] {
  const grants = bucket.attributes?.aclGrants;
  if (!Array.isArray(grants)) return [];
  return grants.map(parseAclGrant).filter((g): g is AclGrant => g !== undefined);
}

/** Who a public ACL grant is to (`anyone`, …); undefined when the grant is not public. */
export function publicGrantee(grant: AclGrant): string | undefined {
  return grant.grantee.kind === 'group' ? PUBLIC_GROUPS[grant.grantee.group] : undefined;
}

/** The bucket's public ACL grants and what S3 makes of them. */
export function publicAcl(bucket: AwsResourceData): {
  grants: AclGrant[];
  state: 'in-force' | 'acls-disabled' | 'ignored';
} {
  const grants = bucketAcl(bucket).filter((g) => publicGrantee(g) !== undefined);
  if (bucket.attributes?.objectOwnership === 'BucketOwnerEnforced') return { grants, state: 'acls-disabled' };
  if (bucket.attributes?.ignorePublicAcls === true) return { grants, state: 'ignored' };
  return { grants, state: 'in-force' };
}

export const s3PublicAccess: EdgeFamily = {
  name: 's3-public-access',
  emits: ['CAN_ACCESS'],
  description:
    'Anyone (the Public node) can act on an S3 bucket through its ACL: grants to AllUsers or AuthenticatedUsers, with the actions of each permission (READ lists objects, WRITE puts and deletes objects, READ_ACP reads the ACL, WRITE_ACP changes it, FULL_CONTROL all of them), unless Object Ownership BucketOwnerEnforced disables ACLs, IgnorePublicAcls (bucket or account) ignores public ACLs, or an explicit Deny of the bucket policy or an RCP applies. Public ACLs and public bucket policies that Block Public Access neutralises are reported as latent exposure instead.',
  derive(authorizer) {
    const edges: DerivedEdge[] = [];
    const findings: AnalysisFinding[] = [];
    for (const bucket of authorizer.resources('s3-bucket')) {
      const acl = publicAcl(bucket);
      if (acl.grants.length > 0 && acl.state === 'in-force') {
        const found = aclEdge(authorizer, bucket, acl.grants);
        if (found) {
          edges.push(found.edge);
          findings.push(...found.findings);
        }
      }
      findings.push(...latentFindings(bucket, acl));
    }
    return { edges, nodes: edges.length > 0 ? [publicNode()] : [], findings };
  },
};

interface GrantedAction {
  action: string;
  level: AccessLevel;
  /** Deny conditions that must be false for the grant to hold; empty when nothing conditions it. */
  denyConditions: UndecidedCondition[];
}

/** What one ACL grant gives anyone, action by action, once explicit Denies are applied. */
function grantedActions(authorizer: Authorizer, bucket: AwsResourceData, grant: AclGrant): GrantedAction[] {
  const out: GrantedAction[] = [];
  for (const action of aclActions(grant.permission)) {
    const target = OBJECT_ACTIONS.has(action) ? `${bucket.arn}/*` : bucket.arn;
    const decision = authorizer.evaluate(PUBLIC_AWS, action, target);
    if (decision.outcome === 'explicit-deny') continue;
    // Whatever else the decision says, the Denies that apply only under undecided conditions are listed.
    const denyConditions = decision.deniedBy.flatMap((m) => m.conditions);
    out.push({ action, level: accessLevel(action) ?? 'list', denyConditions });
  }
  return out;
}

function aclEdge(
  authorizer: Authorizer,
  bucket: AwsResourceData,
  grants: AclGrant[],
): { edge: DerivedEdge; findings: AnalysisFinding[] } | undefined {
  const evidence: Evidence[] = [];
  const findings: AnalysisFinding[] = [];
  const actions = new Set<string>();
  const levels = new Set<AccessLevel>();
  const conditionKeys = new Set<string>();
  let unconditional = false;
  for (const grant of grants) {
    const granted = grantedActions(authorizer, bucket, grant);
    if (granted.length === 0) continue;
    const record = aclEvidence(bucket, grant, granted);
    evidence.push(record);
    for (const g of granted) {
      actions.add(g.action);
      levels.add(g.level);
    }
    if (record.conditions) for (const key of record.conditions) conditionKeys.add(key);
    else unconditional = true;
    findings.push(aclFinding(bucket, grant, granted, record));
  }
  if (evidence.length === 0) return undefined;
  const e = edge({
    type: 'CAN_ACCESS',
    from: PUBLIC_AWS,
    fromKind: 'Public',
    to: bucket.arn,
    toKind: 'AwsS3Bucket',
    scope: scopeOf(bucket.accountId),
    properties: {
      levels: ACCESS_LEVELS.filter((l) => levels.has(l)),
      actions: [...actions].sort(),
      ...(unconditional ? {} : { conditional: true, conditions: [...conditionKeys] }),
    },
    evidence,
  });
  return { edge: e, findings };
}

/** One evidence record per ACL grant: `ref` the bucket's ACL, `statement` the grant (`AllUsers READ`). */
function aclEvidence(bucket: AwsResourceData, grant: AclGrant, granted: GrantedAction[]): Evidence {
  const reason = `bucket ACL of ${bucket.name} grants ${formatAclGrant(grant)} (${publicGrantee(grant)}): ${granted.map((g) => g.action).join(', ')} on ${bucket.name}`;
  const conditions = granted.flatMap((g) => g.denyConditions);
  const base = { source: 'bucket-acl' as const, ref: `${bucket.arn}#acl`, statement: formatAclGrant(grant) };
  // Conditional only when every action of the grant is: one unconditional action holds outright.
  if (conditions.length === 0 || granted.some((g) => g.denyConditions.length === 0))
    return { ...base, reason };
  const texts = [...new Set(conditions.map((c) => `not (${conditionText(c)})`))];
  return {
    ...base,
    reason: `${reason}, if ${texts.join(' and ')}`,
    conditions: [...new Set(conditions.map((c) => c.key))],
  };
}

function aclFinding(
  bucket: AwsResourceData,
  grant: AclGrant,
  granted: GrantedAction[],
  record: Evidence,
): AnalysisFinding {
  const levels = ACCESS_LEVELS.filter((l) => granted.some((g) => g.level === l));
  const conditional = record.conditions ? ' under conditions that cannot be checked offline' : '';
  const note =
    bucket.attributes?.blockPublicAcls === true
      ? '; BlockPublicAcls is on but only rejects new public ACLs, IgnorePublicAcls is off'
      : '';
  return {
    rule: 'aws-resource-public',
    severity: record.conditions ? 'medium' : 'high',
    subject: bucket.arn,
    message: `${bucket.name}: its ACL lets ${publicGrantee(grant)} ${levels.join('/')} (${grant.permission}: ${granted.map((g) => g.action).join(', ')})${conditional}${note}`,
    evidence: [record],
  };
}

/** Where a Block Public Access setting in force was set: the account's or the bucket's own. */
function setBy(bucket: AwsResourceData, setting: 'RestrictPublicBuckets' | 'IgnorePublicAcls'): string {
  return bucket.attributes?.[`account${setting}`] === true ? 'the account' : 'the bucket';
}

/** Public access Block Public Access neutralises: not public today, public when the setting is turned off. */
function latentFindings(bucket: AwsResourceData, acl: ReturnType<typeof publicAcl>): AnalysisFinding[] {
  const out: AnalysisFinding[] = [];
  if (acl.state === 'ignored' && acl.grants.length > 0) {
    const by = setBy(bucket, 'IgnorePublicAcls');
    out.push({
      rule: 'aws-resource-public-blocked',
      severity: 'low',
      subject: bucket.arn,
      message: `${bucket.name}: its ACL is public (${acl.grants.map(formatAclGrant).join(', ')}) but IgnorePublicAcls on ${by} makes S3 ignore it; turning that off would open the bucket`,
      evidence: acl.grants.map((grant) => ({
        source: 'bucket-acl',
        ref: `${bucket.arn}#acl`,
        statement: formatAclGrant(grant),
        reason: `bucket ACL of ${bucket.name} grants ${formatAclGrant(grant)} (${publicGrantee(grant)}), ignored: IgnorePublicAcls is on for ${by}`,
      })),
    });
  }
  const policy = bucket.policy;
  if (policy && bucket.attributes?.restrictPublicBuckets === true && isPublicBucketPolicy(policy)) {
    const by = setBy(bucket, 'RestrictPublicBuckets');
    const statements = publicStatements(policy);
    out.push({
      rule: 'aws-resource-public-blocked',
      severity: 'low',
      subject: bucket.arn,
      message: `${bucket.name}: its bucket policy is public (statement ${statements.map(statementLabel).join(', ')}) but RestrictPublicBuckets on ${by} limits it to the bucket owner's account and AWS services; turning that off would open the bucket`,
      evidence: statements.map((statement) => ({
        source: 'resource-policy',
        ref: policy.id,
        statement: statementLabel(statement),
        reason: `${policy.name} of ${bucket.name} (statement ${statementLabel(statement)}) is public, restricted: RestrictPublicBuckets is on for ${by}`,
      })),
    });
  }
  return out;
}
