import { ReachgraphError } from '../../errors.js';
import type { CollectionIssue, Tags } from '../../model/aws/environment.js';
import { type NodeKind, nodeKind } from '../../model/node-kinds.js';
import {
  type AwsRawScope,
  CREDENTIAL_REPORT,
  parseDocumentName,
  perResource,
  REGION_PATTERN,
  regional,
} from './raw.js';

/**
 * Typed, forgiving access to the AWS CLI documents of one scope. Unknown fields are ignored (AWS
 * adds fields); a required field of the wrong type is a `ShapeError` that the caller turns into
 * an issue naming the file and the object, skipping only that object.
 */

export type Obj = Record<string, unknown>;

export class ShapeError extends ReachgraphError {
  constructor(message: string) {
    super(message);
    this.name = 'ShapeError';
  }
}

export function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${quoted(value)}`;
  return `${typeof value} ${clip(String(value))}`;
}

/** The longest value an issue repeats from the input: a 1 MB ARN must not make a 1 MB message. */
export const MAX_SHOWN_VALUE = 200;

/** `text`, cut to `MAX_SHOWN_VALUE` characters with the full length said. */
export function clip(text: string): string {
  return text.length <= MAX_SHOWN_VALUE
    ? text
    : `${text.slice(0, MAX_SHOWN_VALUE)}… (${text.length} characters)`;
}

/** A value from the input as a JSON string, clipped. */
export function quoted(value: string): string {
  return clip(JSON.stringify(value));
}

/**
 * An ARN of a `kind` node that belongs to the account being read: it must match the kind's id
 * format (src/model/node-kinds.ts, which the inventory checks too) and name that account (or no
 * account, as S3 bucket ARNs, or `aws`, as AWS managed policies). A file copied from another
 * account's folder is thereby caught object by object instead of loading into the wrong scope.
 */
export function checkOwnArn(arn: string, kind: NodeKind, accountId: string, what: string): string {
  const spec = nodeKind(kind);
  if (spec && !spec.idPattern.test(arn)) {
    throw new ShapeError(`${what} ${quoted(arn)} is not an ARN of the form ${spec.idFormat}`);
  }
  const account = arn.split(':')[4];
  if (account !== undefined && account !== '' && account !== 'aws' && account !== accountId) {
    throw new ShapeError(
      `${what} ${quoted(arn)} belongs to account ${account}, not to account ${accountId} whose folder it is in`,
    );
  }
  return arn;
}

/** A string field holding an ARN of the account being read (`checkOwnArn`). */
export function ownArn(o: Obj, key: string, kind: NodeKind, accountId: string): string {
  return checkOwnArn(str(o, key), kind, accountId, key);
}

export function obj(value: unknown, what: string): Obj {
  if (!isObj(value)) throw new ShapeError(`${what} must be an object, got ${describe(value)}`);
  return value;
}

export function str(o: Obj, key: string): string {
  const value = o[key];
  if (typeof value !== 'string' || value === '') {
    throw new ShapeError(`${key} must be a non-empty string, got ${describe(value)}`);
  }
  return value;
}

export function optStr(o: Obj, key: string): string | undefined {
  const value = o[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ShapeError(`${key} must be a string, got ${describe(value)}`);
  return value;
}

/**
 * A timestamp, written one way whatever wrote it: the AWS CLI prints the service's text
 * (`2024-01-10T09:05:00+00:00`), the SDK a millisecond ISO date. Both become `toISOString()`, so a
 * snapshot and a live collection give the same environment.
 */
export function optDate(o: Obj, key: string): string | undefined {
  const value = optStr(o, key);
  return value === undefined ? undefined : isoDate(value, key);
}

export function isoDate(value: string, key: string): string {
  // Date.parse truncates a fraction past milliseconds; the SDK rounds it. Round, as the SDK does.
  const [, whole = value, fraction = '', zone = ''] =
    /^(.*T\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:?\d\d)?$/.exec(value) ?? [];
  const time = Date.parse(`${whole}${zone}`);
  if (Number.isNaN(time)) throw new ShapeError(`${key} must be a date, got ${quoted(value)}`);
  return new Date(time + (fraction ? Math.round(Number(fraction) * 1000) : 0)).toISOString();
}

export function optNum(o: Obj, key: string): number | undefined {
  const value = o[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number') throw new ShapeError(`${key} must be a number, got ${describe(value)}`);
  return value;
}

export function optBool(o: Obj, key: string): boolean | undefined {
  const value = o[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw new ShapeError(`${key} must be a boolean, got ${describe(value)}`);
  return value;
}

/** An array field; absent is empty. */
export function arr(o: Obj, key: string): unknown[] {
  const value = o[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ShapeError(`${key} must be an array, got ${describe(value)}`);
  return value;
}

/**
 * A list the document must have: absent or null is an error, not "none". An empty list is a
 * claim that there is nothing, on which cleanup deletes what an earlier run saw.
 */
export function requiredArr(o: Obj, key: string): unknown[] {
  const value = o[key];
  if (!Array.isArray(value)) {
    throw new ShapeError(`${key} must be a list (it is required), got ${describe(value)}`);
  }
  return value;
}

export function strings(o: Obj, key: string): string[] {
  return arr(o, key).map((item, i) => {
    if (typeof item !== 'string')
      throw new ShapeError(`${key}[${i}] must be a string, got ${describe(item)}`);
    return item;
  });
}

/**
 * Tags in any of the shapes AWS uses: `[{Key, Value}]` (IAM, EC2, S3, RDS…), `[{TagKey, TagValue}]`
 * (KMS), `[{key, value}]` (CodeBuild, ECS) or a `{key: value}` map (Lambda).
 */
export function tags(o: Obj, key: string): Tags {
  const value = o[key];
  if (value === undefined || value === null) return {};
  const out: Tags = {};
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      const tag = obj(item, `${key}[${i}]`);
      const k = tag.Key ?? tag.TagKey ?? tag.key;
      const v = tag.Value ?? tag.TagValue ?? tag.value ?? '';
      if (typeof k !== 'string' || typeof v !== 'string') {
        throw new ShapeError(`${key}[${i}] must have a string key and value`);
      }
      out[k] = v;
    });
    return out;
  }
  if (isObj(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (typeof v !== 'string')
        throw new ShapeError(`${key}.${clip(k)} must be a string, got ${describe(v)}`);
      out[k] = v;
    }
    return out;
  }
  throw new ShapeError(`${key} must be a list of tags or a map, got ${describe(value)}`);
}

/** The documents, issues and collected-flags of one scope (an account or the organization). */
export class ScopeReader {
  readonly issues: CollectionIssue[] = [];
  readonly collected: Record<string, boolean> = {};
  /** Region folders present, plus `undefined` for regional files at the top of the scope folder. */
  readonly regions: (string | undefined)[];

  constructor(
    private readonly scope: AwsRawScope,
    /** The scope folder as docs name it: `aws/111122223333`, `aws/organization`. */
    readonly folder: string,
  ) {
    const found = new Set<string>();
    for (const name of [...Object.keys(scope.documents), ...Object.keys(scope.errors), ...scope.ran]) {
      const first = name.split('/')[0] ?? '';
      if (REGION_PATTERN.test(first)) found.add(first);
    }
    this.regions = [undefined, ...[...found].sort()];
  }

  /** The snapshot file a document name stands for. */
  file(name: string): string {
    return `${this.folder}/${name}${name === CREDENTIAL_REPORT ? '.csv' : '.json'}`;
  }

  issue(severity: CollectionIssue['severity'], source: string, message: string, object?: string): void {
    this.issues.push({ severity, source, ...(object ? { object } : {}), message });
  }

  /**
   * A whole-scope document (a list or describe command) in one region or global. Records whether
   * the command was collected; a missing one is an info issue, a failed one an error.
   */
  get(command: string, region?: string): unknown {
    const name = regional(command, region);
    const error = this.scope.errors[name];
    if (error !== undefined) {
      this.issue('error', this.file(name), error);
      this.collected[command] = false;
      return undefined;
    }
    const document = this.scope.documents[name];
    if (document !== undefined) {
      this.collected[command] ??= true;
      return document;
    }
    return undefined;
  }

  /** A document as it is, recording nothing: for hints (which regions a snapshot holds), not data. */
  peek(name: string): unknown {
    return this.scope.documents[name];
  }

  /** `get` over every region present (and the top folder); the command is missing when none had it. */
  getRegional(command: string): { region: string | undefined; document: unknown }[] {
    const out: { region: string | undefined; document: unknown }[] = [];
    for (const region of this.regions) {
      const document = this.get(command, region);
      if (document !== undefined) out.push({ region, document });
    }
    if (out.length === 0) this.missing(command);
    return out;
  }

  /** Marks a command not collected, once, with an info issue. */
  missing(command: string): void {
    if (this.collected[command] !== undefined) return;
    this.collected[command] = false;
    this.issue('info', this.file(command), `${command} was not collected: its results are unknown`);
  }

  /**
   * One resource's output of a per-resource command. Absent output is normal (a bucket without a
   * policy); whether the command ran at all is recorded in `collected`.
   */
  resource(command: string, resource: string, region?: string): unknown {
    const name = perResource(command, resource, region);
    const folder = regional(command, region);
    const ran =
      this.scope.ran.includes(folder) ||
      Object.keys(this.scope.documents).some((n) => n.startsWith(`${folder}/`)) ||
      Object.keys(this.scope.errors).some((n) => n.startsWith(`${folder}/`));
    if (!ran) {
      if (this.collected[command] === undefined) this.missing(command);
      return undefined;
    }
    this.collected[command] ??= true;
    const error = this.scope.errors[name];
    if (error !== undefined) {
      this.issue('error', this.file(name), error, resource);
      return undefined;
    }
    return this.scope.documents[name];
  }

  /** Did one resource's call of a per-resource command fail (its output is unknown, not absent)? */
  failed(command: string, resource: string, region?: string): boolean {
    return this.scope.errors[perResource(command, resource, region)] !== undefined;
  }

  /** Names of every document of a per-resource command, decoded (e.g. all `organizations-describe-policy/<id>`). */
  resourcesOf(command: string): string[] {
    return Object.keys(this.scope.documents)
      .map(parseDocumentName)
      .filter((n) => n.command === command && n.resource !== undefined)
      .map((n) => n.resource as string);
  }

  /** Runs `fn` on each item, turning a ShapeError into an error issue that names the object; the rest goes on. */
  each<T>(
    items: unknown[],
    source: string,
    label: (item: unknown, index: number) => string,
    fn: (item: Obj, object: string) => T | undefined,
  ): T[] {
    const out: T[] = [];
    items.forEach((item, index) => {
      const object = label(item, index);
      try {
        const result = fn(obj(item, object), object);
        if (result !== undefined) out.push(result);
      } catch (error) {
        if (!(error instanceof ShapeError)) throw error;
        this.issue('error', source, `${object}: ${error.message}`, object);
      }
    });
    return out;
  }

  /** Runs `fn` on a whole document, turning a ShapeError into an error issue naming the file. */
  guard<T>(source: string, fn: () => T): T | undefined {
    try {
      return fn();
    } catch (error) {
      if (!(error instanceof ShapeError)) throw error;
      this.issue('error', source, error.message);
      return undefined;
    }
  }
}

/** A label for list items: `RoleDetailList[3] (RoleName "deploy")`. */
export function labelBy(list: string, ...keys: string[]): (item: unknown, index: number) => string {
  return (item, index) => {
    if (isObj(item)) {
      for (const key of keys) {
        const value = item[key];
        if (typeof value === 'string' && value !== '') return `${list}[${index}] (${key} ${quoted(value)})`;
      }
    }
    return `${list}[${index}]`;
  };
}
