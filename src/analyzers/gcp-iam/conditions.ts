import { type ASTNode, parse } from '@marcbachmann/cel-js';

/**
 * IAM conditions are CEL expressions (https://cloud.google.com/iam/docs/conditions-overview). The
 * analysis decides what the collected facts decide and nothing else, in three values: `true`,
 * `false`, or `undecided`. Known offline: `request.time` (the analysis time), and `resource.name`,
 * `resource.type`, `resource.service` when the resource asked about is known
 * (https://cloud.google.com/iam/docs/conditions-attribute-reference). Everything else (other
 * attributes, functions such as `matchTag`, `matches`, `extract`, time zones) is undecided, and CEL's
 * logic is kept: `false && x` is false and `true || x` true whatever `x` is; otherwise the whole
 * condition is undecided and the grant conditional — never silently granted or dropped.
 */

export type ConditionValue = boolean | 'undecided';

export interface ConditionFacts {
  /** The time the analysis is made as of (`request.time`). */
  asOf: Date;
  /** The resource the permission is checked on, when it is one whose name conditions can see. */
  resource?: { name: string; type: string; service: string };
  /**
   * Other top-level names and the fields known of them: a workload identity provider's
   * `attributeCondition` sees `assertion`, `attribute` and `google`
   * (https://cloud.google.com/iam/docs/workload-identity-federation#conditions). A field not listed
   * is undecided.
   */
  names?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** A top-level name of `ConditionFacts.names`. */
class Namespace {
  constructor(readonly fields: Readonly<Record<string, string>>) {}
}

const UNKNOWN = Symbol('undecided');
const REQUEST = Symbol('request');
const RESOURCE = Symbol('resource');
type Value =
  | string
  | number
  | bigint
  | boolean
  | Date
  | Value[]
  | typeof UNKNOWN
  | typeof REQUEST
  | typeof RESOURCE
  | Namespace
  | null;

/** A condition that does not parse: the binding is reported and its grant kept conditional. */
export class MalformedCondition extends Error {}

const parsed = new Map<string, ASTNode>();

function astOf(expression: string): ASTNode {
  const cached = parsed.get(expression);
  if (cached) return cached;
  let ast: ASTNode;
  try {
    ast = parse(expression).ast;
  } catch (error) {
    throw new MalformedCondition(`malformed CEL condition: ${(error as Error).message.split('\n')[0]}`);
  }
  parsed.set(expression, ast);
  return ast;
}

/** Throws `MalformedCondition` when the expression does not parse. */
export function decideCondition(expression: string, facts: ConditionFacts): ConditionValue {
  const value = evaluate(astOf(expression), facts);
  return typeof value === 'boolean' ? value : 'undecided';
}

function evaluate(node: ASTNode, facts: ConditionFacts): Value {
  switch (node.op) {
    case 'value': {
      const v = node.args;
      return typeof v === 'string' ||
        typeof v === 'number' ||
        typeof v === 'bigint' ||
        typeof v === 'boolean' ||
        v === null
        ? v
        : UNKNOWN;
    }
    case 'id': {
      if (node.args === 'request') return REQUEST;
      if (node.args === 'resource') return RESOURCE;
      const fields = facts.names?.[node.args];
      return fields ? new Namespace(fields) : UNKNOWN;
    }
    case '.': {
      const [base, field] = node.args;
      const of = evaluate(base, facts);
      if (of instanceof Namespace)
        return Object.hasOwn(of.fields, field) ? (of.fields[field] as string) : UNKNOWN;
      if (of === REQUEST && field === 'time') return facts.asOf;
      if (of === RESOURCE && facts.resource && (field === 'name' || field === 'type' || field === 'service'))
        return facts.resource[field];
      return UNKNOWN;
    }
    case 'call': {
      const [name, args] = node.args;
      if (name === 'timestamp' && args.length === 1) {
        const text = evaluate(args[0] as ASTNode, facts);
        if (typeof text !== 'string') return UNKNOWN;
        const time = new Date(text);
        if (Number.isNaN(time.getTime()))
          throw new MalformedCondition(`timestamp(${JSON.stringify(text)}) is not an RFC 3339 time`);
        return time;
      }
      return UNKNOWN;
    }
    case 'rcall': {
      const [name, receiver, args] = node.args;
      const on = evaluate(receiver, facts);
      const arg = args.length === 1 ? evaluate(args[0] as ASTNode, facts) : UNKNOWN;
      if (typeof on !== 'string' || typeof arg !== 'string') return UNKNOWN;
      if (name === 'startsWith') return on.startsWith(arg);
      if (name === 'endsWith') return on.endsWith(arg);
      if (name === 'contains') return on.includes(arg);
      return UNKNOWN;
    }
    case '&&': {
      const [a, b] = pair(node.args, facts);
      if (a === false || b === false) return false;
      return a === true && b === true ? true : UNKNOWN;
    }
    case '||': {
      const [a, b] = pair(node.args, facts);
      if (a === true || b === true) return true;
      return a === false && b === false ? false : UNKNOWN;
    }
    case '!_': {
      const v = evaluate(node.args, facts);
      return typeof v === 'boolean' ? !v : UNKNOWN;
    }
    case '?:': {
      const [test, yes, no] = node.args;
      const t = evaluate(test, facts);
      if (t === true) return evaluate(yes, facts);
      if (t === false) return evaluate(no, facts);
      return UNKNOWN;
    }
    case 'list': {
      const items = node.args.map((n) => evaluate(n, facts));
      return items.every(known) ? items : UNKNOWN;
    }
    case 'in': {
      const [item, collection] = pair(node.args, facts);
      if (!known(item) || !Array.isArray(collection)) return UNKNOWN;
      return collection.some((c) => equal(c, item));
    }
    case '==':
    case '!=': {
      const [a, b] = pair(node.args, facts);
      if (!known(a) || !known(b)) return UNKNOWN;
      return equal(a, b) === (node.op === '==');
    }
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const [a, b] = pair(node.args, facts);
      const x = comparable(a);
      const y = comparable(b);
      if (x === undefined || y === undefined || typeof x !== typeof y) return UNKNOWN;
      if (node.op === '<') return x < y;
      if (node.op === '<=') return x <= y;
      if (node.op === '>') return x > y;
      return x >= y;
    }
    default:
      return UNKNOWN;
  }
}

function pair(args: readonly [ASTNode, ASTNode], facts: ConditionFacts): [Value, Value] {
  return [evaluate(args[0], facts), evaluate(args[1], facts)];
}

function known(v: Value): boolean {
  return v !== UNKNOWN && v !== REQUEST && v !== RESOURCE && !(v instanceof Namespace);
}

function comparable(v: Value): number | string | undefined {
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'bigint') return Number(v);
  return undefined;
}

function equal(a: Value, b: Value): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => equal(x, b[i] as Value));
  if (typeof a === 'bigint' || typeof b === 'bigint') return Number(a) === Number(b);
  return a === b;
}
