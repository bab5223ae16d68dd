import {
  type AwsOrigin,
  assumeRole,
  assumeRoleWithWebIdentity,
  awsCall,
  DAY,
  diurnal,
  dynamo,
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
  poissonTimes,
  REGION,
  s3List,
  s3Object,
  serviceAssumesRole,
  ticker,
  workTimes,
} from './calls.js';
import type { Estate } from './estate.js';
import type { Random } from './random.js';
import type { AwsCall, GcpCall, K8sCall } from './records.js';

/**
 * The normal behaviour of the sample estate's identities over the generated days: each actor has a
 * rhythm of its own (a service around the clock with a daily curve, CI runs on weekdays in bursts,
 * nightly and weekly jobs, working-hours bots), stable actions, resources, networks, regions and user
 * agents, volumes with noise, and a small rate of ordinary errors (a missing object, a throttled or
 * conditional write). Identities the estate has but nothing here uses stay silent: unused grants.
 *
 * Public addresses are from the documentation (RFC 5737) and benchmarking (RFC 2544) ranges.
 */
export const NETWORKS = {
  /** The office (people, and the release and support bots run from there). */
  office: '192.0.2',
  /** The NAT of the self-hosted CI runners. */
  ci: '198.51.100',
  /** The on-premises data centre (backups, the legacy ETL). */
  onPrem: '198.18.20',
  /** The analytics vendor of account 999999999999. */
  vendor: '198.18.7',
  /** Used by incidents only. */
  attacker: '203.0.113',
  /** Used by incidents only: a cloud VM outside the estate. */
  outside: '198.19.250',
} as const;

export const USER_AGENTS = {
  cli: (command: string) =>
    `aws-cli/2.15.30 Python/3.11.8 Linux/6.1.0-18-cloud-amd64 exe/x86_64.debian.12 prompt/off command/${command}`,
  githubActions:
    'aws-sdk-js/3.540.0 ua/2.0 os/linux#6.5.0-1016-azure lang/js md/nodejs#20.11.1 api/sts#3.540.0',
  lambdaPython:
    'Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#5.10.219-229.866.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.3 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 cfg/retry-mode#legacy Botocore/1.34.69',
  ec2Python:
    'Boto3/1.34.40 md/Botocore#1.34.40 ua/2.0 os/linux#6.1.82-99.168.amzn2023.x86_64 md/arch#x86_64 lang/python#3.11.6 md/pyimpl#CPython cfg/retry-mode#standard Botocore/1.34.40',
  goSdk: (api: string) =>
    `aws-sdk-go-v2/1.30.3 ua/2.0 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 api/${api}`,
  terraform:
    'APN/1.0 HashiCorp/1.0 Terraform/1.8.5 (+https://www.terraform.io) terraform-provider-aws/5.58.0',
  kubectl: 'kubectl/v1.30.2 (linux/amd64) kubernetes/3968350',
  kubelet: 'kubelet/v1.30.4 (linux/amd64) kubernetes/a737599',
  gcloud: 'google-cloud-sdk gcloud/485.0.0 command/gcloud.storage.cp invocation-id/0 environment/None',
  gcsPython: 'gcloud-python/2.17.0 gl-python/3.11.9 grpc/1.64.1 gax/2.19.1 gccl/2.17.0',
  apiClientPython: 'google-api-python-client/2.137.0 (gzip)',
  terraformGoogle:
    'Terraform/1.8.5 (+https://www.terraform.io) Terraform-Plugin-SDK/2.33.0 terraform-provider-google/5.38.0',
  githubGcp: 'google-github-actions:auth/2.1.3',
} as const;

/** One generated day: its first millisecond (00:00 UTC), its index from 0, and whether it is a weekday. */
export interface Day {
  start: number;
  index: number;
  weekday: boolean;
}

export interface Calls {
  aws: AwsCall[];
  gcp: GcpCall[];
  k8s: K8sCall[];
}

/** An identity or credential the generated logs show created, and by whom (the manifest's `creations`). */
export interface Creation {
  source: 'aws-cloudtrail' | 'gcp-audit' | 'kubernetes-audit';
  /** As the graph names it (and the store's `creations.created`). */
  created: string;
  creator: string;
  action: string;
  time: string;
}

export interface Context {
  estate: Estate;
  /** The creations the behaviour logged, for the manifest. */
  creations: Creation[];
  days: Day[];
  /** The random stream of an actor or incident: its own sequence for the seed. */
  stream: (name: string) => Random;
  out: Calls;
}

/** The Kubernetes cluster of the sample estate and its API server's OIDC issuer (the IRSA provider). */
export const CLUSTER = 'prod-payments';

/** Call `fail` on a fraction `p` of calls: the ordinary errors of a healthy system. */
function sometimes<T>(random: Random, p: number, call: T, fail: (call: T) => T): T {
  return random.chance(p) ? fail(call) : call;
}

const ip = (network: string, host: number) => `${network}.${host}`;

/** Every normal actor of the sample estate. */
export function normalBehaviour(ctx: Context): void {
  for (const actor of ACTORS) actor(ctx);
}

const ACTORS: ((ctx: Context) => void)[] = [
  awsConfig,
  paymentsLambda,
  opsLambda,
  batchInstance,
  paymentsWorkload,
  githubDeploy,
  githubInfra,
  ciBuilder,
  releaseBot,
  artifactBot,
  opsBot,
  keyRotator,
  supportBot,
  functionsCi,
  iamHelper,
  backupRunner,
  analyticsVendor,
  stagingDeploys,
  kubelets,
  nodeExporter,
  dataExporter,
  legacyEtl,
  terraformRuns,
  githubGcpDeploys,
  provisioning,
];

/**
 * AWS Config in every account of the organization: its service-linked role assumed by
 * `config.amazonaws.com` every few hours. A trail records events in each account every day, so an
 * account's coverage has no gap where its identities are quiet.
 */
function awsConfig(ctx: Context): void {
  const { estate, out } = ctx;
  for (const account of estate.nodes.filter((n) => n.kind === 'AwsAccount')) {
    const r = ctx.stream(`aws-config-${account.id}`);
    const accountId = estate.prop(account, 'accountId');
    const role = {
      arn: `arn:aws:iam::${accountId}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
      accountId,
      name: 'AWSServiceRoleForConfig',
      roleId: `AROA${r.chars(17, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`,
    };
    for (const day of ctx.days)
      for (let t = day.start + r.int(0, 3600) * 1000; t < day.start + DAY; t += r.int(150, 210) * MINUTE)
        out.aws.push(serviceAssumesRole('config.amazonaws.com', t, role, 'AWSConfig-Describe', r).call);
  }
}

function paymentsLambda(ctx: Context): void {
  const { estate, out } = ctx;
  const r = ctx.stream('payments-api');
  const role = estate.awsRole('role/service-role/payments-api-exec');
  const table = { arn: estate.arn('AwsDynamoDbTable', 'table/payments'), accountId: role.accountId };
  const secret = {
    arn: estate.arn('AwsSecret', 'secret:prod/payments/db-AbCdEf'),
    accountId: role.accountId,
    type: 'AWS::SecretsManager::Secret',
  };
  const key = {
    arn: estate.arn('AwsKmsKey', 'key/1234abcd-12ab-34cd-56ef-1234567890ab'),
    accountId: role.accountId,
    type: 'AWS::KMS::Key',
  };
  for (const day of ctx.days) {
    // Lambda refreshes the execution role's credentials for each new execution environment.
    let origin: AwsOrigin | undefined;
    let refresh = 0;
    for (const t of poissonTimes(r, day.start, day.start + DAY, 14, diurnal(0.2))) {
      if (!origin || t > refresh) {
        const { call, actor } = serviceAssumesRole('lambda.amazonaws.com', t - 150, role, 'payments-api', r);
        out.aws.push(call);
        origin = {
          actor,
          ip: ip('10.30.4', r.int(10, 60)),
          userAgent: USER_AGENTS.lambdaPython,
          vpcEndpointId: 'vpce-0a1b2c3d4e5f60001',
        };
        refresh = t + r.int(40, 110) * MINUTE;
        out.aws.push(
          onResource(origin, t - 120, secret, 'secretsmanager.amazonaws.com', 'GetSecretValue', {
            secretId: secret.arn,
          }),
        );
        out.aws.push(
          onResource(origin, t - 100, key, 'kms.amazonaws.com', 'Decrypt', {
            encryptionAlgorithm: 'SYMMETRIC_DEFAULT',
          }),
        );
      }
      const op = r.pick(['GetItem', 'GetItem', 'Query', 'PutItem', 'UpdateItem']);
      out.aws.push(
        sometimes(r, 0.004, dynamo(origin, t, table, op), (c) => ({
          ...c,
          errorCode:
            op === 'UpdateItem'
              ? 'ConditionalCheckFailedException'
              : 'ProvisionedThroughputExceededException',
          errorMessage: 'The conditional request failed',
        })),
      );
    }
  }
}

function opsLambda(ctx: Context): void {
  const { estate, out } = ctx;
  const r = ctx.stream('nightly-ops-cleanup');
  const role = estate.awsRole('role/prod-ops-automation');
  const backups = { arn: estate.arn('AwsS3Bucket', 'acme-prod-backups'), accountId: role.accountId };
  const table = { arn: estate.arn('AwsDynamoDbTable', 'table/payments'), accountId: role.accountId };
  for (const day of ctx.days) {
    const t = day.start + 2 * HOUR + r.int(0, 90) * 1000;
    const { call, actor } = serviceAssumesRole(
      'lambda.amazonaws.com',
      t - 2000,
      role,
      'nightly-ops-cleanup',
      r,
    );
    out.aws.push(call);
    const origin: AwsOrigin = {
      actor,
      ip: ip('10.30.4', r.int(10, 60)),
      userAgent: USER_AGENTS.lambdaPython,
      vpcEndpointId: 'vpce-0a1b2c3d4e5f60001',
    };
    out.aws.push(s3List(origin, t, backups, 'nightly/'));
    const old = new Date(day.start - 35 * DAY).toISOString().slice(0, 10);
    for (let i = 0; i < r.int(3, 6); i++)
      out.aws.push(
        s3Object(origin, t + 2000 + i * 300, backups, 'DeleteObject', `nightly/${old}/payments-${i}.json.gz`),
      );
    out.aws.push(dynamo(origin, t + 5000, table, 'DescribeTable'));
    out.aws.push(
      awsCall(origin, t + 6000, role.accountId, 'rds.amazonaws.com', 'DescribeDBInstances', {
        requestParameters: { dBInstanceIdentifier: 'orders-db' },
      }),
    );
  }
}

function batchInstance(ctx: Context): void {
  const { estate, out } = ctx;
  const r = ctx.stream('batch-worker');
  const role = estate.awsRole('role/prod-batch-worker');
  const instance = estate.prop(estate.node('AwsEc2Instance', 'instance/i-0b5e7c1d2a3f40001'), 'instanceId');
  const table = { arn: estate.arn('AwsDynamoDbTable', 'table/payments'), accountId: role.accountId };
  const backups = { arn: estate.arn('AwsS3Bucket', 'acme-prod-backups'), accountId: role.accountId };
  const secret = {
    arn: estate.arn('AwsSecret', 'secret:prod/payments/db-AbCdEf'),
    accountId: role.accountId,
    type: 'AWS::SecretsManager::Secret',
  };
  const where = { ip: '10.30.12.44', userAgent: USER_AGENTS.ec2Python };
  for (const day of ctx.days) {
    let origin: AwsOrigin | undefined;
    for (let hour = 0; hour < 24; hour++) {
      const t = day.start + hour * HOUR + 5 * MINUTE + r.int(0, 120) * 1000;
      // The instance profile's credentials are refreshed by EC2 about every hour.
      const { call, actor } = serviceAssumesRole(
        'ec2.amazonaws.com',
        t - r.int(5, 30) * MINUTE,
        role,
        instance,
        r,
      );
      out.aws.push(call);
      origin = { actor, ...where };
      out.aws.push(
        onResource(origin, t, secret, 'secretsmanager.amazonaws.com', 'GetSecretValue', {
          secretId: secret.arn,
        }),
      );
      const pages = r.poisson(hour >= 1 && hour <= 5 ? 12 : 4);
      for (let i = 0; i < pages; i++)
        out.aws.push(dynamo(origin, t + 1000 + i * 800, table, r.pick(['Query', 'Query', 'BatchWriteItem'])));
      if (hour === 3) {
        const date = new Date(day.start).toISOString().slice(0, 10);
        for (let i = 0; i < 4; i++)
          out.aws.push(
            s3Object(
              origin,
              t + 60_000 + i * 2000,
              backups,
              'PutObject',
              `batch/${date}/orders-${i}.parquet`,
            ),
          );
      }
    }
  }
}

/** The pods of `payments/api`: IRSA sessions per pod, the table and the customer-data bucket (receipts), and the ConfigMap watch. */
function paymentsWorkload(ctx: Context): void {
  const { estate, out } = ctx;
  const r = ctx.stream('payments-workload');
  const role = estate.awsRole('role/payments-irsa');
  const table = { arn: estate.arn('AwsDynamoDbTable', 'table/payments'), accountId: role.accountId };
  const data = { arn: estate.arn('AwsS3Bucket', 'acme-prod-customer-data'), accountId: role.accountId };
  const provider = eksOidcProvider(estate);
  const pods = estate.k8s('K8sPod', CLUSTER).filter((p) => p.properties.serviceAccount === 'api');
  for (const [n, pod] of pods.entries()) {
    const podIp = `${nodeAddress(String(pod.properties.nodeName)).split('.').slice(0, 3).join('.')}.${100 + n * 7}`;
    const k8s: K8sOrigin = {
      username: 'system:serviceaccount:payments:api',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:payments', 'system:authenticated'],
      ip: podIp,
      userAgent: 'payments-api/v0.0.0 (linux/amd64) kubernetes/$Format',
    };
    for (const day of ctx.days) {
      // The ConfigMap watch of the client library, re-established when the server ends it (5-10 min).
      for (let t = day.start + r.int(0, 300) * 1000; t < day.start + DAY; t += r.int(300, 600) * 1000) {
        const duration = r.int(290, 590) * 1000;
        out.k8s.push(
          k8sCall(
            k8s,
            t,
            'watch',
            { resource: 'configmaps', namespace: 'payments', name: 'payments-api' },
            200,
            duration,
          ),
        );
      }
      let origin: AwsOrigin | undefined;
      let expires = 0;
      for (const t of poissonTimes(r, day.start, day.start + DAY, 10, diurnal(0.15))) {
        if (!origin || t > expires) {
          const session = `aws-go-sdk-${t - 1000}`;
          const assumed = assumeRoleWithWebIdentity(
            t - 1000,
            provider,
            'system:serviceaccount:payments:api',
            role,
            session,
            { ip: podIp, userAgent: USER_AGENTS.goSdk('sts#1.30.3') },
            r,
          );
          out.aws.push(assumed.call);
          origin = {
            actor: assumed.actor,
            ip: podIp,
            userAgent: USER_AGENTS.goSdk('dynamodb#1.34.4'),
            vpcEndpointId: 'vpce-0a1b2c3d4e5f60002',
          };
          expires = t + 55 * MINUTE;
        }
        if (r.chance(0.7)) out.aws.push(dynamo(origin, t, table, r.pick(['GetItem', 'Query'])));
        else {
          const receipt = `receipts/${new Date(t).toISOString().slice(0, 10)}/${r.chars(12)}.pdf`;
          out.aws.push(
            sometimes(
              r,
              0.01,
              s3Object(
                { ...origin, userAgent: USER_AGENTS.goSdk('s3#1.58.2') },
                t,
                data,
                r.chance(0.6) ? 'PutObject' : 'GetObject',
                receipt,
              ),
              (c) =>
                c.eventName === 'GetObject'
                  ? { ...c, errorCode: 'NoSuchKey', errorMessage: 'The specified key does not exist.' }
                  : c,
            ),
          );
        }
      }
    }
  }
}

export function eksOidcProvider(estate: Estate): { arn: string; audience: string } {
  const issuer = estate.prop(estate.node('K8sCluster', `k8s:${CLUSTER}`), 'oidcIssuer');
  const account = estate.awsRole('role/payments-irsa').accountId;
  return {
    arn: `arn:aws:iam::${account}:oidc-provider/${issuer.replace(/^https:\/\//, '')}`,
    audience: 'sts.amazonaws.com',
  };
}

/** `ip-10-20-1-15.eu-west-1.compute.internal` → `10.20.1.15` (EKS names nodes after their private address). */
export function nodeAddress(name: string): string {
  const match = /^ip-(\d+)-(\d+)-(\d+)-(\d+)/.exec(name);
  return match ? match.slice(1, 5).join('.') : '10.20.0.10';
}

const GITHUB = 'token.actions.githubusercontent.com';

/** `acme/deploy` on main: GitHub Actions → gha-deploy → prod-deployer (Lambda code, static assets) → the cluster as ci-deploy. */
function githubDeploy(ctx: Context): void {
  const { estate, out } = ctx;
  const r = ctx.stream('github-deploy');
  const gha = estate.awsRole('role/ci/gha-deploy');
  const deployer = estate.awsRole('role/prod-deployer');
  const provider = {
    arn: `arn:aws:iam::${gha.accountId}:oidc-provider/${GITHUB}`,
    audience: 'sts.amazonaws.com',
  };
  const assets = { arn: estate.arn('AwsS3Bucket', 'acme-prod-public-assets'), accountId: deployer.accountId };
  const fn = {
    arn: estate.arn('AwsLambdaFunction', 'function:payments-api'),
    accountId: deployer.accountId,
    type: 'AWS::Lambda::Function',
  };
  for (const day of ctx.days) {
    if (!day.weekday) continue;
    for (const t of workTimes(r, day.start, r.poisson(3))) {
      const runner = ip(NETWORKS.ci, r.int(10, 13));
      const first = assumeRoleWithWebIdentity(
        t,
        provider,
        'repo:acme/deploy:ref:refs/heads/main',
        gha,
        'GitHubActions',
        { ip: runner, userAgent: USER_AGENTS.githubActions },
        r,
      );
      out.aws.push(first.call);
      const ghaOrigin: AwsOrigin = { actor: first.actor, ip: runner, userAgent: USER_AGENTS.githubActions };
      const second = assumeRole(ghaOrigin, t + 4000, deployer, 'GitHubActions', r);
      out.aws.push(second.call);
      const origin: AwsOrigin = { actor: second.actor, ip: runner, userAgent: USER_AGENTS.cli('s3.sync') };
      for (let i = 0; i < r.int(6, 14); i++)
        out.aws.push(
          s3Object(origin, t + 20_000 + i * 400, assets, 'PutObject', `static/app.${r.chars(8)}.js`),
        );
      const cli = { ...origin, userAgent: USER_AGENTS.cli('lambda.update-function-code') };
      out.aws.push(
        onResource(
          cli,
          t + 40_000,
          fn,
          'lambda.amazonaws.com',
          'UpdateFunctionCode20150331v2',
          { functionName: fn.arn, publish: true },
          { readOnly: false },
        ),
      );
      out.aws.push(
        onResource(cli, t + 45_000, fn, 'lambda.amazonaws.com', 'GetFunction20150331v2', {
          functionName: fn.arn,
        }),
      );
      out.aws.push(
        awsCall(
          { ...origin, userAgent: USER_AGENTS.cli('eks.update-kubeconfig') },
          t + 50_000,
          deployer.accountId,
          'eks.amazonaws.com',
          'DescribeCluster',
          { requestParameters: { name: CLUSTER } },
        ),
      );
      // aws-auth maps prod-deployer to the Kubernetes user ci-deploy (group acme:platform-deployers).
      const kube: K8sOrigin = {
        username: 'ci-deploy',
        groups: ['acme:platform-deployers', 'system:authenticated'],
        ip: runner,
        userAgent: USER_AGENTS.kubectl,
      };
      const deployment = { resource: 'deployments', apiGroup: 'apps', namespace: 'payments', name: 'api' };
      out.k8s.push(k8sCall(kube, t + 55_000, 'get', deployment));
      out.k8s.push(
        sometimes(r, 0.03, k8sCall(kube, t + 56_000, 'patch', deployment), (c) => ({ ...c, code: 409 })),
      );
      for (let i = 0; i < r.int(3, 8); i++)
        out.k8s.push(
          k8sCall(kube, t + 60_000 + i * 5000, 'get', {
            resource: 'deployments',
            apiGroup: 'apps',
            namespace: 'payments',
            name: 'api',
            subresource: 'status',
          }),
        );
      out.k8s.push(k8sCall(kube, t + 100_000, 'list', { resource: 'pods', namespace: 'payments' }));
    }
  }
}

/** `acme/infra` (environment prod): terraform plans on weekdays, state in acme-tf-state, reading prod through prod-readonly. */
function githubInfra(ctx: Context): void {
  const { estate, out } = ctx;
  const r = ctx.stream('github-infra');
  const gha = estate.awsRole('role/ci/gha-infra');
  const readonly = estate.awsRole('role/prod-readonly');
  const provider = {
    arn: `arn:aws:iam::${gha.accountId}:oidc-provider/${GITHUB}`,
    audience: 'sts.amazonaws.com',
  };
  const state = { arn: estate.arn('AwsS3Bucket', 'acme-tf-state'), accountId: gha.accountId };
  const table = { arn: estate.arn('AwsDynamoDbTable', 'table/payments'), accountId: readonly.accountId };
  const roles = ['prod-deployer', 'prod-readonly', 'payments-irsa', 'prod-batch-worker'];
  for (const day of ctx.days) {
    if (!day.weekday) continue;
    for (const t of workTimes(r, day.start, r.poisson(1.5))) {
      const runner = ip(NETWORKS.ci, r.int(10, 13));
      const first = assumeRoleWithWebIdentity(
        t,
        provider,
        'repo:acme/infra:environment:prod',
        gha,
        'GitHubActions',
        { ip: runner, userAgent: USER_AGENTS.githubActions },
        r,
      );
      out.aws.push(first.call);
      const tf: AwsOrigin = { actor: first.actor, ip: runner, userAgent: USER_AGENTS.terraform };
      out.aws.push(s3List(tf, t + 8000, state, 'env/prod/'));
      out.aws.push(s3Object(tf, t + 9000, state, 'GetObject', 'env/prod/terraform.tfstate'));
      const second = assumeRole(tf, t + 12_000, readonly, 'terraform-plan', r);
      out.aws.push(second.call);
      const origin: AwsOrigin = { actor: second.actor, ip: runner, userAgent: USER_AGENTS.terraform };
      const at = ticker(t + 15_000);
      for (const name of roles)
        out.aws.push(iam(origin, at(700), readonly.accountId, 'GetRole', { roleName: name }));
      out.aws.push(dynamo(origin, at(700), table, 'DescribeTable'));
      out.aws.push(
        awsCall(origin, at(700), readonly.accountId, 'ec2.amazonaws.com', 'DescribeInstances', {
          requestParameters: { instancesSet: {}, filterSet: {} },
        }),
      );
      for (const bucket of ['acme-prod-customer-data', 'acme-prod-backups', 'acme-prod-public-assets'])
        out.aws.push(
          awsCall(origin, at(500), readonly.accountId, 's3.amazonaws.com', 'GetBucketPolicy', {
            requestParameters: {
              bucketName: bucket,
              Host: `${bucket}.s3.${REGION}.amazonaws.com`,
              policy: '',
            },
            resources: [
              { accountId: readonly.accountId, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` },
            ],
          }),
        );
      if (r.chance(0.3))
        out.aws.push(s3Object(tf, at(5000), state, 'PutObject', 'env/prod/terraform.tfstate'));
    }
  }
}

function ciBuilder(ctx: Context): void {
  const { estate, out } = ctx;
  const r = ctx.stream('ci-builder');
  const user = estate.awsUser('user/ci/ci-builder');
  const artifacts = { arn: estate.arn('AwsS3Bucket', 'acme-build-artifacts'), accountId: user.accountId };
  for (const day of ctx.days) {
    // Builds on weekdays, a few nightly builds at the weekend.
    const builds = day.weekday
      ? workTimes(r, day.start, r.poisson(9))
      : [day.start + 1 * HOUR + r.int(0, 3600) * 1000];
    for (const t of builds) {
      const origin: AwsOrigin = {
        actor: { type: 'IAMUser', user },
        ip: ip(NETWORKS.ci, r.int(10, 13)),
        userAgent: USER_AGENTS.cli('s3.cp'),
      };
      const build = r.chars(7);
      for (let i = 0; i < r.int(1, 4); i++)
        out.aws.push(
          sometimes(
            r,
            0.02,
            s3Object(origin, t + i * 900, artifacts, 'GetObject', `cache/deps-${r.chars(6)}.tar.zst`),
            (c) => ({ ...c, errorCode: 'NoSuchKey', errorMessage: 'The specified key does not exist.' }),
          ),
        );
      for (let i = 0; i < r.int(2, 6); i++)
        out.aws.push(
          s3Object(
            origin,
            t + 4 * MINUTE + i * 1500,
            artifacts,
            'PutObject',
            `builds/${build}/artifact-${i}.tar.gz`,
          ),
        );
    }
  }
}

function releaseBot(ctx: Context): void {
  const { estate, out } = ctx;
  const r = ctx.stream('release-bot');
  const user = estate.awsUser('user/ci/release-bot');
  const artifacts = { arn: estate.arn('AwsS3Bucket', 'acme-build-artifacts'), accountId: user.accountId };
  for (const day of ctx.days) {
    const weekday = new Date(day.start).getUTCDay();
    if (weekday !== 2 && weekday !== 4) continue;
    const t = day.start + 14 * HOUR + r.int(0, 90) * MINUTE;
    const origin: AwsOrigin = {
      actor: { type: 'IAMUser', user },
      ip: ip(NETWORKS.ci, r.int(10, 13)),
      userAgent: USER_AGENTS.cli('s3.cp'),
    };
    for (let i = 0; i < r.int(2, 4); i++)
      out.aws.push(
        s3Object(origin, t + i * 2000, artifacts, 'PutObject', `releases/v${day.index}.${i}/bundle.tar.gz`),
      );
    out.aws.push(
      iam(
        { ...origin, userAgent: USER_AGENTS.cli('iam.list-attached-user-policies') },
        t + 30_000,
        user.accountId,
        'ListAttachedUserPolicies',
        { userName: user.name },
      ),
    );
  }
}

function artifactBot(ctx: Context): void {
  const { estate, out } = ctx;
  const r = ctx.stream('artifact-bot');
  const user = estate.awsUser('user/ci/artifact-bot');
  const artifacts = { arn: estate.arn('AwsS3Bucket', 'acme-build-artifacts'), accountId: user.accountId };
  for (const day of ctx.days) {
    if (!day.weekday) continue;
    for (const t of poissonTimes(r, day.start + 7 * HOUR, day.start + 18 * HOUR, 2)) {
      const origin: AwsOrigin = {
        actor: { type: 'IAMUser', user },
        ip: ip(NETWORKS.office, 40),
        userAgent: USER_AGENTS.cli('s3.cp'),
      };
      out.aws.push(s3Object(origin, t, artifacts, 'GetObject', `builds/${r.chars(7)}/artifact-0.tar.gz`));
    }
  }
}

function opsBot(ctx: Context): void {
  const { estate, out } = ctx;
  const r = ctx.stream('ops-bot');
  const user = estate.awsUser('user/ci/ops-bot');
  const origin: AwsOrigin = {
    actor: { type: 'IAMUser', user },
    ip: '10.10.3.21',
    userAgent: USER_AGENTS.ec2Python,
    vpcEndpointId: 'vpce-0c1d2e3f4a5b60003',
  };
  for (const day of ctx.days)
    for (let t = day.start + r.int(0, 60) * 1000; t < day.start + DAY; t += 5 * MINUTE + r.int(-5, 5) * 1000)
      out.aws.push(
        sometimes(
          r,
          0.002,
          awsCall(origin, t, user.accountId, 'monitoring.amazonaws.com', 'GetMetricData', {
            requestParameters: {
              startTime: new Date(t - 10 * MINUTE).toISOString(),
              endTime: new Date(t).toISOString(),
            },
          }),
          (c) => ({ ...c, errorCode: 'Throttling', errorMessage: 'Rate exceeded' }),
        ),
      );
}

function keyRotator(ctx: Context): void {
  const { estate, out } = ctx;
  const r = ctx.stream('key-rotator');
  const user = estate.awsUser('user/ci/key-rotator');
  for (const day of ctx.days) {
    if (new Date(day.start).getUTCDay() !== 1) continue;
    const t = day.start + 6 * HOUR + r.int(0, 300) * 1000;
    const origin: AwsOrigin = {
      actor: { type: 'IAMUser', user },
      ip: ip(NETWORKS.ci, r.int(10, 13)),
      userAgent: USER_AGENTS.cli('iam.list-access-keys'),
    };
    out.aws.push(iam(origin, t, user.accountId, 'ListAccessKeys', { userName: 'break-glass-admin' }));
  }
}

function supportBot(ctx: Context): void {
  const { estate, out } = ctx;
  const r = ctx.stream('support-bot');
  const user = estate.awsUser('user/ci/support-bot');
  const instance = estate.prop(estate.node('AwsEc2Instance', 'instance/i-0b5e7c1d2a3f40001'), 'instanceId');
  for (const day of ctx.days) {
    if (!day.weekday) continue;
    for (const t of workTimes(r, day.start, r.poisson(2))) {
      const origin: AwsOrigin = {
        actor: { type: 'IAMUser', user },
        ip: ip(NETWORKS.office, 41),
        userAgent: USER_AGENTS.ec2Python,
      };
      out.aws.push(
        awsCall(origin, t, user.accountId, 'ec2.amazonaws.com', 'DescribeInstances', {
          requestParameters: { instancesSet: { items: [{ instanceId: instance }] } },
        }),
      );
      out.aws.push(
        awsCall(origin, t + 3000, user.accountId, 'ssm.amazonaws.com', 'SendCommand', {
          requestParameters: { instanceIds: [instance], documentName: 'AWS-RunShellScript' },
        }),
      );
      for (let i = 0; i < r.int(1, 3); i++)
        out.aws.push(
          awsCall(
            origin,
            t + 10_000 + i * 5000,
            user.accountId,
            'ssm.amazonaws.com',
            'GetCommandInvocation',
            { requestParameters: { instanceId: instance } },
          ),
        );
    }
  }
}

function functionsCi(ctx: Context): void {
  const { estate, out } = ctx;
  const r = ctx.stream('functions-ci');
  const user = estate.awsUser('user/ci/functions-ci');
  const fn = {
    arn: estate.arn('AwsLambdaFunction', 'function:payments-api'),
    accountId: user.accountId,
    type: 'AWS::Lambda::Function',
  };
  for (const day of ctx.days) {
    if (!day.weekday) continue;
    for (const t of workTimes(r, day.start, r.poisson(1.2))) {
      const origin: AwsOrigin = {
        actor: { type: 'IAMUser', user },
        ip: ip(NETWORKS.ci, r.int(10, 13)),
        userAgent: USER_AGENTS.cli('lambda.invoke'),
      };
      out.aws.push(
        awsCall(origin, t, user.accountId, 'lambda.amazonaws.com', 'ListFunctions20150331', {
          requestParameters: null,
        }),
      );
      out.aws.push(
        onResource(origin, t + 2000, fn, 'lambda.amazonaws.com', 'GetFunction20150331v2', {
          functionName: 'payments-api',
        }),
      );
      out.aws.push(
        onResource(
          origin,
          t + 5000,
          fn,
          'lambda.amazonaws.com',
          'Invoke',
          { functionName: fn.arn },
          { data: true, readOnly: false },
        ),
      );
    }
  }
}

function iamHelper(ctx: Context): void {
  const { estate, out } = ctx;
  const r = ctx.stream('iam-helper');
  const user = estate.awsUser('user/ci/iam-helper');
  for (const day of ctx.days) {
    if (new Date(day.start).getUTCDay() !== 3) continue;
    const t = day.start + 10 * HOUR + r.int(0, 900) * 1000;
    const origin: AwsOrigin = {
      actor: { type: 'IAMUser', user },
      ip: ip(NETWORKS.ci, r.int(10, 13)),
      userAgent: USER_AGENTS.cli('iam.get-role'),
    };
    for (const [i, name] of ['prod-deployer', 'prod-readonly', 'prod-data-reader', 'payments-irsa'].entries())
      out.aws.push(iam(origin, t + i * 1200, user.accountId, 'GetRole', { roleName: name }));
  }
}

function backupRunner(ctx: Context): void {
  const { estate, out } = ctx;
  const r = ctx.stream('backup-runner');
  const user = estate.awsUser('user/ci/backup-runner');
  const table = { arn: estate.arn('AwsDynamoDbTable', 'table/payments'), accountId: user.accountId };
  const backups = { arn: estate.arn('AwsS3Bucket', 'acme-prod-backups'), accountId: user.accountId };
  for (const day of ctx.days) {
    if (r.chance(0.03)) continue; // a night the job did not run
    const t = day.start + 1 * HOUR + 30 * MINUTE + r.int(0, 240) * 1000;
    const origin: AwsOrigin = {
      actor: { type: 'IAMUser', user },
      ip: ip(NETWORKS.onPrem, 15),
      userAgent: USER_AGENTS.cli('dynamodb.scan'),
    };
    out.aws.push(dynamo(origin, t, table, 'DescribeTable'));
    const pages = r.int(25, 40);
    for (let i = 0; i < pages; i++) out.aws.push(dynamo(origin, t + 2000 + i * 1500, table, 'Scan'));
    const date = new Date(day.start).toISOString().slice(0, 10);
    const s3: AwsOrigin = { ...origin, userAgent: USER_AGENTS.cli('s3.cp') };
    out.aws.push(s3List(s3, t + 70_000, backups, `nightly/${date}/`));
    for (let i = 0; i < r.int(4, 8); i++)
      out.aws.push(
        s3Object(s3, t + 75_000 + i * 3000, backups, 'PutObject', `nightly/${date}/payments-${i}.json.gz`),
      );
  }
}

/** The analytics vendor's account reads customer data through prod-data-reader every morning. */
function analyticsVendor(ctx: Context): void {
  const { estate, out } = ctx;
  const r = ctx.stream('analytics-vendor');
  const role = estate.awsRole('role/prod-data-reader');
  const data = { arn: estate.arn('AwsS3Bucket', 'acme-prod-customer-data'), accountId: role.accountId };
  const vendor: AwsOrigin = {
    actor: {
      type: 'AssumedRole',
      role: {
        arn: 'arn:aws:iam::999999999999:role/acme-export',
        accountId: '999999999999',
        name: 'acme-export',
        roleId: 'AROAVENDOREXPORT0001',
      },
      session: 'nightly',
      accessKeyId: 'ASIAVENDORSESSION001',
      issued: 0,
    },
    ip: ip(NETWORKS.vendor, 21),
    userAgent:
      'aws-sdk-java/2.25.60 Linux/5.15 OpenJDK_64-Bit_Server_VM/17.0.11+9 Java/17.0.11 vendor/Eclipse_Adoptium io/sync http/Apache cfg/retry-mode/legacy',
  };
  for (const day of ctx.days) {
    const t = day.start + 4 * HOUR + r.int(0, 600) * 1000;
    const assumed = assumeRole(vendor, t, role, 'acme-export', r);
    out.aws.push(assumed.call);
    const origin: AwsOrigin = { ...vendor, actor: assumed.actor };
    const date = new Date(day.start - DAY).toISOString().slice(0, 10);
    for (let i = 0; i < r.int(8, 14); i++)
      out.aws.push(
        s3Object(origin, t + 5000 + i * 700, data, 'GetObject', `exports/${date}/customers-${i}.csv.gz`),
      );
  }
}

/**
 * Staging deploys through tooling-automation (a Lambda of the tooling account) into
 * staging-deployer: only on the first two days; the role then stays dormant (an incident
 * reactivates it).
 */
function stagingDeploys(ctx: Context): void {
  for (const day of ctx.days.slice(0, 2))
    stagingDeploy(ctx, ctx.stream(`staging-deploy-${day.index}`), day.start + 11 * HOUR, 3);
}

export function stagingDeploy(ctx: Context, r: Random, at: number, runs: number): void {
  const { estate, out } = ctx;
  const automation = estate.awsRole('role/tooling-automation');
  const staging = estate.awsRole('role/staging-deployer');
  const reports = { arn: estate.arn('AwsS3Bucket', 'acme-staging-reports'), accountId: staging.accountId };
  for (let run = 0; run < runs; run++) {
    const t = at + run * 47 * MINUTE + r.int(0, 600) * 1000;
    const lambda = serviceAssumesRole('lambda.amazonaws.com', t - 1000, automation, 'staging-sync', r);
    out.aws.push(lambda.call);
    const origin: AwsOrigin = {
      actor: lambda.actor,
      ip: ip('10.10.8', r.int(10, 40)),
      userAgent: USER_AGENTS.lambdaPython,
    };
    const assumed = assumeRole(origin, t, staging, 'staging-sync', r);
    out.aws.push(assumed.call);
    const inner: AwsOrigin = { ...origin, actor: assumed.actor };
    out.aws.push(s3List(inner, t + 2000, reports, 'daily/'));
    for (let i = 0; i < r.int(2, 5); i++)
      out.aws.push(
        s3Object(
          inner,
          t + 3000 + i * 800,
          reports,
          'PutObject',
          `daily/${new Date(t).toISOString().slice(0, 10)}/report-${i}.html`,
        ),
      );
    out.aws.push(
      awsCall(inner, t + 9000, staging.accountId, 'cloudformation.amazonaws.com', 'DescribeStacks', {
        requestParameters: { stackName: 'staging-reports' },
      }),
    );
  }
}

/** The kubelets: projected service account tokens for their pods, node status, the secrets their pods mount. */
function kubelets(ctx: Context): void {
  const { estate, out } = ctx;
  const r = ctx.stream('kubelets');
  for (const node of estate.k8s('K8sNode', CLUSTER)) {
    const name = String(node.properties.name);
    const origin: K8sOrigin = {
      username: `system:node:${name}`,
      groups: ['system:nodes', 'system:authenticated'],
      ip: nodeAddress(name),
      userAgent: USER_AGENTS.kubelet,
    };
    const pods = estate.k8s('K8sPod', CLUSTER).filter((p) => p.properties.nodeName === name);
    for (const day of ctx.days) {
      for (
        let t = day.start + r.int(0, 300) * 1000;
        t < day.start + DAY;
        t += 5 * MINUTE + r.int(-10, 10) * 1000
      )
        out.k8s.push(k8sCall(origin, t, 'patch', { resource: 'nodes', name, subresource: 'status' }));
      for (const pod of pods) {
        const ns = String(pod.properties.namespace);
        const sa = String(pod.properties.serviceAccount);
        // kubelet renews a projected token at 80% of its 1 h lifetime.
        for (
          let t = day.start + r.int(0, 2880) * 1000;
          t < day.start + DAY;
          t += 48 * MINUTE + r.int(-30, 30) * 1000
        )
          out.k8s.push(
            k8sCall(
              origin,
              t,
              'create',
              { resource: 'serviceaccounts', namespace: ns, name: sa, subresource: 'token' },
              201,
            ),
          );
      }
      if (pods.some((p) => p.properties.namespace === 'payments'))
        for (let t = day.start + r.int(0, 600) * 1000; t < day.start + DAY; t += r.int(540, 600) * 1000)
          out.k8s.push(
            k8sCall(
              origin,
              t,
              'watch',
              { resource: 'secrets', namespace: 'payments', name: 'payments-db' },
              200,
              r.int(500, 590) * 1000,
            ),
          );
    }
  }
}

function nodeExporter(ctx: Context): void {
  const { estate, out } = ctx;
  const r = ctx.stream('node-exporter');
  for (const pod of estate
    .k8s('K8sPod', CLUSTER)
    .filter((p) => p.properties.serviceAccount === 'node-exporter')) {
    const origin: K8sOrigin = {
      username: 'system:serviceaccount:monitoring:node-exporter',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:monitoring', 'system:authenticated'],
      ip: nodeAddress(String(pod.properties.nodeName)),
      userAgent: 'node-exporter/v1.8.2 (linux/amd64) kubernetes/$Format',
    };
    // An informer: a list when it (re)starts, then watches the server ends every 5-10 minutes.
    for (const day of ctx.days) {
      if (day.index === 0 || r.chance(0.1))
        out.k8s.push(k8sCall(origin, day.start + r.int(0, 3600) * 1000, 'list', { resource: 'nodes' }));
      for (let t = day.start + r.int(0, 600) * 1000; t < day.start + DAY; t += r.int(300, 600) * 1000)
        out.k8s.push(k8sCall(origin, t, 'watch', { resource: 'nodes' }, 200, r.int(290, 590) * 1000));
    }
  }
}

/** data-exporter@ writes the nightly export of customer data to acme-prod-exports, from a Compute Engine VM. */
function dataExporter(ctx: Context): void {
  const { estate, out } = ctx;
  const r = ctx.stream('data-exporter');
  const sa = estate.gcpServiceAccount('data-exporter@acme-prod-data.iam.gserviceaccount.com');
  const bucket = String(estate.node('GcpStorageBucket', 'acme-prod-exports').properties.name);
  const origin: GcpOrigin = { principalEmail: sa.email, ip: '10.132.0.7', userAgent: USER_AGENTS.gcsPython };
  for (const day of ctx.days) {
    const t = day.start + 2 * HOUR + 30 * MINUTE + r.int(0, 300) * 1000;
    const date = new Date(day.start).toISOString().slice(0, 10);
    out.gcp.push(gcsObject(origin, t, sa.projectId, bucket, 'storage.objects.list', undefined));
    for (let i = 0; i < r.int(10, 20); i++)
      out.gcp.push(
        gcsObject(
          origin,
          t + 5000 + i * 2500,
          sa.projectId,
          bucket,
          'storage.objects.create',
          `exports/${date}/part-${String(i).padStart(5, '0')}.csv.gz`,
        ),
      );
  }
}

/** legacy-etl@, with its user-managed key, reads the exports hourly from the data centre in office hours. */
function legacyEtl(ctx: Context): void {
  const { estate, out } = ctx;
  const r = ctx.stream('legacy-etl');
  const sa = estate.gcpServiceAccount('legacy-etl@acme-prod-data.iam.gserviceaccount.com');
  const bucket = String(estate.node('GcpStorageBucket', 'acme-prod-exports').properties.name);
  const origin: GcpOrigin = {
    principalEmail: sa.email,
    ip: ip(NETWORKS.onPrem, 31),
    userAgent: USER_AGENTS.apiClientPython,
  };
  for (const day of ctx.days) {
    if (!day.weekday) continue;
    const date = new Date(day.start).toISOString().slice(0, 10);
    for (let hour = 6; hour < 20; hour++) {
      const t = day.start + hour * HOUR + 10 * MINUTE + r.int(0, 120) * 1000;
      out.gcp.push(gcsObject(origin, t, sa.projectId, bucket, 'storage.objects.list', undefined));
      for (let i = 0; i < r.int(1, 4); i++) {
        const part = `exports/${date}/part-${String(r.int(0, 19)).padStart(5, '0')}.csv.gz`;
        out.gcp.push(
          gcsObject(
            origin,
            t + 1000 + i * 900,
            sa.projectId,
            bucket,
            'storage.objects.get',
            part,
            r.chance(0.01) ? 5 : undefined,
          ),
        );
      }
      out.gcp.push(
        gcpCall(origin, t + 8000, sa.projectId, {
          log: 'data_access',
          serviceName: 'bigquery.googleapis.com',
          methodName: 'google.cloud.bigquery.v2.JobService.InsertJob',
          resourceName: `projects/${sa.projectId}/jobs/etl_${r.chars(12)}`,
          permission: 'bigquery.jobs.create',
          resource: { type: 'bigquery_project', labels: { project_id: sa.projectId, location: 'EU' } },
        }),
      );
    }
  }
}

/** The self-hosted CI runners' ci-runner@ impersonates terraform@ for plans on weekdays. */
function terraformRuns(ctx: Context): void {
  const { estate, out } = ctx;
  const r = ctx.stream('terraform');
  const runner = estate.gcpServiceAccount('ci-runner@acme-platform.iam.gserviceaccount.com');
  const terraform = estate.gcpServiceAccount('terraform@acme-platform.iam.gserviceaccount.com');
  const exports = String(estate.node('GcpStorageBucket', 'acme-prod-exports').properties.name);
  for (const day of ctx.days) {
    if (!day.weekday) continue;
    for (const t of workTimes(r, day.start, r.poisson(2))) {
      const where = { ip: ip(NETWORKS.ci, r.int(20, 23)), userAgent: USER_AGENTS.terraformGoogle };
      out.gcp.push(
        onServiceAccount(
          { principalEmail: runner.email, ...where },
          t,
          terraform,
          'iamcredentials.googleapis.com',
          'GenerateAccessToken',
          'iam.serviceAccounts.getAccessToken',
          'data_access',
        ),
      );
      const origin: GcpOrigin = {
        principalEmail: terraform.email,
        delegation: [{ email: runner.email }],
        ...where,
      };
      const at = ticker(t + 3000);
      for (const project of ['acme-prod-data', 'acme-platform'])
        out.gcp.push(
          gcpCall(origin, at(800), project, {
            log: 'data_access',
            serviceName: 'cloudresourcemanager.googleapis.com',
            methodName: 'GetIamPolicy',
            resourceName: `projects/${project}`,
            permission: 'resourcemanager.projects.getIamPolicy',
            resource: { type: 'project', labels: { project_id: project } },
          }),
        );
      out.gcp.push(
        gcpCall(origin, at(800), 'acme-prod-data', {
          log: 'data_access',
          serviceName: 'storage.googleapis.com',
          methodName: 'storage.buckets.get',
          resourceName: `projects/_/buckets/${exports}`,
          permission: 'storage.buckets.get',
          resource: {
            type: 'gcs_bucket',
            labels: { project_id: 'acme-prod-data', bucket_name: exports, location: 'europe-west1' },
          },
        }),
      );
      for (const email of [
        'data-exporter@acme-prod-data.iam.gserviceaccount.com',
        'gha-deployer@acme-prod-data.iam.gserviceaccount.com',
      ])
        out.gcp.push(
          onServiceAccount(
            origin,
            at(800),
            estate.gcpServiceAccount(email),
            'iam.googleapis.com',
            'google.iam.admin.v1.GetServiceAccount',
            'iam.serviceAccounts.get',
            'data_access',
          ),
        );
    }
  }
}

/** `acme/deploy` exchanges its GitHub token through the pool `github` and acts as gha-deployer@. */
function githubGcpDeploys(ctx: Context): void {
  const { estate, out } = ctx;
  const r = ctx.stream('github-gcp');
  const deployer = estate.gcpServiceAccount('gha-deployer@acme-prod-data.iam.gserviceaccount.com');
  const number = estate.gcpProjectNumber(deployer.projectId);
  const subject = `principal://iam.googleapis.com/projects/${number}/locations/global/workloadIdentityPools/github/subject/repo:acme/deploy:ref:refs/heads/main`;
  for (const day of ctx.days) {
    if (!day.weekday) continue;
    for (const t of workTimes(r, day.start, r.poisson(2))) {
      const where = { ip: ip(NETWORKS.ci, r.int(10, 13)), userAgent: USER_AGENTS.githubGcp };
      out.gcp.push(
        onServiceAccount(
          { principalSubject: subject, ...where },
          t,
          deployer,
          'iamcredentials.googleapis.com',
          'GenerateAccessToken',
          'iam.serviceAccounts.getAccessToken',
          'data_access',
        ),
      );
      const origin: GcpOrigin = {
        principalEmail: deployer.email,
        delegation: [{ subject }],
        ip: where.ip,
        userAgent: 'google-cloud-sdk gcloud/485.0.0 command/gcloud.run.deploy',
      };
      out.gcp.push(
        gcpCall(origin, t + 20_000, deployer.projectId, {
          log: 'activity',
          serviceName: 'run.googleapis.com',
          methodName: 'google.cloud.run.v2.Services.UpdateService',
          resourceName: `projects/${deployer.projectId}/locations/europe-west1/services/exporter`,
          permission: 'run.services.update',
          resource: {
            type: 'cloud_run_revision',
            labels: { project_id: deployer.projectId, service_name: 'exporter', location: 'europe-west1' },
          },
        }),
      );
    }
  }
}

/**
 * Who created some of the estate's identities and credentials, on the first weekday of the period
 * (long before the reviewed days, so the baselines hold them): an `acme/deploy` Terraform apply
 * through prod-deployer creates the prod-poweruser role and a new access key of iam-helper
 * (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html, API_CreateAccessKey.html:
 * CloudTrail logs the response), the same workflow as gha-deployer@ creates data-exporter@
 * (google.iam.admin.v1.CreateServiceAccount, https://cloud.google.com/iam/docs/audit-logging/examples-service-accounts),
 * and an administrator creates the node-exporter service account in the cluster. The ingest records
 * each creator (docs/owners.md, "creator").
 */
function provisioning(ctx: Context): void {
  const { estate, out } = ctx;
  const r = ctx.stream('provisioning');
  const day = ctx.days.find((d) => d.weekday);
  if (!day) return;
  const t = day.start + 9 * HOUR + r.int(0, 1800) * 1000;
  // AWS: GitHub Actions → gha-deploy → prod-deployer, then terraform apply.
  const gha = estate.awsRole('role/ci/gha-deploy');
  const deployer = estate.awsRole('role/prod-deployer');
  const runner = ip(NETWORKS.ci, r.int(10, 13));
  const first = assumeRoleWithWebIdentity(
    t,
    { arn: `arn:aws:iam::${gha.accountId}:oidc-provider/${GITHUB}`, audience: 'sts.amazonaws.com' },
    'repo:acme/deploy:ref:refs/heads/main',
    gha,
    'GitHubActions',
    { ip: runner, userAgent: USER_AGENTS.githubActions },
    r,
  );
  out.aws.push(first.call);
  const second = assumeRole(
    { actor: first.actor, ip: runner, userAgent: USER_AGENTS.githubActions },
    t + 4000,
    deployer,
    'GitHubActions',
    r,
  );
  out.aws.push(second.call);
  const tf: AwsOrigin = { actor: second.actor, ip: runner, userAgent: USER_AGENTS.terraform };
  const poweruser = estate.awsRole('role/prod-poweruser');
  const at = ticker(t + 20_000);
  const created = (when: number) => new Date(when).toUTCString().replace('GMT', 'UTC');
  const roleAt = at(r.int(2, 6) * 1000);
  out.aws.push(
    iam(
      tf,
      roleAt,
      deployer.accountId,
      'CreateRole',
      { roleName: poweruser.name, path: '/', maxSessionDuration: 3600 },
      {
        responseElements: {
          role: {
            path: '/',
            roleName: poweruser.name,
            roleId: poweruser.roleId,
            arn: poweruser.arn,
            createDate: created(roleAt),
          },
        },
      },
    ),
  );
  const helper = estate.awsUser('user/ci/iam-helper');
  const keyAt = at(r.int(2, 6) * 1000);
  const iso = (when: number) => `${new Date(when).toISOString().slice(0, 19)}Z`;
  ctx.creations.push(
    {
      source: 'aws-cloudtrail',
      created: poweruser.arn,
      creator: deployer.arn,
      action: 'iam:CreateRole',
      time: iso(roleAt),
    },
    {
      source: 'aws-cloudtrail',
      created: `aws:key:${helper.accessKeyId}`,
      creator: deployer.arn,
      action: 'iam:CreateAccessKey',
      time: iso(keyAt),
    },
  );
  out.aws.push(
    iam(
      tf,
      keyAt,
      deployer.accountId,
      'CreateAccessKey',
      { userName: helper.name },
      {
        responseElements: {
          accessKey: {
            accessKeyId: helper.accessKeyId,
            status: 'Active',
            userName: helper.name,
            createDate: created(keyAt),
          },
        },
      },
    ),
  );
  // GCP: the acme/deploy workflow, as gha-deployer@ through workload identity federation, creates
  // data-exporter@ in the same project.
  const ghaDeployer = estate.gcpServiceAccount('gha-deployer@acme-prod-data.iam.gserviceaccount.com');
  const exporter = estate.gcpServiceAccount('data-exporter@acme-prod-data.iam.gserviceaccount.com');
  const subject = `principal://iam.googleapis.com/projects/${estate.gcpProjectNumber(ghaDeployer.projectId)}/locations/global/workloadIdentityPools/github/subject/repo:acme/deploy:ref:refs/heads/main`;
  const where = { ip: ip(NETWORKS.ci, r.int(10, 13)), userAgent: USER_AGENTS.githubGcp };
  const g = ticker(t + 30 * MINUTE);
  out.gcp.push(
    onServiceAccount(
      { principalSubject: subject, ...where },
      g(0),
      ghaDeployer,
      'iamcredentials.googleapis.com',
      'GenerateAccessToken',
      'iam.serviceAccounts.getAccessToken',
      'data_access',
    ),
  );
  const [accountId] = exporter.email.split('@') as [string];
  const saAt = g(r.int(2, 5) * 1000);
  ctx.creations.push({
    source: 'gcp-audit',
    created: `gcp:sa:${exporter.email}`,
    creator: `gcp:sa:${ghaDeployer.email}`,
    action: 'google.iam.admin.v1.CreateServiceAccount',
    time: iso(saAt),
  });
  out.gcp.push(
    gcpCall(
      {
        principalEmail: ghaDeployer.email,
        delegation: [{ subject }],
        ip: where.ip,
        userAgent: USER_AGENTS.terraformGoogle,
      },
      saAt,
      exporter.projectId,
      {
        log: 'activity',
        serviceName: 'iam.googleapis.com',
        methodName: 'google.iam.admin.v1.CreateServiceAccount',
        resourceName: `projects/${exporter.projectId}`,
        permission: 'iam.serviceAccounts.create',
        resource: {
          type: 'service_account',
          labels: { project_id: exporter.projectId, email_id: exporter.email },
        },
        request: {
          '@type': 'type.googleapis.com/google.iam.admin.v1.CreateServiceAccountRequest',
          name: `projects/${exporter.projectId}`,
          account_id: accountId,
          service_account: { display_name: 'data exporter' },
        },
        response: {
          '@type': 'type.googleapis.com/google.iam.admin.v1.ServiceAccount',
          name: `projects/${exporter.projectId}/serviceAccounts/${exporter.email}`,
          project_id: exporter.projectId,
          email: exporter.email,
          display_name: 'data exporter',
        },
      },
    ),
  );
  // Kubernetes: an administrator (signed in through the organization's identity provider) creates
  // the monitoring namespace's node-exporter service account.
  const admin: K8sOrigin = {
    username: 'alice@acme.example',
    groups: ['acme:platform-admins', 'system:authenticated'],
    ip: ip(NETWORKS.office, r.int(10, 60)),
    userAgent: USER_AGENTS.kubectl,
  };
  const k8sAt = t + HOUR + r.int(0, 600) * 1000;
  ctx.creations.push({
    source: 'kubernetes-audit',
    created: `k8s:${CLUSTER}:monitoring:sa:node-exporter`,
    creator: `k8s:${CLUSTER}:user:${admin.username}`,
    action: 'create serviceaccounts',
    time: iso(k8sAt),
  });
  out.k8s.push(
    k8sCall(
      admin,
      k8sAt,
      'create',
      { resource: 'serviceaccounts', namespace: 'monitoring', name: 'node-exporter' },
      201,
    ),
  );
}
