/**
 * Wildcard matching for actions, ARNs and `…Like` condition values, compiled once per pattern.
 * `*` matches any run of characters (possibly empty), `?` exactly one character.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
 *
 * Patterns produced by policy-variable substitution mark characters that must stay literal
 * (`${*}`, `${?}`, or a `*` inside a substituted value) with the private-use characters below,
 * so that substitution never creates wildcards.
 */

/** Stands for a literal `*` in a resolved pattern. */
export const LITERAL_STAR = '\uE000';
/** Stands for a literal `?` in a resolved pattern. */
export const LITERAL_QUESTION = '\uE001';

const REGEX_SPECIAL = /[.+^${}()|[\]\\/*?-]/g;

function escapeLiteral(text: string): string {
  return text
    .replace(REGEX_SPECIAL, '\\$&')
    .replaceAll(LITERAL_STAR, '\\*')
    .replaceAll(LITERAL_QUESTION, '\\?');
}

/** Regex source for a glob; `star`/`one` say what `*` and `?` may match. */
function globSource(pattern: string, star: string, one: string): string {
  let out = '';
  let literal = '';
  for (const ch of pattern) {
    if (ch === '*' || ch === '?') {
      out += escapeLiteral(literal) + (ch === '*' ? star : one);
      literal = '';
    } else {
      literal += ch;
    }
  }
  return out + escapeLiteral(literal);
}

/** Turns the private-use markers back into the characters they stand for (for display). */
export function unmarkLiterals(text: string): string {
  return text.replaceAll(LITERAL_STAR, '*').replaceAll(LITERAL_QUESTION, '?');
}

const hasWildcard = (text: string) => text.includes('*') || text.includes('?');

const MAX_CACHE = 200_000;
function cached<K, V>(cache: Map<K, V>, key: K, make: () => V): V {
  let value = cache.get(key);
  if (value === undefined) {
    if (cache.size >= MAX_CACHE) cache.clear();
    value = make();
    cache.set(key, value);
  }
  return value;
}

const globCache = new Map<string, RegExp>();
const globIgnoreCaseCache = new Map<string, RegExp>();

/** Whole-string glob match, `*` crossing every character; case-sensitive unless asked. */
export function globMatches(pattern: string, value: string, ignoreCase = false): boolean {
  if (pattern === '*') return true;
  if (!hasWildcard(pattern)) {
    const literal = unmarkLiterals(pattern);
    return ignoreCase ? literal.toLowerCase() === value.toLowerCase() : literal === value;
  }
  const regex = ignoreCase
    ? cached(globIgnoreCaseCache, pattern, () => new RegExp(`^${globSource(pattern, '.*', '.')}$`, 'is'))
    : cached(globCache, pattern, () => new RegExp(`^${globSource(pattern, '.*', '.')}$`, 's'));
  return regex.test(value);
}

/**
 * One case-insensitive regex matching any of several wildcard patterns (as `globMatches` with
 * `ignoreCase` would match each): for compiling an Action list once.
 */
export function anyGlobRegex(patterns: string[]): RegExp {
  return new RegExp(`^(?:${patterns.map((p) => globSource(p, '.*', '.')).join('|')})$`, 'is');
}

const lowerCache = new Map<string, string>();

/** `text.toLowerCase()`, memoized: the same few thousand action names are lowercased millions of times. */
export function lowerCased(text: string): string {
  let lower = lowerCache.get(text);
  if (lower === undefined) {
    if (lowerCache.size >= MAX_CACHE) lowerCache.clear();
    lower = text.toLowerCase();
    lowerCache.set(text, lower);
  }
  return lower;
}

/**
 * Does an `Action`/`NotAction` entry match an action? Case-insensitive (`s3:getobject` is
 * `s3:GetObject`); `*` alone matches every action.
 */
export function actionMatches(pattern: string, action: string): boolean {
  return globMatches(pattern, action, true);
}

const arnCache = new Map<string, RegExp | null>();

/**
 * Does a `Resource` pattern (or an `Arn*` condition value) match an ARN? Segment-aware: the
 * pattern and the ARN are split into their six colon-separated parts (partition, service,
 * region, account, resource) and a wildcard in one of the first five never crosses a `:`; in
 * the resource part (which may itself contain `:` and `/`) `*` matches anything.
 * Case-sensitive, as ARN matching is. A pattern with fewer than six parts matches only when it
 * has a wildcard, the missing trailing parts being taken as `*`. The request resource `*`
 * (actions that take no resource) is matched only by a pattern made of `*` alone.
 */
export function arnMatches(pattern: string, arn: string): boolean {
  if (pattern === '*') return true;
  if (arn === '*') return /^\*+$/.test(pattern);
  if (!hasWildcard(pattern)) return unmarkLiterals(pattern) === arn;
  const regex = cached(arnCache, pattern, () => compileArnPattern(pattern));
  return regex?.test(arn) === true;
}

function compileArnPattern(pattern: string): RegExp | null {
  const parts = pattern.split(':');
  if (parts.length < 6) {
    if (!hasWildcard(pattern)) return null;
    while (parts.length < 6) parts.push('*');
  }
  const head = parts.slice(0, 5).map((segment) => globSource(segment, '[^:]*', '[^:]'));
  const resource = globSource(parts.slice(5).join(':'), '.*', '.');
  return new RegExp(`^${head.join(':')}:${resource}$`, 's');
}
