import type { AwsResourceData } from '../../../model/aws/environment.js';
import type { NamedPolicy, PrincipalElement, Statement } from '../../../model/aws/policy.js';

/**
 * S3 Block Public Access as S3 applies it to a bucket policy
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html).
 *
 * - The setting in force is the most restrictive combination of the bucket's and its account's
 *   (the collector records each setting as the OR of both).
 * - `RestrictPublicBuckets`: when the bucket policy is public, only AWS service principals and
 *   principals of the bucket owner's account get access from it: public and cross-account access
 *   granted by any statement of that policy is blocked, "including non-public delegation to
 *   specific accounts". A non-public policy stays in effect as written.
 * - `BlockPublicPolicy` only rejects putting a new public policy; an existing one stays in force.
 * - `BlockPublicAcls` / `IgnorePublicAcls` act on ACLs, not on the policy: see edges/s3-public-access.ts.
 */

/** Condition keys that make a statement non-public when they hold fixed values ("The meaning of public"). */
const RESTRICTING_KEYS = new Set([
  // "An AWS principal, user, role, or service principal (e.g. aws:PrincipalOrgID)".
  'aws:principalorgid',
  'aws:principalaccount',
  'aws:principalarn',
  'aws:sourceip',
  'aws:sourcearn',
  'aws:sourcevpc',
  'aws:sourcevpce',
  'aws:sourceowner',
  'aws:sourceaccount',
  's3:x-amz-server-side-encryption-aws-kms-key-id',
  'aws:userid',
  's3:dataaccesspointarn',
  's3:dataaccesspointaccount',
]);

/** Is the bucket policy public by S3's definition: does any Allow statement grant beyond fixed values? */
export function isPublicBucketPolicy(policy: NamedPolicy): boolean {
  return publicStatements(policy).length > 0;
}

/** The Allow statements that make a bucket policy public. */
export function publicStatements(policy: NamedPolicy): Statement[] {
  return policy.document.Statement.filter((s) => s.Effect === 'Allow' && isPublicStatement(s));
}

function isPublicStatement(statement: Statement): boolean {
  if (statement.NotPrincipal) return true;
  if (!grantsAnyone(statement.Principal)) return false;
  return !Object.entries(statement.Condition ?? {}).some(([operator, keys]) =>
    Object.entries(keys).some(([key, values]) => restricts(operator, key, values)),
  );
}

/** `*`, `{"AWS": "*"}`, a wildcard or a federated (web identity) principal. */
function grantsAnyone(principal: PrincipalElement | undefined): boolean {
  if (principal === undefined) return false;
  if (principal === '*') return true;
  if ((principal.Federated ?? []).length > 0) return true;
  return [...(principal.AWS ?? []), ...(principal.Service ?? [])].some(notFixed);
}

const notFixed = (value: string) => value.includes('*') || value.includes('?') || value.includes('${');

/**
 * A condition restricts the statement to fixed values when its key is one S3 names, its operator
 * tests for a match (not a negation, not `…IfExists`, which holds when the key is absent), and
 * every value is fixed (no wildcard, no policy variable; source IPs no broader than /8 for IPv4 and
 * /32 for IPv6).
 */
function restricts(operator: string, key: string, values: string[]): boolean {
  const lower = key.toLowerCase();
  if (!RESTRICTING_KEYS.has(lower)) return false;
  const op = operator.toLowerCase();
  if (op.includes('not') || op.endsWith('ifexists') || op === 'null') return false;
  if (values.length === 0) return false;
  if (lower === 'aws:sourceip') return values.every(narrowCidr);
  // An access point ARN may end in a wildcard for the access point name when its account is fixed.
  if (lower === 's3:dataaccesspointarn')
    return values.every((v) => /^arn:[^:*?]+:s3:[^:*?]+:\d{12}:accesspoint\/[^${}]*$/.test(v));
  return values.every((v) => !notFixed(v));
}

function narrowCidr(value: string): boolean {
  if (notFixed(value)) return false;
  const [address, bits] = value.split('/');
  if (bits === undefined) return true;
  const prefix = Number(bits);
  return address?.includes(':') ? prefix >= 32 : prefix >= 8;
}

/**
 * The bucket policy as it applies to principals outside the bucket's account when
 * `RestrictPublicBuckets` blocks them: its Deny statements, and its Allow statements only for
 * AWS service principals. `undefined` when nothing is restricted (the setting is off, there is no
 * policy, or the policy is not public).
 */
export function policyOutsideOwner(bucket: AwsResourceData): NamedPolicy | undefined {
  const policy = bucket.policy;
  if (!policy || bucket.attributes?.restrictPublicBuckets !== true || !isPublicBucketPolicy(policy))
    return undefined;
  const statements = policy.document.Statement.flatMap((s): Statement[] => {
    if (s.Effect === 'Deny') return [s];
    const services = s.Principal !== '*' ? (s.Principal?.Service ?? []) : [];
    return services.length > 0 && !s.NotPrincipal ? [{ ...s, Principal: { Service: services } }] : [];
  });
  return { ...policy, document: { ...policy.document, Statement: statements } };
}
