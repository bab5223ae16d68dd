import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { copyCheckout } from '../helpers/checkout.js';
import { BIN, runCli } from '../helpers/cli.js';
import { testExecutor, testNeo4j, wipe } from '../helpers/graph.js';

// The demo against the test server (NEO4J_URI), so no second Neo4j is started. It runs where users
// run it, in a checkout (a copy of this one), and writes its report there.
const neo4j = testNeo4j();
const executor = testExecutor();
const work = copyCheckout();

const env: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  NEO4J_URI: neo4j.uri,
  NEO4J_USER: neo4j.user,
  NEO4J_PASSWORD: neo4j.password,
  NEO4J_DATABASE: neo4j.database,
};

beforeEach(() => wipe(executor));
afterAll(async () => {
  await executor.close();
  rmSync(work, { recursive: true, force: true });
});

describe('reachgraph demo', () => {
  it('syncs the sample estate and answers which non-human identities reach production data', async () => {
    const result = await runCli(['demo', '--no-serve'], env, work, 360_000);
    expect(result.stderr).toContain('Using Neo4j at');
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/Synced examples\/sample-env: \d+ accounts.*reachability rows/);
    const out = result.stdout;
    expect(out).toContain('Which non-human identities can reach production data, and how?');
    // The multi-hop chain: CI role → prod deployer → Lambda PassRole escalation → admin → data.
    expect(out).toMatch(
      /111111111111 role\/ci\/gha-deploy\n {2}table\/payments \[[a-z,]*write[a-z,]*\] via \[CAN_ASSUME: assume-prod-deployer AssumeProdDeployer\] → role\/prod-deployer → \[CAN_ESCALATE: lambda-001\] → role\/prod-ops-automation → \[CAN_ACCESS: AdministratorAccess #0\]/,
    );
    // Direct cross-account read, both sides allowing.
    expect(out).toContain(
      '  acme-prod-customer-data [list,read] via [CAN_ACCESS: infra-plan ReadCustomerData]',
    );
    // A workload reaching data through the role it runs as.
    expect(out).toMatch(/instance\/i-0b5e7c1d2a3f40001\n {2}\S+ \[[a-z,]+\] via \[RUNS_AS: /);
    // Compact: capped, with the count of what was left out, then the routes across AWS, the
    // cluster and GCP, then the report's path.
    const [table = '', across = ''] = out.split('\nAcross AWS, Kubernetes and GCP:\n');
    expect(table.trimEnd().split('\n').length).toBeLessThanOrEqual(46);
    const total = Number(table.match(/(\d+) path\(s\) from \d+ non-human identities\./)?.[1]);
    expect(total).toBeGreaterThan(40);
    expect(table).toMatch(/… and \d+ more/);
    // (a) A pod of the payments API → its service account → the AWS role trusting it through IRSA
    // → the production bucket; every hop with its evidence.
    const pod = 'k8s:prod-payments:payments:pod:api-6c8d9f7b5-k2x7q';
    const sa = 'k8s:prod-payments:payments:sa:api';
    const irsa = 'arn:aws:iam::222222222222:role/payments-irsa';
    expect(across).toContain(
      [
        `${pod} → arn:aws:s3:::acme-prod-customer-data  [read,write] in 2 hops`,
        `    ${pod} -RUNS_AS-> ${sa}: pod payments/api-6c8d9f7b5-k2x7q runs as service account api and mounts its token (spec.serviceAccountName)`,
        `    ${sa} -FEDERATES_TO-> ${irsa}: trust policy of role payments-irsa (statement PaymentsApiServiceAccount) admits oidc.eks.eu-west-1.amazonaws.com/id/5C4F1A2B3D4E5F60718293A4B5C6D7E8 subject system:serviceaccount:payments:api, audience sts.amazonaws.com (+1 more)`,
        `    ${irsa} -CAN_ACCESS-> arn:aws:s3:::acme-prod-customer-data: payments-objects (statement Objects) allows s3:GetObject, s3:PutObject`,
      ].join('\n'),
    );
    // (b) The CI deploy role → the prod deployer → (aws-auth) the cluster user in a group bound to
    // cluster-admin → cluster-admin of prod-payments.
    const deployer = 'arn:aws:iam::222222222222:role/prod-deployer';
    const user = 'k8s:prod-payments:user:ci-deploy';
    expect(across).toContain(
      [
        'A CI role becomes cluster-admin of prod-payments through aws-auth:',
        'arn:aws:iam::111111111111:role/ci/gha-deploy → cluster-admin of k8s:prod-payments in 2 hops',
        `    arn:aws:iam::111111111111:role/ci/gha-deploy -CAN_ASSUME-> ${deployer}: assume-prod-deployer (statement AssumeProdDeployer) allows sts:AssumeRole (+1 more)`,
        `    ${deployer} -FEDERATES_TO-> ${user}: kube-system/aws-auth of cluster prod-payments maps ${deployer} to the user ci-deploy in acme:platform-deployers`,
        `    ${user} -ADMINISTERS-> k8s:prod-payments: user ci-deploy holds every verb on every resource cluster-wide (ClusterRoleBinding platform-deployers → ClusterRole cluster-admin, rule #0: verbs *; resources *; groups *) (+1 more)`,
      ].join('\n'),
    );
    // (c) A GitHub Actions workflow of acme/deploy → (workload identity federation) the deploy
    // service account → (token creator) the exporter → the production bucket in GCP.
    const repo =
      'gcp:principalset:principalSet://iam.googleapis.com/projects/400000000001/locations/global/workloadIdentityPools/github/attribute.repository/acme/deploy';
    const gha = 'gcp:sa:gha-deployer@acme-prod-data.iam.gserviceaccount.com';
    const exporter = 'gcp:sa:data-exporter@acme-prod-data.iam.gserviceaccount.com';
    const exports = 'gcp:storage:projects/_/buckets/acme-prod-exports';
    expect(across).toContain(
      [
        'A GitHub Actions workflow reaches a production bucket in GCP (workload identity federation → deploy service account → token creator on the exporter → bucket):',
        `${repo} → ${exports}  [list,read] in 2 hops`,
        `    ${repo} -FEDERATES_TO-> ${gha}: ${repo.slice('gcp:principalset:'.length)} holds roles/iam.workloadIdentityUser at projects/acme-prod-data/serviceAccounts/gha-deployer@acme-prod-data.iam.gserviceaccount.com, which includes iam.serviceAccounts.getAccessToken, iam.serviceAccounts.getOpenIdToken on gha-deployer@acme-prod-data.iam.gserviceaccount.com`,
        `    ${gha} -CAN_IMPERSONATE-> ${exporter}: serviceAccount:gha-deployer@acme-prod-data.iam.gserviceaccount.com holds roles/iam.serviceAccountTokenCreator at projects/acme-prod-data/serviceAccounts/data-exporter@acme-prod-data.iam.gserviceaccount.com, which includes iam.serviceAccounts.getAccessToken,`,
      ].join('\n'),
    );
    expect(across).toContain(
      `    ${exporter} -CAN_ACCESS-> ${exports}: serviceAccount:data-exporter@acme-prod-data.iam.gserviceaccount.com holds roles/storage.objectViewer at projects/_/buckets/acme-prod-exports, which includes`,
    );
    // Human users never appear as a source.
    expect(out).not.toMatch(/^\d{12} user\/people\/alice$/m);
    // It ends with the HTML risk report of the sample estate, in ./reports by default.
    const report = join(work, 'reports', 'reachgraph-report.html');
    expect(out).toContain(`The risk report of the sample estate (one HTML file, works offline): ${report}`);
    expect(existsSync(report)).toBe(true);
    const html = readFileSync(report, 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('gha-deploy');
    // Both routes across AWS and the cluster are findings of the report, each hop with its evidence.
    const details = (subject: string, target: string) => {
      const row = new RegExp(
        `<code>nhi-reaches-production-data</code></td><td>${subject}</td><td>${target}</td>.*?href="#(finding-[0-9a-f]+)"`,
      ).exec(html);
      expect(row, `${subject} → ${target}`).not.toBeNull();
      const start = html.indexOf(`id="${row?.[1]}"`);
      return html.slice(start, html.indexOf('id="finding-', start + 1));
    };
    const workload = details(
      'api-6c8d9f7b5-k2x7q <span class="kind">K8sPod</span>',
      'acme-prod-customer-data <span class="kind">AwsS3Bucket</span>',
    );
    expect(workload).toContain('spec.serviceAccountName');
    expect(workload).toContain(
      'cluster prod-payments&#39;s OIDC issuer signs tokens for system:serviceaccount:payments:api',
    );
    expect(workload).toContain('payments-objects (statement Objects) allows s3:GetObject, s3:PutObject');
    const ci = details(
      'gha-deploy <span class="kind">AwsRole</span>',
      'payments-db <span class="kind">K8sSecret</span>',
    );
    expect(ci).toContain('assume-prod-deployer (statement AssumeProdDeployer)');
    expect(ci).toContain(
      `kube-system/aws-auth of cluster prod-payments maps ${deployer} to the user ci-deploy`,
    );
    expect(ci).toContain('ClusterRoleBinding platform-deployers → ClusterRole cluster-admin');
    expect(html).toMatch(
      /<code>nhi-can-escalate-to-admin<\/code><\/td><td>gha-deploy <span class="kind">AwsRole<\/span><\/td><td>prod-payments <span class="kind">K8sCluster<\/span>/,
    );
    // The GitHub workflow's route to the production bucket in GCP, each hop with its binding.
    const github = details(
      `${repo.slice('gcp:principalset:'.length)} <span class="kind">GcpPrincipalSet</span>`,
      'acme-prod-exports <span class="kind">GcpStorageBucket</span>',
    );
    expect(github).toContain('bindings[0] roles/iam.workloadIdentityUser');
    expect(github).toContain(
      'bindings[0] roles/iam.serviceAccountTokenCreator serviceAccount:gha-deployer@acme-prod-data.iam.gserviceaccount.com',
    );
    expect(github).toContain(
      'bindings[0] roles/storage.objectViewer serviceAccount:data-exporter@acme-prod-data.iam.gserviceaccount.com',
    );
    // The GCP rules report on the sample organization too.
    expect(html).toContain('<code>gcp-impersonation-chain-to-owner</code>');
    expect(html).toContain('<code>gcp-default-compute-service-account-editor</code>');
    expect(result.stderr).toMatch(/Report report-\S+: \d+ finding\(s\)/);
    // Every non-human identity of the sample estate has an owner or is a finding (docs/owners.md).
    expect(result.stderr).toMatch(
      /Owners \(examples\/sample-env\/owners.yaml\): \d+ of \d+ non-human identities owned, 4 unowned/,
    );
    expect(out).toContain('nhi-without-owner (4): batch-worker, dev-sandbox, github *, nightly-ops-cleanup');
    expect(out).toContain('nhi-owner-gone (2): ops-bot, prod-ops-automation');
    // Then what the identities did: 30 days of generated logs, granted vs used, and the leaked CI key
    // incident as the anomaly rules report it, with its events.
    expect(out).toContain('What they actually did: 30 days of generated logs of the sample estate');
    expect(out).toMatch(/CAN_ACCESS +arn:aws:s3:::acme-prod-customer-data +production +NO +0/);
    expect(out).toMatch(/CAN_ASSUME +arn:aws:iam::222222222222:role\/prod-readonly +production +yes/);
    expect(out).toContain('An injected incident, leaked-ci-key:');
    expect(out).toMatch(
      /HIGH anomaly-access-denied-burst: \S+: arn:aws:iam::222222222222:user\/ci\/iam-helper was refused/,
    );
    expect(out).toMatch(
      /The events behind anomaly-access-denied-burst:\n.*\n.*\n\S+Z +iam:ListUsers +203\.0\.113\.0\/24/,
    );
  }, 360_000);

  it('serves the API in demo mode; the printed query answers without a token; Ctrl-C exits 0', async () => {
    const child = spawn(process.execPath, [BIN, 'demo', '--port', '0'], { env, cwd: work });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const ready = await new Promise<{ url: string; query: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`demo did not serve: ${stderr}`)), 200_000);
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        const url = stdout.match(/listening on (http:\/\/127\.0\.0\.1:\d+\/graphql)/)?.[1];
        const query = stdout.match(/^\{ paths\(.*\}$/m)?.[0];
        if (url && query) {
          clearTimeout(timer);
          resolve({ url, query });
        }
      });
      exited.then((code) => reject(new Error(`demo exited with ${code}: ${stderr}`)));
    });
    try {
      const response = await fetch(ready.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: ready.query }),
      });
      expect(response.status).toBe(200);
      const body = await response.json();
      expect(body.errors).toBeUndefined();
      const paths = body.data.paths.edges;
      expect(paths.length).toBeGreaterThan(0);
      for (const { node } of paths) {
        expect(node.hops.length).toBe(node.length);
        expect(node.hops.at(-1).edge.type).toBe('CAN_ACCESS');
        expect(node.hops.every((h: { edge: { reason: string } }) => h.edge.reason.length > 0)).toBe(true);
      }
    } finally {
      child.kill('SIGINT');
    }
    // Ctrl-C is how the demo is meant to end: a clean stop, exit code 0.
    expect(await exited).toBe(0);
    expect(stderr).toContain('Stopping…');
  }, 240_000);

  it('leaves the checkout passing the lint `npm test` runs first (biome skips what the demo wrote)', async () => {
    expect(existsSync(join(work, 'reports', 'reachgraph-report.html'))).toBe(true);
    const lint = await new Promise<{ code: number; output: string }>((resolve) => {
      execFile(
        'npx',
        ['biome', 'check', '--error-on-warnings', '.'],
        { cwd: work, env, timeout: 120_000 },
        (error, stdout, stderr) =>
          resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: stdout + stderr }),
      );
    });
    expect(lint.output).not.toContain('reports/');
    expect(lint.code, lint.output).toBe(0);
  }, 180_000);
});
