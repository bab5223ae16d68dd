import type { AwsRoleRef } from './estate.js';
import type { Random } from './random.js';
import type { AwsActor, AwsCall, GcpCall, K8sCall } from './records.js';

/**
 * Constructors of the calls the behaviours and incidents make, one per API family, so each carries
 * the fields its service really logs: S3 and DynamoDB data events name their object and table in
 * `resources`, STS calls the role, IAM calls are global (us-east-1).
 */

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Where a caller is and what it runs: the parts of a call that stay the same for one actor. */
export interface AwsOrigin {
  actor: AwsActor;
  ip: string;
  userAgent: string;
  vpcEndpointId?: string;
}

export const REGION = 'eu-west-1';

type Extra = Partial<Omit<AwsCall, 'time' | 'actor' | 'ip' | 'userAgent'>>;

export function awsCall(
  origin: AwsOrigin,
  time: number,
  account: string,
  eventSource: string,
  eventName: string,
  extra: Extra = {},
): AwsCall {
  return {
    time,
    account,
    region: REGION,
    actor: origin.actor,
    eventSource,
    eventName,
    ip: origin.ip,
    userAgent: origin.userAgent,
    readOnly: /^(Get|List|Describe|Head|Query|Scan|Lookup|Decrypt|Search|Batch[A-Z]\w*Get)/.test(eventName),
    ...(origin.vpcEndpointId ? { vpcEndpointId: origin.vpcEndpointId } : {}),
    ...extra,
  };
}

/** An S3 object-level data event (GetObject, PutObject, DeleteObject): the object, then its bucket. */
export function s3Object(
  origin: AwsOrigin,
  time: number,
  bucket: { arn: string; accountId: string },
  eventName: 'GetObject' | 'PutObject' | 'DeleteObject' | 'HeadObject',
  key: string,
  extra: Extra = {},
): AwsCall {
  const name = bucket.arn.slice('arn:aws:s3:::'.length);
  return awsCall(origin, time, bucket.accountId, 's3.amazonaws.com', eventName, {
    data: true,
    requestParameters: { bucketName: name, Host: `${name}.s3.${REGION}.amazonaws.com`, key },
    resources: [
      { type: 'AWS::S3::Object', ARN: `${bucket.arn}/${key}` },
      { accountId: bucket.accountId, type: 'AWS::S3::Bucket', ARN: bucket.arn },
    ],
    ...extra,
  });
}

/** An S3 bucket-level data event (ListObjects: the `s3:ListBucket` permission). */
export function s3List(
  origin: AwsOrigin,
  time: number,
  bucket: { arn: string; accountId: string },
  prefix: string,
  extra: Extra = {},
): AwsCall {
  const name = bucket.arn.slice('arn:aws:s3:::'.length);
  return awsCall(origin, time, bucket.accountId, 's3.amazonaws.com', 'ListObjects', {
    data: true,
    requestParameters: {
      bucketName: name,
      Host: `${name}.s3.${REGION}.amazonaws.com`,
      prefix,
      'list-type': '2',
    },
    resources: [{ accountId: bucket.accountId, type: 'AWS::S3::Bucket', ARN: bucket.arn }],
    ...extra,
  });
}

/** A DynamoDB item-level data event on a table. */
export function dynamo(
  origin: AwsOrigin,
  time: number,
  table: { arn: string; accountId: string },
  eventName: string,
  extra: Extra = {},
): AwsCall {
  const data = !['DescribeTable', 'ListTables'].includes(eventName);
  return awsCall(origin, time, table.accountId, 'dynamodb.amazonaws.com', eventName, {
    data,
    requestParameters: { tableName: table.arn.split('/').pop() },
    resources: [{ accountId: table.accountId, type: 'AWS::DynamoDB::Table', ARN: table.arn }],
    ...extra,
  });
}

/** A call on one resource of a management API (kms:Decrypt, secretsmanager:GetSecretValue, lambda:GetFunction…). */
export function onResource(
  origin: AwsOrigin,
  time: number,
  resource: { arn: string; accountId: string; type: string },
  eventSource: string,
  eventName: string,
  requestParameters: Record<string, unknown>,
  extra: Extra = {},
): AwsCall {
  return awsCall(origin, time, resource.accountId, eventSource, eventName, {
    requestParameters,
    resources: [{ accountId: resource.accountId, type: resource.type, ARN: resource.arn }],
    ...extra,
  });
}

/** An IAM call: IAM is global, its events are in us-east-1. */
export function iam(
  origin: AwsOrigin,
  time: number,
  account: string,
  eventName: string,
  requestParameters: Record<string, unknown> | null,
  extra: Extra = {},
): AwsCall {
  return {
    ...awsCall(origin, time, account, 'iam.amazonaws.com', eventName, { requestParameters, ...extra }),
    region: 'us-east-1',
  };
}

/** A temporary access key id of a role session. */
export function sessionKey(random: Random): string {
  return `ASIA${random.chars(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`;
}

/**
 * `sts:AssumeRole` by `origin` into `role`, recorded in the role's account, and the session it
 * opens (carrying `sourceIdentity` along the chain when the caller's session has one).
 */
export function assumeRole(
  origin: AwsOrigin,
  time: number,
  role: AwsRoleRef,
  session: string,
  random: Random,
  extra: Extra = {},
): { call: AwsCall; actor: AwsActor } {
  const key = sessionKey(random);
  const sourceIdentity = origin.actor.type === 'AssumedRole' ? origin.actor.sourceIdentity : undefined;
  const call = awsCall(origin, time, role.accountId, 'sts.amazonaws.com', 'AssumeRole', {
    readOnly: true,
    requestParameters: { roleArn: role.arn, roleSessionName: session, durationSeconds: 3600 },
    responseElements: {
      credentials: {
        accessKeyId: key,
        sessionToken: random.chars(40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'),
        expiration: new Date(time + HOUR).toUTCString(),
      },
      assumedRoleUser: {
        assumedRoleId: `${role.roleId}:${session}`,
        arn: `arn:aws:sts::${role.accountId}:assumed-role/${role.name}/${session}`,
      },
    },
    resources: [{ ARN: role.arn, accountId: role.accountId, type: 'AWS::IAM::Role' }],
    ...extra,
  });
  const actor: AwsActor = {
    type: 'AssumedRole',
    role,
    session,
    accessKeyId: key,
    issued: time,
    ...(sourceIdentity ? { sourceIdentity } : {}),
  };
  return { call, actor };
}

/**
 * `sts:AssumeRoleWithWebIdentity` by an OIDC subject (a GitHub Actions workflow, an EKS service
 * account's projected token) into `role`, and the session it opens.
 */
export function assumeRoleWithWebIdentity(
  time: number,
  provider: { arn: string; audience: string },
  subject: string,
  role: AwsRoleRef,
  session: string,
  where: { ip: string; userAgent: string },
  random: Random,
): { call: AwsCall; actor: AwsActor } {
  const key = sessionKey(random);
  const origin: AwsOrigin = {
    actor: { type: 'WebIdentityUser', providerArn: provider.arn, subject, audience: provider.audience },
    ...where,
  };
  const call = awsCall(origin, time, role.accountId, 'sts.amazonaws.com', 'AssumeRoleWithWebIdentity', {
    readOnly: true,
    requestParameters: { roleArn: role.arn, roleSessionName: session },
    responseElements: {
      subjectFromWebIdentityToken: subject,
      assumedRoleUser: {
        assumedRoleId: `${role.roleId}:${session}`,
        arn: `arn:aws:sts::${role.accountId}:assumed-role/${role.name}/${session}`,
      },
      provider: provider.arn,
      audience: provider.audience,
      credentials: { accessKeyId: key, expiration: new Date(time + HOUR).toUTCString() },
    },
    resources: [{ ARN: role.arn, accountId: role.accountId, type: 'AWS::IAM::Role' }],
  });
  const actor: AwsActor = {
    type: 'AssumedRole',
    role,
    session,
    accessKeyId: key,
    issued: time,
    webIdentityProvider: provider.arn,
  };
  return { call, actor };
}

/** A service (lambda.amazonaws.com, ec2.amazonaws.com) assuming a role for a function or an instance. */
export function serviceAssumesRole(
  service: string,
  time: number,
  role: AwsRoleRef,
  session: string,
  random: Random,
): { call: AwsCall; actor: AwsActor } {
  const origin: AwsOrigin = { actor: { type: 'AWSService', service }, ip: service, userAgent: service };
  return assumeRole(origin, time, role, session, random);
}

/** Where a GCP caller is: everything of a call but the time, method and resource. */
export interface GcpOrigin {
  principalEmail?: string;
  principalSubject?: string;
  delegation?: GcpCall['delegation'];
  ip: string;
  userAgent: string;
}

export function gcpCall(
  origin: GcpOrigin,
  time: number,
  project: string,
  call: Omit<GcpCall, 'time' | 'project' | keyof GcpOrigin>,
): GcpCall {
  return { ...origin, time, project, ...call };
}

/** A Cloud Storage object call (a Data Access log entry of the bucket). */
export function gcsObject(
  origin: GcpOrigin,
  time: number,
  project: string,
  bucket: string,
  method:
    | 'storage.objects.get'
    | 'storage.objects.create'
    | 'storage.objects.list'
    | 'storage.objects.delete',
  object: string | undefined,
  code?: number,
): GcpCall {
  return gcpCall(origin, time, project, {
    log:
      method === 'storage.objects.create' || method === 'storage.objects.delete'
        ? 'data_access'
        : 'data_access',
    serviceName: 'storage.googleapis.com',
    methodName: method,
    resourceName: object ? `projects/_/buckets/${bucket}/objects/${object}` : `projects/_/buckets/${bucket}`,
    permission: method,
    resource: {
      type: 'gcs_bucket',
      labels: { project_id: project, bucket_name: bucket, location: 'europe-west1' },
    },
    location: 'europe-west1',
    ...(code ? { code } : {}),
  });
}

/** A call on a service account (IAM admin, or IAM credentials for tokens). */
export function onServiceAccount(
  origin: GcpOrigin,
  time: number,
  target: { email: string; projectId: string },
  service: 'iam.googleapis.com' | 'iamcredentials.googleapis.com',
  method: string,
  permission: string,
  log: GcpCall['log'],
  code?: number,
): GcpCall {
  return gcpCall(origin, time, target.projectId, {
    log,
    serviceName: service,
    methodName: method,
    resourceName: `projects/-/serviceAccounts/${target.email}`,
    permission,
    resource: { type: 'service_account', labels: { project_id: target.projectId, email_id: target.email } },
    ...(code ? { code } : {}),
  });
}

/** Where a Kubernetes caller is. */
export interface K8sOrigin {
  username: string;
  groups: string[];
  ip: string;
  userAgent: string;
}

export function k8sCall(
  origin: K8sOrigin,
  time: number,
  verb: string,
  resource: K8sCall['resource'],
  code = 200,
  durationMs?: number,
): K8sCall {
  return {
    ...origin,
    time,
    verb,
    ...(resource ? { resource } : {}),
    code,
    ...(durationMs ? { durationMs } : {}),
  };
}

/** A clock that moves forward by each step it is given and tells the new time: the calls of one run, in order. */
export function ticker(start: number): (step: number) => number {
  let now = start;
  return (step) => {
    now += step;
    return now;
  };
}

/** Times of a Poisson process of `perHour` events an hour over [from, to), scaled by `shape(time)`. */
export function poissonTimes(
  random: Random,
  from: number,
  to: number,
  perHour: number,
  shape: (time: number) => number = () => 1,
): number[] {
  const times: number[] = [];
  for (let hour = from; hour < to; hour += HOUR) {
    const n = random.poisson(perHour * shape(hour));
    for (let i = 0; i < n; i++) times.push(hour + Math.floor(random.next() * HOUR));
  }
  return times.sort((a, b) => a - b);
}

/** A daily rhythm: quiet at night (03:00 UTC), busiest mid-afternoon (15:00 UTC), between `low` and 1. */
export function diurnal(low: number): (time: number) => number {
  return (time) => {
    const hour = (time % DAY) / HOUR;
    return low + (1 - low) * (0.5 - 0.5 * Math.cos(((hour - 3) / 24) * 2 * Math.PI));
  };
}

/** Monday to Friday (UTC). */
export function isWeekday(dayStart: number): boolean {
  const weekday = new Date(dayStart).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** `n` moments of working hours (07:00-17:30 UTC) of a day, ordered. */
export function workTimes(random: Random, dayStart: number, n: number): number[] {
  const times: number[] = [];
  for (let i = 0; i < n; i++)
    times.push(
      dayStart +
        7 * HOUR +
        Math.floor(random.next() * random.next() * 0.4 * HOUR + random.next() * 10 * HOUR),
    );
  return times.sort((a, b) => a - b);
}
