import { ReachgraphError } from '../../errors.js';
import {
  type ConditionBlock,
  type PolicyDocument,
  type PolicyDocumentKind,
  type PrincipalElement,
  type Statement,
  statementLabel,
} from './policy.js';

/**
 * Turns a policy document as AWS hands it out (URL-encoded JSON from the IAM API, plain JSON from
 * the CLI, or an already-parsed object) into the one normalized shape the engine evaluates.
 * Grammar: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 *
 * Anything AWS itself would reject (an unknown element, a wrong type, a missing Effect, Action
 * together with NotAction…) is a PolicyParseError naming where the document came from, the
 * statement and the element, so one bad policy can be reported and skipped.
 */

export class PolicyParseError extends ReachgraphError {
  /** Where the document came from (file, policy id…), as the caller named it. */
  readonly where: string;
  /** The statement concerned: its Sid or `#<index>`, when the problem is inside one. */
  readonly statement?: string;
  /** The element concerned (`Action`, `Condition.StringEquals`…), when there is one. */
  readonly element?: string;

  constructor(where: string, detail: string, statement?: string, element?: string) {
    const at = [statement ? `statement ${statement}` : undefined, element ? `element ${element}` : undefined]
      .filter(Boolean)
      .join(', ');
    super(`${where}: ${at ? `${at}: ` : ''}${detail}`);
    this.name = 'PolicyParseError';
    this.where = where;
    if (statement !== undefined) this.statement = statement;
    if (element !== undefined) this.element = element;
  }
}

const TOP_LEVEL_ELEMENTS = ['Version', 'Id', 'Statement'] as const;
const STATEMENT_ELEMENTS = [
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
] as const;
const PRINCIPAL_TYPES = ['AWS', 'Service', 'Federated', 'CanonicalUser'] as const;
const VERSIONS = ['2012-10-17', '2008-10-17'];

/** Policy kinds where a Principal element is not allowed (the principal is implied by attachment). */
const NO_PRINCIPAL_KINDS: ReadonlySet<PolicyDocumentKind> = new Set(['identity', 'boundary', 'scp']);
/** Resource-based kinds, where AWS requires a Principal or NotPrincipal. */
const PRINCIPAL_REQUIRED_KINDS: ReadonlySet<PolicyDocumentKind> = new Set(['trust', 'resource', 'rcp']);
/** Kinds where AWS requires Resource or NotResource (trust policies have none, SCPs may omit it). */
const RESOURCE_REQUIRED_KINDS: ReadonlySet<PolicyDocumentKind> = new Set(['identity', 'boundary']);

/**
 * Parses and normalizes one policy document. `where` names its origin in error messages
 * (e.g. `aws/111122223333/iam-get-account-authorization-details.json: role deploy, policy ci`).
 */
export function parsePolicyDocument(raw: unknown, where: string, kind?: PolicyDocumentKind): PolicyDocument {
  const value = typeof raw === 'string' ? parseJsonText(raw, where) : raw;
  if (!isPlainObject(value)) {
    throw new PolicyParseError(where, `a policy document must be a JSON object, got ${describe(value)}`);
  }
  for (const key of Object.keys(value)) {
    if (!(TOP_LEVEL_ELEMENTS as readonly string[]).includes(key)) {
      throw new PolicyParseError(where, unknownElement(key, TOP_LEVEL_ELEMENTS), undefined, key);
    }
  }
  const doc: PolicyDocument = { Statement: [] };
  if (value.Version !== undefined) {
    if (typeof value.Version !== 'string' || !VERSIONS.includes(value.Version)) {
      throw new PolicyParseError(
        where,
        `Version must be one of ${VERSIONS.map((v) => `"${v}"`).join(', ')}, got ${describe(value.Version)}`,
        undefined,
        'Version',
      );
    }
    doc.Version = value.Version;
  }
  if (value.Id !== undefined) {
    if (typeof value.Id !== 'string') {
      throw new PolicyParseError(where, `Id must be a string, got ${describe(value.Id)}`, undefined, 'Id');
    }
    doc.Id = value.Id;
  }
  if (value.Statement === undefined) {
    throw new PolicyParseError(where, 'the document has no Statement', undefined, 'Statement');
  }
  const statements = Array.isArray(value.Statement) ? value.Statement : [value.Statement];
  doc.Statement = statements.map((s, index) => parseStatement(s, index, where, kind));
  return doc;
}

function parseJsonText(text: string, where: string): unknown {
  let json = text.trim();
  // The IAM API returns documents URL-encoded (RFC 3986); the CLI and most other APIs decode them.
  if (json.length > 0 && !json.startsWith('{') && !json.startsWith('[')) {
    try {
      json = decodeURIComponent(json).trim();
    } catch {
      throw new PolicyParseError(where, 'the document is neither JSON nor valid URL-encoded JSON');
    }
  }
  try {
    return JSON.parse(json);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new PolicyParseError(where, `invalid JSON: ${message}${jsonPosition(json, message)}`);
  }
}

/** Adds line and column to V8's "at position N" so people can find the mistake in a file. */
export function jsonPosition(text: string, message: string): string {
  const match = /position (\d+)/.exec(message);
  const position = match ? Number(match[1]) : text.length;
  if (/line \d+ column \d+/.test(message)) return '';
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return ` (line ${line}, column ${column})`;
}

function parseStatement(
  raw: unknown,
  index: number,
  where: string,
  kind: PolicyDocumentKind | undefined,
): Statement {
  if (!isPlainObject(raw)) {
    throw new PolicyParseError(
      where,
      `a statement must be an object, got ${describe(raw)}`,
      statementLabel({ index }),
    );
  }
  const name = statementLabel({ Sid: typeof raw.Sid === 'string' ? raw.Sid : undefined, index });
  const fail = (element: string | undefined, detail: string): never => {
    throw new PolicyParseError(where, detail, name, element);
  };

  for (const key of Object.keys(raw)) {
    if (!(STATEMENT_ELEMENTS as readonly string[]).includes(key)) {
      fail(key, unknownElement(key, STATEMENT_ELEMENTS));
    }
  }
  if (raw.Sid !== undefined && typeof raw.Sid !== 'string') {
    fail('Sid', `Sid must be a string, got ${describe(raw.Sid)}`);
  }

  const effect = parseEffect(raw.Effect, fail);
  const statement: Statement = { index, Effect: effect };
  if (typeof raw.Sid === 'string') statement.Sid = raw.Sid;

  exclusivePair(raw, 'Action', 'NotAction', true, fail);
  exclusivePair(
    raw,
    'Resource',
    'NotResource',
    kind !== undefined && RESOURCE_REQUIRED_KINDS.has(kind),
    fail,
  );
  exclusivePair(
    raw,
    'Principal',
    'NotPrincipal',
    kind !== undefined && PRINCIPAL_REQUIRED_KINDS.has(kind),
    fail,
  );

  for (const element of ['Action', 'NotAction', 'Resource', 'NotResource'] as const) {
    if (raw[element] !== undefined) statement[element] = stringList(raw[element], element, fail);
  }

  if (kind !== undefined && NO_PRINCIPAL_KINDS.has(kind)) {
    for (const element of ['Principal', 'NotPrincipal'] as const) {
      if (raw[element] !== undefined) {
        fail(
          element,
          `${element} is not allowed in ${describeKind(kind)} (the policy applies to what it is attached to)`,
        );
      }
    }
  }
  if (raw.NotPrincipal !== undefined && effect === 'Allow' && (kind === 'trust' || kind === 'identity')) {
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
    fail('NotPrincipal', `NotPrincipal with "Effect": "Allow" is invalid in ${describeKind(kind)}`);
  }
  if (raw.Principal !== undefined) statement.Principal = parsePrincipal(raw.Principal, 'Principal', fail);
  if (raw.NotPrincipal !== undefined)
    statement.NotPrincipal = parsePrincipal(raw.NotPrincipal, 'NotPrincipal', fail);
  if (raw.Condition !== undefined) statement.Condition = parseCondition(raw.Condition, fail);
  return statement;
}

type Fail = (element: string | undefined, detail: string) => never;

function parseEffect(value: unknown, fail: Fail): 'Allow' | 'Deny' {
  if (value === undefined) return fail('Effect', 'the statement has no Effect (expected "Allow" or "Deny")');
  if (typeof value !== 'string')
    return fail('Effect', `Effect must be "Allow" or "Deny", got ${describe(value)}`);
  if (value === 'Allow' || value === 'Deny') return value;
  const suggestion = closest(value, ['Allow', 'Deny']);
  return fail(
    'Effect',
    `Effect must be "Allow" or "Deny", got "${value}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
  );
}

function exclusivePair(
  raw: Record<string, unknown>,
  positive: string,
  negative: string,
  required: boolean,
  fail: Fail,
): void {
  const hasPositive = raw[positive] !== undefined;
  const hasNegative = raw[negative] !== undefined;
  if (hasPositive && hasNegative) fail(negative, `a statement cannot have both ${positive} and ${negative}`);
  if (required && !hasPositive && !hasNegative)
    fail(positive, `the statement has neither ${positive} nor ${negative}`);
}

function stringList(value: unknown, element: string, fail: Fail): string[] {
  const items = Array.isArray(value) ? value : [value];
  if (Array.isArray(value) && value.length === 0) fail(element, `${element} must not be an empty array`);
  return items.map((item) => {
    if (typeof item !== 'string') {
      return fail(element, `${element} must be a string or an array of strings, found ${describe(item)}`);
    }
    return item;
  });
}

function parsePrincipal(value: unknown, element: string, fail: Fail): PrincipalElement {
  if (value === '*') return '*';
  if (typeof value === 'string') {
    return fail(
      element,
      `${element} must be "*" or an object such as {"AWS": "…"}, got the string "${value}"`,
    );
  }
  if (!isPlainObject(value)) {
    return fail(element, `${element} must be "*" or an object such as {"AWS": "…"}, got ${describe(value)}`);
  }
  const out: PrincipalElement = {};
  for (const [type, entries] of Object.entries(value)) {
    if (!(PRINCIPAL_TYPES as readonly string[]).includes(type)) {
      fail(`${element}.${type}`, unknownElement(type, PRINCIPAL_TYPES, 'principal type'));
    }
    out[type as (typeof PRINCIPAL_TYPES)[number]] = stringList(entries, `${element}.${type}`, fail);
  }
  return out;
}

function parseCondition(value: unknown, fail: Fail): ConditionBlock {
  if (!isPlainObject(value)) {
    return fail(
      'Condition',
      `Condition must be an object of operator → {key: values}, got ${describe(value)}`,
    );
  }
  const out: ConditionBlock = {};
  for (const [operator, keys] of Object.entries(value)) {
    const element = `Condition.${operator}`;
    if (!isPlainObject(keys)) {
      fail(element, `each condition operator must map to an object of key → values, got ${describe(keys)}`);
    }
    const block: Record<string, string[]> = {};
    for (const [key, raw] of Object.entries(keys as Record<string, unknown>)) {
      const items = Array.isArray(raw) ? raw : [raw];
      block[key] = items.map((item) => {
        if (typeof item === 'string') return item;
        if (typeof item === 'boolean' || typeof item === 'number') return String(item);
        return fail(
          `${element}.${key}`,
          `condition values must be strings, numbers or booleans (or an array of them), found ${describe(item)}`,
        );
      });
    }
    out[operator] = block;
  }
  return out;
}

function unknownElement(key: string, known: readonly string[], what = 'element'): string {
  const suggestion = closest(key, known);
  return `unknown ${what} "${key}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; expected one of ${known.join(', ')}`;
}

/** The known name nearest to a misspelling: same letters in another case, a plural, or an edit or two away. */
function closest(word: string, known: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const allowed = Math.max(1, Math.min(2, Math.floor(word.length / 3)));
  return bestDistance <= allowed ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function describeKind(kind: PolicyDocumentKind): string {
  const names: Record<PolicyDocumentKind, string> = {
    identity: 'an identity-based policy',
    trust: 'a role trust policy',
    resource: 'a resource-based policy',
    scp: 'a service control policy',
    rcp: 'a resource control policy',
    boundary: 'a permissions boundary',
  };
  return names[kind];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string "${value}"`;
  return `${typeof value} ${String(value)}`;
}
