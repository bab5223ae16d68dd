import { memberNode } from '../../analyzers/gcp-iam/principals.js';
import { gcpIds } from '../../model/gcp/ids.js';
import { type Shape, shapeProblem } from '../json-shape.js';
import type { ActivityRow } from '../parsed-ingest.js';

/**
 * The LogEntry fields activity reads (https://cloud.google.com/logging/docs/reference/v2/rest/v2/LogEntry)
 * and of its `protoPayload`, an AuditLog
 * (https://cloud.google.com/logging/docs/reference/audit/auditlog/rest/Shared.Types/AuditLog). Every
 * other field is ignored; one of these with the wrong JSON type makes the entry malformed.
 */
export const GCP_LOG_ENTRY: Shape = {
  insertId: 'string',
  logName: 'string',
  timestamp: 'string',
  resource: {
    type: 'string',
    labels: { project_id: 'string', location: 'string', region: 'string', zone: 'string' },
  },
  protoPayload: {
    '@type': 'string',
    serviceName: 'string',
    methodName: 'string',
    resourceName: 'string',
    status: { code: 'string', message: 'string' },
    authenticationInfo: {
      principalEmail: 'string',
      principalSubject: 'string',
      serviceAccountDelegationInfo: [
        { principalSubject: 'string', firstPartyPrincipal: { principalEmail: 'string' } },
      ],
    },
    requestMetadata: { callerIp: 'string', callerSuppliedUserAgent: 'string' },
    resourceLocation: { currentLocations: ['string'] },
    request: { account_id: 'string' },
    response: { email: 'string', name: 'string' },
  },
};

export const AUDIT_LOG_TYPE = 'type.googleapis.com/google.cloud.audit.AuditLog';

type Entry = {
  insertId?: string;
  logName?: string;
  timestamp?: string;
  resource?: { labels?: Record<string, string | undefined> };
  protoPayload?: {
    '@type'?: string;
    serviceName?: string;
    methodName?: string;
    resourceName?: string;
    status?: { code?: number | string };
    authenticationInfo?: {
      principalEmail?: string;
      principalSubject?: string;
      serviceAccountDelegationInfo?: {
        principalSubject?: string;
        firstPartyPrincipal?: { principalEmail?: string };
      }[];
    };
    requestMetadata?: { callerIp?: string; callerSuppliedUserAgent?: string };
    resourceLocation?: { currentLocations?: string[] };
    request?: { account_id?: string };
    response?: { email?: string; name?: string };
  };
};

/**
 * The node an audit log caller names, as the GCP provider names it (`memberNode`, the one mapping of a
 * principal to its node): a service account's email (`…gserviceaccount.com`, Google-managed service
 * agents included) is `gcp:sa:EMAIL`; a GKE workload's `PROJECT.svc.id.goog[NS/KSA]` and a workforce
 * or workload identity federation `principal://…` subject are principal sets; any other email is a
 * user (https://cloud.google.com/logging/docs/audit#user-id: `principalEmail` is the caller's email,
 * `principalSubject` the federated subject).
 */
export function gcpCaller(email: string | undefined, subject: string | undefined) {
  if (email) {
    const member = /(\.gserviceaccount\.com|\.svc\.id\.goog\[[^\]]+\])$/i.test(email)
      ? `serviceAccount:${email}`
      : `user:${email}`;
    const node = memberNode(member);
    if (node && node !== 'deleted') return node;
  }
  if (subject) {
    const node = memberNode(
      subject.startsWith('principal') ? subject : `serviceAccount:${subject.replace(/^serviceAccount:/, '')}`,
    );
    if (node && node !== 'deleted') return node;
  }
  return undefined;
}

/**
 * The outcome of a call from `status` (a google.rpc.Status,
 * https://cloud.google.com/logging/docs/audit/understanding-audit-logs#interpreting_the_sample_audit_log_entry):
 * absent or code 0 (OK) is a success; 7 PERMISSION_DENIED and 16 UNAUTHENTICATED refusals
 * (https://github.com/googleapis/googleapis/blob/master/google/rpc/code.proto); any other an error.
 */
export function gcpOutcome(code: number | string | undefined): ActivityRow['outcome'] {
  const n = code === undefined || code === null ? 0 : Number(code);
  if (n === 0) return 'success';
  return n === 7 || n === 16 ? 'denied' : 'error';
}

/** The project (or `organizations/N`, `folders/N`, `billingAccounts/N`) a log entry belongs to. */
export function gcpProjectOf(entry: Entry): string | null {
  const project = entry.resource?.labels?.project_id;
  if (project) return project;
  const match = /^(projects|organizations|folders|billingAccounts)\/([^/]+)\/logs\//.exec(
    entry.logName ?? '',
  );
  if (!match) return null;
  return match[1] === 'projects' ? (match[2] as string) : `${match[1]}/${match[2]}`;
}

/**
 * One audit log entry as an activity row (https://cloud.google.com/logging/docs/audit/understanding-audit-logs):
 * - identity: `authenticationInfo.principalEmail`, the credential the call was authorized with. When
 *   a caller impersonated a service account (`generateAccessToken`, `--impersonate-service-account`),
 *   `principalEmail` is that service account and `serviceAccountDelegationInfo` lists the delegators,
 *   the first being the real actor (the AuditLog reference: "sorted based on the original ordering of
 *   the identity delegation events"): the chain, real actor first, is kept as `origin`.
 * - action `methodName`; resource `resourceName` under the service of `serviceName`, as the graph
 *   names GCP data resources (`gcp:storage:projects/_/buckets/b/objects/o`); project from
 *   `resource.labels.project_id` or the `logName`; region from the monitored resource's location
 *   labels or `resourceLocation`; network and user agent from `requestMetadata`.
 * Entries whose `protoPayload` is not an AuditLog (a sink exporting other logs too) are not counted.
 */
export function gcpAuditRow(event: Record<string, unknown>): ActivityRow | { malformed: string } | undefined {
  const problem = shapeProblem(event, GCP_LOG_ENTRY);
  if (problem) return { malformed: problem };
  const entry = event as Entry;
  const payload = entry.protoPayload;
  if (payload?.['@type'] !== AUDIT_LOG_TYPE) return undefined;
  const auth = payload.authenticationInfo ?? {};
  const caller = gcpCaller(auth.principalEmail, auth.principalSubject);
  const chain = (auth.serviceAccountDelegationInfo ?? []).map((d) => {
    const delegator = gcpCaller(d.firstPartyPrincipal?.principalEmail, d.principalSubject);
    return delegator?.id ?? d.firstPartyPrincipal?.principalEmail ?? d.principalSubject ?? '?';
  });
  const service = payload.serviceName ?? '';
  const labels = entry.resource?.labels ?? {};
  const resourceName = payload.resourceName;
  return {
    eventId: entry.insertId ? `${entry.logName ?? ''}|${entry.insertId}` : null,
    time: entry.timestamp ?? null,
    account: gcpProjectOf(entry),
    identity: caller?.id ?? null,
    identityType: caller?.kind ?? null,
    origin: chain.length > 0 ? [...chain, caller?.id ?? auth.principalEmail ?? '?'].join(' > ') : null,
    action: payload.methodName ?? null,
    resource: resourceName
      ? resourceName.startsWith('//')
        ? resourceName
        : gcpIds.resource(service.split('.')[0] ?? service, resourceName)
      : null,
    ip: payload.requestMetadata?.callerIp ?? null,
    region:
      labels.location ??
      labels.region ??
      labels.zone ??
      payload.resourceLocation?.currentLocations?.[0] ??
      null,
    userAgent: payload.requestMetadata?.callerSuppliedUserAgent ?? null,
    outcome: gcpOutcome(payload.status?.code),
    principalId: auth.principalEmail ?? auth.principalSubject ?? '',
    unresolvedReason: caller
      ? null
      : auth.principalEmail || auth.principalSubject
        ? `caller ${auth.principalEmail ?? auth.principalSubject} is not a principal reachgraph names`
        : 'no authenticationInfo.principalEmail',
    created: gcpOutcome(payload.status?.code) === 'success' ? gcpCreated(entry) : null,
  };
}

/**
 * The service account or key a successful IAM call created, as the graph names it
 * (https://cloud.google.com/iam/docs/audit-logging/examples-service-accounts): CreateServiceAccount
 * logs the account in its response (`email`), else it is `ACCOUNT_ID@PROJECT.iam.gserviceaccount.com`
 * from the request; CreateServiceAccountKey logs the key's name,
 * `projects/P/serviceAccounts/EMAIL/keys/KEY_ID`, in its response.
 */
export function gcpCreated(entry: Entry): string | null {
  const payload = entry.protoPayload;
  const method = payload?.methodName ?? '';
  if (method.endsWith('.CreateServiceAccount')) {
    const project = gcpProjectOf(entry);
    const email =
      payload?.response?.email ??
      (payload?.request?.account_id && project && !project.includes('/')
        ? `${payload.request.account_id}@${project}.iam.gserviceaccount.com`
        : undefined);
    return email ? gcpIds.serviceAccount(email) : null;
  }
  if (method.endsWith('.CreateServiceAccountKey')) {
    const key = /\/serviceAccounts\/([^/]+)\/keys\/([^/]+)$/.exec(payload?.response?.name ?? '');
    return key ? gcpIds.serviceAccountKey(key[1] as string, key[2] as string) : null;
  }
  return null;
}
