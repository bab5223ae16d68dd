import type { AwsRawScope } from './raw.js';

/**
 * Helpers the live collector shares: pages merged into one document the way the AWS CLI prints a
 * paginated command, SDK output cleaned to the CLI's JSON (no `$metadata`, dates as ISO strings),
 * and errors recorded per document.
 */

/** Pagination fields the CLI drops when it merges pages. */
const PAGINATION_FIELDS = ['Marker', 'IsTruncated', 'NextToken', 'nextToken', 'NextMarker', 'NextPageToken'];

/** Concatenates the lists of every page (as the CLI does without --no-paginate); other fields from the last page. */
export async function allPages(pages: AsyncIterable<object>): Promise<Record<string, unknown>> {
  const merged: Record<string, unknown> = {};
  for await (const page of pages) {
    for (const [key, value] of Object.entries(page)) {
      const previous = merged[key];
      merged[key] = Array.isArray(value) && Array.isArray(previous) ? [...previous, ...value] : value;
    }
  }
  for (const field of PAGINATION_FIELDS) delete merged[field];
  return cliJson(merged) as Record<string, unknown>;
}

/** SDK output as the CLI prints it: no `$metadata`, dates as ISO-8601 strings, no undefined fields. */
function cliJson(output: unknown): unknown {
  return JSON.parse(JSON.stringify(output, (key, value) => (key === '$metadata' ? undefined : value)));
}

/** Errors meaning "this resource has no such thing" (no bucket policy, no tags): not a failure. */
const ABSENT = new Set([
  'NoSuchBucketPolicy',
  'NoSuchTagSet',
  'NoSuchTagSetError',
  'NoSuchPublicAccessBlockConfiguration',
  'ResourceNotFoundException',
  'PolicyNotFoundException',
  'PolicyNotFound',
  'RepositoryPolicyNotFoundException',
  'NoSuchEntity',
  'NoSuchEntityException',
]);

export function errorName(error: unknown): string {
  if (error && typeof error === 'object') {
    const e = error as { name?: unknown; Code?: unknown; code?: unknown };
    for (const value of [e.name, e.Code, e.code])
      if (typeof value === 'string' && value !== 'Error') return value;
  }
  return 'Error';
}

export function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `${errorName(error)}: ${message}`;
}

/**
 * Runs one read call and stores its document under `name`, or its error under the same name.
 * `absentIsNormal` for per-resource calls, where "no such policy" just means none.
 */
export async function record(
  scope: AwsRawScope,
  name: string,
  call: () => Promise<unknown>,
  absentIsNormal = false,
): Promise<unknown> {
  try {
    const document = await call();
    if (document !== undefined) scope.documents[name] = cliJson(document);
    return scope.documents[name];
  } catch (error) {
    if (!(absentIsNormal && ABSENT.has(errorName(error)))) scope.errors[name] = errorMessage(error);
    return undefined;
  }
}

/**
 * The IAM API returns policy documents URL-encoded; the CLI prints them decoded, as JSON objects
 * (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html).
 * Anything that does not decode is left as it is, for the transform to report.
 */
function decodePolicyDocument(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  try {
    return JSON.parse(text.startsWith('{') ? text : decodeURIComponent(text));
  } catch {
    return value;
  }
}

export function decodeAuthorizationDetails(details: Record<string, unknown>): Record<string, unknown> {
  const each = (list: unknown, fn: (item: Record<string, unknown>) => void) => {
    if (Array.isArray(list)) for (const item of list) if (item && typeof item === 'object') fn(item);
  };
  const inline = (owner: Record<string, unknown>, key: string) =>
    each(owner[key], (p) => {
      p.PolicyDocument = decodePolicyDocument(p.PolicyDocument);
    });
  each(details.UserDetailList, (u) => inline(u, 'UserPolicyList'));
  each(details.GroupDetailList, (g) => inline(g, 'GroupPolicyList'));
  each(details.RoleDetailList, (r) => {
    inline(r, 'RolePolicyList');
    r.AssumeRolePolicyDocument = decodePolicyDocument(r.AssumeRolePolicyDocument);
    each(r.InstanceProfileList, (profile) =>
      each(profile.Roles, (role) => {
        role.AssumeRolePolicyDocument = decodePolicyDocument(role.AssumeRolePolicyDocument);
      }),
    );
  });
  each(details.Policies, (p) =>
    each(p.PolicyVersionList, (v) => {
      v.Document = decodePolicyDocument(v.Document);
    }),
  );
  return details;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
