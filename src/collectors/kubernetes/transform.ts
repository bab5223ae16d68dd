import { parse as parseYaml } from 'yaml';
import type { CollectionIssue } from '../../model/collection-issue.js';
import type {
  AwsAuthMapping,
  KubernetesClusterData,
  KubernetesEnvironment,
  KubernetesObject,
  Workload,
} from '../../model/kubernetes/environment.js';
import { k8sScope } from '../../model/kubernetes/ids.js';
import { COLLECTED_KINDS, type CollectedKind, type KindFile } from './kinds.js';
import type { KubernetesRaw, KubernetesRawCluster } from './raw.js';

/**
 * The pure transform of the Kubernetes collector: raw Lists (snapshot or live) → the environment
 * of src/model/kubernetes/environment.ts. Every item gets its kind and apiVersion (List items from
 * the API have none); an item that is not an object of its kind (no `metadata.name`, a namespaced
 * object without a namespace, a pod without containers, a role rule with a field RBAC does not
 * have) is an error issue naming the file and the object, and is left out. Nothing secret is kept:
 * secrets lose `data`, `stringData` and the last-applied annotation (which repeats them), and
 * certificate signing requests lose `spec.request` and `status.certificate`.
 */
export function transformKubernetes(raw: KubernetesRaw): KubernetesEnvironment {
  const issues: CollectionIssue[] = [];
  const clusters = raw.clusters.map((c) => {
    issues.push(...c.issues);
    return transformCluster(c, issues);
  });
  return { clusters, issues };
}

/** The scope an issue concerns: its object starts with `k8s:<cluster>`. */
export function issueScope(issue: CollectionIssue): string | undefined {
  return /^k8s:[^:\s]+/.exec(issue.object ?? '')?.[0];
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const WORKLOAD_FILES = [
  'deployments',
  'daemonsets',
  'statefulsets',
  'replicasets',
  'jobs',
  'cronjobs',
] as const;
const RULE_FIELDS = new Set(['verbs', 'apiGroups', 'resources', 'resourceNames', 'nonResourceURLs']);

type Item = Record<string, unknown> & KubernetesObject;

function transformCluster(raw: KubernetesRawCluster, issues: CollectionIssue[]): KubernetesClusterData {
  const scope = k8sScope(raw.name);
  const problem = (severity: CollectionIssue['severity'], source: string, what: string, message: string) =>
    issues.push({ severity, source, object: `${scope} ${what}`, message });
  const collectedKinds: string[] = [];

  /** The valid items of a kind, each with its kind and apiVersion. */
  const items = <T>(file: KindFile, check?: (item: Item) => string | undefined): T[] => {
    const list = raw.lists[file];
    if (!list) return [];
    collectedKinds.push(file);
    const kind = COLLECTED_KINDS.find((k) => k.file === file) as CollectedKind;
    const out: T[] = [];
    list.items.forEach((value, index) => {
      const bad = objectProblem(value, kind) ?? check?.(value as Item);
      if (bad) {
        problem(
          'error',
          list.source,
          `${kind.kind} ${describe(value, index)}`,
          `${bad}; the object is left out`,
        );
        return;
      }
      out.push({ ...(value as Item), apiVersion: kind.apiVersion, kind: kind.kind } as T);
    });
    return out;
  };

  const secrets = items<Item>('secrets').map((secret) => {
    const { data, stringData, ...kept } = secret;
    const annotations = { ...(secret.metadata.annotations ?? {}) };
    const lastApplied = LAST_APPLIED in annotations;
    delete annotations[LAST_APPLIED];
    if (data !== undefined || stringData !== undefined || lastApplied)
      problem(
        'info',
        raw.lists.secrets?.source ?? 'secrets',
        `Secret ${secret.metadata.namespace}/${secret.metadata.name}`,
        'secret values (data, stringData, last-applied annotation) were in the snapshot and were dropped on read: they are never kept',
      );
    return { ...kept, metadata: { ...secret.metadata, annotations } };
  });

  const workloads = WORKLOAD_FILES.flatMap((file) =>
    items<Item>(file, (item) => (templateOf(item) ? undefined : 'no pod template (spec.template)')).map(
      (item) => ({ ...item, template: templateOf(item) }) as unknown as Workload,
    ),
  );

  const csrs = items<Item>('certificatesigningrequests', (item) =>
    typeof (item.spec as { signerName?: unknown })?.signerName === 'string'
      ? undefined
      : 'no spec.signerName',
  ).map((csr) => {
    const { request: _request, ...spec } = csr.spec as Record<string, unknown>;
    const status = csr.status as Record<string, unknown> | undefined;
    const { certificate: _certificate, ...keptStatus } = status ?? {};
    return { ...csr, spec, ...(status ? { status: keptStatus } : {}) };
  });

  const configMaps = items<Item>('configmaps');
  const awsAuthMap = configMaps.find(
    (c) => c.metadata.namespace === 'kube-system' && c.metadata.name === 'aws-auth',
  );
  const awsAuth = awsAuthMap
    ? parseAwsAuth(awsAuthMap, (message) =>
        problem(
          'error',
          raw.lists.configmaps?.source ?? 'configmaps',
          'ConfigMap kube-system/aws-auth',
          message,
        ),
      )
    : [];

  const data: KubernetesClusterData = {
    name: raw.name,
    ...(raw.server ? { server: raw.server } : {}),
    namespaces: items('namespaces'),
    nodes: items('nodes'),
    serviceAccounts: items('serviceaccounts'),
    pods: items('pods', podProblem),
    workloads,
    roles: items('roles', rulesProblem),
    clusterRoles: items('clusterroles', rulesProblem),
    roleBindings: items('rolebindings', bindingProblem),
    clusterRoleBindings: items('clusterrolebindings', bindingProblem),
    secrets: secrets as KubernetesClusterData['secrets'],
    certificateSigningRequests: csrs as unknown as KubernetesClusterData['certificateSigningRequests'],
    webhookConfigurations: [
      ...items<Item>('validatingwebhookconfigurations'),
      ...items<Item>('mutatingwebhookconfigurations'),
    ] as unknown as KubernetesClusterData['webhookConfigurations'],
    services: items('services'),
    endpointSlices: items('endpointslices'),
    awsAuth,
    userGroups: raw.userGroups
      ? userGroupsOf(raw.userGroups.value, (message) =>
          problem('error', raw.userGroups?.source ?? '', 'users file', message),
        )
      : {},
    collectedKinds: collectedKinds.sort(),
  };
  if (raw.cluster) {
    const issuer = oidcIssuerOf(raw.cluster.value);
    if (typeof issuer === 'string') data.oidcIssuer = issuer;
    else if (issuer) problem('error', raw.cluster.source, 'cluster file', issuer.error);
    const gke = gkeOf(raw.cluster.value);
    if ('error' in gke) problem('error', raw.cluster.source, 'cluster file', gke.error);
    else Object.assign(data, gke);
  }
  return data;
}

function describe(value: unknown, index: number): string {
  const meta = (value as { metadata?: { name?: unknown; namespace?: unknown } } | null)?.metadata;
  if (meta && typeof meta.name === 'string' && meta.name)
    return typeof meta.namespace === 'string' ? `${meta.namespace}/${meta.name}` : meta.name;
  return `items[${index}]`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const RBAC_KINDS = new Set(['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding']);

function objectProblem(value: unknown, kind: CollectedKind): string | undefined {
  if (!isRecord(value)) return 'not an object';
  const meta = value.metadata;
  if (!isRecord(meta)) return 'no metadata';
  if (typeof meta.name !== 'string' || meta.name === '') return 'no metadata.name';
  if (kind.namespaced && (typeof meta.namespace !== 'string' || meta.namespace === ''))
    return 'no metadata.namespace (a namespaced object)';
  // RBAC objects have path segment names, which may hold `:` (kube-system's bootstrap Role
  // `system:controller:bootstrap-signer`): anything but `.`, `..`, `/` and `%`. Other objects have
  // DNS names, without `:` or spaces
  // (https://kubernetes.io/docs/concepts/overview/working-with-objects/names/).
  const invalid = RBAC_KINDS.has(kind.kind)
    ? meta.name === '.' || meta.name === '..' || /[/%]/.test(meta.name)
    : /[:\s]/.test(meta.name);
  if (invalid) return `metadata.name ${JSON.stringify(meta.name)} is not a valid ${kind.kind} name`;
  return undefined;
}

function podProblem(item: Item): string | undefined {
  const spec = item.spec;
  if (!isRecord(spec) || !Array.isArray(spec.containers)) return 'no spec.containers';
  return undefined;
}

/** A rule holds only the fields of rbac.authorization.k8s.io/v1 PolicyRule, each a list of strings. */
function rulesProblem(item: Item): string | undefined {
  const rules = item.rules;
  if (rules === undefined || rules === null) return undefined;
  if (!Array.isArray(rules)) return '"rules" is not an array';
  for (const [i, rule] of rules.entries()) {
    if (!isRecord(rule)) return `rules[${i}] is not an object`;
    const unknown = Object.keys(rule).filter((k) => !RULE_FIELDS.has(k));
    if (unknown.length > 0)
      return `rules[${i}] has a field PolicyRule does not have: ${unknown.join(', ')} (https://kubernetes.io/docs/reference/kubernetes-api/authorization-resources/role-v1/)`;
    for (const [field, list] of Object.entries(rule))
      if (list !== null && (!Array.isArray(list) || list.some((v) => typeof v !== 'string')))
        return `rules[${i}].${field} is not a list of strings`;
    if (!Array.isArray(rule.verbs)) return `rules[${i}] has no verbs`;
  }
  return undefined;
}

function bindingProblem(item: Item): string | undefined {
  const ref = item.roleRef;
  if (!isRecord(ref) || typeof ref.name !== 'string' || (ref.kind !== 'Role' && ref.kind !== 'ClusterRole'))
    return 'roleRef is not {kind: Role | ClusterRole, name}';
  const subjects = item.subjects;
  if (subjects === undefined || subjects === null) return undefined;
  if (!Array.isArray(subjects)) return '"subjects" is not an array';
  for (const [i, s] of subjects.entries())
    if (!isRecord(s) || typeof s.kind !== 'string' || typeof s.name !== 'string')
      return `subjects[${i}] is not {kind, name}`;
  return undefined;
}

/** The pod template: `spec.template` (Deployment…Job), `spec.jobTemplate.spec.template` (CronJob). */
function templateOf(item: Item): Workload['template'] | undefined {
  const spec = item.spec as
    | { template?: unknown; jobTemplate?: { spec?: { template?: unknown } } }
    | undefined;
  const template =
    item.kind === 'CronJob' || spec?.jobTemplate ? spec?.jobTemplate?.spec?.template : spec?.template;
  if (!isRecord(template) || !isRecord(template.spec) || !Array.isArray(template.spec.containers))
    return undefined;
  return template as unknown as Workload['template'];
}

/**
 * The aws-auth ConfigMap's `mapRoles` and `mapUsers`: YAML lists of `{rolearn|userarn, username,
 * groups}` (https://docs.aws.amazon.com/eks/latest/userguide/auth-configmap.html). A mapping that
 * cannot be read is an error; the others are kept.
 */
export function parseAwsAuth(configMap: Item, fail: (message: string) => void): AwsAuthMapping[] {
  const data = isRecord(configMap.data) ? configMap.data : {};
  const out: AwsAuthMapping[] = [];
  for (const [key, arnKey, kind] of [
    ['mapRoles', 'rolearn', 'role'],
    ['mapUsers', 'userarn', 'user'],
  ] as const) {
    const text = data[key];
    if (text === undefined) continue;
    let entries: unknown;
    try {
      entries = typeof text === 'string' ? parseYaml(text) : text;
    } catch (error) {
      fail(`data.${key} is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
      continue;
    }
    if (entries === null || entries === undefined) continue;
    if (!Array.isArray(entries)) {
      fail(`data.${key} is not a YAML list`);
      continue;
    }
    entries.forEach((entry, i) => {
      const arn = isRecord(entry) ? entry[arnKey] : undefined;
      const groups = isRecord(entry) ? (entry.groups ?? []) : undefined;
      if (typeof arn !== 'string' || !Array.isArray(groups) || groups.some((g) => typeof g !== 'string')) {
        fail(`data.${key}[${i}] is not {${arnKey}, username, groups: [...]}: left out`);
        return;
      }
      const username = (entry as Record<string, unknown>).username;
      out.push({
        arn,
        kind,
        ...(typeof username === 'string' ? { username } : {}),
        groups: groups as string[],
      });
    });
  }
  return out;
}

function userGroupsOf(value: unknown, fail: (message: string) => void): Record<string, string[]> {
  if (!isRecord(value)) {
    fail('not an object of user name → list of group names');
    return {};
  }
  const out: Record<string, string[]> = {};
  for (const [user, groups] of Object.entries(value)) {
    if (!Array.isArray(groups) || groups.some((g) => typeof g !== 'string')) {
      fail(`the groups of user "${user}" are not a list of strings: the user is left out`);
      continue;
    }
    out[user] = groups as string[];
  }
  return out;
}

/**
 * GKE: the workload pool (`workloadPool`, or `workloadIdentityConfig.workloadPool` as `gcloud container
 * clusters describe --format=json` prints it) and the cluster's resource URL (`selfLink`), which
 * Workload Identity Federation for GKE names clusters by
 * (https://cloud.google.com/kubernetes-engine/docs/concepts/workload-identity).
 */
function gkeOf(
  value: unknown,
): Pick<KubernetesClusterData, 'workloadPool' | 'gkeCluster'> | { error: string } {
  if (!isRecord(value)) return {};
  const config = value.workloadIdentityConfig;
  const pool = value.workloadPool ?? (isRecord(config) ? config.workloadPool : undefined);
  const out: Pick<KubernetesClusterData, 'workloadPool' | 'gkeCluster'> = {};
  if (pool !== undefined) {
    if (typeof pool !== 'string' || !/^[^\s[\]/]+\.svc\.id\.goog$/.test(pool))
      return { error: `workloadPool ${JSON.stringify(pool)} is not PROJECT_ID.svc.id.goog` };
    out.workloadPool = pool;
  }
  const link = value.selfLink;
  const m =
    typeof link === 'string'
      ? /^https:\/\/container\.googleapis\.com\/v1(?:beta1)?\/projects\/([^/]+)\/(?:locations|zones)\/([^/]+)\/clusters\/([^/]+)$/.exec(
          link,
        )
      : null;
  if (m)
    out.gkeCluster = `https://container.googleapis.com/v1/projects/${m[1]}/locations/${m[2]}/clusters/${m[3]}`;
  return out;
}

function oidcIssuerOf(value: unknown): string | { error: string } | undefined {
  if (!isRecord(value)) return { error: 'not an object ({"oidcIssuer": "https://…"})' };
  const issuer = value.oidcIssuer;
  if (issuer === undefined) return undefined;
  if (typeof issuer !== 'string' || !/^https:\/\/[^\s]+$/.test(issuer))
    return { error: `oidcIssuer ${JSON.stringify(issuer)} is not an https:// URL` };
  return issuer;
}
