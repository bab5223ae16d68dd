import { describe, expect, it } from 'vitest';
import { analyzeGcp, type GcpAnalysis } from '../../../src/analyzers/gcp-iam/analyze.js';
import {
  GCP_TECHNIQUES,
  RUN_AS_TECHNIQUES,
  SET_IAM_POLICY_TECHNIQUES,
} from '../../../src/analyzers/gcp-iam/techniques.js';
import type {
  GcpBinding,
  GcpContainer,
  GcpDataResource,
  GcpDenyPolicy,
  GcpEnvironment,
  GcpWorkloadIdentityPool,
} from '../../../src/model/gcp/environment.js';
import { type GcpRole, shippedPredefinedRoles } from '../../../src/model/gcp/roles.js';

// Each escalation technique of src/analyzers/gcp-iam/techniques.ts, derived (positive) and not
// derived when one of its conditions is missing (negative), over small hand-built organizations.

const ORG = 'organizations/1';
const FOLDER = 'folders/2';
const PROJECT = 'projects/app-project-1';
const OTHER = 'projects/other-project-2';
const NUMBER = '1001';
const ALICE = 'user:alice@example.com';
const TARGET_EMAIL = 'target@app-project-1.iam.gserviceaccount.com';
const TARGET = `gcp:sa:${TARGET_EMAIL}`;
const AS_OF = new Date('2026-12-01T00:00:00Z');
const dataset = shippedPredefinedRoles();

type Bindings = Partial<Record<string, [role: string, ...members: string[]][]>>;

interface Options {
  bindings?: Bindings;
  custom?: Record<string, string[]>;
  accountPolicy?: [role: string, ...members: string[]][];
  deny?: Partial<Record<string, GcpDenyPolicy[]>>;
  pools?: GcpWorkloadIdentityPool[];
  resources?: GcpDataResource[];
  otherAccounts?: string[];
}

const policy = (source: string, list: [string, ...string[]][] = []) => ({
  source,
  bindings: list.map(([role, ...members]): GcpBinding => ({ role, members })),
});

function environment(options: Options = {}): GcpEnvironment {
  const containers = new Map<string, GcpContainer>();
  const level = (c: Omit<GcpContainer, 'labels' | 'denyPolicies'>) =>
    containers.set(c.name, {
      ...c,
      labels: {},
      policy: policy(`${c.name}/iam-policy.json`, options.bindings?.[c.name]),
      denyPolicies: options.deny?.[c.name] ?? [],
    });
  level({ kind: 'organization', name: ORG });
  level({ kind: 'folder', name: FOLDER, parent: ORG });
  level({ kind: 'project', name: PROJECT, parent: FOLDER, projectNumber: NUMBER });
  level({ kind: 'project', name: OTHER, parent: ORG, projectNumber: '2002' });
  const custom = new Map<string, GcpRole>(
    Object.entries(options.custom ?? {}).map(([name, permissions]) => [
      name,
      { name, permissions, custom: true, source: 'custom-roles.json' },
    ]),
  );
  return {
    containers,
    serviceAccounts: [
      {
        email: TARGET_EMAIL,
        project: PROJECT,
        disabled: false,
        keys: [],
        ...(options.accountPolicy ? { policy: policy('sa-policy.json', options.accountPolicy) } : {}),
      },
      ...(options.otherAccounts ?? []).map((email) => ({
        email,
        project: OTHER,
        disabled: false,
        keys: [],
      })),
    ],
    pools: options.pools ?? [],
    resources: options.resources ?? [],
    roles: { collected: new Map(), custom, dataset },
    issues: [],
  };
}

const analyze = (options: Options = {}) => analyzeGcp(environment(options), { asOf: AS_OF });
const keys = (a: GcpAnalysis) =>
  a.edges.map(
    (e) => `${e.type} ${e.from} -> ${e.to}${e.properties.technique ? ` (${e.properties.technique})` : ''}`,
  );
const from = (a: GcpAnalysis, member: string, type = 'CAN_ESCALATE') =>
  a.edges.filter((e) => e.type === type && e.from === member);

describe('the GCP technique registry', () => {
  it('gives every technique a unique id, an ATT&CK id, a Google reference and case-correct permissions', () => {
    const ids = GCP_TECHNIQUES.map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const t of GCP_TECHNIQUES) {
      expect(t.attack.id).toMatch(/^T\d{4}(\.\d{3})?$/);
      expect(t.reference).toMatch(/^https:\/\/cloud\.google\.com\//);
      for (const p of t.needs.flat()) expect(p).not.toMatch(/serviceaccounts/);
    }
    expect(ids).not.toContain('gcp-actas-deploymentmanager-deployments-create');
  });
});

describe('actAs and a way to run code as the service account', () => {
  for (const technique of RUN_AS_TECHNIQUES) {
    const permissions = technique.needs.map((group) => group[0] as string);
    it(`${technique.id}: every group of its permissions and actAs, and not without the first group`, () => {
      const role = 'projects/app-project-1/roles/runner';
      const grant = (perms: string[]) =>
        analyze({
          custom: { [role]: ['iam.serviceAccounts.actAs', ...perms] },
          bindings: { [PROJECT]: [[role, ALICE]] },
        });
      const edge = from(grant(permissions), 'gcp:user:alice@example.com').find((e) => e.to === TARGET);
      const named = (edge?.properties.techniques as string[] | undefined) ?? [edge?.properties.technique];
      expect(named).toContain(technique.id);
      if (named[0] === technique.id) expect(edge?.properties.attack).toBe(technique.attack.id);
      if ('requires' in technique) {
        expect(edge?.properties.conditional).toBe(true);
        expect(edge?.properties.requires).toContain(technique.requires);
      } else expect(edge?.properties.conditional).toBeUndefined();
      expect(edge?.evidence[0]?.statement).toBe(`bindings[0] ${role} ${ALICE}`);
      const without = grant(permissions.slice(1));
      expect(
        from(without, 'gcp:user:alice@example.com').some((e) =>
          ((e.properties.techniques as string[] | undefined) ?? [e.properties.technique]).includes(
            technique.id,
          ),
        ),
      ).toBe(false);
    });
  }

  it('needs actAs on the account itself: the permissions to run code alone give nothing', () => {
    const a = analyze({ bindings: { [PROJECT]: [['roles/compute.instanceAdmin.v1', ALICE]] } });
    expect(from(a, 'gcp:user:alice@example.com')).toEqual([]);
  });

  it('SSH and startup scripts through metadata or OS Login need an existing instance: conditional, with requires', () => {
    const a = analyze({
      bindings: {
        [PROJECT]: [
          ['roles/iam.serviceAccountUser', ALICE],
          ['roles/compute.osAdminLogin', ALICE],
        ],
      },
    });
    const [edge] = from(a, 'gcp:user:alice@example.com');
    expect(edge?.properties).toMatchObject({
      technique: 'gcp-actas-compute-oslogin',
      attack: 'T1021.004',
      conditional: true,
      conditions: [expect.stringContaining('reachgraph:PrerequisiteExists')],
    });
    const plain = analyze({
      bindings: {
        [PROJECT]: [
          ['roles/iam.serviceAccountUser', ALICE],
          ['roles/compute.osLogin', ALICE],
        ],
      },
    });
    expect(from(plain, 'gcp:user:alice@example.com')).toEqual([]);
  });
});

describe('custom roles the principal holds and may update (iam.roles.update)', () => {
  const role = 'projects/app-project-1/roles/ops';

  it('self-escalates to the level the role is bound at and to the project’s service accounts', () => {
    const a = analyze({
      custom: { [role]: ['compute.instances.list'] },
      bindings: {
        [PROJECT]: [
          [role, ALICE],
          ['roles/iam.roleAdmin', ALICE],
        ],
      },
    });
    expect(keys(a)).toEqual(
      expect.arrayContaining([
        `CAN_ESCALATE gcp:user:alice@example.com -> gcp:${PROJECT} (gcp-iam-roles-update)`,
        `CAN_ESCALATE gcp:user:alice@example.com -> ${TARGET} (gcp-iam-roles-update)`,
      ]),
    );
    const project = from(a, 'gcp:user:alice@example.com').find((e) => e.to === `gcp:${PROJECT}`);
    expect(project?.properties).toEqual({
      technique: 'gcp-iam-roles-update',
      attack: 'T1098.003',
      self: true,
    });
    expect(project?.evidence.map((e) => e.statement)).toEqual([
      `bindings[0] ${role} ${ALICE}`,
      `bindings[1] roles/iam.roleAdmin ${ALICE}`,
    ]);
  });

  it('an organization role bound on a folder reaches the folder and the projects under it', () => {
    const orgRole = 'organizations/1/roles/ops';
    const a = analyze({
      custom: { [orgRole]: ['compute.instances.list'] },
      bindings: { [ORG]: [['roles/iam.organizationRoleAdmin', ALICE]], [FOLDER]: [[orgRole, ALICE]] },
    });
    expect(
      from(a, 'gcp:user:alice@example.com')
        .filter((e) => e.properties.technique === 'gcp-iam-roles-update')
        .map((e) => e.to)
        .sort(),
    ).toEqual([`gcp:${FOLDER}`, `gcp:${PROJECT}`, TARGET]);
  });

  it('not for a role it holds but may not update, nor one it may update but does not hold', () => {
    const holds = analyze({
      custom: { [role]: ['compute.instances.list'] },
      bindings: { [PROJECT]: [[role, ALICE]] },
    });
    expect(from(holds, 'gcp:user:alice@example.com')).toEqual([]);
    const updates = analyze({
      custom: { [role]: ['compute.instances.list'] },
      bindings: {
        [PROJECT]: [
          [role, 'user:bob@example.com'],
          ['roles/iam.roleAdmin', ALICE],
        ],
      },
    });
    expect(from(updates, 'gcp:user:alice@example.com')).toEqual([]);
  });

  it('not where a deny policy takes the permission the updated role would add', () => {
    const a = analyze({
      custom: { [role]: ['compute.instances.list'] },
      bindings: {
        [PROJECT]: [
          [role, ALICE],
          ['roles/iam.roleAdmin', ALICE],
        ],
      },
      deny: {
        [ORG]: [
          {
            name: 'policies/org/denypolicies/no-iam',
            source: 'deny-policies.json',
            rules: [
              {
                deniedPrincipals: ['principal://goog/subject/alice@example.com'],
                exceptionPrincipals: [],
                deniedPermissions: ['cloudresourcemanager.googleapis.com/projects.setIamPolicy'],
                exceptionPermissions: [],
              },
            ],
          },
        ],
      },
    });
    expect(keys(a)).not.toContain(
      `CAN_ESCALATE gcp:user:alice@example.com -> gcp:${PROJECT} (gcp-iam-roles-update)`,
    );
    expect(keys(a)).toContain(`CAN_ESCALATE gcp:user:alice@example.com -> ${TARGET} (gcp-iam-roles-update)`);
  });
});

describe('service agents that act for whoever submits to them', () => {
  const DM_AGENT = `gcp:sa:${NUMBER}@cloudservices.gserviceaccount.com`;
  const CB_AGENT = `gcp:sa:${NUMBER}@cloudbuild.gserviceaccount.com`;

  it('Deployment Manager: to the Google APIs service agent when it holds a role, with no actAs', () => {
    const a = analyze({
      bindings: {
        [PROJECT]: [
          ['roles/deploymentmanager.editor', ALICE],
          ['roles/editor', `serviceAccount:${NUMBER}@cloudservices.gserviceaccount.com`],
        ],
      },
    });
    const edge = from(a, 'gcp:user:alice@example.com').find((e) => e.to === DM_AGENT);
    expect(edge?.properties).toEqual({ technique: 'gcp-deploymentmanager-service-agent', attack: 'T1548' });
    expect(edge?.evidence[1]?.reason).toContain('the service agent, holds roles/editor');
    // the agent's own roles carry on: editor runs code as the project's accounts
    expect(keys(a)).toContain(`CAN_ESCALATE ${DM_AGENT} -> ${TARGET} (gcp-actas-compute-instances-create)`);
  });

  it('Deployment Manager: nothing when the agent holds no role in the project', () => {
    const a = analyze({ bindings: { [PROJECT]: [['roles/deploymentmanager.editor', ALICE]] } });
    expect(from(a, 'gcp:user:alice@example.com')).toEqual([]);
  });

  it('Cloud Build: to the legacy Cloud Build service account when it holds a role, and not otherwise', () => {
    const agent = `serviceAccount:${NUMBER}@cloudbuild.gserviceaccount.com`;
    const a = analyze({
      bindings: {
        [PROJECT]: [
          ['roles/cloudbuild.builds.editor', ALICE],
          ['roles/cloudbuild.builds.builder', agent],
        ],
      },
    });
    expect(keys(a)).toContain(
      `CAN_ESCALATE gcp:user:alice@example.com -> ${CB_AGENT} (gcp-cloudbuild-service-agent)`,
    );
    const none = analyze({ bindings: { [PROJECT]: [['roles/cloudbuild.builds.editor', ALICE]] } });
    expect(from(none, 'gcp:user:alice@example.com')).toEqual([]);
  });
});

describe('workload identity pool providers', () => {
  const pool = `projects/${NUMBER}/locations/global/workloadIdentityPools/ci`;
  const everyone = `principalSet://iam.googleapis.com/${pool}/*`;
  const pools = (disabled: boolean, providers = 0): GcpWorkloadIdentityPool[] => [
    {
      name: pool,
      project: PROJECT,
      disabled,
      providers: Array.from({ length: providers }, (_, i) => ({
        name: `${pool}/providers/p${i}`,
        disabled: false,
        issuer: 'https://token.actions.githubusercontent.com',
        protocol: 'oidc' as const,
        attributeMapping: { 'google.subject': 'assertion.sub' },
        attributeCondition: "assertion.repository_owner == 'example'",
      })),
    },
  ];
  const base = {
    accountPolicy: [['roles/iam.workloadIdentityUser', everyone]] as [string, ...string[]][],
  };

  it('whoever may add a provider becomes a member of a broad principalSet binding', () => {
    const a = analyze({
      ...base,
      pools: pools(false),
      bindings: { [PROJECT]: [['roles/iam.workloadIdentityPoolAdmin', ALICE]] },
    });
    expect(keys(a)).toEqual(
      expect.arrayContaining([
        `FEDERATES_TO gcp:principalset:${everyone} -> ${TARGET}`,
        `CAN_ESCALATE gcp:user:alice@example.com -> gcp:principalset:${everyone} (gcp-wif-provider-create)`,
      ]),
    );
  });

  it('not for a disabled pool, nor with update alone on a pool without providers', () => {
    const disabled = analyze({
      ...base,
      pools: pools(true),
      bindings: { [PROJECT]: [['roles/iam.workloadIdentityPoolAdmin', ALICE]] },
    });
    expect(from(disabled, 'gcp:user:alice@example.com')).toEqual([]);
    const role = 'projects/app-project-1/roles/providerEditor';
    const updateOnly = (providers: number) =>
      analyze({
        ...base,
        pools: pools(false, providers),
        custom: { [role]: ['iam.googleapis.com/workloadIdentityPoolProviders.update'] },
        bindings: { [PROJECT]: [[role, ALICE]] },
      });
    expect(from(updateOnly(0), 'gcp:user:alice@example.com')).toEqual([]);
    expect(from(updateOnly(1), 'gcp:user:alice@example.com').map((e) => e.properties.technique)).toEqual([
      'gcp-wif-provider-create',
    ]);
  });
});

describe('HMAC keys for the project’s service accounts', () => {
  const bucket: GcpDataResource = {
    kind: 'bucket',
    fullName: '//storage.googleapis.com/projects/_/buckets/data-1',
    shortName: 'data-1',
    project: PROJECT,
    labels: {},
    policy: policy('bucket.json', [['roles/storage.objectViewer', `serviceAccount:${TARGET_EMAIL}`]]),
  };
  const BUCKET = 'gcp:storage:projects/_/buckets/data-1';

  it('reach the buckets the account reads, with via and both grants as evidence', () => {
    const a = analyze({
      resources: [bucket],
      bindings: { [PROJECT]: [['roles/storage.hmacKeyAdmin', ALICE]] },
    });
    const edge = from(a, 'gcp:user:alice@example.com', 'CAN_ACCESS').find((e) => e.to === BUCKET);
    expect(edge?.properties).toMatchObject({
      levels: ['list', 'read'],
      via: ['gcp-storage-hmackeys-create'],
    });
    expect(edge?.evidence.map((e) => e.ref)).toEqual([PROJECT, 'projects/_/buckets/data-1']);
  });

  it('not for service accounts of another project', () => {
    const a = analyze({
      resources: [
        {
          ...bucket,
          policy: policy('bucket.json', [
            ['roles/storage.objectViewer', 'serviceAccount:x@other-project-2.iam.gserviceaccount.com'],
          ]),
        },
      ],
      otherAccounts: ['x@other-project-2.iam.gserviceaccount.com'],
      bindings: { [PROJECT]: [['roles/storage.hmacKeyAdmin', ALICE]] },
    });
    expect(from(a, 'gcp:user:alice@example.com', 'CAN_ACCESS')).toEqual([]);
  });
});

describe('setIamPolicy, owner and what is not an escalation', () => {
  it('owner at the organization administers every level; setIamPolicy on a folder self-escalates below it', () => {
    const a = analyze({
      bindings: {
        [ORG]: [['roles/owner', ALICE]],
        [FOLDER]: [['roles/resourcemanager.folderIamAdmin', 'user:bob@example.com']],
      },
    });
    expect(
      keys(a)
        .filter((k) => k.startsWith('ADMINISTERS'))
        .sort(),
    ).toEqual(
      [ORG, FOLDER, PROJECT, OTHER].map((c) => `ADMINISTERS gcp:user:alice@example.com -> gcp:${c}`).sort(),
    );
    // the folder's policy is inherited by its project, not by the project directly under the organization
    expect(
      keys(a)
        .filter((k) => k.startsWith('CAN_ESCALATE gcp:user:bob@example.com'))
        .sort(),
    ).toEqual(
      [FOLDER, PROJECT].map(
        (c) => `CAN_ESCALATE gcp:user:bob@example.com -> gcp:${c} (${SET_IAM_POLICY_TECHNIQUES.folder.id})`,
      ),
    );
  });

  it('setIamPolicy on a data resource is CAN_ACCESS at the permissions level', () => {
    const topic: GcpDataResource = {
      kind: 'topic',
      fullName: '//pubsub.googleapis.com/projects/app-project-1/topics/t',
      shortName: 't',
      project: PROJECT,
      labels: {},
      policy: policy('topic.json', [
        ['roles/pubsub.admin', ALICE],
        ['roles/pubsub.viewer', 'user:bob@example.com'],
      ]),
    };
    const a = analyze({ resources: [topic] });
    expect(from(a, 'gcp:user:alice@example.com', 'CAN_ACCESS')[0]?.properties.levels).toContain(
      'permissions',
    );
    expect(from(a, 'gcp:user:bob@example.com', 'CAN_ACCESS')[0]?.properties.levels).not.toContain(
      'permissions',
    );
  });

  it('orgpolicy.policy.set is a finding where it is granted, never an edge', () => {
    const a = analyze({ bindings: { [FOLDER]: [['roles/orgpolicy.policyAdmin', ALICE]] } });
    expect(a.edges.filter((e) => e.from === 'gcp:user:alice@example.com')).toEqual([]);
    expect(a.findings.map((f) => `${f.rule} ${f.subject}`)).toEqual([
      `gcp-org-policy-administrator gcp:${FOLDER}`,
    ]);
    expect(a.findings[0]?.evidence[0]?.statement).toBe(`bindings[0] roles/orgpolicy.policyAdmin ${ALICE}`);
    const none = analyze({ bindings: { [FOLDER]: [['roles/orgpolicy.policyViewer', ALICE]] } });
    expect(none.findings).toEqual([]);
  });

  it('creating or reading API keys gives no edge: a standard API key identifies no principal', () => {
    const a = analyze({ bindings: { [PROJECT]: [['roles/serviceusage.apiKeysAdmin', ALICE]] } });
    expect(a.edges.filter((e) => e.from === 'gcp:user:alice@example.com')).toEqual([]);
  });
});

describe('Cloud SQL', () => {
  const instance: GcpDataResource = {
    kind: 'sqlInstance',
    fullName: '//cloudsql.googleapis.com/projects/app-project-1/instances/db',
    shortName: 'db',
    project: PROJECT,
    labels: {},
  };
  const DB = 'gcp:cloudsql:projects/app-project-1/instances/db';

  it('is reached through project and inherited bindings, with the level they were granted at', () => {
    const a = analyze({
      resources: [instance],
      bindings: {
        [FOLDER]: [['roles/cloudsql.viewer', 'user:bob@example.com']],
        [PROJECT]: [['roles/cloudsql.instanceUser', ALICE]],
      },
    });
    const alice = from(a, 'gcp:user:alice@example.com', 'CAN_ACCESS')[0];
    expect(alice?.to).toBe(DB);
    expect(alice?.properties.levels).toEqual(['list', 'read']);
    // cloudsql.viewer includes cloudsql.instances.export: it can copy the data out
    const bob = from(a, 'gcp:user:bob@example.com', 'CAN_ACCESS')[0];
    expect(bob?.properties.levels).toEqual(['list', 'read']);
    expect(bob?.properties.actions).toContain('cloudsql.instances.export');
    expect(bob?.evidence[0]?.ref).toBe(FOLDER);
  });

  it('conditions see the Cloud SQL attributes: a condition naming another instance grants nothing', () => {
    const env = environment({ resources: [instance] });
    const project = env.containers.get(PROJECT) as GcpContainer;
    (env.containers as Map<string, GcpContainer>).set(PROJECT, {
      ...project,
      policy: {
        source: 'iam-policy.json',
        bindings: [
          {
            role: 'roles/cloudsql.admin',
            members: [ALICE],
            condition: {
              expression:
                'resource.service == "sqladmin.googleapis.com" && resource.name == "projects/app-project-1/instances/other"',
            },
          },
        ],
      },
    });
    const a = analyzeGcp(env, { asOf: AS_OF });
    expect(from(a, 'gcp:user:alice@example.com', 'CAN_ACCESS')).toEqual([]);
  });
});
