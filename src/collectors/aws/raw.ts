/**
 * The raw AWS data both sources produce before the one transform: per account, the AWS CLI's own
 * `--output json` documents by name. A document's name is its snapshot path relative to the
 * account folder without the extension:
 *
 * - global commands: `iam-get-account-authorization-details`, `s3api-list-buckets`
 * - per-resource output: `s3api-get-bucket-policy/<bucket>`, `iam-list-access-keys/<user>`
 * - regional commands under their region: `us-east-1/lambda-list-functions`,
 *   `us-east-1/kms-get-key-policy/<key id>`
 *
 * Resource names in document names are encoded with `resourceFileName` so that a name with `/`
 * (a secret, an OIDC provider) stays one path segment.
 */

export interface AwsRawScope {
  /** Parsed JSON documents by name; the credential report (`iam-credential-report`) is CSV text. */
  documents: Record<string, unknown>;
  /**
   * Per-resource commands that were run (their folder exists), by name (`s3api-get-bucket-policy`,
   * `us-east-1/lambda-get-policy`), so that "no output for this bucket" (it has no policy) is told
   * apart from "never asked".
   */
  ran: string[];
  /** Documents that could not be read or fetched, by name: the reason (truncated JSON, AccessDenied…). */
  errors: Record<string, string>;
}

export interface AwsRaw {
  /** By 12-digit account id. */
  accounts: Record<string, AwsRawScope>;
  /** `aws/organization/…`, when collected. */
  organization?: AwsRawScope;
  /** Accounts that could not be collected at all (a role that cannot be assumed): why. */
  failures?: string[];
}

export function emptyScope(): AwsRawScope {
  return { documents: {}, ran: [], errors: {} };
}

/**
 * The scope with its documents, errors and commands run in name order, so that a scope fetched by
 * concurrent calls is the same whichever call finished first.
 */
export function canonicalScope(scope: AwsRawScope): AwsRawScope {
  const sorted = <V>(record: Record<string, V>): Record<string, V> =>
    Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return {
    documents: sorted(scope.documents),
    ran: [...new Set(scope.ran)].sort(),
    errors: sorted(scope.errors),
  };
}

/** The required document of every account. */
export const AUTHORIZATION_DETAILS = 'iam-get-account-authorization-details';
export const CREDENTIAL_REPORT = 'iam-credential-report';

/** `/`, `:` and `%` cannot or should not appear in one file name: percent-encode them. */
export function resourceFileName(name: string): string {
  return name.replace(/[%/:\\]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** The name of one resource's output of a per-resource command, optionally in a region. */
export function perResource(command: string, resource: string, region?: string): string {
  return `${region ? `${region}/` : ''}${command}/${resourceFileName(resource)}`;
}

export function regional(command: string, region?: string): string {
  return region ? `${region}/${command}` : command;
}

/** AWS region names: `us-east-1`, `eu-central-2`, `us-gov-west-1`, `cn-north-1`, `us-isob-east-1`. */
export const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+$/;

export const ACCOUNT_ID_PATTERN = /^\d{12}$/;

/** Splits a document name into region (if any), command and resource (if any). */
export function parseDocumentName(name: string): { region?: string; command: string; resource?: string } {
  const parts = name.split('/');
  const region = parts[0] !== undefined && REGION_PATTERN.test(parts[0]) ? parts.shift() : undefined;
  const [command = '', resource] = parts;
  return {
    ...(region ? { region } : {}),
    command,
    ...(resource !== undefined ? { resource: decodeURIComponent(resource) } : {}),
  };
}
