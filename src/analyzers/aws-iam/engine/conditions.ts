import type { ConditionBlock } from '../../../model/aws/policy.js';
import { RequestContext, type TimeRange } from './context.js';
import { ipInCidr } from './ip.js';
import type { UndecidedCondition } from './types.js';
import { resolveMarked } from './variables.js';
import { arnMatches, globMatches, unmarkLiterals } from './wildcard.js';

/**
 * The `Condition` element: every operator family, the `…IfExists` suffix and the
 * `ForAllValues:`/`ForAnyValue:` set qualifiers.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
 *
 * Three-valued: a condition on a key the request does not know offline is `undecided`, never
 * assumed true or false. Several operators, and several keys under one operator, are ANDed;
 * several values for one key are ORed.
 */

/** Kleene logic: true, false, unknown. */
type Tri = 'T' | 'F' | 'U';
const not = (a: Tri): Tri => (a === 'T' ? 'F' : a === 'F' ? 'T' : 'U');

type Matcher = (policyValue: string, contextValue: string) => boolean;

interface OperatorInfo {
  qualifier: 'ForAllValues' | 'ForAnyValue' | undefined;
  ifExists: boolean;
  negated: boolean;
  isNull: boolean;
  /** Policy variables are substituted in string and ARN operator values only. */
  variables: boolean;
  match: Matcher;
}

const number = (text: string): number =>
  /^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/.test(text) ? Number(text) : Number.NaN;

/** ISO 8601 dates and epoch seconds, both accepted by the Date operators. */
function date(text: string): number {
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  return Date.parse(text);
}

const compare =
  (parse: (s: string) => number, test: (a: number, b: number) => boolean): Matcher =>
  (p, v) => {
    const a = parse(v);
    const b = parse(unmarkLiterals(p));
    return !Number.isNaN(a) && !Number.isNaN(b) && test(a, b);
  };

const BASE: Record<string, { match: Matcher; negated?: boolean; variables?: boolean }> = {
  stringequals: { match: (p, v) => unmarkLiterals(p) === v, variables: true },
  stringnotequals: { match: (p, v) => unmarkLiterals(p) === v, negated: true, variables: true },
  stringequalsignorecase: {
    match: (p, v) => unmarkLiterals(p).toLowerCase() === v.toLowerCase(),
    variables: true,
  },
  stringnotequalsignorecase: {
    match: (p, v) => unmarkLiterals(p).toLowerCase() === v.toLowerCase(),
    negated: true,
    variables: true,
  },
  stringlike: { match: (p, v) => globMatches(p, v), variables: true },
  stringnotlike: { match: (p, v) => globMatches(p, v), negated: true, variables: true },
  numericequals: { match: compare(number, (a, b) => a === b) },
  numericnotequals: { match: compare(number, (a, b) => a === b), negated: true },
  numericlessthan: { match: compare(number, (a, b) => a < b) },
  numericlessthanequals: { match: compare(number, (a, b) => a <= b) },
  numericgreaterthan: { match: compare(number, (a, b) => a > b) },
  numericgreaterthanequals: { match: compare(number, (a, b) => a >= b) },
  dateequals: { match: compare(date, (a, b) => a === b) },
  datenotequals: { match: compare(date, (a, b) => a === b), negated: true },
  datelessthan: { match: compare(date, (a, b) => a < b) },
  datelessthanequals: { match: compare(date, (a, b) => a <= b) },
  dategreaterthan: { match: compare(date, (a, b) => a > b) },
  dategreaterthanequals: { match: compare(date, (a, b) => a >= b) },
  bool: { match: (p, v) => p.toLowerCase() === v.toLowerCase() },
  binaryequals: { match: (p, v) => p === v },
  ipaddress: { match: (p, v) => ipInCidr(v, p) },
  notipaddress: { match: (p, v) => ipInCidr(v, p), negated: true },
  // ArnEquals and ArnLike behave the same: segment-wise, with wildcards.
  arnequals: { match: (p, v) => arnMatches(p, v), variables: true },
  arnlike: { match: (p, v) => arnMatches(p, v), variables: true },
  arnnotequals: { match: (p, v) => arnMatches(p, v), negated: true, variables: true },
  arnnotlike: { match: (p, v) => arnMatches(p, v), negated: true, variables: true },
};

const operatorCache = new Map<string, OperatorInfo | null>();

/** Parses `ForAnyValue:StringLikeIfExists` and the like; `null` for an unknown operator. */
function parseOperator(operator: string): OperatorInfo | null {
  const hit = operatorCache.get(operator);
  if (hit !== undefined) return hit;
  let rest = operator.trim();
  let qualifier: OperatorInfo['qualifier'];
  const lower = rest.toLowerCase();
  if (lower.startsWith('forallvalues:')) {
    qualifier = 'ForAllValues';
    rest = rest.slice('forallvalues:'.length);
  } else if (lower.startsWith('foranyvalue:')) {
    qualifier = 'ForAnyValue';
    rest = rest.slice('foranyvalue:'.length);
  }
  let base = rest.toLowerCase();
  const ifExists = base.endsWith('ifexists') && base !== 'ifexists';
  if (ifExists) base = base.slice(0, -'ifexists'.length);
  let info: OperatorInfo | null = null;
  if (base === 'null' && !ifExists && !qualifier) {
    info = { qualifier, ifExists, negated: false, isNull: true, variables: false, match: () => false };
  } else {
    const entry = BASE[base];
    if (entry) {
      info = {
        qualifier,
        ifExists,
        negated: entry.negated ?? false,
        isNull: false,
        variables: entry.variables ?? false,
        match: entry.match,
      };
    }
  }
  operatorCache.set(operator, info);
  return info;
}

export interface ConditionOutcome {
  result: 'true' | 'false' | 'undecided';
  /** The conditions that could not be decided (when the result is `undecided`). */
  undecided: UndecidedCondition[];
  warnings: string[];
}

/**
 * Evaluates a whole Condition block. `variables` says whether policy variables apply (documents
 * with Version 2012-10-17). A false condition decides the block even when others are undecided.
 */
export function evaluateConditionBlock(
  block: ConditionBlock,
  context: RequestContext,
  variables = true,
): ConditionOutcome {
  let undecided: UndecidedCondition[] | undefined;
  const warnings: string[] = [];
  let anyFalse = false;
  for (const { operator, key, values } of entriesOf(block)) {
    const result = evaluateCondition(operator, key, values, context, variables, warnings);
    if (result === 'F') anyFalse = true;
    else if (result === 'U') {
      undecided ??= [];
      undecided.push({ operator, key, values });
    }
  }
  if (anyFalse) return { result: 'false', undecided: [], warnings };
  return undecided
    ? { result: 'undecided', undecided, warnings }
    : { result: 'true', undecided: [], warnings };
}

/** A block's (operator, key, values) entries in document order, listed once per block. */
const blockEntries = new WeakMap<ConditionBlock, { operator: string; key: string; values: string[] }[]>();

function entriesOf(block: ConditionBlock): { operator: string; key: string; values: string[] }[] {
  let entries = blockEntries.get(block);
  if (!entries) {
    entries = [];
    for (const [operator, keys] of Object.entries(block))
      for (const [key, values] of Object.entries(keys)) entries.push({ operator, key, values });
    blockEntries.set(block, entries);
  }
  return entries;
}

/** One operator applied to one key. */
export function evaluateCondition(
  operator: string,
  key: string,
  policyValues: string[],
  context: RequestContext,
  variables = true,
  warnings: string[] = [],
): Tri {
  const info = parseOperator(operator);
  if (!info) {
    warnings.push(`unknown condition operator "${operator}" (key ${key}): treated as undecided`);
    return 'U';
  }
  const range = context.timeRange(key);
  if (range)
    return overRange(
      range,
      (values) => withValues(info, operator, key, policyValues, values, context, variables, warnings),
      policyValues,
    );
  return withValues(info, operator, key, policyValues, context.get(key), context, variables, warnings);
}

/**
 * A condition on a key known only as a range of instants: decided when it has the same value
 * everywhere in the range. Every operator compares with the policy's instants, so its value is
 * constant between them: the range's ends and each policy instant inside it with its neighbours
 * (a millisecond either side) are every case.
 */
function overRange(range: TimeRange, at: (values: string[] | null) => Tri, policyValues: string[]): Tri {
  const instants = new Set([range.from, range.to]);
  for (const value of policyValues) {
    const t = date(unmarkLiterals(value));
    if (Number.isNaN(t)) continue;
    for (const near of [t - 1, t, t + 1]) if (near > range.from && near < range.to) instants.add(near);
  }
  const results = new Set<Tri>();
  if (range.absent) results.add(at(null));
  for (const t of instants) results.add(at([new Date(t).toISOString()]));
  return results.size === 1 ? ([...results][0] as Tri) : 'U';
}

function withValues(
  info: OperatorInfo,
  operator: string,
  key: string,
  policyValues: string[],
  contextValues: string[] | null | undefined,
  context: RequestContext,
  variables: boolean,
  warnings: string[],
): Tri {
  if (contextValues === undefined) return 'U';
  const present = contextValues !== null && contextValues.length > 0;

  if (info.isNull) {
    // "Null": "true" holds when the key is absent, "false" when it is present.
    return policyValues.some((v) => v.toLowerCase() === (present ? 'false' : 'true')) ? 'T' : 'F';
  }
  if (!present) {
    if (info.ifExists) return 'T';
    // For a set: every element of the empty set satisfies anything; no element satisfies "any".
    if (info.qualifier === 'ForAllValues') return 'T';
    if (info.qualifier === 'ForAnyValue') return 'F';
    // A negated operator is true when the key is absent; any other is false.
    return info.negated ? 'T' : 'F';
  }

  // Substitute variables; a value whose variable is absent matches nothing, unknown is undecided.
  let resolved = policyValues;
  let unknownValue = false;
  if (info.variables && variables && policyValues.some(hasVariable)) {
    resolved = [];
    for (const value of policyValues) {
      const resolution = resolveMarked(value, context);
      if (resolution.ok) resolved.push(resolution.text);
      else if ('unknown' in resolution) unknownValue = true;
      else
        warnings.push(
          `condition ${operator} ${key}: variable ${resolution.absent} is absent, value "${value}" matches nothing`,
        );
    }
  }

  // Each context value against the policy values: a positive operator matches when any value
  // matches; a negated one when none does. Over the context values: all of them must (ForAllValues,
  // or a negated operator without a qualifier), else any one.
  const all = info.qualifier === 'ForAllValues' || (!info.qualifier && info.negated);
  let result: Tri = all ? 'T' : 'F';
  for (const contextValue of contextValues as string[]) {
    let any: Tri = unknownValue ? 'U' : 'F';
    for (const p of resolved)
      if (info.match(p, contextValue)) {
        any = 'T';
        break;
      }
    const one = info.negated ? not(any) : any;
    if (all ? one === 'F' : one === 'T') return one;
    if (one === 'U') result = 'U';
  }
  return result;
}

const hasVariable = (value: string) => value.includes('${');

/** Time keys: their value moves with the analysis time. */
const TIME_KEYS = new Set(['aws:currenttime', 'aws:epochtime', 'aws:tokenissuetime']);

/**
 * For a Condition block false at the analysis time: the first later instant at which it is no
 * longer false because a date condition starts to hold, or undefined when time alone does not
 * make it hold. Candidates are the instants the block's time conditions name (and the next
 * millisecond and second, for `…GreaterThan` on dates and on epoch seconds).
 */
export function conditionBlockStarts(
  block: ConditionBlock,
  context: RequestContext,
  variables = true,
): number | undefined {
  const asOf = context.asOf;
  if (asOf === undefined) return undefined;
  const candidates = new Set<number>();
  for (const keys of Object.values(block))
    for (const [key, values] of Object.entries(keys)) {
      if (!TIME_KEYS.has(key.toLowerCase())) continue;
      for (const value of values) {
        const t = date(unmarkLiterals(value));
        if (Number.isNaN(t)) continue;
        for (const next of [t, t + 1, t + 1000]) if (next > asOf) candidates.add(next);
      }
    }
  for (const t of [...candidates].sort((a, b) => a - b)) {
    const later = new RequestContext({ ...context.request, asOf: new Date(t) });
    if (evaluateConditionBlock(block, later, variables).result !== 'false') return t;
  }
  return undefined;
}
