import type { Statement } from '../../../model/aws/policy.js';
import { conditionBlockStarts, evaluateConditionBlock } from './conditions.js';
import { RequestContext } from './context.js';
import { notPrincipalExcludes, type PrincipalMatch, principalMatch } from './principal.js';
import type { Request, UndecidedCondition } from './types.js';
import { resolveMarked } from './variables.js';
import { anyGlobMatcher, arnMatches, lowerCased } from './wildcard.js';

/**
 * Does one statement apply to one request? Action/NotAction, Resource/NotResource (after policy
 * variables), Principal/NotPrincipal and Condition, each three-valued: a part that depends on
 * something unknown offline makes the statement `conditional` and says what it depends on.
 */

export interface StatementEvaluation {
  applies: 'yes' | 'no' | 'conditional';
  /** What the statement depends on when `conditional`. */
  conditions: UndecidedCondition[];
  /** How the Principal/NotPrincipal element names the requester; `undefined` when the statement has neither. */
  principal?: PrincipalMatch;
  /**
   * When it does not apply only because a date condition has not started yet: the instant
   * (epoch milliseconds) from which it applies, or applies conditionally.
   */
  notBefore?: number;
  warnings: string[];
}

export interface StatementOptions {
  /** Policy variables apply (the document's Version is 2012-10-17). Default true. */
  variables?: boolean;
  /** The requester has a permissions boundary (a NotPrincipal Deny then always applies to it). */
  hasPermissionsBoundary?: boolean;
}

/** Action/NotAction against one action, case-insensitively. A statement with neither matches nothing. */
export function statementMatchesAction(statement: Statement, action: string): boolean {
  if (statement.Action) return actionListMatches(statement.Action, action);
  if (statement.NotAction) return !actionListMatches(statement.NotAction, action);
  return false;
}

/** Each Action list compiled once into one case-insensitive matcher (the hot path of evaluation). */
const actionListCache = new WeakMap<string[], (action: string) => boolean>();

function actionListMatches(patterns: string[], action: string): boolean {
  let matcher = actionListCache.get(patterns);
  if (!matcher) {
    matcher = compileActionList(patterns);
    actionListCache.set(patterns, matcher);
  }
  return matcher(action);
}

function compileActionList(patterns: string[]): (action: string) => boolean {
  if (patterns.includes('*')) return () => true;
  const exact = new Set(
    patterns.filter((p) => !p.includes('*') && !p.includes('?')).map((p) => p.toLowerCase()),
  );
  const wild = patterns.filter((p) => p.includes('*') || p.includes('?'));
  if (wild.length === 0) return (action) => exact.has(lowerCased(action));
  // The wildcard entries compiled once: what `actionMatches` does entry by entry.
  const anyWild = anyGlobMatcher(wild);
  return (action) => exact.has(lowerCased(action)) || anyWild(action);
}

const NOTHING: StatementEvaluation = Object.freeze({
  applies: 'no',
  conditions: [],
  warnings: [],
}) as StatementEvaluation;
/** Applies, unconditionally, with no Principal element: the common answer, one shared object. */
const APPLIES: StatementEvaluation = Object.freeze({
  applies: 'yes',
  conditions: Object.freeze([]) as unknown as UndecidedCondition[],
  warnings: Object.freeze([]) as unknown as string[],
}) as StatementEvaluation;
const NO = (warnings: string[] | undefined): StatementEvaluation =>
  !warnings || warnings.length === 0 ? NOTHING : { applies: 'no', conditions: [], warnings };

export function evaluateStatement(
  statement: Statement,
  request: Request | RequestContext,
  options: StatementOptions = {},
): StatementEvaluation {
  const context = request instanceof RequestContext ? request : new RequestContext(request);
  const { action, resource, principal } = context.request;
  if (!statementMatchesAction(statement, action)) return NOTHING;

  // Made on the first entry: most statements that apply add neither.
  let warnings: string[] | undefined;
  let conditions: UndecidedCondition[] | undefined;
  const variables = options.variables ?? true;

  const patterns = statement.Resource ?? statement.NotResource;
  if (patterns) {
    let matched = false;
    let undecided: UndecidedCondition[] | undefined;
    for (const pattern of patterns) {
      // A pattern without a variable is its own text: no resolution to look up.
      if (!variables || !pattern.includes('${')) {
        if (arnMatches(pattern, resource.arn)) {
          matched = true;
          break;
        }
        continue;
      }
      const resolved = resolveMarked(pattern, context);
      if (resolved.ok) {
        if (arnMatches(resolved.text, resource.arn)) {
          matched = true;
          break;
        }
      } else if ('unknown' in resolved) {
        undecided ??= [];
        undecided.push({
          operator: statement.Resource ? 'Resource' : 'NotResource',
          key: resolved.unknown,
          values: [pattern],
        });
      } else if (statement.Resource) {
        warnings ??= [];
        warnings.push(
          `Resource "${pattern}": variable ${resolved.absent} is absent, the entry matches nothing`,
        );
      } else {
        // An entry that cannot be resolved cannot show the resource is outside the NotResource
        // list, so the statement does not apply (rather than applying to everything).
        warnings ??= [];
        warnings.push(
          `NotResource "${pattern}": variable ${resolved.absent} is absent, the statement does not apply`,
        );
        return NO(warnings);
      }
    }
    const inList = matched ? 'yes' : undecided ? 'maybe' : 'no';
    const applies = statement.Resource ? inList : inList === 'yes' ? 'no' : inList === 'no' ? 'yes' : 'maybe';
    if (applies === 'no') return NO(warnings);
    if (applies === 'maybe' && undecided) conditions = undecided;
  }

  let match: PrincipalMatch | undefined;
  if (statement.Principal) {
    match = principalMatch(statement.Principal, principal);
    if (match === 'none') return NO(warnings);
    if (match === 'session-unknown') {
      const sessions = (statement.Principal === '*' ? [] : (statement.Principal.AWS ?? [])).filter((v) =>
        v.includes(':assumed-role/'),
      );
      conditions ??= [];
      conditions.push({ operator: 'Principal', key: 'sts:RoleSessionName', values: sessions });
    }
  } else if (statement.NotPrincipal) {
    const boundaryOverrides = statement.Effect === 'Deny' && options.hasPermissionsBoundary === true;
    const excluded = boundaryOverrides ? false : notPrincipalExcludes(statement.NotPrincipal, principal);
    if (excluded === true) return NO(warnings);
    if (excluded === undefined) {
      const listed = statement.NotPrincipal === '*' ? ['*'] : (statement.NotPrincipal.AWS ?? []);
      conditions ??= [];
      conditions.push({ operator: 'NotPrincipal', key: 'sts:RoleSessionName', values: listed });
    }
    match = 'direct';
  }

  if (statement.Condition) {
    const outcome = evaluateConditionBlock(statement.Condition, context, variables);
    if (outcome.warnings.length > 0) {
      warnings ??= [];
      warnings.push(...outcome.warnings);
    }
    if (outcome.result === 'false') {
      const from = conditionBlockStarts(statement.Condition, context, variables);
      return from === undefined
        ? NO(warnings)
        : { applies: 'no', conditions: [], warnings: warnings ?? [], notBefore: from };
    }
    if (outcome.undecided.length > 0) {
      conditions ??= [];
      conditions.push(...outcome.undecided);
    }
  }

  if (!conditions && !warnings && match === undefined) return APPLIES;
  const result: StatementEvaluation = {
    applies: conditions ? 'conditional' : 'yes',
    conditions: conditions ?? [],
    warnings: warnings ?? [],
  };
  if (match !== undefined) result.principal = match;
  return result;
}
