import type { AwsResourceData, AwsResourceType } from '../../../model/aws/environment.js';
import type { AccessLevel } from '../../../model/properties.js';
import type { ContextValues, Decision, UndecidedCondition } from '../engine/types.js';
import type { Authorizer } from '../types.js';

/**
 * The data resources CAN_ACCESS reaches, and what differs between their services: which
 * catalogue resource types their actions take, whether an action acts on a part of the resource
 * (an S3 object, an API method), which resources the family decides at all, and what a request
 * needs besides the resource's own policy (a SecureString's KMS key).
 */
export interface DataResource {
  /** The IAM service prefix of the actions (`s3`, `es`, `execute-api`). */
  service: string;
  /** The graph node kind of the resource. */
  kind: string;
  /** Catalogue resource types of the actions on it (an S3 object belongs to its bucket). */
  resourceTypes: string[];
  /**
   * Does an action (with these catalogue resource types) act on a part of the resource
   * (`<arn>/<part>`) rather than on the resource itself?
   */
  onParts?: (types: string[], action: string) => boolean;
  /** Only these resources are decided (default: all of the type). */
  decided?: (resource: AwsResourceData) => boolean;
  /** Only these actions (default: every catalogue action on the resource types). */
  actions?: string[];
  /** Only anyone (`Principal: "*"`) is decided: callers' own permissions play no part. */
  publicOnly?: boolean;
  /** Request context the service sets for every request on the resource. */
  context?: (resource: AwsResourceData) => ContextValues;
  /** Another request an action needs to succeed (kms:Decrypt on the key the data is encrypted with). */
  requires?: (resource: AwsResourceData, action: string) => Requirement | undefined;
  /** Actions that must all be granted for a grant to count at all (default: any one suffices). */
  allOf?: (resource: AwsResourceData) => string[];
  /** How the public-resource finding says what lets anyone in (default: its resource policy). */
  publicThrough?: string;
  /** Actions of another service that reach the resource's data through ARNs of their own. */
  related?: RelatedAction[];
}

/**
 * An action of another service that acts on parts of the resource named by an ARN of its own:
 * a login to an RDS database as a database user (`rds-db:connect` on
 * `arn:…:rds-db:<region>:<account>:dbuser:<DbiResourceId>/<user>`). It is decided like an action
 * on parts (`<base>/*`, then the prefixes the policies name), and only where the resource accepts it.
 */
export interface RelatedAction {
  action: string;
  /** The catalogue resource type of the action (checked against the catalogue by a unit test). */
  resourceType: string;
  /** The levels a grant gives: the catalogue's level says nothing of what a login can do. */
  levels: AccessLevel[];
  /** The ARN the action's parts hang under; none when it was not collected (the action is not decided). */
  base: (resource: AwsResourceData) => string | undefined;
  /** Does the resource accept the action: yes, no (nothing granted), not collected (undefined). */
  enabled: (resource: AwsResourceData) => boolean | undefined;
  /** The pseudo condition a grant depends on when `enabled` was not collected, and its reason. */
  unknown: { condition: UndecidedCondition; reason: string };
  /** How the evidence names the parts granted (`as db user "app"`). */
  parts: (names: string[]) => string;
}

/**
 * IAM database authentication (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.IAMPolicy.html):
 * `rds-db:connect` on `arn:aws:rds-db:REGION:ACCOUNT:dbuser:DbiResourceId/db-user-name` logs in
 * as that database user, who can read and change the data; it works only on an instance or cluster with
 * IAMDatabaseAuthenticationEnabled (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.Enabling.html).
 */
const iamDatabaseLogin: RelatedAction = {
  action: 'rds-db:connect',
  resourceType: 'db-user',
  levels: ['read', 'write'],
  // The instance's DbiResourceId or the cluster's DbClusterResourceId, kept under one name.
  base: (db) => {
    const id = db.attributes?.dbiResourceId;
    if (typeof id !== 'string') return undefined;
    const [arn, partition, , region, account] = db.arn.split(':');
    return `${arn}:${partition}:rds-db:${region}:${account}:dbuser:${id}`;
  },
  enabled: (db) => {
    const on = db.attributes?.iamDatabaseAuthentication;
    return typeof on === 'boolean' ? on : undefined;
  },
  unknown: {
    condition: { operator: 'Requires', key: 'rds:IAMDatabaseAuthenticationEnabled', values: ['true'] },
    reason: 'if IAM database authentication is enabled on it (not collected)',
  },
  parts: (users) =>
    users.includes('*')
      ? 'as any db user (*)'
      : `as db user${users.length > 1 ? 's' : ''} ${users.map((u) => `"${u}"`).join(', ')}`,
};

/**
 * A decision on a related action, with the resource's acceptance applied: nothing where it does
 * not accept the action, conditional on the pseudo condition where that was not collected.
 */
export function relatedDecision(
  related: RelatedAction,
  resource: AwsResourceData,
  decision: Decision,
): Decision {
  const enabled = related.enabled(resource);
  if (enabled === true || (decision.outcome !== 'allow' && decision.outcome !== 'conditional'))
    return decision;
  if (enabled === false)
    return {
      outcome: 'implicit-deny',
      allowedBy: [],
      deniedBy: [],
      conditions: [],
      reason: `${related.action} is not accepted by ${resource.name}`,
      warnings: [],
    };
  return bothDecisions(decision, {
    outcome: 'conditional',
    allowedBy: [],
    deniedBy: [],
    conditions: [related.unknown.condition],
    reason: related.unknown.reason,
    warnings: [],
  });
}

/** How the evidence names the related parts among the ARNs a grant was decided on (`as db user "app"`). */
export function relatedParts(resource: AwsResourceData, arns: string[]): string {
  const related = DATA_RESOURCES[resource.type]?.related?.[0];
  const names = arns
    .filter((a) => a !== resource.arn && !a.startsWith(`${resource.arn}/`))
    .map((a) => a.slice(a.lastIndexOf('/') + 1));
  return related && names.length > 0 ? ` ${related.parts(names)}` : '';
}

/** A second request one action needs, decided for the same principal. */
/** Every action a `Requirement` names (what-if states widen a type's actions when a change allows one). */
export const REQUIREMENT_ACTIONS = ['kms:Decrypt'] as const;

export interface Requirement {
  action: (typeof REQUIREMENT_ACTIONS)[number];
  /** The key as the resource names it (id, ARN or alias), resolved against the collected keys. */
  keyId?: string;
  context: (principalAccount: string | undefined) => ContextValues;
  /** Without a collected resource: decided by this instead (e.g. an AWS managed key's fixed policy). */
  fallback?: (principalAccount: string | undefined) => boolean | undefined;
}

/**
 * Reading data a service encrypted with a KMS key on the caller's behalf needs kms:Decrypt on that
 * key too: the service asks KMS as the caller (`kms:ViaService` is the service's endpoint,
 * `kms:CallerAccount` the caller's account) with the resource in the encryption context. The AWS
 * managed key of the service (`alias/aws/<service>`) lets every principal of its account decrypt
 * through the service and no one else; a key that was not collected leaves the grant conditional.
 */
interface EncryptedReads {
  service: string;
  /** The actions that return decrypted data. */
  actions: string[];
  /** The key the resource names (id, ARN or alias); none when it is not encrypted with KMS. */
  keyOf: (resource: AwsResourceData) => string | undefined;
  encryptionContext: (resource: AwsResourceData) => ContextValues;
}

function decryptWith(spec: EncryptedReads): NonNullable<DataResource['requires']> {
  const actions = new Set(spec.actions.map((a) => a.toLowerCase()));
  const managed = `alias/aws/${spec.service}`;
  return (resource, action) => {
    const keyId = actions.has(action.toLowerCase()) ? spec.keyOf(resource) : undefined;
    if (!keyId) return undefined;
    const region = resource.region ?? resource.arn.split(':')[3];
    const isManaged = keyId === managed || keyId.endsWith(`:${managed}`);
    return {
      action: 'kms:Decrypt',
      keyId,
      context: (account) => ({
        'kms:ViaService': [`${spec.service}.${region}.amazonaws.com`],
        'kms:CallerAccount': account ? [account] : null,
        ...spec.encryptionContext(resource),
      }),
      ...(isManaged ? { fallback: (account: string | undefined) => account === resource.accountId } : {}),
    };
  };
}

/**
 * A SecureString's value (https://docs.aws.amazon.com/systems-manager/latest/userguide/secure-string-parameter-kms-encryption.html):
 * without KeyId it is encrypted with alias/aws/ssm; the parameter's ARN is the encryption context.
 */
const secureStringKey = decryptWith({
  service: 'ssm',
  actions: ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath', 'ssm:GetParameterHistory'],
  keyOf: (p) =>
    p.attributes?.parameterType === 'SecureString'
      ? String(p.attributes.kmsKeyId ?? 'alias/aws/ssm')
      : undefined,
  encryptionContext: (p) => ({ 'kms:EncryptionContext:PARAMETER_ARN': [p.arn] }),
});

/**
 * Messages of a queue encrypted with a KMS key (SSE-KMS; SSE-SQS needs no key permission): a
 * consumer needs kms:Decrypt (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html).
 */
const queueKey = decryptWith({
  service: 'sqs',
  actions: ['sqs:ReceiveMessage'],
  keyOf: (q) => (typeof q.attributes?.kmsKeyId === 'string' ? q.attributes.kmsKeyId : undefined),
  encryptionContext: (q) => ({ 'kms:EncryptionContext:aws:sqs:arn': [q.arn] }),
});

export const DATA_RESOURCES: Partial<Record<AwsResourceType, DataResource>> = {
  's3-bucket': {
    service: 's3',
    kind: 'AwsS3Bucket',
    resourceTypes: ['bucket', 'object'],
    onParts: (types) => !types.includes('bucket'),
  },
  'kms-key': { service: 'kms', kind: 'AwsKmsKey', resourceTypes: ['key'] },
  secret: { service: 'secretsmanager', kind: 'AwsSecret', resourceTypes: ['secret'] },
  'dynamodb-table': { service: 'dynamodb', kind: 'AwsDynamoDbTable', resourceTypes: ['table'] },
  'rds-instance': {
    service: 'rds',
    kind: 'AwsRdsInstance',
    resourceTypes: ['db'],
    related: [iamDatabaseLogin],
  },
  // A cluster's DB users are named by its DbClusterResourceId (`cluster-…`).
  'rds-cluster': {
    service: 'rds',
    kind: 'AwsRdsCluster',
    resourceTypes: ['cluster'],
    related: [iamDatabaseLogin],
  },
  'sqs-queue': { service: 'sqs', kind: 'AwsSqsQueue', resourceTypes: ['queue'], requires: queueKey },
  'sns-topic': { service: 'sns', kind: 'AwsSnsTopic', resourceTypes: ['topic'] },
  'ecr-repository': { service: 'ecr', kind: 'AwsEcrRepository', resourceTypes: ['repository'] },
  'ssm-parameter': {
    service: 'ssm',
    kind: 'AwsSsmParameter',
    resourceTypes: ['parameter'],
    requires: secureStringKey,
  },
  'efs-file-system': {
    service: 'elasticfilesystem',
    kind: 'AwsEfsFileSystem',
    resourceTypes: ['file-system'],
  },
  // HTTP requests to a domain act on its paths (`domain/<name>/<index>/…`); configuration calls
  // on the domain itself (https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ac.html).
  'opensearch-domain': {
    service: 'es',
    kind: 'AwsOpenSearchDomain',
    resourceTypes: ['domain'],
    onParts: (_, action) => /^es:ESHttp/i.test(action),
  },
  // Without a resource policy, who may invoke depends on each method's authorization, which is
  // not collected; a private API without one cannot be invoked at all
  // (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-private-api-create.html).
  'api-gateway-rest-api': {
    service: 'execute-api',
    kind: 'AwsApiGatewayRestApi',
    resourceTypes: ['execute-api-general'],
    onParts: () => true,
    decided: (api) => api.policy !== undefined,
  },
  'glacier-vault': { service: 'glacier', kind: 'AwsGlacierVault', resourceTypes: ['vault'] },
  // A function URL with AuthType NONE skips authentication: the function policy alone decides, and
  // it must grant anyone (https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html). Since
  // October 2025 new URLs need lambda:InvokeFunction too (`invokeViaUrl` below).
  'lambda-function': {
    service: 'lambda',
    kind: 'AwsLambdaFunction',
    resourceTypes: ['function'],
    actions: ['lambda:InvokeFunctionUrl', 'lambda:InvokeFunction'],
    publicOnly: true,
    decided: (fn) => fn.attributes?.functionUrlAuthType === 'NONE',
    context: () => ({ 'lambda:FunctionUrlAuthType': ['NONE'], 'lambda:InvokedViaFunctionUrl': ['true'] }),
    allOf: invokeViaUrl,
    publicThrough: 'its function URL (AuthType NONE) and function policy let',
  },
};

/**
 * Keys a request carries only when a service principal calls on behalf of a resource
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourceaccount;
 * `aws:SourceOwner` is SNS's older spelling of `aws:SourceAccount`). CAN_ACCESS asks only for IAM
 * principals and anyone, whose requests never carry them: a policy conditioned on them (SNS's
 * default topic policy, `"AWS:SourceOwner": "<account>"`) grants those callers nothing.
 */
const SERVICE_ONLY_KEYS = ['aws:SourceAccount', 'aws:SourceArn', 'aws:SourceOwner'];
const SERVICE_ONLY = new Set(SERVICE_ONLY_KEYS.map((k) => k.toLowerCase()));
const serviceOnlyMentions = new WeakMap<AwsResourceData, boolean>();

/** The request context of an IAM caller or anyone on a resource whose policy tests service-only keys. */
export function callerContext(resource: AwsResourceData): ContextValues | undefined {
  let mentions = serviceOnlyMentions.get(resource);
  if (mentions === undefined) {
    mentions = (resource.policy?.document.Statement ?? []).some((statement) =>
      Object.values(statement.Condition ?? {}).some((keys) =>
        Object.keys(keys).some((key) => SERVICE_ONLY.has(key.toLowerCase())),
      ),
    );
    serviceOnlyMentions.set(resource, mentions);
  }
  return mentions ? Object.fromEntries(SERVICE_ONLY_KEYS.map((key) => [key, null])) : undefined;
}

/** Operators that are false when their key is absent (no `…IfExists`, no `ForAllValues:`, no negation). */
const NEEDS_KEY = /^(ForAnyValue:)?(String(Equals|EqualsIgnoreCase|Like)|Arn(Equals|Like))$/i;
const grantsCallers = new WeakMap<AwsResourceData, boolean>();

/**
 * Can the resource's policy grant an IAM caller or anyone at all? Not when every Allow requires a
 * service-only key: then its `Principal` names no caller CAN_ACCESS asks for.
 */
export function mayGrantCallers(resource: AwsResourceData): boolean {
  let found = grantsCallers.get(resource);
  if (found === undefined) {
    found = (resource.policy?.document.Statement ?? []).some(
      (statement) =>
        statement.Effect === 'Allow' &&
        !Object.entries(statement.Condition ?? {}).some(
          ([operator, keys]) =>
            NEEDS_KEY.test(operator) && Object.keys(keys).some((key) => SERVICE_ONLY.has(key.toLowerCase())),
        ),
    );
    grantsCallers.set(resource, found);
  }
  return found;
}

/** Function URLs created from this day on need lambda:InvokeFunction as well as lambda:InvokeFunctionUrl. */
const BOTH_INVOKE_PERMISSIONS_FROM = '2025-10-01';

/** The actions a public function URL call needs granted, for this function. */
function invokeViaUrl(fn: AwsResourceData): string[] {
  const created = fn.attributes?.functionUrlCreated;
  return typeof created === 'string' && created >= BOTH_INVOKE_PERMISSIONS_FROM
    ? ['lambda:InvokeFunctionUrl', 'lambda:InvokeFunction']
    : ['lambda:InvokeFunctionUrl'];
}

/** The collected KMS key a key id, key ARN, alias name or alias ARN names, in the resource's account and region. */
function resolveKey(
  authorizer: Authorizer,
  keyId: string,
  owner: AwsResourceData,
): AwsResourceData | undefined {
  const region = owner.region ?? owner.arn.split(':')[3];
  const alias = keyId.includes(':alias/') ? keyId.slice(keyId.indexOf(':alias/') + 1) : keyId;
  return authorizer.resources('kms-key').find((key) => {
    if (key.arn === keyId) return true;
    if (key.accountId !== owner.accountId || key.region !== region) return false;
    if (key.attributes?.keyId === keyId) return true;
    const aliases = key.attributes?.aliases;
    return key.name === alias || (Array.isArray(aliases) && aliases.includes(alias));
  });
}

/** A requirement decided: the key's decision, or the fallback's, or undecided. */
export function decideRequirement(
  authorizer: Authorizer,
  principalId: string,
  principalAccount: string | undefined,
  requirement: Requirement,
  owner: AwsResourceData,
): Decision {
  const key = requirement.keyId ? resolveKey(authorizer, requirement.keyId, owner) : undefined;
  if (key)
    return authorizer.evaluate(
      principalId,
      requirement.action,
      key.arn,
      requirement.context(principalAccount),
    );
  const known = requirement.fallback?.(principalAccount);
  const what = `${requirement.action} on ${requirement.keyId ?? 'its key'}`;
  if (known === true)
    return {
      outcome: 'allow',
      allowedBy: [],
      deniedBy: [],
      conditions: [],
      reason: `${what} (AWS managed key)`,
      warnings: [],
    };
  if (known === false)
    return {
      outcome: 'implicit-deny',
      allowedBy: [],
      deniedBy: [],
      conditions: [],
      reason: `${what}: an AWS managed key serves its own account only`,
      warnings: [],
    };
  const condition: UndecidedCondition = {
    operator: 'Requires',
    key: requirement.action,
    values: [requirement.keyId ?? ''],
  };
  return {
    outcome: 'conditional',
    allowedBy: [],
    deniedBy: [],
    conditions: [condition],
    reason: `if ${what} is allowed (the key was not collected)`,
    warnings: [],
  };
}

/** Both requests must be granted: the weaker outcome, every statement and condition of both. */
export function bothDecisions(first: Decision, second: Decision): Decision {
  const granted = (d: Decision) => d.outcome === 'allow' || d.outcome === 'conditional';
  if (!granted(first)) return first;
  if (!granted(second)) return { ...second, reason: `${first.reason}; but ${second.reason}` };
  const outcome = first.outcome === 'allow' && second.outcome === 'allow' ? 'allow' : 'conditional';
  return {
    outcome,
    allowedBy: [...first.allowedBy, ...second.allowedBy],
    deniedBy: [...first.deniedBy, ...second.deniedBy],
    conditions: [...first.conditions, ...second.conditions],
    reason: `${first.reason}, and ${second.reason}`,
    warnings: [...first.warnings, ...second.warnings],
  };
}
