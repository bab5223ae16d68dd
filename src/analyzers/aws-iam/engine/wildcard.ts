/**
 * Wildcard matching for actions, ARNs and `…Like` condition values, compiled once per pattern.
 * `*` matches any run of characters (possibly empty), `?` exactly one character.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
 *
 * Patterns come from policies, which anyone who can write a policy controls, so no regular
 * expression is ever built from them: a pattern is split at its `*`s into segments, the first
 * anchored at the start, the last at the end, and each one between found at its leftmost place
 * (a star on both sides absorbs whatever lies before and after it, so the leftmost place is
 * never worse). That costs at most pattern length × value length character comparisons, with no
 * backtracking over earlier stars.
 *
 * Patterns produced by policy-variable substitution mark characters that must stay literal
 * (`${*}`, `${?}`, or a `*` inside a substituted value) with the private-use characters below,
 * so that substitution never creates wildcards.
 */

/** Stands for a literal `*` in a resolved pattern. */
export const LITERAL_STAR = '\uE000';
/** Stands for a literal `?` in a resolved pattern. */
export const LITERAL_QUESTION = '\uE001';

/** Turns the private-use markers back into the characters they stand for (for display). */
export function unmarkLiterals(text: string): string {
  return text.replaceAll(LITERAL_STAR, '*').replaceAll(LITERAL_QUESTION, '?');
}

const hasWildcard = (text: string) => text.includes('*') || text.includes('?');

/** Literal text between two `*`s; `any` lists the offsets of its `?`s (undefined when none). */
interface Segment {
  text: string;
  any: number[] | undefined;
}

/** A compiled pattern: without a star, one segment that must be the whole value. */
interface Glob {
  segments: Segment[];
  star: boolean;
  /** The shortest value that can match: every segment's length. */
  minLength: number;
}

function compileGlob(pattern: string): Glob {
  const segments: Segment[] = [];
  let text = '';
  let any: number[] | undefined;
  let star = false;
  const close = () => {
    segments.push({ text, any });
    text = '';
    any = undefined;
  };
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '*') {
      close();
      star = true;
    } else if (ch === '?') {
      if (any) any.push(text.length);
      else any = [text.length];
      text += '?';
    } else if (ch === LITERAL_STAR) text += '*';
    else if (ch === LITERAL_QUESTION) text += '?';
    else text += ch;
  }
  close();
  return { segments, star, minLength: segments.reduce((n, s) => n + s.text.length, 0) };
}

/** Does the segment match the value at `at` (the value holds at least the segment's length there)? */
function segmentAt(segment: Segment, value: string, at: number): boolean {
  const { text, any } = segment;
  if (!any) return value.startsWith(text, at);
  let next = 0;
  for (let i = 0; i < text.length; i++) {
    if (any[next] === i) {
      next++;
      continue;
    }
    if (text.charCodeAt(i) !== value.charCodeAt(at + i)) return false;
  }
  return true;
}

/** The leftmost place in [from, last] where the segment matches, or -1. */
function findSegment(segment: Segment, value: string, from: number, last: number): number {
  if (!segment.any) {
    const at = value.indexOf(segment.text, from);
    return at >= 0 && at <= last ? at : -1;
  }
  for (let at = from; at <= last; at++) if (segmentAt(segment, value, at)) return at;
  return -1;
}

/** Does the glob match `value` from `from` to `to` (the whole value by default), without copying it? */
function globTest(glob: Glob, value: string, from = 0, to = value.length): boolean {
  const { segments } = glob;
  const first = segments[0] as Segment;
  if (!glob.star) return to - from === first.text.length && segmentAt(first, value, from);
  if (to - from < glob.minLength || !segmentAt(first, value, from)) return false;
  const last = segments[segments.length - 1] as Segment;
  const end = to - last.text.length;
  if (!segmentAt(last, value, end)) return false;
  let at = from + first.text.length;
  for (let i = 1; i < segments.length - 1; i++) {
    const segment = segments[i] as Segment;
    const found = findSegment(segment, value, at, end - segment.text.length);
    if (found < 0) return false;
    at = found + segment.text.length;
  }
  return true;
}

/**
 * Case folding one UTF-16 unit at a time, as a case-insensitive JavaScript regular expression
 * (without the `u` flag) compares characters: ASCII letters fold together, a non-ASCII unit folds
 * to its single-unit upper case unless that is ASCII. Folding unit by unit keeps `?` matching one
 * unit whatever the case mapping.
 */
function foldUnit(unit: number): number {
  if (unit < 128) return unit >= 65 && unit <= 90 ? unit + 32 : unit;
  const upper = String.fromCharCode(unit).toUpperCase();
  if (upper.length !== 1) return unit;
  const folded = upper.charCodeAt(0);
  return folded < 128 ? unit : folded;
}

function foldCase(text: string): string {
  let ascii = true;
  for (let i = 0; i < text.length && ascii; i++) ascii = text.charCodeAt(i) < 128;
  if (ascii) return text.toLowerCase();
  let out = '';
  for (let i = 0; i < text.length; i++) out += String.fromCharCode(foldUnit(text.charCodeAt(i)));
  return out;
}

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

const globCache = new Map<string, Glob>();
const globIgnoreCaseCache = new Map<string, Glob>();
const foldCache = new Map<string, string>();

/** `foldCase`, memoized without a closure per call: action names are folded millions of times. */
function folded(text: string): string {
  let fold = foldCache.get(text);
  if (fold === undefined) {
    if (foldCache.size >= MAX_CACHE) foldCache.clear();
    fold = foldCase(text);
    foldCache.set(text, fold);
  }
  return fold;
}

/** Whole-string glob match, `*` crossing every character; case-sensitive unless asked. */
export function globMatches(pattern: string, value: string, ignoreCase = false): boolean {
  if (pattern === '*') return true;
  if (!hasWildcard(pattern)) {
    const literal = unmarkLiterals(pattern);
    return ignoreCase ? literal.toLowerCase() === value.toLowerCase() : literal === value;
  }
  return ignoreCase
    ? globTest(
        cached(globIgnoreCaseCache, pattern, () => compileGlob(foldCase(pattern))),
        folded(value),
      )
    : globTest(
        cached(globCache, pattern, () => compileGlob(pattern)),
        value,
      );
}

/**
 * One case-insensitive matcher for any of several wildcard patterns (as `globMatches` with
 * `ignoreCase` would match each): for compiling an Action list once.
 */
export function anyGlobMatcher(patterns: string[]): (value: string) => boolean {
  const globs = patterns.map((p) => compileGlob(foldCase(p)));
  return (value) => {
    const text = folded(value);
    for (const glob of globs) if (globTest(glob, text)) return true;
    return false;
  };
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

/** An ARN pattern: one glob per head segment (partition, service, region, account) and one for the resource. */
interface ArnGlob {
  head: Glob[];
  resource: Glob;
}

const arnCache = new Map<string, ArnGlob | null>();
const ARN_HEAD_SEGMENTS = 5;

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
  if (arn === '*') return pattern.length > 0 && [...pattern].every((ch) => ch === '*');
  if (!hasWildcard(pattern)) return unmarkLiterals(pattern) === arn;
  const glob = cached(arnCache, pattern, () => compileArnPattern(pattern));
  if (!glob) return false;
  let from = 0;
  for (const segment of glob.head) {
    const colon = arn.indexOf(':', from);
    if (colon < 0 || !globTest(segment, arn, from, colon)) return false;
    from = colon + 1;
  }
  return globTest(glob.resource, arn, from);
}

function compileArnPattern(pattern: string): ArnGlob | null {
  const parts = pattern.split(':');
  if (parts.length <= ARN_HEAD_SEGMENTS) {
    if (!hasWildcard(pattern)) return null;
    while (parts.length <= ARN_HEAD_SEGMENTS) parts.push('*');
  }
  return {
    head: parts.slice(0, ARN_HEAD_SEGMENTS).map(compileGlob),
    resource: compileGlob(parts.slice(ARN_HEAD_SEGMENTS).join(':')),
  };
}
