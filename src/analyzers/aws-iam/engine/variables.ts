import { RequestContext } from './context.js';
import type { ContextValues, Request } from './types.js';
import { LITERAL_QUESTION, LITERAL_STAR, unmarkLiterals } from './wildcard.js';

/**
 * Policy variables in `Resource` and in string/ARN condition values:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 * - `${aws:username}`, `${aws:PrincipalTag/team}`, any context key (names case-insensitive);
 * - `${key, 'default'}` gives a default when the key is absent;
 * - `${*}`, `${?}`, `${$}` stand for a literal `*`, `?`, `$`;
 * - only in documents with `"Version": "2012-10-17"`; otherwise the text is literal.
 * A variable whose key is absent (and has no default) makes the value match nothing.
 */

export type Resolution =
  /** The resolved text; literal `*`/`?` are marked (see wildcard.ts). */
  | { ok: true; text: string }
  /** The key is known to be absent (or multi-valued): the value matches nothing. */
  | { ok: false; absent: string }
  /** The key is not known offline: whether the value matches is undecided. */
  | { ok: false; unknown: string };

const VARIABLE = /\$\{([^}]*)\}/g;
/** The quoted default of `key, 'default'` (the key is what comes before the first comma). */
const QUOTED = /^'([^']*)'$/;

/** `key, 'default'` → key and default; a plain key otherwise. Split at the comma, not by a backtracking regex. */
function variableOf(body: string): { key: string; fallback?: string } {
  const comma = body.indexOf(',');
  const key = comma < 0 ? body : body.slice(0, comma).trim();
  const fallback = comma < 0 ? undefined : QUOTED.exec(body.slice(comma + 1).trim())?.[1];
  return key !== '' && fallback !== undefined ? { key, fallback } : { key: body };
}

/** A policy string split once into literal text and variable references. */
type Part = string | { key: string; fallback?: string };

const templates = new Map<string, Part[]>();

function template(text: string): Part[] {
  let parts = templates.get(text);
  if (parts) return parts;
  parts = [];
  let literal = '';
  let last = 0;
  for (const match of text.matchAll(VARIABLE)) {
    literal += text.slice(last, match.index);
    last = (match.index ?? 0) + match[0].length;
    const body = (match[1] ?? '').trim();
    if (body === '*') literal += LITERAL_STAR;
    else if (body === '?') literal += LITERAL_QUESTION;
    else if (body === '$') literal += '$';
    else {
      if (literal) parts.push(literal);
      literal = '';
      parts.push(variableOf(body));
    }
  }
  literal += text.slice(last);
  if (literal) parts.push(literal);
  if (templates.size > 100_000) templates.clear();
  templates.set(text, parts);
  return parts;
}

/** Resolves the variables in one policy string against the request context. */
export function resolveMarked(text: string, context: RequestContext): Resolution {
  if (!text.includes('${')) return { ok: true, text };
  let resolution = context.resolutions.get(text) as Resolution | undefined;
  if (!resolution) {
    resolution = substitute(text, context);
    context.resolutions.set(text, resolution);
  }
  return resolution;
}

function substitute(text: string, context: RequestContext): Resolution {
  let out = '';
  for (const part of template(text)) {
    if (typeof part === 'string') {
      out += part;
      continue;
    }
    const values = context.get(part.key);
    if (values === undefined) return { ok: false, unknown: part.key };
    if (values === null || values.length === 0) {
      if (part.fallback === undefined) return { ok: false, absent: part.key };
      out += markLiterals(part.fallback);
    } else if (values.length > 1) {
      // A multi-valued key cannot be used as a variable.
      return { ok: false, absent: part.key };
    } else {
      out += markLiterals(values[0] ?? '');
    }
  }
  return { ok: true, text: out };
}

/** A substituted value is literal text: a `*` in it is not a wildcard. */
function markLiterals(value: string): string {
  if (!value.includes('*') && !value.includes('?')) return value;
  return value.replaceAll('*', LITERAL_STAR).replaceAll('?', LITERAL_QUESTION);
}

/**
 * Resolves the policy variables in `text` for a request (or a bare set of context values).
 * Returns the text with every variable substituted, or `undefined` when a variable cannot be
 * resolved (its key absent without default, or unknown offline).
 */
export function resolvePolicyVariables(
  text: string,
  ctx: RequestContext | Request | ContextValues,
): string | undefined {
  const context = toContext(ctx);
  const resolved = resolveMarked(text, context);
  return resolved.ok ? unmarkLiterals(resolved.text) : undefined;
}

function toContext(ctx: RequestContext | Request | ContextValues): RequestContext {
  if (ctx instanceof RequestContext) return ctx;
  if (isRequest(ctx)) return new RequestContext(ctx);
  return new RequestContext(
    { principal: { arn: '', kind: 'anonymous' }, action: '', resource: { arn: '*' }, context: ctx },
    false,
  );
}

function isRequest(value: RequestContext | Request | ContextValues): value is Request {
  const candidate = value as Partial<Request>;
  return (
    typeof candidate.principal === 'object' &&
    candidate.principal !== null &&
    !Array.isArray(candidate.principal) &&
    typeof candidate.action === 'string'
  );
}
