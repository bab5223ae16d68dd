// A deterministic synthetic Inventory shaped like a real multi-cloud collection, for bench/load.ts:
// ~10 AWS accounts (skewed sizes), two GCP projects, two Kubernetes clusters, shared nodes without a
// scope (AWS service principals, Public), string-array/integer/boolean/date-time properties, and
// structural plus derived edges (the derived ones with one or two evidence records).
import type { Evidence } from '../src/model/evidence.js';
import {
  INVENTORY_FORMAT,
  INVENTORY_VERSION,
  type Inventory,
  type InventoryNode,
  type InventoryRelationship,
  type InventoryScope,
  type PropertyValue,
} from '../src/model/inventory.js';
import { ACCESS_LEVELS } from '../src/model/properties.js';

export interface SyntheticOptions {
  nodes: number;
  relationships: number;
  seed?: number;
}

/** mulberry32: small, fast, and the same sequence on every platform. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Props = Record<string, PropertyValue>;

const ACCOUNT_WEIGHTS = [30, 20, 12, 10, 8, 6, 5, 4, 3, 2];
const GCP_PROJECTS = ['payments-prod-4711', 'data-staging-0815'];
const CLUSTERS = ['prod-eks-1', 'stg-gke-1'];
const NAMESPACES = ['default', 'payments', 'checkout', 'search', 'ml', 'platform', 'monitoring', 'ingest'];
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'];
const ENVIRONMENTS = ['production', 'staging', 'development', 'unknown'];
const SENSITIVITIES = ['high', 'medium', 'low', 'unknown'];
const TEAMS = ['payments', 'checkout', 'search', 'ml', 'platform', 'data', 'security', 'growth'];
const SERVICES = ['lambda', 'ec2', 'ecs-tasks', 'glue', 'states', 'events'];
const S3_ACTIONS = [
  's3:GetObject',
  's3:PutObject',
  's3:ListBucket',
  's3:DeleteObject',
  's3:GetBucketPolicy',
  's3:PutBucketPolicy',
  's3:PutObjectTagging',
];
const SECRET_ACTIONS = ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret', 'kms:Decrypt'];
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const HEX = '0123456789abcdef';
const BASE_TIME = Date.UTC(2025, 0, 1);
const DAY_MS = 86_400_000;

/** Node kinds drawn in proportion to these weights (the fixed nodes come on top). */
const NODE_WEIGHTS = {
  AwsRole: 0.18,
  AwsUser: 0.07,
  AwsGroup: 0.01,
  AwsPolicy: 0.2,
  AwsAccessKey: 0.08,
  AwsS3Bucket: 0.14,
  AwsSecret: 0.04,
  AwsLambdaFunction: 0.05,
  GcpServiceAccount: 0.07,
  K8sServiceAccount: 0.08,
  K8sPod: 0.06,
  K8sSecret: 0.02,
} as const;
type WeightedKind = keyof typeof NODE_WEIGHTS;

interface Pooled {
  id: string;
  scope: string | undefined;
  name: string;
}

/**
 * Builds an Inventory with exactly `nodes` nodes and `relationships` relationships (unique per
 * type/from/to, so validation keeps every one). Same options, same inventory.
 */
export function syntheticInventory(options: SyntheticOptions): Inventory {
  const rand = prng(options.seed ?? 42);
  const int = (n: number) => Math.floor(rand() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const chars = (alphabet: string, n: number) => {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[int(alphabet.length)];
    return s;
  };
  const date = (maxDaysAgo: number) => new Date(BASE_TIME - int(maxDaysAgo * DAY_MS)).toISOString();
  const tags = () => {
    const out = [`team=${pick(TEAMS)}`, `env=${pick(ENVIRONMENTS)}`];
    const extra = int(4);
    for (let i = 0; i < extra; i++)
      out.push(`${pick(['cost-center', 'owner', 'app', 'tier'])}-${i}=v${int(500)}`);
    return out;
  };

  // ── Scopes ──────────────────────────────────────────────────────────────────────────────────
  const accounts = ACCOUNT_WEIGHTS.map((_, i) => String(100_000_000_000 + i * 11_111_111 + 7));
  const accountWeightTotal = ACCOUNT_WEIGHTS.reduce((a, b) => a + b, 0);
  const pickAccount = () => {
    let r = rand() * accountWeightTotal;
    for (let i = 0; i < ACCOUNT_WEIGHTS.length; i++) {
      r -= ACCOUNT_WEIGHTS[i] as number;
      if (r < 0) return accounts[i] as string;
    }
    return accounts[accounts.length - 1] as string;
  };
  const scopes: InventoryScope[] = [
    ...accounts.map((a, i) => ({
      id: `aws:${a}`,
      provider: 'aws' as const,
      name: `aws-account-${i}`,
      complete: true,
    })),
    ...GCP_PROJECTS.map((p) => ({ id: `gcp:${p}`, provider: 'gcp' as const, name: p, complete: true })),
    ...CLUSTERS.map((c) => ({ id: `k8s:${c}`, provider: 'kubernetes' as const, name: c, complete: true })),
  ];

  // ── Nodes ───────────────────────────────────────────────────────────────────────────────────
  const nodes: InventoryNode[] = [];
  /** kind → scope ('' for shared) → nodes, for picking endpoints in the same scope. */
  const pools = new Map<string, Map<string, Pooled[]>>();
  const all = new Map<string, Pooled[]>();
  const add = (kind: string, id: string, scope: string | undefined, properties: Props) => {
    nodes.push(scope === undefined ? { id, kind, properties } : { id, kind, scope, properties });
    const entry = { id, scope, name: String(properties.name) };
    let byScope = pools.get(kind);
    if (!byScope) {
      byScope = new Map();
      pools.set(kind, byScope);
    }
    let local = byScope.get(scope ?? '');
    if (!local) {
      local = [];
      byScope.set(scope ?? '', local);
    }
    local.push(entry);
    let list = all.get(kind);
    if (!list) {
      list = [];
      all.set(kind, list);
    }
    list.push(entry);
  };

  for (const account of accounts) {
    add('AwsAccount', `aws:account:${account}`, `aws:${account}`, {
      name: `account-${account}`,
      accountId: account,
      environment: pick(ENVIRONMENTS),
      tags: tags(),
    });
  }
  for (const service of SERVICES) {
    add('AwsServicePrincipal', `aws:service:${service}.amazonaws.com`, undefined, {
      name: `${service}.amazonaws.com`,
      nonHuman: true,
      nhiType: 'workload',
    });
  }
  add('Public', 'public:aws', undefined, { name: 'Anyone (AWS)', nonHuman: false });

  const fixed = nodes.length;
  if (options.nodes < fixed + Object.keys(NODE_WEIGHTS).length * 2) {
    throw new Error(`--nodes must be at least ${fixed + Object.keys(NODE_WEIGHTS).length * 2}`);
  }
  const variable = options.nodes - fixed;
  const counts = Object.fromEntries(
    Object.entries(NODE_WEIGHTS).map(([k, w]) => [k, Math.max(2, Math.floor(w * variable))]),
  ) as Record<WeightedKind, number>;
  counts.AwsRole += variable - Object.values(counts).reduce((a, b) => a + b, 0);

  const awsNode = (kind: WeightedKind, i: number) => {
    const account = pickAccount();
    const scope = `aws:${account}`;
    const region = pick(REGIONS);
    const team = pick(TEAMS);
    const env = pick(ENVIRONMENTS);
    switch (kind) {
      case 'AwsRole': {
        const id = `arn:aws:iam::${account}:role/${team}/${team}-svc-${i}`;
        const props: Props = {
          name: `${team}-svc-${i}`,
          nonHuman: true,
          nhiType: 'role',
          environment: env,
          arn: id,
          accountId: account,
          tags: tags(),
          roleId: `AROA${chars(ALNUM, 17)}`,
          createdAt: date(1500),
          maxSessionDurationSeconds: pick([3600, 7200, 14_400, 43_200]),
        };
        if (rand() < 0.7) props.lastUsedAt = date(90);
        return add(kind, id, scope, props);
      }
      case 'AwsUser': {
        const bot = rand() < 0.6;
        const id = `arn:aws:iam::${account}:user/${bot ? 'bots/' : ''}user-${i}`;
        return add(kind, id, scope, {
          name: `user-${i}`,
          nonHuman: bot,
          ...(bot ? { nhiType: pick(['bot', 'ci-pipeline', 'api-key']) } : {}),
          environment: env,
          arn: id,
          accountId: account,
          tags: tags(),
          userId: `AIDA${chars(ALNUM, 17)}`,
          createdAt: date(2500),
          passwordEnabled: !bot && rand() < 0.8,
        });
      }
      case 'AwsGroup': {
        const id = `arn:aws:iam::${account}:group/${team}-group-${i}`;
        return add(kind, id, scope, { name: `${team}-group-${i}`, arn: id, accountId: account });
      }
      case 'AwsPolicy': {
        const inline = rand() < 0.3;
        const id = inline
          ? `arn:aws:iam::${account}:role/${team}/${team}-svc-${int(1000)}#inline/policy-${i}`
          : `arn:aws:iam::${account}:policy/${team}/policy-${i}`;
        const statements = Array.from({ length: 1 + int(4) }, (_, s) => ({
          Sid: `Stmt${s}`,
          Effect: 'Allow',
          Action: [pick(S3_ACTIONS), pick(S3_ACTIONS), pick(SECRET_ACTIONS)],
          Resource: [`arn:aws:s3:::${team}-bucket-${int(5000)}/*`],
        }));
        return add(kind, id, scope, {
          name: `policy-${i}`,
          policyType: inline ? 'inline' : 'managed',
          document: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
          ...(inline ? {} : { defaultVersionId: `v${1 + int(5)}` }),
        });
      }
      case 'AwsAccessKey': {
        const keyId = `AKIA${chars(ALNUM, 4)}${String(i).padStart(12, '0')}`;
        const props: Props = {
          name: keyId,
          status: rand() < 0.85 ? 'active' : 'inactive',
          createdAt: date(1200),
          ageDays: int(1200),
          accessKeyId: keyId,
        };
        if (rand() < 0.6) props.lastUsedAt = date(60);
        return add(kind, `aws:key:${keyId}`, scope, props);
      }
      case 'AwsS3Bucket': {
        const id = `arn:aws:s3:::${team}-${env}-bucket-${i}`;
        return add(kind, id, scope, {
          name: `${team}-${env}-bucket-${i}`,
          arn: id,
          accountId: account,
          tags: tags(),
          region,
          environment: env,
          sensitivity: pick(SENSITIVITIES),
        });
      }
      case 'AwsSecret': {
        const id = `arn:aws:secretsmanager:${region}:${account}:secret:${team}/secret-${i}-${chars(ALNUM, 6)}`;
        return add(kind, id, scope, {
          name: `${team}/secret-${i}`,
          arn: id,
          accountId: account,
          tags: tags(),
          environment: env,
          sensitivity: 'high',
        });
      }
      case 'AwsLambdaFunction': {
        const id = `arn:aws:lambda:${region}:${account}:function:${team}-fn-${i}`;
        return add(kind, id, scope, {
          name: `${team}-fn-${i}`,
          nonHuman: true,
          nhiType: 'workload',
          arn: id,
          accountId: account,
          tags: tags(),
          environment: env,
          sensitivity: pick(SENSITIVITIES),
        });
      }
      default:
        throw new Error(`not an AWS kind: ${kind}`);
    }
  };

  for (const kind of Object.keys(NODE_WEIGHTS) as WeightedKind[]) {
    for (let i = 0; i < counts[kind]; i++) {
      if (kind.startsWith('Aws')) {
        awsNode(kind, i);
      } else if (kind === 'GcpServiceAccount') {
        const project = pick(GCP_PROJECTS);
        const email = `sa-${i}@${project}.iam.gserviceaccount.com`;
        add(kind, `gcp:sa:${email}`, `gcp:${project}`, {
          name: `sa-${i}`,
          nonHuman: true,
          nhiType: 'service-account',
          environment: pick(ENVIRONMENTS),
          email,
          projectId: project,
          disabled: rand() < 0.1,
        });
      } else {
        const cluster = pick(CLUSTERS);
        const ns = pick(NAMESPACES);
        const scope = `k8s:${cluster}`;
        if (kind === 'K8sServiceAccount') {
          add(kind, `k8s:${cluster}:${ns}:sa:sa-${i}`, scope, {
            name: `${ns}/sa-${i}`,
            nonHuman: true,
            nhiType: 'service-account',
            environment: pick(ENVIRONMENTS),
            cluster,
            namespace: ns,
            annotations: rand() < 0.4 ? [`eks.amazonaws.com/role-arn=role-${int(1000)}`] : [],
          });
        } else if (kind === 'K8sPod') {
          add(kind, `k8s:${cluster}:${ns}:pod:pod-${i}-${chars(HEX, 5)}`, scope, {
            name: `${ns}/pod-${i}`,
            nonHuman: true,
            nhiType: 'workload',
            environment: pick(ENVIRONMENTS),
            sensitivity: pick(SENSITIVITIES),
            cluster,
            namespace: ns,
            serviceAccount: `sa-${int(1000)}`,
            privileged: rand() < 0.05,
            hostPath: rand() < 0.08,
          });
        } else {
          add(kind, `k8s:${cluster}:${ns}:secret:secret-${i}`, scope, {
            name: `${ns}/secret-${i}`,
            environment: pick(ENVIRONMENTS),
            sensitivity: pick(SENSITIVITIES),
            secretType: pick(['Opaque', 'kubernetes.io/tls', 'kubernetes.io/dockerconfigjson']),
          });
        }
      }
    }
  }

  // ── Relationships ───────────────────────────────────────────────────────────────────────────
  const relationships: InventoryRelationship[] = [];
  const seen = new Set<string>();
  const policiesOf = (scope: string | undefined) =>
    pools.get('AwsPolicy')?.get(scope ?? '') ?? (all.get('AwsPolicy') as Pooled[]);
  const anyOf = (kind: string) => all.get(kind) as Pooled[];
  /** An endpoint of `kind`, in `scope` (if it has any of that kind) unless crossing scopes. */
  const endpoint = (kind: string, scope: string | undefined, cross = 0) => {
    const local = scope === undefined || rand() < cross ? undefined : pools.get(kind)?.get(scope);
    return pick(local?.length ? local : anyOf(kind));
  };
  const evidenceFor = (source: Evidence['source'], from: Pooled, to: Pooled, what: string): Evidence[] => {
    const ref = source === 'identity-policy' ? pick(policiesOf(from.scope)).id : `${source}:${to.id}`;
    const records: Evidence[] = [
      {
        source,
        ref,
        statement: `Stmt${int(6)}`,
        reason: `${from.name} ${what} ${to.name} (${source} ${ref})`,
      },
    ];
    if (rand() < 0.25) {
      const second = pick(policiesOf(from.scope)).id;
      records.push({
        source: 'identity-policy',
        ref: second,
        statement: `Stmt${int(6)}`,
        reason: `${from.name} ${what} ${to.name} (also via ${second})`,
      });
    }
    if (rand() < 0.1) {
      const first = records[0] as Evidence;
      first.conditions = [pick(['aws:SourceIp', 'aws:MultiFactorAuthPresent', 'aws:CurrentTime'])];
    }
    return records;
  };
  const subset = (items: readonly string[], max: number) => {
    const out = new Set<string>();
    const n = 1 + int(max);
    while (out.size < Math.min(n, items.length)) out.add(pick(items));
    return [...out];
  };

  interface Recipe {
    weight: number;
    type: string;
    from: string;
    to: string;
    /** Chance the target is taken from any scope rather than the source's. */
    cross?: number;
    evidence?: Evidence['source'];
    verb?: string;
    props?: () => Props;
  }
  const s3Access = () => ({ levels: subset(ACCESS_LEVELS, 3), actions: subset(S3_ACTIONS, 5) });
  const secretAccess = () => ({ levels: ['read'], actions: subset(SECRET_ACTIONS, 2) });
  const recipes: Recipe[] = [
    { weight: 0.14, type: 'HAS_POLICY', from: 'AwsRole', to: 'AwsPolicy', props: attachment },
    { weight: 0.03, type: 'HAS_POLICY', from: 'AwsUser', to: 'AwsPolicy', props: attachment },
    { weight: 0.02, type: 'HAS_POLICY', from: 'AwsGroup', to: 'AwsPolicy', props: attachment },
    { weight: 0.04, type: 'MEMBER_OF', from: 'AwsUser', to: 'AwsGroup' },
    { weight: 0.03, type: 'HAS_CREDENTIAL', from: 'AwsUser', to: 'AwsAccessKey' },
    { weight: 0.05, type: 'CONTAINS', from: 'AwsAccount', to: 'AwsS3Bucket' },
    {
      weight: 0.08,
      type: 'CAN_ASSUME',
      from: 'AwsRole',
      to: 'AwsRole',
      cross: 0.1,
      evidence: 'trust-policy',
      verb: 'can assume',
    },
    {
      weight: 0.04,
      type: 'CAN_ASSUME',
      from: 'AwsUser',
      to: 'AwsRole',
      evidence: 'trust-policy',
      verb: 'can assume',
    },
    {
      weight: 0.02,
      type: 'CAN_ASSUME',
      from: 'AwsServicePrincipal',
      to: 'AwsRole',
      evidence: 'trust-policy',
      verb: 'is trusted by',
    },
    {
      weight: 0.015,
      type: 'RUNS_AS',
      from: 'AwsLambdaFunction',
      to: 'AwsRole',
      evidence: 'workload-spec',
      verb: 'runs as',
    },
    {
      weight: 0.02,
      type: 'RUNS_AS',
      from: 'K8sPod',
      to: 'K8sServiceAccount',
      evidence: 'workload-spec',
      verb: 'runs as',
    },
    {
      weight: 0.02,
      type: 'FEDERATES_TO',
      from: 'K8sServiceAccount',
      to: 'AwsRole',
      evidence: 'annotation',
      verb: 'federates to',
    },
    {
      weight: 0.01,
      type: 'FEDERATES_TO',
      from: 'K8sServiceAccount',
      to: 'GcpServiceAccount',
      evidence: 'iam-binding',
      verb: 'federates to',
    },
    {
      weight: 0.02,
      type: 'CAN_IMPERSONATE',
      from: 'GcpServiceAccount',
      to: 'GcpServiceAccount',
      evidence: 'iam-binding',
      verb: 'can impersonate',
    },
    {
      weight: 0.06,
      type: 'CAN_ACCESS',
      from: 'AwsRole',
      to: 'AwsSecret',
      evidence: 'identity-policy',
      verb: 'can read',
      props: secretAccess,
    },
    {
      weight: 0.04,
      type: 'CAN_ACCESS',
      from: 'AwsUser',
      to: 'AwsS3Bucket',
      evidence: 'identity-policy',
      verb: 'can access',
      props: s3Access,
    },
    {
      weight: 0.03,
      type: 'CAN_ACCESS',
      from: 'AwsLambdaFunction',
      to: 'AwsS3Bucket',
      evidence: 'identity-policy',
      verb: 'can access',
      props: s3Access,
    },
    {
      weight: 0.03,
      type: 'CAN_ACCESS',
      from: 'K8sServiceAccount',
      to: 'K8sSecret',
      evidence: 'rbac-binding',
      verb: 'can read',
      props: () => ({ levels: ['read'], actions: ['get', 'list', 'watch'].slice(0, 1 + int(3)) }),
    },
    {
      weight: 0.005,
      type: 'CAN_ACCESS',
      from: 'Public',
      to: 'AwsS3Bucket',
      evidence: 'resource-policy',
      verb: 'can read',
      props: () => ({ levels: ['list', 'read'], actions: ['s3:GetObject', 's3:ListBucket'] }),
    },
    // Last: takes whatever the others leave (their pair space may run out on small inventories).
    {
      weight: 0.3,
      type: 'CAN_ACCESS',
      from: 'AwsRole',
      to: 'AwsS3Bucket',
      cross: 0.05,
      evidence: 'identity-policy',
      verb: 'can access',
      props: s3Access,
    },
  ];
  function attachment(): Props {
    return { attachment: rand() < 0.8 ? 'managed' : 'inline' };
  }

  const emit = (recipe: Recipe): boolean => {
    // Fresh (type, from, to) triples only; give up on a recipe whose pair space is exhausted.
    for (let attempt = 0; attempt < 50; attempt++) {
      const from = pick(anyOf(recipe.from));
      const to = endpoint(recipe.to, from.scope, recipe.cross ?? 0);
      const key = `${recipe.type}|${from.id}|${to.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      relationships.push({
        type: recipe.type,
        from: from.id,
        to: to.id,
        properties: recipe.props?.() ?? {},
        evidence: recipe.evidence ? evidenceFor(recipe.evidence, from, to, recipe.verb ?? 'reaches') : [],
      });
      return true;
    }
    return false;
  };
  const last = recipes[recipes.length - 1] as Recipe;
  for (const recipe of recipes.slice(0, -1)) {
    const want = Math.floor(recipe.weight * options.relationships);
    for (let i = 0; i < want && emit(recipe); i++);
  }
  while (relationships.length < options.relationships) {
    if (!emit(last)) throw new Error(`cannot make ${options.relationships} distinct relationships`);
  }

  return {
    format: INVENTORY_FORMAT,
    version: INVENTORY_VERSION,
    generatedAt: new Date(BASE_TIME).toISOString(),
    source: { name: 'bench/synthetic-inventory', description: `seed ${options.seed ?? 42}` },
    scopes,
    nodes,
    relationships,
  };
}
