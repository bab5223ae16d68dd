import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { gzipSync } from 'node:zlib';

/** A Cloud Audit Logs entry as Cloud Logging writes it, with the fields a test names over plausible defaults. */
export function gcpAuditEntry(fields: {
  insertId: string;
  timestamp?: string;
  project?: string;
  principalEmail?: string | null;
  delegation?: string[];
  methodName?: string;
  serviceName?: string;
  resourceName?: string;
  statusCode?: number;
  callerIp?: string;
  userAgent?: string;
}): Record<string, unknown> {
  const project = fields.project ?? 'prod-app';
  const authenticationInfo: Record<string, unknown> = {};
  if (fields.principalEmail !== null)
    authenticationInfo.principalEmail = fields.principalEmail ?? 'deployer@prod-app.iam.gserviceaccount.com';
  if (fields.delegation)
    authenticationInfo.serviceAccountDelegationInfo = fields.delegation.map((email) => ({
      firstPartyPrincipal: { principalEmail: email },
    }));
  return {
    insertId: fields.insertId,
    logName: `projects/${project}/logs/cloudaudit.googleapis.com%2Fdata_access`,
    timestamp: fields.timestamp ?? '2026-11-02T10:00:00.123456789Z',
    receiveTimestamp: '2026-11-02T10:00:01.5Z',
    severity: 'INFO',
    resource: {
      type: 'gcs_bucket',
      labels: { project_id: project, bucket_name: 'prod-data', location: 'europe-west1' },
    },
    protoPayload: {
      '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
      ...(fields.statusCode === undefined
        ? {}
        : { status: { code: fields.statusCode, message: 'PERMISSION_DENIED' } }),
      authenticationInfo,
      requestMetadata: {
        callerIp: fields.callerIp ?? '203.0.113.9',
        callerSuppliedUserAgent: fields.userAgent ?? 'google-cloud-sdk gcloud/450.0.0',
        requestAttributes: { time: '2026-11-02T10:00:00Z', auth: {} },
      },
      serviceName: fields.serviceName ?? 'storage.googleapis.com',
      methodName: fields.methodName ?? 'storage.objects.get',
      authorizationInfo: [
        {
          resource: 'projects/_/buckets/prod-data/objects/a.csv',
          permission: 'storage.objects.get',
          granted: true,
        },
      ],
      resourceName: fields.resourceName ?? 'projects/_/buckets/prod-data/objects/a.csv',
      resourceLocation: { currentLocations: ['europe-west1'] },
    },
  };
}

/** An `audit.k8s.io/v1` Event as the API server's log backend writes it. */
export function k8sAuditEvent(fields: {
  auditID: string;
  stage?: string;
  username?: string | null;
  impersonated?: string;
  verb?: string;
  resource?: string;
  apiGroup?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  code?: number;
  time?: string;
  sourceIP?: string;
}): Record<string, unknown> {
  const time = fields.time ?? '2026-11-02T10:00:00.000000Z';
  return {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID: fields.auditID,
    stage: fields.stage ?? 'ResponseComplete',
    requestURI: `/api/v1/namespaces/${fields.namespace ?? 'prod'}/secrets/${fields.name ?? 'db'}`,
    verb: fields.verb ?? 'get',
    user:
      fields.username === null
        ? {}
        : {
            username: fields.username ?? 'system:serviceaccount:ci:deployer',
            groups: ['system:serviceaccounts', 'system:authenticated'],
          },
    ...(fields.impersonated ? { impersonatedUser: { username: fields.impersonated } } : {}),
    sourceIPs: [fields.sourceIP ?? '10.0.12.7'],
    userAgent: 'kubectl/v1.31.0 (linux/amd64) kubernetes/abc',
    objectRef: {
      resource: fields.resource ?? 'secrets',
      namespace: fields.namespace ?? 'prod',
      name: fields.name ?? 'db',
      apiVersion: 'v1',
      ...(fields.apiGroup ? { apiGroup: fields.apiGroup } : {}),
      ...(fields.subresource ? { subresource: fields.subresource } : {}),
    },
    responseStatus: { metadata: {}, code: fields.code ?? 200 },
    requestReceivedTimestamp: time,
    stageTimestamp: time,
    annotations: { 'authorization.k8s.io/decision': 'allow' },
  };
}

/** Write events as JSON lines (gzipped when the name ends in .gz), or as one JSON array with `array`. */
export function writeEvents(path: string, events: unknown[], options: { array?: boolean } = {}): void {
  mkdirSync(dirname(path), { recursive: true });
  const text = options.array
    ? JSON.stringify(events, null, 2)
    : `${events.map((e) => JSON.stringify(e)).join('\n')}\n`;
  writeFileSync(path, path.endsWith('.gz') ? gzipSync(text) : text);
}
