import type { AwsRoleRef, AwsUserRef } from './estate.js';
import type { Random } from './random.js';

/**
 * The three log record shapes, as the platforms write them, built from one call each:
 * - a CloudTrail record (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html,
 *   userIdentity: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html);
 * - a Cloud Audit Logs LogEntry with an AuditLog payload
 *   (https://cloud.google.com/logging/docs/reference/audit/auditlog/rest/Shared.Types/AuditLog);
 * - an `audit.k8s.io/v1` Event (https://kubernetes.io/docs/reference/config-api/apiserver-audit.v1/#audit-k8s-io-v1-Event).
 * Fields the ingest does not read (requestID, tlsDetails, requestAttributes, annotations…) are
 * written too, so the files look like the real ones to any other reader.
 */

/** Who made an AWS call. */
export type AwsActor =
  | { type: 'IAMUser'; user: AwsUserRef }
  | {
      type: 'AssumedRole';
      role: AwsRoleRef;
      session: string;
      accessKeyId: string;
      issued: number;
      sourceIdentity?: string;
      /** The OIDC provider ARN of a web identity session (AssumeRoleWithWebIdentity). */
      webIdentityProvider?: string;
    }
  | { type: 'AWSService'; service: string }
  | { type: 'WebIdentityUser'; providerArn: string; subject: string; audience: string }
  | { type: 'AWSAccount'; accountId: string; principalId: string };

export interface AwsCall {
  time: number;
  /** The account whose trail records the call. */
  account: string;
  region: string;
  actor: AwsActor;
  eventSource: string;
  eventName: string;
  ip: string;
  userAgent: string;
  readOnly: boolean;
  /** Data events (S3 objects, DynamoDB items, Lambda Invoke) beside management events. */
  data?: boolean;
  resources?: { ARN: string; type: string; accountId?: string }[];
  requestParameters?: Record<string, unknown> | null;
  responseElements?: Record<string, unknown> | null;
  errorCode?: string;
  errorMessage?: string;
  vpcEndpointId?: string;
}

export interface GcpCall {
  time: number;
  project: string;
  /** `activity` (Admin Activity) or `data_access`. */
  log: 'activity' | 'data_access';
  principalEmail?: string;
  principalSubject?: string;
  /** Delegators of an impersonated call, the real actor first. */
  delegation?: { email?: string; subject?: string }[];
  serviceName: string;
  methodName: string;
  resourceName: string;
  permission: string;
  resource: { type: string; labels: Record<string, string> };
  ip: string;
  userAgent: string;
  /** google.rpc.Code: 0 (or absent) OK, 5 NOT_FOUND, 7 PERMISSION_DENIED… */
  code?: number;
  location?: string;
  /** The request and response the AuditLog records for the call (Admin Activity writes of IAM log both). */
  request?: Record<string, unknown>;
  response?: Record<string, unknown>;
}

export interface K8sCall {
  time: number;
  username: string;
  groups: string[];
  verb: string;
  resource?: { resource: string; namespace?: string; name?: string; apiGroup?: string; subresource?: string };
  /** A non-resource request's path (`/healthz`). */
  path?: string;
  ip: string;
  userAgent: string;
  code: number;
  /** How long the request took, for stageTimestamp (a watch lasts minutes). */
  durationMs?: number;
}

const iso = (ms: number, digits: 0 | 3 | 6 = 0) => {
  const text = new Date(ms).toISOString();
  if (digits === 0) return `${text.slice(0, 19)}Z`;
  if (digits === 3) return text;
  return `${text.slice(0, 23)}${String(Math.floor((ms % 1) * 1000)).padStart(3, '0')}Z`;
};

/** A CloudTrail record for an AWS call. */
export function cloudTrailRecord(call: AwsCall, random: Random): Record<string, unknown> {
  const userIdentity = awsUserIdentity(call.actor, call.time);
  const record: Record<string, unknown> = {
    eventVersion: '1.09',
    userIdentity,
    eventTime: iso(call.time),
    eventSource: call.eventSource,
    eventName: call.eventName,
    awsRegion: call.region,
    sourceIPAddress: call.ip,
    userAgent: call.userAgent,
  };
  if (call.errorCode) {
    record.errorCode = call.errorCode;
    record.errorMessage = call.errorMessage ?? defaultErrorMessage(call);
  }
  record.requestParameters = call.requestParameters ?? null;
  record.responseElements = call.errorCode ? null : (call.responseElements ?? null);
  record.requestID = call.eventSource.startsWith('s3.')
    ? random.chars(16, '0123456789ABCDEF')
    : random.uuid();
  record.eventID = random.uuid();
  record.readOnly = call.readOnly;
  if (call.resources) record.resources = call.resources;
  record.eventType = 'AwsApiCall';
  record.managementEvent = !call.data;
  record.recipientAccountId = call.account;
  if (call.vpcEndpointId) {
    record.vpcEndpointId = call.vpcEndpointId;
    record.vpcEndpointAccountId = call.account;
  }
  record.eventCategory = call.data ? 'Data' : 'Management';
  if (call.actor.type !== 'AWSService')
    record.tlsDetails = {
      tlsVersion: 'TLSv1.3',
      cipherSuite: 'TLS_AES_128_GCM_SHA256',
      clientProvidedHostHeader: `${call.eventSource.split('.')[0]}.${call.region}.amazonaws.com`,
    };
  return record;
}

function defaultErrorMessage(call: AwsCall): string {
  if (/AccessDenied|Unauthorized/.test(call.errorCode ?? '')) {
    const who =
      call.actor.type === 'IAMUser'
        ? call.actor.user.arn
        : call.actor.type === 'AssumedRole'
          ? `arn:aws:sts::${call.actor.role.accountId}:assumed-role/${call.actor.role.name}/${call.actor.session}`
          : 'the caller';
    return `User: ${who} is not authorized to perform: ${call.eventSource.split('.')[0]}:${call.eventName} because no identity-based policy allows the ${call.eventSource.split('.')[0]}:${call.eventName} action`;
  }
  return call.errorCode ?? '';
}

function awsUserIdentity(actor: AwsActor, time: number): Record<string, unknown> {
  switch (actor.type) {
    case 'IAMUser':
      return {
        type: 'IAMUser',
        principalId: actor.user.userId,
        arn: actor.user.arn,
        accountId: actor.user.accountId,
        accessKeyId: actor.user.accessKeyId,
        userName: actor.user.name,
      };
    case 'AssumedRole': {
      const { role } = actor;
      const sessionContext: Record<string, unknown> = {
        sessionIssuer: {
          type: 'Role',
          principalId: role.roleId,
          arn: role.arn,
          accountId: role.accountId,
          userName: role.name,
        },
        ...(actor.webIdentityProvider
          ? { webIdFederationData: { federatedProvider: actor.webIdentityProvider, attributes: {} } }
          : {}),
        attributes: { creationDate: iso(actor.issued), mfaAuthenticated: 'false' },
        ...(actor.sourceIdentity ? { sourceIdentity: actor.sourceIdentity } : {}),
      };
      return {
        type: 'AssumedRole',
        principalId: `${role.roleId}:${actor.session}`,
        arn: `arn:aws:sts::${role.accountId}:assumed-role/${role.name}/${actor.session}`,
        accountId: role.accountId,
        accessKeyId: actor.accessKeyId,
        sessionContext,
      };
    }
    case 'AWSService':
      return { type: 'AWSService', invokedBy: actor.service };
    case 'WebIdentityUser':
      return {
        type: 'WebIdentityUser',
        principalId: `${actor.providerArn}:${actor.audience}:${actor.subject}`,
        userName: actor.subject,
        identityProvider: actor.providerArn,
      };
    case 'AWSAccount':
      return { type: 'AWSAccount', principalId: actor.principalId, accountId: actor.accountId };
  }
  return { time };
}

const GCP_SEVERITY = (call: GcpCall) => (call.code ? 'ERROR' : call.log === 'activity' ? 'NOTICE' : 'INFO');

const GCP_STATUS: Record<number, string> = {
  5: 'NOT_FOUND',
  7: 'PERMISSION_DENIED',
  9: 'FAILED_PRECONDITION',
  16: 'UNAUTHENTICATED',
};

/** A Cloud Audit Logs LogEntry, as a log sink exports it (fields in the order Cloud Storage exports show). */
export function gcpAuditEntry(call: GcpCall, random: Random): Record<string, unknown> {
  const authenticationInfo: Record<string, unknown> = {};
  if (call.principalEmail) authenticationInfo.principalEmail = call.principalEmail;
  if (call.principalSubject) authenticationInfo.principalSubject = call.principalSubject;
  if (call.delegation)
    authenticationInfo.serviceAccountDelegationInfo = call.delegation.map((d) =>
      d.email ? { firstPartyPrincipal: { principalEmail: d.email } } : { principalSubject: d.subject },
    );
  const granted = !call.code || call.code !== 7;
  const payload: Record<string, unknown> = {
    '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
    ...(call.code
      ? { status: { code: call.code, message: GCP_STATUS[call.code] ?? 'UNKNOWN' } }
      : { status: {} }),
    authenticationInfo,
    requestMetadata: {
      callerIp: call.ip,
      callerSuppliedUserAgent: call.userAgent,
      requestAttributes: { time: iso(call.time, 3), auth: {} },
      destinationAttributes: {},
    },
    serviceName: call.serviceName,
    methodName: call.methodName,
    authorizationInfo: [
      { resource: call.resourceName, permission: call.permission, granted, resourceAttributes: {} },
    ],
    resourceName: call.resourceName,
    ...(call.location ? { resourceLocation: { currentLocations: [call.location] } } : {}),
    ...(call.request ? { request: call.request } : {}),
    ...(call.response && !call.code ? { response: call.response } : {}),
  };
  const logName = `projects/${call.project}/logs/cloudaudit.googleapis.com%2F${call.log}`;
  return {
    insertId: random.chars(12, 'abcdefghijklmnopqrstuvwxyz0123456789'),
    logName,
    protoPayload: payload,
    receiveTimestamp: iso(call.time + 400 + random.int(0, 900), 3),
    resource: call.resource,
    severity: GCP_SEVERITY(call),
    timestamp: iso(call.time, 3),
  };
}

/**
 * A Kubernetes audit Event at the `ResponseComplete` stage, `Metadata` level: the audit policy the
 * generated cluster uses omits the `RequestReceived` stage (as kube-up's and EKS's policies do), so
 * one request is one line.
 */
export function k8sAuditEvent(call: K8sCall, random: Random): Record<string, unknown> {
  const ref = call.resource;
  const uri = ref ? requestUri(call.verb, ref) : (call.path ?? '/');
  const received = iso(call.time, 6);
  const done = iso(call.time + (call.durationMs ?? random.int(2, 40)), 6);
  return {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID: random.uuid(),
    stage: 'ResponseComplete',
    requestURI: uri,
    verb: call.verb,
    user: { username: call.username, groups: call.groups },
    sourceIPs: [call.ip],
    userAgent: call.userAgent,
    ...(ref
      ? {
          objectRef: {
            resource: ref.resource,
            ...(ref.namespace ? { namespace: ref.namespace } : {}),
            ...(ref.name ? { name: ref.name } : {}),
            ...(ref.apiGroup ? { apiGroup: ref.apiGroup } : {}),
            apiVersion: 'v1',
            ...(ref.subresource ? { subresource: ref.subresource } : {}),
          },
        }
      : {}),
    responseStatus:
      call.code >= 400
        ? { metadata: {}, status: 'Failure', reason: reason(call.code), code: call.code }
        : { metadata: {}, code: call.code },
    requestReceivedTimestamp: received,
    stageTimestamp: done,
    annotations: {
      'authorization.k8s.io/decision': call.code === 403 ? 'forbid' : 'allow',
      'authorization.k8s.io/reason':
        call.code === 403 ? '' : call.username.startsWith('system:node:') ? '' : 'RBAC: allowed',
    },
  };
}

function reason(code: number): string {
  return code === 403
    ? 'Forbidden'
    : code === 401
      ? 'Unauthorized'
      : code === 404
        ? 'NotFound'
        : 'InternalError';
}

function requestUri(verb: string, ref: NonNullable<K8sCall['resource']>): string {
  const base = ref.apiGroup ? `/apis/${ref.apiGroup}/v1` : '/api/v1';
  const ns = ref.namespace ? `/namespaces/${ref.namespace}` : '';
  const name = ref.name && verb !== 'list' && verb !== 'watch' ? `/${ref.name}` : '';
  const sub = ref.subresource ? `/${ref.subresource}` : '';
  const query =
    verb === 'watch'
      ? `?allowWatchBookmarks=true${ref.name ? `&fieldSelector=metadata.name%3D${ref.name}` : ''}&timeoutSeconds=${420}&watch=true`
      : verb === 'list' && ref.name
        ? `?fieldSelector=metadata.name%3D${ref.name}`
        : '';
  return `${base}${ns}/${ref.resource}${name}${sub}${query}`;
}
