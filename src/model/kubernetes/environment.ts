import type { CollectionIssue } from '../collection-issue.js';
import type {
  ClusterRole,
  ClusterRoleBinding,
  LabelSelector,
  ObjectMeta,
  Role,
  RoleBinding,
} from './rbac.js';

/**
 * The Kubernetes environment: one typed record per cluster, the same whether the collector read
 * it from the API server or from a snapshot directory of `kubectl get <kind> -A -o json` Lists.
 * Objects keep the API's own shapes (the fields below are the ones the analysis reads; collected
 * objects may carry more), so the RBAC authorizer and the edge rules read them as the API server
 * would. Nothing in here is secret material: secrets are metadata only (never `data` or
 * `stringData`), certificate signing requests carry neither the request nor the certificate.
 */

export interface Metadata extends ObjectMeta {
  uid?: string;
  annotations?: Readonly<Record<string, string>>;
  ownerReferences?: readonly {
    apiVersion?: string;
    kind: string;
    name: string;
    uid?: string;
    controller?: boolean;
  }[];
  creationTimestamp?: string;
}

export interface KubernetesObject {
  apiVersion?: string;
  kind?: string;
  metadata: Metadata;
}

export interface SecurityContext {
  privileged?: boolean;
  allowPrivilegeEscalation?: boolean;
  runAsUser?: number;
  runAsNonRoot?: boolean;
  capabilities?: { add?: readonly string[]; drop?: readonly string[] };
}

export interface Container {
  name: string;
  image?: string;
  securityContext?: SecurityContext;
  volumeMounts?: readonly { name: string; mountPath: string; readOnly?: boolean }[];
  env?: readonly { name: string; value?: string; valueFrom?: EnvVarSource | null }[];
  envFrom?: readonly { prefix?: string; secretRef?: NameRef | null; configMapRef?: NameRef | null }[];
}

/** A reference to an object of the pod's namespace by name (`LocalObjectReference`). */
export interface NameRef {
  name?: string;
}

export interface EnvVarSource {
  secretKeyRef?: (NameRef & { key?: string }) | null;
  configMapKeyRef?: (NameRef & { key?: string }) | null;
  [other: string]: unknown;
}

export interface Volume {
  name: string;
  hostPath?: { path: string; type?: string };
  secret?: { secretName?: string } | null;
  projected?: { sources?: readonly unknown[] } | null;
  [other: string]: unknown;
}

export interface PodSpec {
  serviceAccountName?: string;
  /** Deprecated alias of serviceAccountName, still honoured by the API server when the other is empty. */
  serviceAccount?: string;
  automountServiceAccountToken?: boolean;
  nodeName?: string;
  hostPID?: boolean;
  hostIPC?: boolean;
  hostNetwork?: boolean;
  containers: readonly Container[];
  initContainers?: readonly Container[];
  ephemeralContainers?: readonly Container[];
  volumes?: readonly Volume[];
  imagePullSecrets?: readonly NameRef[];
  securityContext?: Record<string, unknown>;
}

export interface Pod extends KubernetesObject {
  spec: PodSpec;
  status?: { phase?: string };
}

/** Deployments, DaemonSets, StatefulSets, ReplicaSets, Jobs (`spec.template`) and CronJobs (`spec.jobTemplate.spec.template`). */
export interface Workload extends KubernetesObject {
  kind: 'Deployment' | 'DaemonSet' | 'StatefulSet' | 'ReplicaSet' | 'Job' | 'CronJob';
  /** The pod template every pod it creates is made from. */
  template: { metadata?: Partial<Metadata>; spec: PodSpec };
}

export interface ServiceAccount extends KubernetesObject {
  automountServiceAccountToken?: boolean;
  secrets?: readonly { name?: string }[];
}

export interface Node extends KubernetesObject {
  spec?: { providerID?: string; taints?: readonly { key: string; effect: string; value?: string }[] };
}

export interface SecretMetadata extends KubernetesObject {
  type?: string;
}

export interface CertificateSigningRequest extends KubernetesObject {
  spec: { signerName: string; username?: string; groups?: readonly string[]; usages?: readonly string[] };
  status?: { conditions?: readonly { type: string; status?: string }[] };
}

export interface WebhookConfiguration extends KubernetesObject {
  kind: 'ValidatingWebhookConfiguration' | 'MutatingWebhookConfiguration';
  webhooks?: readonly {
    name: string;
    clientConfig?: { url?: string; service?: { namespace: string; name: string; path?: string } };
    rules?: readonly {
      operations?: readonly string[];
      apiGroups?: readonly string[];
      resources?: readonly string[];
    }[];
    failurePolicy?: string;
    namespaceSelector?: LabelSelector;
    objectSelector?: LabelSelector;
  }[];
}

export interface Service extends KubernetesObject {
  spec?: { type?: string; selector?: Readonly<Record<string, string>>; clusterIP?: string };
}

export interface EndpointSlice extends KubernetesObject {
  endpoints?: readonly { targetRef?: { kind: string; name: string; namespace?: string } }[];
}

/** The `kube-system/aws-auth` ConfigMap's mappings, parsed from its YAML strings. */
export interface AwsAuthMapping {
  /** `rolearn` or `userarn`. */
  arn: string;
  kind: 'role' | 'user';
  username?: string;
  groups: readonly string[];
}

export interface KubernetesClusterData {
  /** The cluster's name in the snapshot or kubeconfig; its scope is `k8s:<name>`. */
  name: string;
  /** The API server URL, when known (live). */
  server?: string;
  /** The cluster's OIDC issuer (EKS IRSA), when known. */
  oidcIssuer?: string;
  /** GKE: the workload identity pool of its service accounts (`PROJECT_ID.svc.id.goog`), when known. */
  workloadPool?: string;
  /** GKE: the cluster's resource URL (`https://container.googleapis.com/v1/projects/P/locations/L/clusters/C`), when known. */
  gkeCluster?: string;
  namespaces: KubernetesObject[];
  nodes: Node[];
  serviceAccounts: ServiceAccount[];
  pods: Pod[];
  workloads: Workload[];
  roles: Role[];
  clusterRoles: ClusterRole[];
  roleBindings: RoleBinding[];
  clusterRoleBindings: ClusterRoleBinding[];
  secrets: SecretMetadata[];
  certificateSigningRequests: CertificateSigningRequest[];
  webhookConfigurations: WebhookConfiguration[];
  services: Service[];
  endpointSlices: EndpointSlice[];
  awsAuth: AwsAuthMapping[];
  /** Users → the groups their credentials carry (client certificate O=, OIDC groups claim), from the optional users file or config. */
  userGroups: Readonly<Record<string, readonly string[]>>;
  /** Kinds that were collected (a kind missing here is unknown, not empty). */
  collectedKinds: string[];
}

export interface KubernetesEnvironment {
  clusters: KubernetesClusterData[];
  issues: CollectionIssue[];
}

/** A cluster named `name` with nothing collected in it but what `overrides` gives. */
export function emptyCluster(
  name: string,
  overrides: Partial<KubernetesClusterData> = {},
): KubernetesClusterData {
  return {
    name,
    namespaces: [],
    nodes: [],
    serviceAccounts: [],
    pods: [],
    workloads: [],
    roles: [],
    clusterRoles: [],
    roleBindings: [],
    clusterRoleBindings: [],
    secrets: [],
    certificateSigningRequests: [],
    webhookConfigurations: [],
    services: [],
    endpointSlices: [],
    awsAuth: [],
    userGroups: {},
    collectedKinds: [],
    ...overrides,
  };
}
