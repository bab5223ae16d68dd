import type { Container, KubernetesClusterData, PodSpec } from '../../model/kubernetes/environment.js';
import type { K8sTechniqueId } from './techniques.js';

/** One pod-spec field that lets a container reach its node, with the technique it enables. */
export interface Escape {
  technique: K8sTechniqueId;
  /** The field, as a path in the pod spec (`spec.containers[0].securityContext.privileged`). */
  field: string;
  detail: string;
}

/**
 * Capabilities that break out of a container on their own (CAP_SYS_ADMIN: mounts and cgroups;
 * CAP_SYS_MODULE: kernel modules; CAP_DAC_READ_SEARCH: open_by_handle_at reads host files), or with
 * the host namespace they act on (CAP_SYS_PTRACE with hostPID, CAP_NET_ADMIN with hostNetwork).
 * The Baseline Pod Security Standard forbids adding any of them
 * (https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline; capabilities(7)).
 */
const ALONE = new Set(['SYS_ADMIN', 'SYS_MODULE', 'DAC_READ_SEARCH', 'ALL']);

/**
 * Host paths whose mount reaches the node: the root, the node's configuration and credentials
 * (`/etc`, `/etc/kubernetes`, `/var/lib/kubelet`, `/root`), kernel interfaces (`/proc`, `/sys`),
 * `/var/log` (the kubelet follows symlinks a writer plants there), and container-runtime sockets. A
 * mount of any ancestor of them reaches them too; a mount inside the directories reaches part of it.
 */
const SENSITIVE = [
  '/etc',
  '/etc/kubernetes',
  '/var/lib/kubelet',
  '/root',
  '/proc',
  '/sys',
  '/var/log',
  '/var/run',
  '/run',
];
const SOCKETS = [
  '/var/run/docker.sock',
  '/run/containerd/containerd.sock',
  '/var/run/containerd/containerd.sock',
  '/var/run/crio/crio.sock',
  '/run/crio/crio.sock',
];

export function podEscapes(spec: PodSpec): Escape[] {
  const out: Escape[] = [];
  const containers: [string, readonly Container[] | undefined][] = [
    ['containers', spec.containers],
    ['initContainers', spec.initContainers],
    ['ephemeralContainers', spec.ephemeralContainers],
  ];
  for (const [list, items] of containers)
    (items ?? []).forEach((container, i) => {
      const where = `spec.${list}[${i}]`;
      const sc = container.securityContext;
      if (sc?.privileged === true)
        out.push({
          technique: 'k8s-escape-privileged',
          field: `${where}.securityContext.privileged`,
          detail: `container ${container.name} runs privileged`,
        });
      for (const raw of sc?.capabilities?.add ?? []) {
        const cap = raw.toUpperCase().replace(/^CAP_/, '');
        const dangerous =
          ALONE.has(cap) ||
          (cap === 'SYS_PTRACE' && spec.hostPID === true) ||
          (cap === 'NET_ADMIN' && spec.hostNetwork === true);
        if (dangerous)
          out.push({
            technique: 'k8s-escape-capability',
            field: `${where}.securityContext.capabilities.add`,
            detail: `container ${container.name} adds ${cap}`,
          });
      }
    });
  if (spec.hostPID === true)
    out.push({
      technique: 'k8s-escape-host-pid',
      field: 'spec.hostPID',
      detail: 'shares the node’s process namespace',
    });
  if (spec.hostIPC === true)
    out.push({
      technique: 'k8s-escape-host-ipc',
      field: 'spec.hostIPC',
      detail: 'shares the node’s IPC namespace',
    });
  if (spec.hostNetwork === true)
    out.push({
      technique: 'k8s-escape-host-network',
      field: 'spec.hostNetwork',
      detail: 'shares the node’s network namespace',
    });
  (spec.volumes ?? []).forEach((volume, i) => {
    const path = volume.hostPath?.path;
    if (path && sensitiveHostPath(path))
      out.push({
        technique: 'k8s-escape-host-path',
        field: `spec.volumes[${i}].hostPath.path`,
        detail: `mounts the node’s ${path}`,
      });
  });
  return out;
}

export function sensitiveHostPath(raw: string): boolean {
  const path = normalize(raw);
  if (path === '/') return true;
  const within = (dir: string) => path === dir || path.startsWith(`${dir}/`);
  const above = (dir: string) => dir.startsWith(`${path}/`);
  return SENSITIVE.some((dir) => within(dir) || above(dir)) || SOCKETS.some((s) => path === s || above(s));
}

function normalize(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

/**
 * The Pod Security level a namespace enforces: its `pod-security.kubernetes.io/enforce` label, else
 * the admission plugin's default, `privileged`
 * (https://kubernetes.io/docs/concepts/security/pod-security-admission/). Only under `privileged`
 * are the escapes above admitted.
 */
export function enforcedLevel(cluster: KubernetesClusterData, namespace: string): string {
  const ns = cluster.namespaces.find((n) => n.metadata.name === namespace);
  return ns?.metadata.labels?.['pod-security.kubernetes.io/enforce'] ?? 'privileged';
}
