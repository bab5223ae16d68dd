import type { PolicyRule } from '../../model/kubernetes/rbac.js';

/**
 * The Kubernetes rules of the AWS-managed EKS access policies, row by row as AWS documents them
 * (https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html: "each row of each
 * table in each access policy is a separate rule"). AmazonEKSAdminPolicy, AmazonEKSEditPolicy and
 * AmazonEKSViewPolicy stand for the built-in `admin`, `edit` and `view` ClusterRoles: when the
 * cluster's own ClusterRole was collected it is used, else these rows are.
 */

const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const READ = ['get', 'list', 'watch'];

const rule = (apiGroup: string, resources: string, verbs: readonly string[]): PolicyRule => ({
  apiGroups: [apiGroup],
  resources: resources.split(' '),
  verbs: [...verbs],
});

const VIEW: PolicyRule[] = [
  rule(
    'apps',
    'controllerrevisions daemonsets daemonsets/status deployments deployments/scale deployments/status replicasets replicasets/scale replicasets/status statefulsets statefulsets/scale statefulsets/status',
    READ,
  ),
  rule('autoscaling', 'horizontalpodautoscalers horizontalpodautoscalers/status', READ),
  rule('batch', 'cronjobs cronjobs/status jobs jobs/status', READ),
  rule('discovery.k8s.io', 'endpointslices', READ),
  rule(
    'extensions',
    'daemonsets daemonsets/status deployments deployments/scale deployments/status ingresses ingresses/status networkpolicies replicasets replicasets/scale replicasets/status replicationcontrollers/scale',
    READ,
  ),
  rule('networking.k8s.io', 'ingresses ingresses/status networkpolicies', READ),
  rule('policy', 'poddisruptionbudgets poddisruptionbudgets/status', READ),
  rule(
    '',
    'configmaps endpoints persistentvolumeclaims persistentvolumeclaims/status pods replicationcontrollers replicationcontrollers/scale serviceaccounts services services/status',
    READ,
  ),
  rule(
    '',
    'bindings events limitranges namespaces/status pods/log pods/status replicationcontrollers/status resourcequotas resourcequotas/status',
    READ,
  ),
  rule('', 'namespaces', READ),
];

const EDIT: PolicyRule[] = [
  ...VIEW,
  rule(
    'apps',
    'daemonsets deployments deployments/rollback deployments/scale replicasets replicasets/scale statefulsets statefulsets/scale',
    WRITE,
  ),
  rule('autoscaling', 'horizontalpodautoscalers', WRITE),
  rule('batch', 'cronjobs jobs', WRITE),
  rule(
    'extensions',
    'daemonsets deployments deployments/rollback deployments/scale ingresses networkpolicies replicasets replicasets/scale replicationcontrollers/scale',
    WRITE,
  ),
  rule('networking.k8s.io', 'ingresses networkpolicies', WRITE),
  rule('policy', 'poddisruptionbudgets', WRITE),
  rule('', 'pods/attach pods/exec pods/portforward pods/proxy secrets services/proxy', READ),
  rule('', 'serviceaccounts', ['impersonate']),
  rule('', 'pods pods/attach pods/exec pods/portforward pods/proxy', WRITE),
  rule(
    '',
    'configmaps events persistentvolumeclaims replicationcontrollers replicationcontrollers/scale secrets serviceaccounts services services/proxy',
    WRITE,
  ),
];

const ADMIN: PolicyRule[] = [
  ...EDIT,
  rule('authorization.k8s.io', 'localsubjectaccessreviews', ['create']),
  rule('rbac.authorization.k8s.io', 'rolebindings roles', [...WRITE, ...READ]),
];

/** How an access policy grants: the cluster's built-in ClusterRole when collected, else its rules. */
export interface AccessPolicyModel {
  /** The built-in ClusterRole the policy stands for, used when the cluster's was collected. */
  clusterRole?: string;
  /** The rules AWS documents for the policy. */
  rules: readonly PolicyRule[];
}

export const ACCESS_POLICIES: Readonly<Record<string, AccessPolicyModel>> = {
  AmazonEKSClusterAdminPolicy: {
    rules: [
      { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
      { verbs: ['*'], nonResourceURLs: ['*'] },
    ],
  },
  AmazonEKSAdminPolicy: { clusterRole: 'admin', rules: ADMIN },
  AmazonEKSEditPolicy: { clusterRole: 'edit', rules: EDIT },
  AmazonEKSViewPolicy: { clusterRole: 'view', rules: VIEW },
  AmazonEKSAdminViewPolicy: { rules: [rule('*', '*', READ)] },
  AmazonEKSSecretReaderPolicy: { rules: [rule('', 'secrets', READ)] },
};
