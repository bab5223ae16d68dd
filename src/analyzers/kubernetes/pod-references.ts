import type { Container, NameRef, Pod, PodSpec } from '../../model/kubernetes/environment.js';

/** One secret a pod names, with the pod-spec field that names it. */
export interface SecretReference {
  /** The secret's name, in the pod's namespace. */
  name: string;
  /** The field, as a path in the pod (`spec.containers[0].env[2].valueFrom.secretKeyRef`). */
  field: string;
}

/**
 * The volume sources that name a secret, in the order the API server's `VisitPodSecretNames`
 * (k8s.io/kubernetes pkg/api/v1/pod/util.go) tests them: a volume has one source, and the first
 * present one is the only one read. `secret` names it in `secretName`, `azureFile` likewise; the
 * others through a `LocalObjectReference` (`secretRef`, CSI's `nodePublishSecretRef`); `projected`
 * through each of its `secret` sources.
 */
const VOLUME_SOURCES: readonly (readonly [source: string, field: string])[] = [
  ['azureFile', 'secretName'],
  ['cephfs', 'secretRef'],
  ['cinder', 'secretRef'],
  ['flexVolume', 'secretRef'],
  ['projected', 'sources'],
  ['rbd', 'secretRef'],
  ['secret', 'secretName'],
  ['scaleIO', 'secretRef'],
  ['iscsi', 'secretRef'],
  ['storageos', 'secretRef'],
  ['csi', 'nodePublishSecretRef'],
];

/**
 * Every secret a pod references, as the Node authorizer's graph reads them
 * (https://kubernetes.io/docs/reference/access-authn-authz/node/): the API server's
 * `VisitPodSecretNames` visits `imagePullSecrets`, then each init, regular and ephemeral container's
 * `envFrom[].secretRef` and `env[].valueFrom.secretKeyRef`, then the volumes' secret sources; empty
 * names are skipped. References through a PersistentVolumeClaim's volume are transitive and not
 * among them (the authorizer follows them from the PersistentVolume, which is not collected).
 * A name may come back once per field that names it.
 */
export function podSecretReferences(spec: PodSpec): SecretReference[] {
  const out: SecretReference[] = [];
  const visit = (name: unknown, field: string) => {
    if (typeof name === 'string' && name !== '') out.push({ name, field });
  };
  (spec.imagePullSecrets ?? []).forEach((ref, i) => {
    visit(ref?.name, `spec.imagePullSecrets[${i}]`);
  });
  const containers: [string, readonly Container[] | undefined][] = [
    ['initContainers', spec.initContainers],
    ['containers', spec.containers],
    ['ephemeralContainers', spec.ephemeralContainers],
  ];
  for (const [list, items] of containers)
    (items ?? []).forEach((container, i) => {
      const where = `spec.${list}[${i}]`;
      (container.envFrom ?? []).forEach((from, j) => {
        visit(nameOf(from?.secretRef), `${where}.envFrom[${j}].secretRef`);
      });
      (container.env ?? []).forEach((env, j) => {
        visit(nameOf(env?.valueFrom?.secretKeyRef), `${where}.env[${j}].valueFrom.secretKeyRef`);
      });
    });
  (spec.volumes ?? []).forEach((volume, i) => {
    const present = VOLUME_SOURCES.find(([source]) => isObject(volume[source]));
    if (!present) return;
    const [name, field] = present;
    const source = volume[name] as Record<string, unknown>;
    const where = `spec.volumes[${i}].${name}`;
    if (name === 'projected') {
      const sources = Array.isArray(source.sources) ? (source.sources as unknown[]) : [];
      sources.forEach((s, j) => {
        if (isObject(s)) visit(nameOf(s.secret), `${where}.sources[${j}].secret`);
      });
    } else visit(field === 'secretName' ? source[field] : nameOf(source[field]), `${where}.${field}`);
  });
  return out;
}

/**
 * A mirror pod (the API server's copy of a kubelet's static pod) gives its node nothing: the Node
 * authorizer adds no service account, secret or other object for it, since a node must not grant
 * itself access by creating one (`AddPod` in plugin/pkg/auth/authorizer/node/graph.go).
 */
export function isMirrorPod(pod: Pick<Pod, 'metadata'>): boolean {
  return pod.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined;
}

function nameOf(ref: unknown): unknown {
  return isObject(ref) ? (ref as NameRef).name : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
