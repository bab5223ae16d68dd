import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAwsLive } from '../../src/collectors/aws/live.js';
import { readAwsSnapshot } from '../../src/collectors/aws/snapshot.js';
import { transformAws } from '../../src/collectors/aws/transform.js';
import type { AwsEnvironment } from '../../src/model/aws/environment.js';
import { packageRoot } from '../../src/package-root.js';
import {
  MOTO_ACCOUNT as ACCOUNT,
  iamArn as arn,
  MOTO_CREDENTIALS as credentials,
  MOTO_REGION as REGION,
  seedMotoEnvironment,
} from '../helpers/moto-environment.js';
import { ensureAwsCli, type MotoServer, startMoto, venvBin } from '../setup/moto.js';

// scripts/snapshot-aws.sh is the way to snapshot an account without handing reachgraph any
// credentials; here it runs with the real AWS CLI against moto, and what reachgraph reads from
// its output must be what the SDK collector sees in the same moto.

const run = promisify(execFile);

let moto: MotoServer;
let work: string;
let snapshotDir: string;
let live: AwsEnvironment;
let fromScript: AwsEnvironment;
let scriptLog: string;

/**
 * The environment the script sees: the caller's environment without any AWS_* setting (a
 * developer's profile or session must not leak in), the venv's `aws` first on PATH, moto's dummy
 * credentials, the endpoint and the region, and AWS config files that do not exist.
 */
function scriptEnvironment(endpoint: string): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')),
  );
  return {
    ...inherited,
    PATH: [venvBin(), process.env.PATH ?? ''].join(delimiter),
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_REGION: REGION,
    AWS_ENDPOINT_URL: endpoint,
    AWS_CONFIG_FILE: join(work, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(work, 'no-aws-credentials'),
  };
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

beforeAll(async () => {
  const log = (message: string) => console.log(`[moto] ${message}`);
  moto = await startMoto(log);
  await ensureAwsCli(log);
  await seedMotoEnvironment(moto.endpoint);
  work = await mkdtemp(join(tmpdir(), 'reachgraph-aws-script-'));
  snapshotDir = join(work, 'snapshot');

  live = transformAws(await getAwsLive({ endpoint: moto.endpoint, region: REGION, credentials }));
  // --region: the live collector above collects its home region only; without it the script
  // would walk every region moto reports as enabled. The script runs the AWS CLI about 150 times,
  // each a Python start: on a loaded 2-core machine that alone takes two to three minutes.
  const { stderr } = await run(
    'bash',
    [join(packageRoot(), 'scripts', 'snapshot-aws.sh'), '--out', snapshotDir, '--region', REGION],
    // About a hundred AWS CLI processes, each a second or more on a loaded machine.
    { env: scriptEnvironment(moto.endpoint), timeout: 450_000, maxBuffer: 16 * 1024 * 1024 },
  );
  scriptLog = stderr;
  fromScript = transformAws(await readAwsSnapshot(snapshotDir));
}, 600_000);

afterAll(async () => {
  await moto?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('scripts/snapshot-aws.sh with the AWS CLI against moto', () => {
  it('writes the layout of docs/snapshots.md without a failed call', async () => {
    const files = (await filesUnder(join(snapshotDir, 'aws'))).map((f) =>
      f.slice(join(snapshotDir, 'aws').length + 1),
    );
    expect(files.filter((f) => f.endsWith('.error'))).toEqual([]);
    // Per-resource calls run in parallel, each through a temporary file renamed when complete.
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(scriptLog).not.toMatch(/failed/);
    expect(files).toEqual(
      expect.arrayContaining([
        `${ACCOUNT}/iam-get-account-authorization-details.json`,
        `${ACCOUNT}/iam-credential-report.csv`,
        `${ACCOUNT}/iam-get-open-id-connect-provider/token.actions.githubusercontent.com.json`,
        `${ACCOUNT}/s3api-get-bucket-policy/prod-customer-data.json`,
        `${ACCOUNT}/s3api-get-bucket-acl/prod-customer-data.json`,
        `${ACCOUNT}/${REGION}/secretsmanager-get-resource-policy/prod%2Fdb-password.json`,
        `${ACCOUNT}/${REGION}/lambda-get-policy/orders-handler.json`,
        `${ACCOUNT}/${REGION}/rds-describe-db-instances.json`,
        `${ACCOUNT}/${REGION}/rds-describe-db-clusters.json`,
        `${ACCOUNT}/${REGION}/ecs-describe-task-definition/orders-worker%3A1.json`,
        `${ACCOUNT}/${REGION}/ecs-list-services/prod.json`,
        `${ACCOUNT}/${REGION}/ecs-describe-services/prod%2Forders.json`,
        `${ACCOUNT}/${REGION}/cognito-identity-list-identity-pools.json`,
        `${ACCOUNT}/${REGION}/cognito-idp-list-user-pools.json`,
        `${ACCOUNT}/${REGION}/codebuild-batch-get-projects.json`,
        `${ACCOUNT}/${REGION}/sagemaker-describe-notebook-instance/research.json`,
        `${ACCOUNT}/${REGION}/sqs-get-queue-attributes/orders-events.json`,
        `${ACCOUNT}/${REGION}/sns-get-topic-attributes/alerts.json`,
        `${ACCOUNT}/${REGION}/ecr-get-repository-policy/team%2Fapp.json`,
        `${ACCOUNT}/${REGION}/ssm-list-tags-for-resource/%2Fprod%2Fdb%2Fpassword.json`,
        `${ACCOUNT}/${REGION}/opensearch-describe-domain/search.json`,
        `${ACCOUNT}/${REGION}/apigateway-get-rest-apis.json`,
        `${ACCOUNT}/${REGION}/glacier-list-vaults.json`,
        `${ACCOUNT}/${REGION}/lambda-get-function-url-config/orders-handler.json`,
        'organization/organizations-describe-organization.json',
      ]),
    );
  });

  it('gives the environment the SDK collector gives for the same account', () => {
    // Not two empty environments: the seeded estate is there.
    const account = fromScript.accounts[0];
    expect(account?.users.map((u) => u.arn).sort()).toEqual([
      arn('user', 'alice'),
      arn('user', 'ci-deployer'),
    ]);
    expect(account?.resources.map((r) => r.type).sort()).toEqual([
      'api-gateway-rest-api',
      'codebuild-project',
      'cognito-user-pool',
      'dynamodb-table',
      'ec2-instance',
      'ecr-repository',
      'ecs-cluster',
      'ecs-service',
      'ecs-task-definition',
      'efs-file-system',
      'efs-file-system',
      'kms-key',
      'lambda-function',
      'opensearch-domain',
      's3-bucket',
      'sagemaker-notebook',
      'secret',
      'sns-topic',
      'sqs-queue',
      'ssm-parameter',
    ]);
    expect(fromScript.organization?.serviceControlPolicies.map((p) => p.policy.name)).toContain('deny-leave');

    // Timestamps too: the transform writes every date one way, whether the CLI or the SDK wrote it.
    expect(fromScript).toEqual(live);
  });

  it('never writes secret material', async () => {
    for (const file of await filesUnder(snapshotDir)) {
      const text = await readFile(file, 'utf8');
      expect(text, file).not.toContain('never-collected');
      expect(text, file).not.toContain('SecretAccessKey');
    }
  });
});
