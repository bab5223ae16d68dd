import type { AttackTechnique } from '../../model/attack.js';

/**
 * The Kubernetes techniques a CAN_ESCALATE edge names in `technique`, each with the documentation
 * that makes it work. One table: the edges, docs/kubernetes.md and the reports read it.
 */
export interface K8sTechnique {
  id: string;
  title: string;
  attack: AttackTechnique;
  /** The Kubernetes documentation behind it. */
  reference: string;
}

const DEPLOY: AttackTechnique = { id: 'T1610', name: 'Deploy Container' };
const EXEC: AttackTechnique = { id: 'T1609', name: 'Container Administration Command' };
const TOKEN: AttackTechnique = { id: 'T1528', name: 'Steal Application Access Token' };
const ESCAPE: AttackTechnique = { id: 'T1611', name: 'Escape to Host' };
const ROLES: AttackTechnique = {
  id: 'T1098.006',
  name: 'Account Manipulation: Additional Container Cluster Roles',
};
const RBAC = 'https://kubernetes.io/docs/reference/access-authn-authz/rbac/';
const GOOD_PRACTICES = 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/';
const PSS = 'https://kubernetes.io/docs/concepts/security/pod-security-standards/';

function t(id: string, title: string, attack: AttackTechnique, reference: string): K8sTechnique {
  return { id, title, attack, reference };
}

export const K8S_TECHNIQUES = [
  t(
    'k8s-read-token-secret',
    'Read a legacy service-account token secret',
    TOKEN,
    `${GOOD_PRACTICES}#listing-secrets`,
  ),
  t(
    'k8s-create-token',
    'Request a token for a service account (serviceaccounts/token)',
    TOKEN,
    `${GOOD_PRACTICES}#token-request`,
  ),
  t(
    'k8s-exec',
    'Exec or attach into a running pod',
    EXEC,
    'https://kubernetes.io/docs/reference/access-authn-authz/authorization/#determine-the-request-verb',
  ),
  t(
    'k8s-ephemeral-container',
    'Add an ephemeral container to a running pod',
    EXEC,
    'https://kubernetes.io/docs/concepts/workloads/pods/ephemeral-containers/',
  ),
  t(
    'k8s-update-pod',
    "Change a running pod's container image",
    DEPLOY,
    'https://kubernetes.io/docs/concepts/workloads/pods/#pod-update-and-replacement',
  ),
  t(
    'k8s-create-pod',
    'Create a pod (or a workload) that runs as any service account of the namespace',
    DEPLOY,
    `${GOOD_PRACTICES}#workload-creation`,
  ),
  t(
    'k8s-update-workload',
    "Change a workload's pod template to run as any service account of the namespace",
    DEPLOY,
    `${GOOD_PRACTICES}#workload-creation`,
  ),
  t(
    'k8s-create-privileged-pod',
    'Create a privileged or host-mounting pod where Pod Security admission allows it',
    ESCAPE,
    PSS,
  ),
  t(
    'k8s-bind-role',
    'Bind a role with more permissions (bind verb, or holding them all)',
    ROLES,
    `${RBAC}#restrictions-on-role-binding-creation-or-update`,
  ),
  t(
    'k8s-escalate-role',
    'Add permissions to a role one is bound to (escalate verb, or holding them all)',
    ROLES,
    `${RBAC}#restrictions-on-role-creation-or-update`,
  ),
  t(
    'k8s-csr-signer',
    'Issue and approve a client certificate for any user or group (system:masters)',
    { id: 'T1649', name: 'Steal or Forge Authentication Certificates' },
    `${GOOD_PRACTICES}#csrs-and-certificate-issuing`,
  ),
  t(
    'k8s-nodes-proxy',
    'Run commands in pods through the kubelet API (nodes/proxy)',
    EXEC,
    `${GOOD_PRACTICES}#access-to-proxy-subresource-of-nodes`,
  ),
  t(
    'k8s-mutating-webhook',
    'Control a mutating admission webhook: rewrite every object the API server admits',
    { id: 'T1546', name: 'Event Triggered Execution' },
    `${GOOD_PRACTICES}#control-admission-webhooks`,
  ),
  t(
    'k8s-edit-aws-auth',
    'Edit kube-system/aws-auth: map an AWS identity to system:masters',
    ROLES,
    'https://docs.aws.amazon.com/eks/latest/userguide/auth-configmap.html',
  ),
  t('k8s-escape-privileged', 'Escape a privileged container to its node', ESCAPE, `${PSS}#baseline`),
  t(
    'k8s-escape-host-pid',
    "Escape through the host's process namespace (hostPID)",
    ESCAPE,
    `${PSS}#baseline`,
  ),
  t('k8s-escape-host-ipc', "Reach the host's IPC namespace (hostIPC)", ESCAPE, `${PSS}#baseline`),
  t(
    'k8s-escape-host-network',
    "Act on the node's network (hostNetwork: the kubelet, node-local services, cloud metadata)",
    ESCAPE,
    `${PSS}#baseline`,
  ),
  t('k8s-escape-capability', 'Escape with a dangerous Linux capability', ESCAPE, `${PSS}#baseline`),
  t(
    'k8s-escape-host-path',
    "Write or read the node's sensitive files through a hostPath volume",
    ESCAPE,
    `${PSS}#baseline`,
  ),
  t(
    'k8s-node-credential',
    "Use the node's kubelet credential: the Node authorizer lets it request tokens for its pods' service accounts",
    TOKEN,
    'https://kubernetes.io/docs/reference/access-authn-authz/node/',
  ),
  t(
    'k8s-control-plane-node',
    "Read the control plane's keys on a control-plane node",
    { id: 'T1552.004', name: 'Unsecured Credentials: Private Keys' },
    'https://kubernetes.io/docs/setup/best-practices/certificates/',
  ),
] as const satisfies readonly K8sTechnique[];

export type K8sTechniqueId = (typeof K8S_TECHNIQUES)[number]['id'];

const BY_ID = new Map<string, K8sTechnique>(K8S_TECHNIQUES.map((x) => [x.id, x]));

export function k8sTechnique(id: K8sTechniqueId): K8sTechnique {
  return BY_ID.get(id) as K8sTechnique;
}
