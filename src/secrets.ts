/**
 * What counts as a secret, in one place: the logger censors these keys, config errors never echo
 * their values, and stored properties (tags) have matching values replaced before they are written.
 */

/** What a censored value is replaced with. */
export const REDACTED = '[redacted]';

/**
 * Keys whose values are secrets wherever they appear: the Neo4j password, bearer tokens and the API's
 * token list, Authorization and other request headers, webhook and Slack URLs (the URL is the
 * credential), HMAC keys, SMTP passwords and AWS credentials.
 */
export const SECRET_KEYS = [
  'password',
  'pass',
  'secret',
  'token',
  'tokens',
  'authorization',
  'headers',
  'url',
  'credentials',
  'secretAccessKey',
  'sessionToken',
] as const;

/** A name that says its value is a secret: `db_password`, `ApiKey`, `GITHUB_TOKEN`, `client-secret`. */
const SECRET_NAME =
  /pass(?:word|wd|phrase)|(?:^|[^a-z])pwd|secret|token|api[-_ ]?key|private[-_ ]?key|access[-_ ]?key|credential/i;

/** Values that are secrets whatever they are called. */
const SECRET_VALUES = [
  // `password=…`, `token: …` inside a value
  new RegExp(`(?:${SECRET_NAME.source})\\s*[=:]`, 'i'),
  // AWS access key ids (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids)
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  // GitHub, GitLab, Slack, Stripe tokens and this tool's own API tokens
  /\b(?:gh[pousr]_|github_pat_|glpat-|xox[abprs]-|sk_live_|rg_)[A-Za-z0-9_-]{16,}/,
];

/** Whether a named value (a tag, a field) holds a secret, by its name or by its shape. */
export function looksSecret(name: string, value: string): boolean {
  return SECRET_NAME.test(name) || SECRET_VALUES.some((pattern) => pattern.test(value));
}

/** A `key=value` tag with its value censored when the key or the value looks like a secret. */
export function redactTag(tag: string): string {
  const eq = tag.indexOf('=');
  const [key, value] = eq < 0 ? [tag, ''] : [tag.slice(0, eq), tag.slice(eq + 1)];
  if (!looksSecret(key, value) && !(eq < 0 && SECRET_VALUES.some((p) => p.test(tag)))) return tag;
  return eq < 0 ? REDACTED : `${key}=${REDACTED}`;
}
