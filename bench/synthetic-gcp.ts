// A seeded synthetic GCP organization in the collector's raw shapes (the documents of
// `gcloud … --format=json`, src/collectors/gcp/layout.ts), sized by its projects P:
//
//   hierarchy    one organization; P/200 department folders (at least 2), each with up to 10 team
//                folders; projects spread over the team folders, one in 25 directly under its
//                department's folder
//   accounts     per project `app` and `deploy`, the default compute account in one project of two, a
//                `ci` account in each team's first project (about 2.5P accounts); a user-managed key on
//                one `app` account in ten
//   principals   P/4 users, a group per team (its users and its CI account), a group per department
//                (its teams' groups nested, and two users), organization-wide security, auditors and
//                platform-admin groups; their member files as `memberships list` writes them
//   roles        about P/10 custom roles (a tenth at the organization, the rest in projects), from a
//                pool of storage, secret, BigQuery, Pub/Sub, KMS, run-as and impersonation permissions,
//                a few with `iam.roles.update`; every other role predefined
//   allow        bindings at every level, inherited downwards: the organization (owners, security
//                reviewers, an auditors' data-reader custom role, a key rotator, the domain), each
//                department (browser, security reviewer), each team folder (editor to the team's
//                group, token creator to its CI account, logging viewer), each project (about seven:
//                default compute account as editor, storage and secret access for `app`, run admin
//                and service account user for `deploy`, a custom role to the team's group, viewers,
//                BigQuery, Pub/Sub), service-account policies (CI may act as `deploy`, `deploy` may
//                mint `app`'s tokens, GitHub-federated principal sets may impersonate CI), and data
//                resources' own policies (cross-project readers, rare `allUsers`); about 11P in all
//   conditions   `request.time` and `resource.name` conditions (decided offline) and `resource.matchTag`
//                ones (undecided, so conditional)
//   deny         the organization denies key creation to all but its platform admins; each
//                department denies object deletion to its group under a tag condition; one project in
//                20 denies secret access to its `deploy` account
//   data         per project a bucket and a secret; a second secret, a BigQuery dataset, a KMS key, a
//                Pub/Sub topic and a Cloud SQL instance in some
//   federation   a GitHub workload identity pool in each department's first project (one provider
//                without an attribute condition in the first department)
//   findings     deleted principals, `allUsers` on buckets, the default compute account as editor
//
// The same seed gives the same organization.
import type { GcpRaw, GcpRawLevel, RawDocument } from '../src/collectors/gcp/raw.js';
import { prng } from './synthetic-inventory.js';

export interface SyntheticGcpOptions {
  projects: number;
  seed: number;
}

export interface SyntheticGcpShape {
  folders: number;
  projects: number;
  serviceAccounts: number;
  keys: number;
  users: number;
  groups: number;
  customRoles: number;
  /** Allow-policy bindings at every level (organization, folders, projects, accounts, resources). */
  bindings: number;
  /** Bindings by where they are attached. */
  bindingsAt: Record<'organization' | 'folder' | 'project' | 'serviceAccount' | 'resource', number>;
  conditionalBindings: number;
  denyPolicies: number;
  dataResources: number;
  pools: number;
}

const ORG_NUMBER = '100000000001';
const ORG = `organizations/${ORG_NUMBER}`;
const DOMAIN = 'example.com';
const TEAMS_PER_DEPARTMENT = 10;
const PROJECTS_PER_TEAM = 20;
const DAY = 86_400_000;

/** Custom role permissions, by what they let a holder do. */
const PERMISSION_POOL = [
  'storage.objects.get',
  'storage.objects.list',
  'storage.objects.create',
  'storage.buckets.get',
  'secretmanager.versions.access',
  'secretmanager.secrets.get',
  'bigquery.tables.getData',
  'bigquery.datasets.get',
  'pubsub.topics.publish',
  'pubsub.topics.get',
  'cloudkms.cryptoKeyVersions.useToDecrypt',
  'cloudkms.cryptoKeys.get',
  'iam.serviceAccounts.actAs',
  'iam.serviceAccounts.getAccessToken',
  'iam.serviceAccounts.get',
  'run.services.create',
  'run.routes.invoke',
  'cloudfunctions.functions.create',
  'compute.instances.create',
  'logging.logEntries.list',
  'monitoring.timeSeries.list',
  'resourcemanager.projects.get',
] as const;

type Binding = { role: string; members: string[]; condition?: { title: string; expression: string } };

export function syntheticGcpRaw(options: SyntheticGcpOptions): { raw: GcpRaw; shape: SyntheticGcpShape } {
  const random = prng(options.seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)] as T;
  const chance = (p: number) => random() < p;
  const hex = (n: number) => Array.from({ length: n }, () => int(16).toString(16)).join('');
  const P = options.projects;
  const levels: GcpRawLevel[] = [];
  const doc = (source: string, value: unknown): RawDocument => ({ source, value });
  const bindingsAt: SyntheticGcpShape['bindingsAt'] = {
    organization: 0,
    folder: 0,
    project: 0,
    serviceAccount: 0,
    resource: 0,
  };
  let conditionalBindings = 0;
  let denyPolicies = 0;
  let keys = 0;
  let dataResources = 0;
  let pools = 0;
  const policy = (at: keyof typeof bindingsAt, bindings: Binding[]) => {
    bindingsAt[at] += bindings.length;
    conditionalBindings += bindings.filter((b) => b.condition).length;
    return { version: 3, etag: `Bw${hex(6)}`, bindings };
  };

  const departments = Math.max(2, Math.ceil(P / (TEAMS_PER_DEPARTMENT * PROJECTS_PER_TEAM)));
  const teamsPer = Math.max(
    1,
    Math.min(TEAMS_PER_DEPARTMENT, Math.ceil(P / (departments * PROJECTS_PER_TEAM))),
  );
  const departmentFolder = (d: number) => String(200000000000 + d);
  const teamFolder = (d: number, t: number) => String(300000000000 + d * 100 + t);
  const projectId = (i: number) => `bench-p${String(i).padStart(5, '0')}`;
  const projectNumber = (i: number) => String(400000000000 + i);
  const sa = (name: string, project: string) => `${name}@${project}.iam.gserviceaccount.com`;
  const users = Math.max(4, Math.round(P / 4));
  const user = (n: number) => `dev-${n % users}@${DOMAIN}`;
  const teamGroup = (d: number, t: number) => `team-${d}-${t}@${DOMAIN}`;
  const deptGroup = (d: number) => `dept-${d}@${DOMAIN}`;
  const ADMINS = `platform-admins@${DOMAIN}`;
  const SECURITY = `security@${DOMAIN}`;
  const AUDITORS = `auditors@${DOMAIN}`;

  // Which projects belong to which team; each team's first project holds its CI account.
  const placement = Array.from({ length: P }, (_, i) => {
    const team = i % (departments * teamsPer);
    return { d: Math.floor(team / teamsPer), t: team % teamsPer };
  });
  const firstOfTeam = new Map<string, number>();
  const firstOfDepartment = new Map<number, number>();
  placement.forEach(({ d, t }, i) => {
    if (!firstOfTeam.has(`${d}/${t}`)) firstOfTeam.set(`${d}/${t}`, i);
    if (!firstOfDepartment.has(d)) firstOfDepartment.set(d, i);
  });
  const ciOf = (d: number, t: number) => sa('ci', projectId(firstOfTeam.get(`${d}/${t}`) ?? 0));
  const opsProject = projectId(0);
  const rotator = sa('key-rotator', opsProject);

  // Custom roles: a tenth at the organization, the rest in evenly spread projects.
  const roleCount = Math.max(4, Math.round(P / 10));
  const orgRoleCount = Math.max(2, Math.round(roleCount / 10));
  const customRole = (name: string, extra: readonly string[] = []) => {
    const permissions = new Set<string>(extra);
    for (let n = 3 + int(6); permissions.size < n; ) permissions.add(pick(PERMISSION_POOL));
    if (chance(0.025)) permissions.add('iam.roles.update');
    return {
      name,
      title: name.slice(name.lastIndexOf('/') + 1),
      stage: 'GA',
      etag: `Bw${hex(6)}`,
      includedPermissions: [...permissions].sort(),
    };
  };
  const orgRoles = Array.from({ length: orgRoleCount }, (_, n) =>
    n === 0
      ? customRole(`${ORG}/roles/auditReader`, [
          'storage.objects.get',
          'bigquery.tables.getData',
          'secretmanager.secrets.get',
        ])
      : customRole(`${ORG}/roles/benchOrgRole${n}`),
  );
  const projectRoleEvery = Math.max(1, Math.floor(P / Math.max(1, roleCount - orgRoleCount)));
  let projectRoles = 0;

  // The organization.
  levels.push({
    kind: 'organization',
    id: 'organization',
    files: {
      describe: doc('organization/describe.json', {
        name: ORG,
        displayName: DOMAIN,
        lifecycleState: 'ACTIVE',
        owner: { directoryCustomerId: 'C0bench' },
      }),
      iamPolicy: doc(
        'organization/iam-policy.json',
        policy('organization', [
          { role: 'roles/owner', members: [`group:${ADMINS}`] },
          { role: 'roles/iam.securityReviewer', members: [`group:${SECURITY}`] },
          { role: orgRoles[0]?.name ?? 'roles/viewer', members: [`group:${AUDITORS}`] },
          { role: 'roles/iam.serviceAccountKeyAdmin', members: [`serviceAccount:${rotator}`] },
          { role: 'roles/logging.viewer', members: [`domain:${DOMAIN}`] },
          {
            role: 'roles/browser',
            members: [`group:${SECURITY}`, `group:${AUDITORS}`],
            condition: {
              title: 'until the end of the audit',
              expression: 'request.time < timestamp("2099-01-01T00:00:00Z")',
            },
          },
        ]),
      ),
      denyPolicies: doc('organization/deny-policies.json', [
        {
          name: `policies/cloudresourcemanager.googleapis.com%2F${ORG.replace('/', '%2F')}/denypolicies/no-sa-keys`,
          displayName: 'No service account keys',
          rules: [
            {
              denyRule: {
                deniedPrincipals: ['principalSet://goog/public:all'],
                exceptionPrincipals: [`principalSet://goog/group/${ADMINS}`],
                deniedPermissions: ['iam.googleapis.com/serviceAccountKeys.create'],
              },
            },
          ],
        },
      ]),
      customRoles: doc('organization/custom-roles.json', orgRoles),
    },
    resources: {},
  });
  denyPolicies += 1;

  // Folders: departments, then their teams.
  for (let d = 0; d < departments; d++) {
    const id = departmentFolder(d);
    levels.push({
      kind: 'folder',
      id,
      files: {
        describe: doc(`folders/${id}/describe.json`, {
          name: `folders/${id}`,
          displayName: `department-${d}`,
          parent: ORG,
          lifecycleState: 'ACTIVE',
        }),
        iamPolicy: doc(
          `folders/${id}/iam-policy.json`,
          policy('folder', [
            { role: 'roles/browser', members: [`group:${deptGroup(d)}`] },
            { role: 'roles/iam.securityReviewer', members: [`group:${SECURITY}`] },
          ]),
        ),
        denyPolicies: doc(`folders/${id}/deny-policies.json`, [
          {
            name: `policies/cloudresourcemanager.googleapis.com%2Ffolders%2F${id}/denypolicies/no-prod-deletes`,
            rules: [
              {
                denyRule: {
                  deniedPrincipals: [`principalSet://goog/group/${deptGroup(d)}`],
                  deniedPermissions: ['storage.googleapis.com/objects.delete'],
                  denialCondition: {
                    title: 'production',
                    expression: `resource.matchTag("${ORG_NUMBER}/env", "prod")`,
                  },
                },
              },
            ],
          },
        ]),
      },
      resources: {},
    });
    denyPolicies += 1;
    for (let t = 0; t < teamsPer; t++) {
      const tid = teamFolder(d, t);
      levels.push({
        kind: 'folder',
        id: tid,
        files: {
          describe: doc(`folders/${tid}/describe.json`, {
            name: `folders/${tid}`,
            displayName: `team-${d}-${t}`,
            parent: `folders/${id}`,
            lifecycleState: 'ACTIVE',
          }),
          iamPolicy: doc(
            `folders/${tid}/iam-policy.json`,
            policy('folder', [
              { role: 'roles/editor', members: [`group:${teamGroup(d, t)}`] },
              { role: 'roles/iam.serviceAccountTokenCreator', members: [`serviceAccount:${ciOf(d, t)}`] },
              { role: 'roles/logging.viewer', members: [`group:${deptGroup(d)}`] },
            ]),
          ),
        },
        resources: {},
      });
    }
  }

  // Projects.
  let serviceAccounts = 0;
  for (let i = 0; i < P; i++) {
    const { d, t } = placement[i] as { d: number; t: number };
    const id = projectId(i);
    const number = projectNumber(i);
    const app = sa('app', id);
    const deploy = sa('deploy', id);
    const compute = i % 2 === 0 ? `${number}-compute@developer.gserviceaccount.com` : undefined;
    const isTeamFirst = firstOfTeam.get(`${d}/${t}`) === i;
    const isDepartmentFirst = firstOfDepartment.get(d) === i;
    const environment = pick(['production', 'staging', 'development', 'development']);
    const files: GcpRawLevel['files'] = {};
    const resources: GcpRawLevel['resources'] = {};
    const at = (file: string) => `projects/${id}/${file}`;
    files.describe = doc(at('describe.json'), {
      projectId: id,
      projectNumber: number,
      name: `${id}`,
      lifecycleState: 'ACTIVE',
      labels: { environment, team: `team-${d}-${t}` },
      parent:
        i % 25 === 24
          ? { type: 'folder', id: departmentFolder(d) }
          : { type: 'folder', id: teamFolder(d, t) },
    });

    // Service accounts and their keys.
    const accounts = [
      { email: app, displayName: 'application' },
      { email: deploy, displayName: 'deployer' },
      ...(compute ? [{ email: compute, displayName: 'Compute Engine default service account' }] : []),
      ...(isTeamFirst ? [{ email: sa('ci', id), displayName: 'CI' }] : []),
      ...(i === 0 ? [{ email: rotator, displayName: 'key rotation' }] : []),
    ];
    serviceAccounts += accounts.length;
    files.serviceAccounts = doc(
      at('service-accounts.json'),
      accounts.map((a, n) => ({
        ...a,
        name: `projects/${id}/serviceAccounts/${a.email}`,
        projectId: id,
        uniqueId: String(10n ** 20n + BigInt(i * 10 + n)),
        ...(n === 1 && i % 97 === 0 ? { disabled: true } : {}),
      })),
    );
    if (i % 10 === 0) {
      keys += 1;
      const created = new Date(Date.UTC(2024, 0, 1) + int(700) * DAY).toISOString().replace('.000', '');
      resources.serviceAccountKeys = {
        [app]: doc(at(`service-account-keys/${app}.json`), [
          {
            keyAlgorithm: 'KEY_ALG_RSA_2048',
            keyOrigin: 'GOOGLE_PROVIDED',
            keyType: 'USER_MANAGED',
            name: `projects/${id}/serviceAccounts/${app}/keys/${hex(40)}`,
            validAfterTime: created,
            validBeforeTime: '9999-12-31T23:59:59Z',
          },
        ]),
      };
    }
    const saPolicies: Record<string, RawDocument> = {
      [deploy]: doc(
        at(`service-account-iam-policies/${deploy}.json`),
        policy('serviceAccount', [
          { role: 'roles/iam.serviceAccountUser', members: [`serviceAccount:${ciOf(d, t)}`] },
        ]),
      ),
    };
    if (i % 2 === 1)
      saPolicies[app] = doc(
        at(`service-account-iam-policies/${app}.json`),
        policy('serviceAccount', [
          { role: 'roles/iam.serviceAccountTokenCreator', members: [`serviceAccount:${deploy}`] },
        ]),
      );

    // A GitHub pool in each department's first project; its principal sets may impersonate CI.
    if (isDepartmentFirst) {
      pools += 1;
      const pool = `projects/${number}/locations/global/workloadIdentityPools/github`;
      files.pools = doc(at('workload-identity-pools.json'), [
        { name: pool, displayName: 'GitHub Actions', state: 'ACTIVE' },
      ]);
      resources.poolProviders = {
        github: doc(at('workload-identity-providers/github.json'), [
          {
            name: `${pool}/providers/github-actions`,
            displayName: 'GitHub',
            state: 'ACTIVE',
            oidc: { issuerUri: 'https://token.actions.githubusercontent.com' },
            attributeMapping: {
              'google.subject': 'assertion.sub',
              'attribute.repository': 'assertion.repository',
            },
            attributeCondition: "assertion.repository_owner == 'example'",
          },
          ...(d === 0
            ? [
                {
                  name: `${pool}/providers/github-any`,
                  displayName: 'GitHub (any owner)',
                  state: 'ACTIVE',
                  oidc: { issuerUri: 'https://token.actions.githubusercontent.com' },
                  attributeMapping: { 'google.subject': 'assertion.sub' },
                },
              ]
            : []),
        ]),
      };
      const ci = sa('ci', id);
      saPolicies[ci] = doc(
        at(`service-account-iam-policies/${ci}.json`),
        policy('serviceAccount', [
          {
            role: 'roles/iam.workloadIdentityUser',
            members: [`principalSet://iam.googleapis.com/${pool}/attribute.repository/example/deploy-${d}`],
          },
        ]),
      );
    }
    resources.serviceAccountPolicies = saPolicies;

    // Custom roles of the project, if it is one that has one.
    let ownRole: string | undefined;
    if (i % projectRoleEvery === 0 && projectRoles < roleCount - orgRoleCount) {
      projectRoles += 1;
      ownRole = `projects/${id}/roles/benchRole`;
      files.customRoles = doc(at('custom-roles.json'), [customRole(ownRole)]);
    }

    // The project's allow policy.
    const bindings: Binding[] = [
      { role: 'roles/storage.objectAdmin', members: [`serviceAccount:${app}`] },
      {
        role: 'roles/secretmanager.secretAccessor',
        members: [`serviceAccount:${app}`],
        ...(i % 3 === 0
          ? {
              condition: {
                title: 'app secrets only',
                expression: `resource.name.startsWith("projects/${number}/secrets/app-")`,
              },
            }
          : {}),
      },
      { role: 'roles/run.admin', members: [`serviceAccount:${deploy}`] },
      { role: 'roles/iam.serviceAccountUser', members: [`serviceAccount:${deploy}`] },
      {
        role: ownRole ?? (pick(orgRoles) as { name: string }).name,
        members: [`group:${teamGroup(d, t)}`],
      },
      { role: 'roles/viewer', members: [`user:${user(i)}`, `user:${user(i + 1)}`] },
      { role: 'roles/monitoring.viewer', members: [`group:${deptGroup(d)}`] },
    ];
    if (compute) bindings.push({ role: 'roles/editor', members: [`serviceAccount:${compute}`] });
    if (i % 5 === 0)
      bindings.push({
        role: 'roles/bigquery.dataViewer',
        members: [`group:${deptGroup(d)}`],
        condition: { title: 'temporary', expression: 'request.time < timestamp("2099-06-01T00:00:00Z")' },
      });
    if (i % 7 === 0)
      bindings.push({
        role: 'roles/pubsub.publisher',
        members: [`serviceAccount:${sa('app', projectId((i + 1) % P))}`],
        condition: { title: 'prod only', expression: `resource.matchTag("${ORG_NUMBER}/env", "prod")` },
      });
    if (i % 100 === 0) bindings.push({ role: 'roles/owner', members: [`user:${user(i + 2)}`] });
    if (i % 50 === 25)
      bindings.push({
        role: 'roles/viewer',
        members: [`deleted:serviceAccount:old@${id}.iam.gserviceaccount.com?uid=${10n ** 20n + BigInt(i)}`],
      });
    files.iamPolicy = doc(at('iam-policy.json'), policy('project', bindings));
    if (i % 20 === 10) {
      denyPolicies += 1;
      files.denyPolicies = doc(at('deny-policies.json'), [
        {
          name: `policies/cloudresourcemanager.googleapis.com%2Fprojects%2F${id}/denypolicies/no-deployer-secrets`,
          rules: [
            {
              denyRule: {
                deniedPrincipals: [`principal://iam.googleapis.com/projects/-/serviceAccounts/${deploy}`],
                deniedPermissions: ['secretmanager.googleapis.com/versions.access'],
              },
            },
          ],
        },
      ]);
    }

    // Data resources and their own policies.
    const other = sa('app', projectId((i + 7) % P));
    const bucket = `${id}-data`;
    files.bucket = doc(at('buckets.json'), [
      {
        name: bucket,
        storage_url: `gs://${bucket}/`,
        location: 'EU',
        labels: i % 4 === 0 ? { sensitivity: 'high' } : {},
      },
    ]);
    resources.bucketPolicies = {};
    if (i % 3 === 0)
      resources.bucketPolicies[bucket] = doc(
        at(`bucket-iam-policies/${bucket}.json`),
        policy('resource', [
          {
            role: 'roles/storage.objectViewer',
            members: [`serviceAccount:${other}`, ...(i % 200 === 3 ? ['allUsers'] : [])],
          },
        ]),
      );
    const secrets = ['app-db-password', ...(i % 2 === 0 ? ['api-token'] : [])];
    files.secret = doc(
      at('secrets.json'),
      secrets.map((s) => ({
        name: `projects/${number}/secrets/${s}`,
        createTime: '2025-01-01T00:00:00Z',
        replication: { automatic: {} },
      })),
    );
    dataResources += 1 + secrets.length;
    if (i % 4 === 1)
      resources.secretPolicies = {
        'app-db-password': doc(
          at('secret-iam-policies/app-db-password.json'),
          policy('resource', [
            { role: 'roles/secretmanager.secretAccessor', members: [`serviceAccount:${deploy}`] },
          ]),
        ),
      };
    if (i % 2 === 0) {
      dataResources += 1;
      files.dataset = doc(at('bigquery-datasets.json'), [
        {
          datasetReference: { datasetId: 'analytics', projectId: id },
          id: `${id}:analytics`,
          location: 'EU',
        },
      ]);
      resources.datasetPolicies = {
        analytics: doc(
          at('bigquery-dataset-iam-policies/analytics.json'),
          policy('resource', [{ role: 'roles/bigquery.dataEditor', members: [`group:${teamGroup(d, t)}`] }]),
        ),
      };
    }
    if (i % 4 === 2) {
      dataResources += 1;
      const key = `projects/${id}/locations/europe-west1/keyRings/app/cryptoKeys/data`;
      files.kmsKey = doc(at('kms-keys.json'), [{ name: key, purpose: 'ENCRYPT_DECRYPT' }]);
      resources.kmsKeyPolicies = {
        'europe-west1.app.data': doc(
          at('kms-key-iam-policies/europe-west1.app.data.json'),
          policy('resource', [
            { role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter', members: [`serviceAccount:${app}`] },
          ]),
        ),
      };
    }
    if (i % 3 === 1) {
      dataResources += 1;
      files.topic = doc(at('pubsub-topics.json'), [{ name: `projects/${id}/topics/events` }]);
      resources.topicPolicies = {
        events: doc(
          at('pubsub-topic-iam-policies/events.json'),
          policy('resource', [{ role: 'roles/pubsub.publisher', members: [`serviceAccount:${other}`] }]),
        ),
      };
    }
    if (i % 10 === 5) {
      dataResources += 1;
      files.sqlInstance = doc(at('sql-instances.json'), [
        {
          name: 'orders-db',
          project: id,
          databaseVersion: 'POSTGRES_15',
          region: 'europe-west1',
          settings: { tier: 'db-custom-2-7680', userLabels: { sensitivity: 'high' } },
        },
      ]);
    }
    levels.push({ kind: 'project', id, files, resources });
  }

  // Group member files (`gcloud identity groups memberships list`): direct members, nested groups by type.
  const groups: Record<string, RawDocument> = {};
  const membership = (
    email: string,
    members: { id: string; type: 'USER' | 'SERVICE_ACCOUNT' | 'GROUP' }[],
  ) => {
    groups[email] = doc(
      `organization/groups/${email}.json`,
      members.map(({ id, type }) => ({
        name: `groups/${hex(12)}/memberships/${hex(12)}`,
        preferredMemberKey: { id },
        roles: [{ name: 'MEMBER' }],
        type,
      })),
    );
  };
  let u = 0;
  const nextUser = () => ({ id: user(u++), type: 'USER' as const });
  for (let d = 0; d < departments; d++) {
    for (let t = 0; t < teamsPer; t++)
      membership(teamGroup(d, t), [
        ...Array.from({ length: 5 }, nextUser),
        { id: ciOf(d, t), type: 'SERVICE_ACCOUNT' },
      ]);
    membership(deptGroup(d), [
      ...Array.from({ length: teamsPer }, (_, t) => ({ id: teamGroup(d, t), type: 'GROUP' as const })),
      nextUser(),
      nextUser(),
    ]);
  }
  membership(ADMINS, [nextUser(), nextUser()]);
  membership(SECURITY, [nextUser(), nextUser(), nextUser()]);
  membership(AUDITORS, [nextUser(), nextUser(), { id: sa('auditor', opsProject), type: 'SERVICE_ACCOUNT' }]);

  const bindings = Object.values(bindingsAt).reduce((a, b) => a + b, 0);
  return {
    raw: { levels, groups, issues: [] },
    shape: {
      folders: departments * (1 + teamsPer),
      projects: P,
      serviceAccounts,
      keys,
      users,
      groups: Object.keys(groups).length,
      customRoles: orgRoles.length + projectRoles,
      bindings,
      bindingsAt,
      conditionalBindings,
      denyPolicies,
      dataResources,
      pools,
    },
  };
}
