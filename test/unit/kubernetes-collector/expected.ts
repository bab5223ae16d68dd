import { join } from 'node:path';

/** The snapshot root holding test/fixtures/kubernetes/prod-eks (its README explains each fact). */
export const K8S_FIXTURE_ROOT = join(import.meta.dirname, '..', '..', 'fixtures');

const c = 'k8s:prod-eks';
/** `type from -> to (technique)` of every derived edge the fixture must give. */
export const EXPECTED_EDGES = [
  `ADMINISTERS ${c}:group:system:masters -> ${c}`,
  `ADMINISTERS ${c}:user:ci-deploy -> ${c}`,
  `CAN_ACCESS ${c}:node:ip-10-0-1-10.ec2.internal -> ${c}:payments:secret:db-credentials`,
  `CAN_ACCESS ${c}:user:alice -> ${c}:payments:secret:api-token`,
  `CAN_ACCESS ${c}:user:alice -> ${c}:payments:secret:db-credentials`,
  `CAN_ESCALATE ${c}:user:alice -> ${c}:payments:sa:api (k8s-read-token-secret)`,
  `CAN_ESCALATE ${c}:ci:sa:deployer -> ${c}:node:ip-10-0-1-10.ec2.internal (k8s-create-privileged-pod)`,
  `CAN_ESCALATE ${c}:ci:sa:deployer -> ${c}:payments:pod:api-7d9f8-abcde (k8s-exec)`,
  `CAN_ESCALATE ${c}:ci:sa:deployer -> ${c}:payments:pod:db-migrate (k8s-exec)`,
  `CAN_ESCALATE ${c}:ci:sa:deployer -> ${c}:payments:sa:api (k8s-create-pod)`,
  `CAN_ESCALATE ${c}:ci:sa:deployer -> ${c}:payments:sa:default (k8s-create-pod)`,
  `CAN_ESCALATE ${c}:monitoring:pod:node-agent-x7k2p -> ${c}:node:ip-10-0-1-10.ec2.internal (k8s-escape-privileged)`,
  `CAN_ESCALATE ${c}:node:ip-10-0-1-10.ec2.internal -> ${c}:monitoring:sa:node-agent (k8s-node-credential)`,
  `CAN_ESCALATE ${c}:node:ip-10-0-1-10.ec2.internal -> ${c}:payments:sa:api (k8s-node-credential)`,
  `CAN_ESCALATE ${c}:node:ip-10-0-1-10.ec2.internal -> ${c}:payments:sa:default (k8s-node-credential)`,
  `RUNS_AS ${c}:monitoring:daemonset:node-agent -> ${c}:monitoring:sa:node-agent`,
  `RUNS_AS ${c}:monitoring:pod:node-agent-x7k2p -> ${c}:monitoring:sa:node-agent`,
  `RUNS_AS ${c}:payments:deployment:api -> ${c}:payments:sa:api`,
  `RUNS_AS ${c}:payments:pod:api-7d9f8-abcde -> ${c}:payments:sa:api`,
  `RUNS_AS ${c}:payments:replicaset:api-7d9f8 -> ${c}:payments:sa:api`,
];

/** Near misses: edges the fixture must not give. */
export const ABSENT_EDGES = [
  // The deployer's RoleBinding is in payments: nothing in its own (restricted) namespace or kube-system.
  `CAN_ESCALATE ${c}:ci:sa:deployer -> ${c}:kube-system:sa:aws-node (k8s-create-pod)`,
  `ADMINISTERS ${c}:ci:sa:deployer -> ${c}`,
  // alice reads secrets in payments only.
  `CAN_ACCESS ${c}:user:alice -> ${c}:monitoring:sa:node-agent`,
  `CAN_ESCALATE ${c}:user:alice -> ${c}:payments:pod:api-7d9f8-abcde (k8s-exec)`,
  // The node reads the secrets its pods reference, and no other: not the API's legacy token, and
  // not registry-pull, which the API pod names but the snapshot does not hold.
  `CAN_ACCESS ${c}:node:ip-10-0-1-10.ec2.internal -> ${c}:payments:secret:api-token`,
  `CAN_ACCESS ${c}:node:ip-10-0-1-10.ec2.internal -> ${c}:payments:secret:registry-pull`,
  // db-migrate does not mount its token: no RUNS_AS, though its node may request one (above).
  `RUNS_AS ${c}:payments:pod:db-migrate -> ${c}:payments:sa:default`,
];

export function edgeKey(e: { type: string; from: string; to: string; properties?: Record<string, unknown> }) {
  const technique = e.properties?.technique;
  return `${e.type} ${e.from} -> ${e.to}${typeof technique === 'string' ? ` (${technique})` : ''}`;
}
