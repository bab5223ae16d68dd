import { type NamedPolicy, type Statement, statementLabel } from '../../../model/aws/policy.js';
import { isCatalogLoaded, supportsResourceControlPolicies, unknownServiceWarning } from '../catalog.js';
import { conditionKey, isAttackerChosen } from './condition-keys.js';
import { RequestContext } from './context.js';
import type { PrincipalMatch } from './principal.js';
import { evaluateStatement, type StatementOptions } from './statement.js';
import type {
  ContextValues,
  Decision,
  PolicySet,
  Request,
  StatementMatch,
  UndecidedCondition,
} from './types.js';
import { lowerCased } from './wildcard.js';

/**
 * AWS's policy evaluation logic for one request:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
 *
 * 1. An explicit Deny in any applicable policy wins.
 * 2. SCPs (every level of the principal account's path) and RCPs (every level of the resource
 *    account's path) must allow.
 * 3. Within one account, identity policies ∪ resource policy; the permissions boundary and the
 *    session policies cap the identity side, and a resource policy naming the role ARN, but not
 *    one naming the user or the role session itself.
 * 4. Across accounts, both the identity side and the resource policy must allow.
 * 5. Role trust policies and KMS key policies must allow even within one account; naming the
 *    account root there delegates to the account's identity policies.
 *
 * Every part is three-valued (yes / maybe / no); "maybe" carries the undecided conditions.
 */

/** A statement that applies (or may apply) to the request. */
interface Hit {
  match: StatementMatch;
  principal: PrincipalMatch | undefined;
}

/** A requirement on the way to "allowed", three-valued. */
interface Term {
  state: 'yes' | 'maybe' | 'no';
  statements: StatementMatch[];
  conditions: UndecidedCondition[];
}

const YES: Term = { state: 'yes', statements: [], conditions: [] };
const NO: Term = { state: 'no', statements: [], conditions: [] };

/** Any of these Allow statements grants: yes if one applies unconditionally. */
function anyOf(hits: Hit[]): Term {
  if (hits.length === 0) return NO;
  const [only] = hits;
  if (hits.length === 1 && only && only.match.conditions.length === 0) return unconditionalTerm(only.match);
  const unconditional = hits.filter((h) => h.match.conditions.length === 0);
  if (unconditional.length > 0)
    return { state: 'yes', statements: unconditional.map((h) => h.match), conditions: [] };
  return {
    state: 'maybe',
    statements: hits.map((h) => h.match),
    conditions: hits.flatMap((h) => h.match.conditions),
  };
}

function and(...terms: Term[]): Term {
  if (terms.some((t) => t.state === 'no')) return NO;
  // Terms that are "yes" with nothing to cite add nothing: the one term left is the conjunction.
  const cited = terms.filter((t) => t !== YES);
  if (cited.length === 0) return YES;
  if (cited.length === 1) return cited[0] as Term;
  return {
    state: terms.every((t) => t.state === 'yes') ? 'yes' : 'maybe',
    statements: terms.flatMap((t) => t.statements),
    conditions: terms.flatMap((t) => t.conditions),
  };
}

function or(...terms: Term[]): Term {
  const yes = terms.find((t) => t.state === 'yes');
  if (yes) return yes;
  const maybe = terms.filter((t) => t.state === 'maybe');
  if (maybe.length === 0) return NO;
  return {
    state: 'maybe',
    statements: maybe.flatMap((t) => t.statements),
    conditions: maybe.flatMap((t) => t.conditions),
  };
}

interface Scan {
  allows: Hit[];
  denies: Hit[];
  /** Instants from which an Allow that does not apply yet would apply (see `notBefore`). */
  pending: number[];
  /** The warnings of its statements, each once, in the order found. */
  warnings: string[];
}

/** `evaluateStatement`'s options, one object per combination instead of one per statement. */
const STATEMENT_OPTIONS: StatementOptions[] = [
  { variables: false, hasPermissionsBoundary: false },
  { variables: true, hasPermissionsBoundary: false },
  { variables: false, hasPermissionsBoundary: true },
  { variables: true, hasPermissionsBoundary: true },
];

function scan(
  policies: NamedPolicy[],
  context: RequestContext,
  service: string | undefined,
  hasPermissionsBoundary: boolean,
): Scan {
  // Most scans find nothing: the lists are made on the first hit, the empty scan is shared.
  let allows: Hit[] | undefined;
  let denies: Hit[] | undefined;
  let pending: number[] | undefined;
  let warnings: string[] | undefined;
  for (const policy of policies) {
    const variables = policy.document.Version === '2012-10-17';
    const options = STATEMENT_OPTIONS[(variables ? 1 : 0) + (hasPermissionsBoundary ? 2 : 0)];
    for (const statement of statementsFor(policy.document.Statement, service)) {
      const evaluation = evaluateStatement(statement, context, options);
      for (const warning of evaluation.warnings) {
        const text = `${policy.name} (${policy.id}) statement ${statementLabel(statement)}: ${warning}`;
        warnings ??= [];
        if (!warnings.includes(text)) warnings.push(text);
      }
      if (evaluation.applies === 'no') {
        if (evaluation.notBefore !== undefined && statement.Effect === 'Allow') {
          pending ??= [];
          pending.push(evaluation.notBefore);
        }
        continue;
      }
      const hit: Hit =
        evaluation.conditions.length === 0 && evaluation.principal === undefined
          ? unconditionalHit(policy, statement)
          : {
              match: statementMatch(policy, statement, evaluation.conditions),
              principal: evaluation.principal,
            };
      if (statement.Effect === 'Deny') {
        denies ??= [];
        denies.push(hit);
      } else {
        allows ??= [];
        allows.push(hit);
      }
    }
  }
  if (!allows && !denies && !pending && !warnings) return EMPTY_SCAN;
  return {
    allows: allows ?? NO_HITS,
    denies: denies ?? NO_HITS,
    pending: pending ?? NO_INSTANTS,
    warnings: warnings ?? NO_WARNINGS,
  };
}

const NO_SCANS: Scan[] = Object.freeze([]) as unknown as Scan[];
const NO_LEVELS: NamedPolicy[][] = Object.freeze([]) as unknown as NamedPolicy[][];
const NO_HITS: Hit[] = Object.freeze([]) as unknown as Hit[];
const NO_INSTANTS: number[] = Object.freeze([]) as unknown as number[];
const NO_WARNINGS: string[] = Object.freeze([]) as unknown as string[];
const EMPTY_SCAN: Scan = Object.freeze({
  allows: NO_HITS,
  denies: NO_HITS,
  pending: NO_INSTANTS,
  warnings: NO_WARNINGS,
});

/** Every scan of one evaluation, by layer. */
interface Scans {
  identity: Scan;
  boundary: Scan | undefined;
  session: Scan | undefined;
  resource: Scan | undefined;
  scps: Scan[];
  rcps: Scan[];
}

/**
 * The first evaluation's scans, for a later evaluation of the same request whose context differs
 * only in `changed` (lowercase keys): a statement reading none of them through its Condition, and
 * without policy variables, evaluates as it did (its Action, Resource and Principal do not read
 * the context), so a list of such statements scans as it did.
 */
interface Earlier {
  scans: Scans;
  changed: ReadonlySet<string>;
}

/** The condition keys a statement reads (lowercase), and whether it has a policy variable. */
interface ContextUse {
  keys: string[];
  variables: boolean;
}

const contextUses = new WeakMap<Statement, ContextUse>();

function contextUse(statement: Statement): ContextUse {
  let use = contextUses.get(statement);
  if (!use) {
    const keys: string[] = [];
    let variables = false;
    const hasVariable = (texts: string[] | undefined) => texts?.some((t) => t.includes('${')) === true;
    if (hasVariable(statement.Resource) || hasVariable(statement.NotResource)) variables = true;
    for (const byKey of Object.values(statement.Condition ?? {}))
      for (const [key, values] of Object.entries(byKey)) {
        keys.push(key.toLowerCase());
        if (hasVariable(values)) variables = true;
      }
    use = { keys, variables };
    contextUses.set(statement, use);
  }
  return use;
}

function unchangedBy(
  policies: NamedPolicy[],
  service: string | undefined,
  changed: ReadonlySet<string>,
): boolean {
  for (const policy of policies)
    for (const statement of statementsFor(policy.document.Statement, service)) {
      const use = contextUse(statement);
      if (use.variables) return false;
      for (const key of use.keys) if (changed.has(key)) return false;
    }
  return true;
}

/** The scan of `policies`, or the earlier evaluation's when the change cannot alter it. */
function rescan(
  policies: NamedPolicy[],
  context: RequestContext,
  service: string | undefined,
  hasPermissionsBoundary: boolean,
  earlier: Scan | undefined,
  changed: ReadonlySet<string> | undefined,
): Scan {
  if (earlier && changed && unchangedBy(policies, service, changed)) return earlier;
  return scan(policies, context, service, hasPermissionsBoundary);
}

function statementMatch(
  policy: NamedPolicy,
  statement: Statement,
  conditions: UndecidedCondition[],
): StatementMatch {
  return {
    policyId: policy.id,
    policyName: policy.name,
    policyKind: policy.kind,
    statement: statementLabel(statement),
    effect: statement.Effect,
    conditions,
  };
}

/**
 * A statement that applies without condition, and without a Principal element, is cited the same
 * way in every request: one frozen hit per (policy, statement), shared by every decision citing it,
 * instead of a copy per request (decisions are memoized and kept in evidence by the thousand).
 */
const unconditionalHits = new WeakMap<NamedPolicy, Map<Statement, Hit>>();
const NO_CONDITIONS: UndecidedCondition[] = Object.freeze([]) as unknown as UndecidedCondition[];

function unconditionalHit(policy: NamedPolicy, statement: Statement): Hit {
  let byStatement = unconditionalHits.get(policy);
  if (!byStatement) {
    byStatement = new Map();
    unconditionalHits.set(policy, byStatement);
  }
  let hit = byStatement.get(statement);
  if (!hit) {
    hit = Object.freeze({
      match: Object.freeze(statementMatch(policy, statement, NO_CONDITIONS)),
      principal: undefined,
    });
    byStatement.set(statement, hit);
  }
  return hit;
}

/** The "yes" term citing one unconditional statement, one per statement. */
const unconditionalTerms = new WeakMap<StatementMatch, Term>();

function unconditionalTerm(match: StatementMatch): Term {
  let term = unconditionalTerms.get(match);
  if (!term) {
    term = { state: 'yes', statements: [match], conditions: [] };
    // Only shared matches are worth keeping (others belong to one request).
    if (Object.isFrozen(match)) unconditionalTerms.set(match, term);
  }
  return term;
}

/**
 * The statements of a policy whose Action/NotAction may match an action of the service, in
 * document order: the others cannot apply (a statement not matching the action applies to
 * nothing, and says nothing), so a large policy is not scanned in full for every request.
 */
const byService = new WeakMap<Statement[], Map<string, Statement[]>>();

function statementsFor(statements: Statement[], service: string | undefined): Statement[] {
  if (service === undefined || statements.length <= 2) return statements;
  let buckets = byService.get(statements);
  if (!buckets) {
    buckets = new Map();
    byService.set(statements, buckets);
  }
  let found = buckets.get(service);
  if (!found) {
    found = statements.filter((statement) => mayMatchService(statement, service));
    buckets.set(service, found);
  }
  return found;
}

/** Can the statement's Action/NotAction match some action of the (lowercase) service? */
function mayMatchService(statement: Statement, service: string): boolean {
  if (statement.NotAction || !statement.Action) return true;
  return statement.Action.some((entry) => {
    const colon = entry.indexOf(':');
    if (colon < 0) return true;
    const prefix = entry.slice(0, colon);
    return /[*?]/.test(prefix) || prefix.toLowerCase() === service;
  });
}

/** How a decision names a statement; kept for the shared (frozen) matches, which recur in every reason. */
const descriptions = new WeakMap<StatementMatch, string>();

function describe(m: StatementMatch): string {
  let text = descriptions.get(m);
  if (text === undefined) {
    text = `${m.policyName} (${m.policyKind}) statement ${m.statement}`;
    if (Object.isFrozen(m)) descriptions.set(m, text);
  }
  return text;
}

/** Conditions alike (operator, key, values) once: at the first one's place, the last one kept. */
function uniqueConditions(conditions: UndecidedCondition[]): UndecidedCondition[] {
  const out: UndecidedCondition[] = [];
  for (const c of conditions) {
    let at = -1;
    for (let i = 0; i < out.length && at < 0; i++) if (sameCondition(out[i] as UndecidedCondition, c)) at = i;
    if (at < 0) out.push(c);
    else out[at] = c;
  }
  return out;
}

/** Alike as their texts `operator NUL key NUL values joined by NUL` are, without making them. */
function sameCondition(a: UndecidedCondition, b: UndecidedCondition): boolean {
  if (a === b) return true;
  if (a.operator !== b.operator || a.key !== b.key) {
    return (hasNul(a) || hasNul(b)) && conditionText0(a) === conditionText0(b);
  }
  if (a.values.length === b.values.length) {
    let same = true;
    for (let i = 0; i < a.values.length && same; i++) same = a.values[i] === b.values[i];
    if (same) return true;
  }
  return a.values.join('\u0000') === b.values.join('\u0000');
}

function hasNul(c: UndecidedCondition): boolean {
  return c.operator.includes('\u0000') || c.key.includes('\u0000');
}

function conditionText0(c: UndecidedCondition): string {
  return `${c.operator}\u0000${c.key}\u0000${c.values.join('\u0000')}`;
}

function uniqueStatements(statements: StatementMatch[]): StatementMatch[] {
  if (statements.length <= 1) return statements;
  const seen = new Map<string, StatementMatch>();
  for (const s of statements)
    if (!seen.has(`${s.policyId}#${s.statement}`)) seen.set(`${s.policyId}#${s.statement}`, s);
  return [...seen.values()];
}

/**
 * The decision for one request, with the two refinements that need more than one evaluation:
 * keys the caller chooses are chosen (`choose`), and a request denied at the analysis time only
 * because an Allow has not started yet says from when it is allowed (`notYet`). Both evaluate the
 * same request again with other context values, reusing the first evaluation's scans where the
 * values they change are not read (`Earlier`).
 */
export function evaluate(request: Request, policies: PolicySet): Decision {
  const pending: number[] = [];
  const first: { scans?: Scans } = {};
  const once = evaluateOnce(request, policies, pending, undefined, first);
  const decision = choose(request, policies, once, first.scans);
  return decision.outcome === 'implicit-deny' && pending.length > 0
    ? notYet(request, policies, decision, pending, first.scans)
    : decision;
}

/** At most this many later instants are tried for a "not yet" decision. */
const MAX_LATER = 8;

/** The keys whose values move with the analysis time. */
const TIME_KEYS: ReadonlySet<string> = new Set(['aws:currenttime', 'aws:epochtime', 'aws:tokenissuetime']);

/**
 * Denied now, while an Allow's date condition starts later: the first of those instants at which
 * the request is allowed (or conditionally allowed) makes the decision "not yet, from DATE". It
 * stays an implicit deny: not a grant at the analysis time.
 */
function notYet(
  request: Request,
  policies: PolicySet,
  now: Decision,
  pending: number[],
  scans: Scans | undefined,
): Decision {
  const instants = [...new Set(pending)].sort((a, b) => a - b).slice(0, MAX_LATER);
  const earlier = scans ? { scans, changed: TIME_KEYS } : undefined;
  for (const t of instants) {
    const then = { ...request, asOf: new Date(t) };
    const again: { scans?: Scans } = {};
    const once = evaluateOnce(then, policies, [], earlier, again);
    const later = choose(then, policies, once, again.scans);
    if (later.outcome !== 'allow' && later.outcome !== 'conditional') continue;
    const from = new Date(t).toISOString();
    return { ...now, notBefore: from, reason: `not yet: from ${from}, ${later.reason}` };
  }
  return now;
}

/** At most this many combinations of caller-chosen values are tried. */
const MAX_CHOICES = 256;

/** A value no policy names, for "some other value". */
const OTHER_VALUE = 'reachgraph-other-value';

/**
 * A conditional decision that depends on keys the caller sets in the request
 * (condition-keys.ts: `aws:SecureTransport`, `aws:RequestTag/…`, `aws:TagKeys`…) is decided for
 * the caller's best choice: every combination of representative values (each value the policies
 * compare with, a witness of each pattern, some other value, the key left out) is evaluated, all
 * statements seeing the same request, and the most permissive outcome is kept with the values
 * that give it. A condition no value satisfies (or conditions of one request that contradict each
 * other) therefore grants nothing; a Deny some value escapes does not apply.
 */
function choose(request: Request, policies: PolicySet, first: Decision, scans: Scans | undefined): Decision {
  if (first.outcome !== 'conditional') return first;
  let given: Set<string> | undefined;
  let byKey: Map<string, UndecidedCondition[]> | undefined;
  for (const c of first.conditions) {
    if (CONDITION_ELEMENTS.has(c.operator) || !isAttackerChosen(c.key)) continue;
    given ??= new Set(Object.keys(request.context ?? {}).map((k) => k.toLowerCase()));
    const lower = lowerCased(c.key);
    if (given.has(lower)) continue;
    byKey ??= new Map();
    const list = byKey.get(lower);
    if (list) list.push(c);
    else byKey.set(lower, [c]);
  }
  if (!byKey) return first;
  const options: ChoiceOption[] = [];
  let count = 1;
  for (const [key, conditions] of byKey) {
    const values = representativeValues(conditions, conditionKey(key)?.always === true);
    options.push({ key: conditions[0]?.key ?? key, values });
    count *= values.length;
  }
  if (count > MAX_CHOICES) return first;
  const earlier = scans ? { scans, changed: new Set(byKey.keys()) } : undefined;
  let best: { decision: Decision; chosen: ContextValues } | undefined;
  // Every combination, the first option's value changing fastest; keys in the options' order.
  const at = new Array<number>(options.length).fill(0);
  for (let n = 0; n < count; n++) {
    const chosen: ContextValues = {};
    for (let i = 0; i < options.length; i++) {
      const option = options[i] as ChoiceOption;
      chosen[option.key] = option.values[at[i] as number] as string[] | null;
    }
    const decision = evaluateOnce(withContext(request, chosen), policies, [], earlier);
    if (!best || better(decision, best.decision)) best = { decision, chosen };
    if (decision.outcome === 'allow') break;
    for (let i = 0; i < at.length; i++) {
      at[i] = (at[i] as number) + 1;
      if ((at[i] as number) < (options[i] as ChoiceOption).values.length) break;
      at[i] = 0;
    }
  }
  if (!best) return first;
  const { decision, chosen } = best;
  const text = Object.entries(chosen)
    .map(([key, values]) => `${key} ${values === null ? 'left out' : `= ${JSON.stringify(values)}`}`)
    .join(', ');
  if (decision.outcome === 'allow' || decision.outcome === 'conditional')
    return { ...fieldsOf(decision, `${decision.reason} (the caller sends ${text})`), chosen };
  return fieldsOf(
    decision,
    `${decision.reason} (whatever the caller sends as ${options.map((o) => o.key).join(', ')})`,
  );
}

/**
 * The request with the chosen values added to its context. Built field by field: object spread
 * is the costliest step of a choice, made once per decision of most conditional requests.
 */
function withContext(request: Request, chosen: ContextValues): Request {
  let context = chosen;
  if (request.context) {
    context = {};
    for (const key in request.context) context[key] = request.context[key] as string[] | null;
    for (const key in chosen) context[key] = chosen[key] as string[] | null;
  }
  const out: Request = {
    principal: request.principal,
    action: request.action,
    resource: request.resource,
    context,
  };
  if (request.asOf !== undefined) out.asOf = request.asOf;
  return out;
}

/** A decision of `evaluateOnce` (which sets neither `notBefore` nor `chosen`) with another reason. */
function fieldsOf(decision: Decision, reason: string): Decision {
  return {
    outcome: decision.outcome,
    allowedBy: decision.allowedBy,
    deniedBy: decision.deniedBy,
    conditions: decision.conditions,
    reason,
    warnings: decision.warnings,
  };
}

interface ChoiceOption {
  key: string;
  values: (string[] | null)[];
}

/** Undecided parts that are statement elements, not Condition keys. */
const CONDITION_ELEMENTS = new Set(['Resource', 'NotResource', 'Principal', 'NotPrincipal']);

const RANK: Record<Decision['outcome'], number> = {
  allow: 3,
  conditional: 2,
  'implicit-deny': 1,
  'explicit-deny': 0,
};

function better(a: Decision, b: Decision): boolean {
  if (RANK[a.outcome] !== RANK[b.outcome]) return RANK[a.outcome] > RANK[b.outcome];
  return a.conditions.length < b.conditions.length;
}

/**
 * The values worth trying for one caller-chosen key: the key left out (unless every request has
 * it), each value the conditions
 * name (a pattern's shortest match), neighbours of numbers, some other value; for a multi-valued
 * key (a `ForAllValues:`/`ForAnyValue:` condition) also every named value at once.
 */
function representativeValues(conditions: UndecidedCondition[], always: boolean): (string[] | null)[] {
  const named = new Set<string>();
  let multi = false;
  for (const c of conditions) {
    if (/^for(all|any)value/i.test(c.operator)) multi = true;
    for (const value of c.values) {
      if (value.includes('${')) continue;
      named.add(value.replace(/\*/g, '').replace(/\?/g, 'x'));
      const n = Number(value);
      if (value.trim() !== '' && Number.isFinite(n))
        for (const near of [n - 1, n + 1]) named.add(String(near));
      if (/^(true|false)$/i.test(value)) for (const b of ['true', 'false']) named.add(b);
    }
  }
  named.add(OTHER_VALUE);
  const values: (string[] | null)[] = [...(always ? [] : [null]), ...[...named].map((v) => [v])];
  if (multi && named.size > 2) values.push([...named].filter((v) => v !== OTHER_VALUE));
  return values;
}

/** What the layers' scans add up to: their denies, warnings (each once) and pending instants. */
interface Gathered {
  denies: Hit[];
  found: Set<string> | undefined;
  pending: number[];
}

function gather(part: Scan | undefined, into: Gathered): void {
  if (!part || part === EMPTY_SCAN) return;
  for (const t of part.pending) into.pending.push(t);
  if (part.denies.length > 0)
    into.denies = into.denies === NO_HITS ? part.denies : into.denies.concat(part.denies);
  if (part.warnings.length > 0) {
    into.found ??= new Set();
    for (const w of part.warnings) into.found.add(w);
  }
}

/** One policy as a list of one, the same array each time (scans take lists). */
const singles = new WeakMap<NamedPolicy, NamedPolicy[]>();

function single(policy: NamedPolicy): NamedPolicy[] {
  let list = singles.get(policy);
  if (!list) {
    list = [policy];
    singles.set(policy, list);
  }
  return list;
}

/**
 * One evaluation of the request. `earlier`: the scans of an evaluation of the same request whose
 * context differed only in `earlier.changed`; `out` receives this evaluation's scans.
 */
function evaluateOnce(
  request: Request,
  policies: PolicySet,
  pendingOut: number[],
  earlier?: Earlier,
  out?: { scans?: Scans },
): Decision {
  const context = new RequestContext(request);
  const { principal } = request;

  const isIamPrincipal = principal.kind === 'user' || principal.kind === 'role' || principal.kind === 'root';
  const hasBoundary = policies.permissionsBoundary !== undefined;
  const serviceLinked = principal.serviceLinked === true;

  // SCPs restrict IAM principals of member accounts, never service-linked roles; the caller
  // leaves them out for the management account.
  // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
  const scpLevels =
    isIamPrincipal && !serviceLinked ? (policies.serviceControlPolicies ?? NO_LEVELS) : NO_LEVELS;
  // RCPs restrict requests to resources of supported services, not service-linked roles.
  // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
  const colon = request.action.indexOf(':');
  const service = colon < 0 ? request.action : request.action.slice(0, colon);
  const rcpApplies = !serviceLinked && (!isCatalogLoaded() || supportsResourceControlPolicies(service));
  const rcpLevels = rcpApplies ? (policies.resourceControlPolicies ?? NO_LEVELS) : NO_LEVELS;

  // Statements are filtered by the lowercase service prefix (undefined without one).
  const prefix = colon < 0 ? undefined : lowerCased(service);
  const was = earlier?.scans;
  const changed = earlier?.changed;
  const identity = rescan(policies.identityPolicies, context, prefix, hasBoundary, was?.identity, changed);
  const boundary = policies.permissionsBoundary
    ? rescan(single(policies.permissionsBoundary), context, prefix, hasBoundary, was?.boundary, changed)
    : undefined;
  const session = policies.sessionPolicies
    ? rescan(policies.sessionPolicies, context, prefix, hasBoundary, was?.session, changed)
    : undefined;
  const resource = policies.resourcePolicy
    ? rescan(single(policies.resourcePolicy), context, prefix, hasBoundary, was?.resource, changed)
    : undefined;
  let scps = NO_SCANS;
  if (scpLevels.length > 0) {
    scps = [];
    for (let i = 0; i < scpLevels.length; i++)
      scps.push(rescan(scpLevels[i] as NamedPolicy[], context, prefix, hasBoundary, was?.scps[i], changed));
  }
  let rcps = NO_SCANS;
  if (rcpLevels.length > 0) {
    rcps = [];
    for (let i = 0; i < rcpLevels.length; i++)
      rcps.push(rescan(rcpLevels[i] as NamedPolicy[], context, prefix, hasBoundary, was?.rcps[i], changed));
  }
  if (out) out.scans = { identity, boundary, session, resource, scps, rcps };

  // Pending instants, denies and warnings, layer by layer in this order.
  const unknownService = unknownServiceWarning(request.action);
  const gathered: Gathered = {
    denies: NO_HITS,
    found: unknownService ? new Set([unknownService]) : undefined,
    pending: pendingOut,
  };
  gather(identity, gathered);
  gather(boundary, gathered);
  gather(session, gathered);
  gather(resource, gathered);
  for (const part of scps) gather(part, gathered);
  for (const part of rcps) gather(part, gathered);
  const { denies, found } = gathered;

  // 1. Explicit deny.
  const hardDeny = denies.find((d) => d.match.conditions.length === 0);
  const warnings = found ? [...found] : [];
  if (hardDeny) {
    return {
      outcome: 'explicit-deny',
      allowedBy: [],
      deniedBy: denies.filter((d) => d.match.conditions.length === 0).map((d) => d.match),
      conditions: [],
      reason: `explicitly denied by ${describe(hardDeny.match)}`,
      warnings,
    };
  }
  const softDenies = denies.map((d) => d.match);

  // 2. Organization guardrails: each level must allow.
  const scpTerm = scps.length === 0 ? YES : and(...scps.map((s) => anyOf(s.allows)));
  const rcpTerm = rcps.length === 0 ? YES : and(...rcps.map((s) => anyOf(s.allows)));

  // 3–5. Identity side and resource side.
  const boundaryTerm = boundary ? anyOf(boundary.allows) : YES;
  const sessionTerm = session ? anyOf(session.allows) : YES;
  const limits = and(boundaryTerm, sessionTerm);
  // The root user has every permission in its own account; identity policies cannot be attached to it.
  const identityAllow = principal.kind === 'root' ? YES : anyOf(identity.allows);
  const resourceAllows = resource?.allows ?? NO_HITS;

  const principalAccount = principal.accountId;
  const resourceAccount = context.get('aws:ResourceAccount')?.[0];
  const crossAccount =
    isIamPrincipal &&
    principalAccount !== undefined &&
    resourceAccount !== undefined &&
    principalAccount !== resourceAccount;

  let core: Term;
  let shape: string;
  if (!isIamPrincipal) {
    // Services, federated and anonymous callers have no identity policies: the resource policy decides.
    core = anyOf(resourceAllows);
    shape = 'resource policy';
  } else if (crossAccount) {
    core = and(identityAllow, limits, anyOf(resourceAllows));
    shape = 'cross-account';
  } else if (policies.resourcePolicyRequired) {
    const viaAccount = and(naming(resourceAllows, ACCOUNT), identityAllow);
    core = or(naming(resourceAllows, DIRECT), and(or(viaAccount, naming(resourceAllows, ROLE)), limits));
    shape = 'required resource policy';
  } else {
    core = or(naming(resourceAllows, DIRECT), and(or(identityAllow, naming(resourceAllows, ROLE)), limits));
    shape = 'same account';
  }
  if (policies.resourcePolicyRequired && !policies.resourcePolicy) core = NO;

  const allow = and(core, scpTerm, rcpTerm);
  if (allow.state === 'no') {
    return {
      outcome: 'implicit-deny',
      allowedBy: [],
      deniedBy: softDenies,
      conditions: [],
      reason: implicitDenyReason(request, policies, {
        identityAllow,
        boundaryTerm,
        sessionTerm,
        resourceAllows,
        scps,
        rcps,
        scpTerm,
        rcpTerm,
        shape,
        crossAccount,
      }),
      warnings,
    };
  }

  // Guardrail Allows are evidence only when they are conditional.
  const allowedBy = uniqueStatements(
    allow.statements.filter(
      (s) => (s.policyKind !== 'scp' && s.policyKind !== 'rcp') || s.conditions.length > 0,
    ),
  );
  if (allow.state === 'yes' && softDenies.length === 0) {
    return {
      outcome: 'allow',
      allowedBy,
      deniedBy: [],
      conditions: [],
      reason: allowedByText(allowedBy),
      warnings,
    };
  }
  const conditions = uniqueConditions([...allow.conditions, ...softDenies.flatMap((d) => d.conditions)]);
  const parts = [];
  if (allow.state === 'maybe') parts.push(`if ${conditionText(allow.conditions)}`);
  if (softDenies.length > 0)
    parts.push(
      `unless ${softDenies.map((d) => `${describe(d)} [${conditionText(d.conditions)}]`).join(', ')}`,
    );
  return {
    outcome: 'conditional',
    allowedBy,
    deniedBy: softDenies,
    conditions,
    reason: `${allowedByText(allowedBy)} ${parts.join(', ')}`,
    warnings,
  };
}

/** How resource-policy Allows must name the requester to count on their own, via its role, via its account. */
const DIRECT: readonly (PrincipalMatch | undefined)[] = ['direct', 'session-unknown', undefined];
const ROLE: readonly (PrincipalMatch | undefined)[] = ['role'];
const ACCOUNT: readonly (PrincipalMatch | undefined)[] = ['account'];

/** The resource policy's Allows naming the requester in one of these ways, as one term. */
function naming(hits: Hit[], kinds: readonly (PrincipalMatch | undefined)[]): Term {
  if (hits.length === 0) return NO;
  let found: Hit[] | undefined;
  for (const hit of hits)
    if (kinds.includes(hit.principal)) {
      found ??= [];
      found.push(hit);
    }
  return found ? anyOf(found) : NO;
}

/** "allowed by …": one string per shared statement when it alone allows (the usual case). */
const allowedByTexts = new WeakMap<StatementMatch, string>();

function allowedByText(allowedBy: StatementMatch[]): string {
  const [only] = allowedBy;
  if (allowedBy.length !== 1 || !only || !Object.isFrozen(only))
    return `allowed by ${allowedBy.map(describe).join(' and ')}`;
  let text = allowedByTexts.get(only);
  if (text === undefined) {
    text = `allowed by ${describe(only)}`;
    allowedByTexts.set(only, text);
  }
  return text;
}

function conditionText(conditions: UndecidedCondition[]): string {
  return uniqueConditions(conditions)
    .map((c) => `${c.operator} ${c.key} ${JSON.stringify(c.values)}`)
    .join(' and ');
}

interface DenyFacts {
  identityAllow: Term;
  boundaryTerm: Term;
  sessionTerm: Term;
  resourceAllows: Hit[];
  scps: Scan[];
  rcps: Scan[];
  scpTerm: Term;
  rcpTerm: Term;
  shape: string;
  crossAccount: boolean;
}

/** Which requirement failed, in words. */
function implicitDenyReason(request: Request, policies: PolicySet, f: DenyFacts): string {
  const what = `${request.action} on ${request.resource.arn}`;
  if (f.scpTerm.state === 'no') {
    const level = f.scps.findIndex((s) => anyOf(s.allows).state === 'no');
    return `no service control policy at level ${level} of the account's path allows ${what}`;
  }
  if (f.rcpTerm.state === 'no') {
    const level = f.rcps.findIndex((s) => anyOf(s.allows).state === 'no');
    return `no resource control policy at level ${level} of the resource account's path allows ${what}`;
  }
  if (policies.resourcePolicyRequired && (!policies.resourcePolicy || f.resourceAllows.length === 0)) {
    return `${policies.resourcePolicy?.name ?? 'the resource policy'} does not allow ${request.principal.arn} to ${what} (it must, even within one account)`;
  }
  if (f.crossAccount && f.resourceAllows.length === 0) {
    return `cross-account ${what}: ${policies.resourcePolicy ? `${policies.resourcePolicy.name} does not allow it` : 'the resource has no resource policy'}`;
  }
  if (f.identityAllow.state === 'no' && f.resourceAllows.length === 0) {
    return `no identity or resource policy allows ${what}`;
  }
  if (f.boundaryTerm.state === 'no') {
    return `the permissions boundary ${policies.permissionsBoundary?.name ?? ''} does not allow ${what}`;
  }
  if (f.sessionTerm.state === 'no') return `no session policy allows ${what}`;
  if (f.crossAccount) return `cross-account ${what}: the identity side does not allow it`;
  return `no applicable Allow for ${what} (${f.shape})`;
}
