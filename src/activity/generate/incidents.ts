import {
  type Calls,
  CLUSTER,
  type Context,
  type Day,
  eksOidcProvider,
  NETWORKS,
  stagingDeploy,
  USER_AGENTS,
} from './behaviour.js';
import {
  type AwsOrigin,
  assumeRole,
  assumeRoleWithWebIdentity,
  awsCall,
  type GcpOrigin,
  gcpCall,
  gcsObject,
  HOUR,
  iam,
  type K8sOrigin,
  k8sCall,
  MINUTE,
  onResource,
  onServiceAccount,
  s3List,
  s3Object,
  serviceAssumesRole,
  ticker,
} from './calls.js';
import type { Random } from './random.js';

/**
 * The anomaly rules of docs/activity.md#anomaly-detectors (rules/anomaly-*.yaml) an incident is
 * expected to trip; the evaluation reports which of them fired.
 */
export type Detector =
  | 'anomaly-first-sensitive-action'
  | 'anomaly-first-production-access'
  | 'anomaly-path-first-exercised'
  | 'anomaly-new-source-network'
  | 'anomaly-new-region'
  | 'anomaly-new-user-agent'
  | 'anomaly-access-denied-burst'
  | 'anomaly-volume-spike'
  | 'anomaly-dormant-identity-active';

/** One injected incident, as the ground-truth manifest records it. */
export interface Incident {
  id: string;
  title: string;
  /** The identity a detector should flag first, as the activity store names it. */
  identity: string;
  /** Every identity the incident's events are attributed to (the chain it went through). */
  identities: string[];
  /** The first and last event of the incident (ISO-8601). */
  start: string;
  end: string;
  expected: Detector[];
  /** Its events per source. */
  events: Partial<Record<LogSource, number>>;
}

export type LogSource = 'aws-cloudtrail' | 'gcp-audit' | 'kubernetes-audit';

interface Definition {
  id: string;
  title: string;
  /** Days before the end of the generated period (1: the last day). */
  daysBack: number;
  /** The hour (UTC) it starts. */
  hour: number;
  expected: Detector[];
  run: (ctx: Context, r: Random, start: number) => { identity: string; identities: string[] };
}

/**
 * Inject every incident into `ctx.out` (each from a random stream of its own) and return the
 * manifest: which identities, when, and which detectors should see it.
 */
export function injectIncidents(ctx: Context): Incident[] {
  return INCIDENTS.map((incident) => {
    const day = ctx.days[Math.max(0, ctx.days.length - incident.daysBack)] as Day;
    const start = day.start + incident.hour * HOUR + 7 * MINUTE;
    const own: Calls = { aws: [], gcp: [], k8s: [] };
    const { identity, identities } = incident.run(
      { ...ctx, out: own },
      ctx.stream(`incident:${incident.id}`),
      start,
    );
    const times = [...own.aws, ...own.gcp, ...own.k8s].map((c) => c.time);
    ctx.out.aws.push(...own.aws);
    ctx.out.gcp.push(...own.gcp);
    ctx.out.k8s.push(...own.k8s);
    return {
      id: incident.id,
      title: incident.title,
      identity,
      identities,
      start: new Date(Math.min(...times)).toISOString(),
      end: new Date(Math.max(...times)).toISOString(),
      expected: incident.expected,
      events: {
        ...(own.aws.length ? { 'aws-cloudtrail': own.aws.length } : {}),
        ...(own.gcp.length ? { 'gcp-audit': own.gcp.length } : {}),
        ...(own.k8s.length ? { 'kubernetes-audit': own.k8s.length } : {}),
      },
    };
  });
}

const INCIDENTS: Definition[] = [
  {
    id: 'leaked-ci-key',
    title:
      'The access key of the CI user iam-helper is used from a new network: reconnaissance with bursts of access denied, a trust policy rewritten, then a role chain (prod-poweruser → prod-ops-automation) to the payments secret and customer data',
    daysBack: 4,
    hour: 22,
    expected: [
      'anomaly-new-source-network',
      'anomaly-new-user-agent',
      'anomaly-new-region',
      'anomaly-access-denied-burst',
      'anomaly-first-sensitive-action',
      'anomaly-first-production-access',
    ],
    run: leakedCiKey,
  },
  {
    id: 'dormant-deploy-role',
    title:
      'The staging deploy role staging-deployer, silent since the first days, is assumed and deploys again',
    daysBack: 3,
    hour: 11,
    expected: ['anomaly-dormant-identity-active'],
    run: (ctx, r, start) => {
      stagingDeploy(ctx, r, start, 2);
      return {
        identity: ctx.estate.awsRole('role/staging-deployer').arn,
        // The Lambda service assumes tooling-automation, whose session assumes staging-deployer.
        identities: [
          ctx.estate.awsRole('role/staging-deployer').arn,
          ctx.estate.awsRole('role/tooling-automation').arn,
          'aws:service:lambda.amazonaws.com',
        ],
      };
    },
  },
  {
    id: 'bot-reads-production-bucket',
    title:
      'The batch instance role prod-batch-worker reads the production bucket acme-prod-customer-data, which it never read',
    daysBack: 5,
    hour: 15,
    expected: ['anomaly-first-production-access', 'anomaly-path-first-exercised'],
    run: botReadsBucket,
  },
  {
    id: 'gcp-service-account-key-minting',
    title:
      'The GCP service account legacy-etl@, from outside, tries to create keys for other service accounts (refused by the organization deny policy) and to change the project’s and the bucket’s IAM policies (refused), mints an access token for data-exporter@ and reads the exports as it',
    daysBack: 2,
    hour: 3,
    expected: [
      'anomaly-first-sensitive-action',
      'anomaly-new-source-network',
      'anomaly-new-user-agent',
      'anomaly-access-denied-burst',
    ],
    run: gcpKeyMinting,
  },
  {
    id: 'workload-token-outside-cluster',
    title:
      'The token of the service account payments/api is used from outside the cluster: Kubernetes discovery with refusals, and the IRSA role payments-irsa assumed with it to read customer data',
    daysBack: 1,
    hour: 19,
    expected: ['anomaly-new-source-network', 'anomaly-new-user-agent', 'anomaly-access-denied-burst'],
    run: workloadTokenOutside,
  },
];

const DENIED = { errorCode: 'AccessDenied' } as const;

function leakedCiKey(ctx: Context, r: Random, start: number) {
  const { estate, out } = ctx;
  const user = estate.awsUser('user/ci/iam-helper');
  const poweruser = estate.awsRole('role/prod-poweruser');
  const automation = estate.awsRole('role/prod-ops-automation');
  const attacker = `${NETWORKS.attacker}.45`;
  const cli = (command: string) =>
    `aws-cli/2.13.25 Python/3.11.5 Darwin/22.6.0 exe/x86_64 prompt/off command/${command}`;
  const key: AwsOrigin = {
    actor: { type: 'IAMUser', user },
    ip: attacker,
    userAgent: cli('sts.get-caller-identity'),
  };
  const clock = ticker(start);
  const next = (min: number, max: number) => clock(r.int(min, max) * 1000);
  out.aws.push({
    ...awsCall(key, next(0, 5), user.accountId, 'sts.amazonaws.com', 'GetCallerIdentity', {
      requestParameters: null,
    }),
    region: 'us-east-1',
  });
  for (const name of ['ListUsers', 'ListRoles', 'ListPolicies', 'GetAccountAuthorizationDetails'])
    out.aws.push(
      iam({ ...key, userAgent: cli(`iam.${kebab(name)}`) }, next(1, 4), user.accountId, name, null, DENIED),
    );
  out.aws.push(
    iam(
      { ...key, userAgent: cli('iam.list-attached-user-policies') },
      next(1, 4),
      user.accountId,
      'ListAttachedUserPolicies',
      { userName: user.name },
      DENIED,
    ),
  );
  // The usual sweep of a stolen key: every region, every service that lists what an account holds.
  const boto = {
    ...key,
    userAgent:
      'Boto3/1.34.11 md/Botocore#1.34.11 ua/2.0 os/macos#22.6.0 md/arch#x86_64 lang/python#3.11.5 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.11',
  };
  for (const region of ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-1']) {
    for (const [source, name] of [
      ['ec2.amazonaws.com', 'DescribeInstances'],
      ['secretsmanager.amazonaws.com', 'ListSecrets'],
      ['lambda.amazonaws.com', 'ListFunctions20150331'],
      ['dynamodb.amazonaws.com', 'ListTables'],
      ['rds.amazonaws.com', 'DescribeDBInstances'],
    ] as const)
      out.aws.push({
        ...awsCall(boto, next(0, 2), user.accountId, source, name, {
          requestParameters: null,
          ...DENIED,
          errorCode: source.startsWith('ec2') ? 'Client.UnauthorizedOperation' : 'AccessDenied',
        }),
        region,
      });
  }
  out.aws.push({
    ...awsCall(boto, next(1, 3), user.accountId, 's3.amazonaws.com', 'ListBuckets', {
      requestParameters: { Host: 's3.amazonaws.com' },
      ...DENIED,
    }),
    region: 'us-east-1',
  });
  // Guessing role names: refused names do not exist, the real ones answer.
  for (const name of [
    'OrganizationAccountAccessRole',
    'admin',
    'Administrator',
    'prod-admin',
    'prod-poweruser',
    'prod-ops-automation',
    'prod-security-auditor',
  ])
    out.aws.push(
      iam(
        { ...key, userAgent: cli('iam.get-role') },
        next(2, 6),
        user.accountId,
        'GetRole',
        { roleName: name },
        name.startsWith('prod-') && name !== 'prod-admin'
          ? {}
          : {
              errorCode: 'NoSuchEntityException',
              errorMessage: `The role with name ${name} cannot be found.`,
            },
      ),
    );
  // The key may rewrite any role's trust policy: prod-ops-automation now trusts prod-poweruser.
  out.aws.push(
    iam(
      { ...key, userAgent: cli('iam.update-assume-role-policy') },
      next(30, 90),
      user.accountId,
      'UpdateAssumeRolePolicy',
      {
        roleName: automation.name,
        policyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
            { Effect: 'Allow', Principal: { AWS: poweruser.arn }, Action: 'sts:AssumeRole' },
          ],
        }),
      },
      { readOnly: false },
    ),
  );
  const first = assumeRole(
    { ...key, userAgent: cli('sts.assume-role') },
    next(20, 60),
    poweruser,
    'iam-helper',
    r,
  );
  out.aws.push(first.call);
  const second = assumeRole(
    { actor: first.actor, ip: attacker, userAgent: cli('sts.assume-role') },
    next(10, 30),
    automation,
    'ops',
    r,
  );
  out.aws.push(second.call);
  const inside: AwsOrigin = { actor: second.actor, ip: attacker, userAgent: boto.userAgent };
  const secret = {
    arn: estate.arn('AwsSecret', 'secret:prod/payments/db-AbCdEf'),
    accountId: automation.accountId,
    type: 'AWS::SecretsManager::Secret',
  };
  out.aws.push(
    onResource(inside, next(5, 20), secret, 'secretsmanager.amazonaws.com', 'GetSecretValue', {
      secretId: secret.arn,
    }),
  );
  const data = { arn: estate.arn('AwsS3Bucket', 'acme-prod-customer-data'), accountId: automation.accountId };
  out.aws.push(s3List(inside, next(5, 20), data, ''));
  for (let i = 0; i < 40; i++)
    out.aws.push(
      s3Object(
        inside,
        next(1, 4),
        data,
        'GetObject',
        `exports/${i % 4 === 0 ? 'archive' : 'latest'}/customers-${i}.csv.gz`,
      ),
    );
  return { identity: user.arn, identities: [user.arn, poweruser.arn, automation.arn] };
}

function kebab(name: string): string {
  return name.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();
}

function botReadsBucket(ctx: Context, r: Random, start: number) {
  const { estate, out } = ctx;
  const role = estate.awsRole('role/prod-batch-worker');
  const instance = estate.prop(estate.node('AwsEc2Instance', 'instance/i-0b5e7c1d2a3f40001'), 'instanceId');
  const { call, actor } = serviceAssumesRole('ec2.amazonaws.com', start - 5 * MINUTE, role, instance, r);
  out.aws.push(call);
  const origin: AwsOrigin = { actor, ip: '10.30.12.44', userAgent: USER_AGENTS.ec2Python };
  const data = { arn: estate.arn('AwsS3Bucket', 'acme-prod-customer-data'), accountId: role.accountId };
  const t = ticker(start);
  out.aws.push(s3List(origin, t(0), data, 'exports/'));
  for (let i = 0; i < 120; i++)
    out.aws.push(
      s3Object(
        origin,
        t(r.int(1, 6) * 1000),
        data,
        'GetObject',
        `exports/2026/customers-${String(i).padStart(4, '0')}.csv.gz`,
      ),
    );
  return { identity: role.arn, identities: [role.arn] };
}

function gcpKeyMinting(ctx: Context, r: Random, start: number) {
  const { estate, out } = ctx;
  const etl = estate.gcpServiceAccount('legacy-etl@acme-prod-data.iam.gserviceaccount.com');
  const exporter = estate.gcpServiceAccount('data-exporter@acme-prod-data.iam.gserviceaccount.com');
  const targets = [
    exporter,
    estate.gcpServiceAccount('gha-deployer@acme-prod-data.iam.gserviceaccount.com'),
    estate.gcpServiceAccount('terraform@acme-platform.iam.gserviceaccount.com'),
    etl,
  ];
  const where = {
    ip: `${NETWORKS.outside}.77`,
    userAgent:
      'google-cloud-sdk gcloud/470.0.0 command/gcloud.iam.service-accounts.keys.create invocation-id/7f3a environment/None',
  };
  const origin: GcpOrigin = { principalEmail: etl.email, ...where };
  const t = ticker(start);
  // The organization's deny policy no-new-sa-keys refuses key creation to all but gcp-admins@.
  for (const target of [...targets, ...targets.slice(0, 2)])
    out.gcp.push(
      onServiceAccount(
        origin,
        t(r.int(3, 20) * 1000),
        target,
        'iam.googleapis.com',
        'google.iam.admin.v1.CreateServiceAccountKey',
        'iam.serviceAccountKeys.create',
        'activity',
        7,
      ),
    );
  // Then what an editor's credential may try next: the project's and the bucket's IAM policies (editors cannot set them).
  const bucket = String(estate.node('GcpStorageBucket', 'acme-prod-exports').properties.name);
  for (let i = 0; i < 2; i++)
    out.gcp.push(
      gcpCall(origin, t(r.int(5, 15) * 1000), etl.projectId, {
        log: 'activity',
        serviceName: 'cloudresourcemanager.googleapis.com',
        methodName: 'SetIamPolicy',
        resourceName: `projects/${etl.projectId}`,
        permission: 'resourcemanager.projects.setIamPolicy',
        resource: { type: 'project', labels: { project_id: etl.projectId } },
        code: 7,
      }),
    );
  for (let i = 0; i < 2; i++)
    out.gcp.push(
      gcpCall(origin, t(r.int(5, 15) * 1000), etl.projectId, {
        log: 'activity',
        serviceName: 'storage.googleapis.com',
        methodName: 'storage.setIamPermissions',
        resourceName: `projects/_/buckets/${bucket}`,
        permission: 'storage.buckets.setIamPolicy',
        resource: {
          type: 'gcs_bucket',
          labels: { project_id: etl.projectId, bucket_name: bucket, location: 'europe-west1' },
        },
        code: 7,
      }),
    );
  out.gcp.push(
    onServiceAccount(
      { ...origin, userAgent: 'google-cloud-sdk gcloud/470.0.0 command/gcloud.auth.print-access-token' },
      t(40_000),
      exporter,
      'iamcredentials.googleapis.com',
      'GenerateAccessToken',
      'iam.serviceAccounts.getAccessToken',
      'data_access',
    ),
  );
  const as: GcpOrigin = {
    principalEmail: exporter.email,
    delegation: [{ email: etl.email }],
    ip: where.ip,
    userAgent: USER_AGENTS.gcloud,
  };
  out.gcp.push(gcsObject(as, t(10_000), exporter.projectId, bucket, 'storage.objects.list', undefined));
  for (let i = 0; i < 15; i++)
    out.gcp.push(
      gcsObject(
        as,
        t(r.int(2, 8) * 1000),
        exporter.projectId,
        bucket,
        'storage.objects.get',
        `exports/archive/part-${String(i).padStart(5, '0')}.csv.gz`,
      ),
    );
  return { identity: `gcp:sa:${etl.email}`, identities: [`gcp:sa:${etl.email}`, `gcp:sa:${exporter.email}`] };
}

function workloadTokenOutside(ctx: Context, r: Random, start: number) {
  const { estate, out } = ctx;
  const outside = `${NETWORKS.outside}.140`;
  const kube: K8sOrigin = {
    username: 'system:serviceaccount:payments:api',
    groups: ['system:serviceaccounts', 'system:serviceaccounts:payments', 'system:authenticated'],
    ip: outside,
    userAgent: 'kubectl/v1.29.3 (darwin/arm64) kubernetes/6813625',
  };
  const clock = ticker(start);
  const next = () => clock(r.int(2, 9) * 1000);
  out.k8s.push(
    k8sCall(
      kube,
      next(),
      'create',
      { resource: 'selfsubjectrulesreviews', apiGroup: 'authorization.k8s.io' },
      201,
    ),
  );
  out.k8s.push(
    k8sCall(kube, next(), 'get', { resource: 'configmaps', namespace: 'payments', name: 'payments-api' }),
  );
  for (const [verb, resource, namespace, name] of [
    ['list', 'secrets', 'payments', undefined],
    ['get', 'secrets', 'payments', 'payments-db'],
    ['list', 'pods', 'payments', undefined],
    ['list', 'namespaces', undefined, undefined],
    ['list', 'secrets', 'kube-system', undefined],
    ['list', 'serviceaccounts', 'payments', undefined],
    ['get', 'configmaps', 'kube-system', 'aws-auth'],
    ['list', 'secrets', 'default', undefined],
    ['list', 'deployments', 'payments', undefined],
    ['list', 'configmaps', 'kube-system', undefined],
    ['get', 'secrets', 'kube-system', 'aws-load-balancer-tls'],
    ['list', 'clusterrolebindings', undefined, undefined],
    ['create', 'pods', 'payments', undefined],
  ] as const)
    out.k8s.push(
      k8sCall(
        kube,
        next(),
        verb,
        { resource, ...(namespace ? { namespace } : {}), ...(name ? { name } : {}) },
        403,
      ),
    );
  // The projected token is also an OIDC token AWS accepts for the IRSA role, from anywhere.
  const role = estate.awsRole('role/payments-irsa');
  const assumed = assumeRoleWithWebIdentity(
    next(),
    eksOidcProvider(estate),
    'system:serviceaccount:payments:api',
    role,
    'laptop',
    {
      ip: outside,
      userAgent:
        'aws-cli/2.15.30 Python/3.11.8 Darwin/23.4.0 exe/arm64 prompt/off command/sts.assume-role-with-web-identity',
    },
    r,
  );
  out.aws.push(assumed.call);
  const origin: AwsOrigin = {
    actor: assumed.actor,
    ip: outside,
    userAgent: 'aws-cli/2.15.30 Python/3.11.8 Darwin/23.4.0 exe/arm64 prompt/off command/s3.cp',
  };
  const data = { arn: estate.arn('AwsS3Bucket', 'acme-prod-customer-data'), accountId: role.accountId };
  out.aws.push(s3List(origin, next(), data, '', DENIED));
  for (let i = 0; i < 20; i++)
    out.aws.push(
      s3Object(
        origin,
        next(),
        data,
        'GetObject',
        `receipts/${new Date(start - i * 86_400_000).toISOString().slice(0, 10)}/index.json`,
      ),
    );
  const provider = eksOidcProvider(estate).arn.replace(/^arn:aws:iam::\d{12}:oidc-provider\//, '');
  return {
    identity: `k8s:${CLUSTER}:payments:sa:api`,
    // The web identity subject the token is, as CloudTrail names the AssumeRoleWithWebIdentity caller.
    identities: [
      `k8s:${CLUSTER}:payments:sa:api`,
      `oidc:${provider}:system:serviceaccount:payments:api`,
      role.arn,
    ],
  };
}
