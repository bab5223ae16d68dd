import type { IAMClientConfig } from '@aws-sdk/client-iam';
import type {
  AwsResourceData,
  AwsResourceType,
  InstanceProfileData,
  Tags,
} from '../../../model/aws/environment.js';
import type { NamedPolicy, PolicyDocumentKind } from '../../../model/aws/policy.js';
import type { NodeKind } from '../../../model/node-kinds.js';
import type { Sensitivity } from '../../../model/properties.js';
import {
  checkOwnArn,
  clip,
  type Obj,
  obj,
  optStr,
  type ScopeReader,
  ShapeError,
  tags,
} from '../documents.js';
import { parsePolicy } from '../policies.js';
import { type AwsRawScope, perResource, regional } from '../raw.js';

/**
 * One AWS service, everything reachgraph knows about it in one module (as Cartography keeps one
 * module per service): the live SDK calls, the snapshot documents they write (named after the AWS
 * CLI command that prints the same JSON, so `scripts/snapshot-aws.sh` writes them too), the pure
 * transform of those documents into resources, and each resource type's graph kind and
 * classification. The registry (`registry.ts`) lists them; the live collector, the transform, the
 * inventory and the classification defaults iterate it.
 */
export interface AwsService {
  /** The service as the AWS CLI names it (`s3api`, `lambda`): the prefix of its documents. */
  name: string;
  /** Further AWS CLI services some of its documents come from (S3's account settings: `s3control`). */
  alsoCli?: readonly string[];
  /** Global services are read once per account (from the home region), regional ones in every region. */
  placement: 'account' | 'region';
  snapshot: {
    /** List and describe commands: `<command>.json` (in each region folder for regional services). */
    documents: readonly string[];
    /** Per-resource commands: `<command>/<resource>.json`; the folder exists once the command ran. */
    perResource: readonly string[];
  };
  resources: readonly AwsResourceKind[];
  /** The live SDK calls: writes the service's documents into the account's raw scope. */
  collect(live: LiveServiceContext): Promise<void>;
  /** The pure transform: the service's documents of one account into resources. */
  transform(ctx: ResourceContext): AwsResourceData[];
}

export interface AwsResourceKind {
  type: AwsResourceType;
  /** The graph node kind (src/model/node-kinds.ts). */
  kind: NodeKind;
  /** A data store gets a sensitivity; a workload runs as a role and is a non-human principal. */
  holds: 'data' | 'workload';
  /** Sensitivity when neither tags nor name decide (data stores; overridable in the classification). */
  sensitivity?: Exclude<Sensitivity, 'unknown'>;
}

// ── Live ────────────────────────────────────────────────────────────────────────────────────

/** The SDK client settings every service client of one account and region is built with. */
export interface ClientSettings {
  region: string;
  credentials: AwsCredentials;
  maxAttempts: number;
  retryMode: 'adaptive';
  endpoint?: string;
}

/** Static credentials or a provider, as every SDK client accepts them. */
export type AwsCredentials = NonNullable<IAMClientConfig['credentials']>;

export interface LiveServiceContext {
  scope: AwsRawScope;
  /** The account being collected. */
  accountId: string;
  /** Settings for the service's client: its region (the home region for global services). */
  config: ClientSettings;
  /** The custom endpoint every call goes to, when one is set (a local stand-in). */
  endpoint?: string;
  /** Per-resource calls in flight at once. */
  limit: number;
  /** A document name in this context's region folder (regional services) or at the top. */
  at(command: string): string;
  /** A per-resource document name. */
  one(command: string, resource: string): string;
  /** Marks per-resource commands as run, so that "no output" reads as "none" rather than "never asked". */
  ran(...commands: string[]): void;
}

export function liveContext(
  scope: AwsRawScope,
  config: ClientSettings,
  options: { accountId: string; region?: string; endpoint?: string; limit: number },
): LiveServiceContext {
  const { region } = options;
  return {
    scope,
    accountId: options.accountId,
    config,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    limit: options.limit,
    at: (command) => regional(command, region),
    one: (command, resource) => perResource(command, resource, region),
    ran: (...commands) => scope.ran.push(...commands.map((c) => regional(c, region))),
  };
}

/** The string values of one key across a list of SDK items (ids, names). */
export function ids<K extends string>(items: Partial<Record<K, unknown>>[] | undefined, key: K): string[] {
  return (items ?? []).map((item) => item[key]).filter((v): v is string => typeof v === 'string' && v !== '');
}

// ── Transform ───────────────────────────────────────────────────────────────────────────────

/** What a service's transform reads one account with. */
export interface ResourceContext {
  reader: ScopeReader;
  accountId: string;
  partition: string;
  /** Instance profiles by ARN, for the roles an instance runs as. */
  profiles: ReadonlyMap<string, InstanceProfileData>;
  /** The graph node kind of a resource type (its ARN must match that kind's id format). */
  kindOf(type: AwsResourceType): NodeKind | undefined;
  /** The region of a regional file at the top of the account folder (`source`), when something decides it. */
  topRegion(source: string): string | undefined;
}

/** One regional command's document, read in every region folder (and at the top of the account folder). */
export type RegionalReader = (
  ctx: ResourceContext,
  document: Record<string, unknown>,
  source: string,
  region: string | undefined,
) => AwsResourceData[];

/**
 * Reads a regional list command in every region where it was written; a malformed document is an
 * issue naming its file, and the other regions are still read. At the top of the account folder
 * the region is taken from the ARNs (or, for items without one, `ResourceContext.topRegion`).
 */
export function perRegion(ctx: ResourceContext, command: string, read: RegionalReader): AwsResourceData[] {
  return ctx.reader.getRegional(command).flatMap(({ region, document }) => {
    const source = ctx.reader.file(regional(command, region));
    const top = ctx.reader.guard(source, () => obj(document, 'the document'));
    return top ? (ctx.reader.guard(source, () => read(ctx, top, source, region)) ?? []) : [];
  });
}

const regionOfArn = (arn: string): string | undefined => arn.split(':')[3] || undefined;

/** A resource of the account; an ARN of another account or not of its kind's form is a ShapeError. */
export function makeResource(
  type: AwsResourceType,
  arn: string,
  name: string,
  ctx: ResourceContext,
  region: string | undefined,
  resourceTags: Tags,
): AwsResourceData {
  const kind = ctx.kindOf(type);
  if (kind) checkOwnArn(arn, kind, ctx.accountId, 'ARN');
  const resource: AwsResourceData = { arn, type, name, accountId: ctx.accountId, tags: resourceTags };
  const r = region ?? regionOfArn(arn);
  if (r) resource.region = r;
  return resource;
}

export function attribute(
  resource: AwsResourceData,
  key: string,
  value: string | number | boolean | string[] | undefined,
): void {
  if (value === undefined) return;
  resource.attributes ??= {};
  resource.attributes[key] = value;
}

/**
 * The resource's policy from a per-resource document's field (`Policy`, `ResourcePolicy`, or a
 * dotted path such as `Attributes.Policy`), JSON text.
 */
export function resourcePolicy(
  ctx: ResourceContext,
  command: string,
  resourceName: string,
  region: string | undefined,
  field: string,
  arn: string,
  label: string,
  kind: PolicyDocumentKind = 'resource',
): NamedPolicy | undefined {
  const document = ctx.reader.resource(command, resourceName, region);
  if (document === undefined) return undefined;
  const source = ctx.reader.file(perResource(command, resourceName, region));
  const text = ctx.reader.guard(source, () => fieldText(obj(document, 'the document'), field));
  if (!text) return undefined;
  const parsed = parsePolicy(ctx.reader, text, source, `${label} ${arn}, ${field}`, kind);
  return parsed
    ? { id: `${arn}#policy`, name: `${label} policy`, kind: 'resource', document: parsed }
    : undefined;
}

/** A string at a dotted path (`policy.Policy`); a missing step means none. */
function fieldText(document: Obj, path: string): string | undefined {
  const steps = path.split('.');
  const last = steps.pop() as string;
  let at: Obj = document;
  for (const step of steps) {
    const next = at[step];
    if (next === undefined || next === null) return undefined;
    at = obj(next, step);
  }
  return optStr(at, last);
}

export function resourceTags(
  ctx: ResourceContext,
  command: string,
  resourceName: string,
  region: string | undefined,
  field: string,
): Tags {
  const document = ctx.reader.resource(command, resourceName, region);
  if (document === undefined) return {};
  const source = ctx.reader.file(perResource(command, resourceName, region));
  return ctx.reader.guard(source, () => tags(obj(document, 'the document'), field)) ?? {};
}

export function withPolicy(resource: AwsResourceData, policy: NamedPolicy | undefined): AwsResourceData {
  if (policy) resource.policy = policy;
  return resource;
}

/**
 * A regional ARN built from a name, for outputs that carry none: in the file's region folder, or
 * for a file at the top of the account folder in the region `ResourceContext.topRegion` decides.
 */
export function builtArn(
  ctx: ResourceContext,
  service: string,
  region: string | undefined,
  resource: string,
  source: string,
): string {
  const where = region ?? ctx.topRegion(source);
  if (!where)
    throw new ShapeError(
      `${clip(resource)} has no ARN, the file is in no region folder, and nothing says its region (give --region, keep ec2-describe-regions.json with the one region collected, or set aws.region)`,
    );
  return `arn:${ctx.partition}:${service}:${where}:${ctx.accountId}:${resource}`;
}
