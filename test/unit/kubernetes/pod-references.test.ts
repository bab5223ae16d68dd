import { describe, expect, it } from 'vitest';
import { isMirrorPod, podSecretReferences } from '../../../src/analyzers/kubernetes/pod-references.js';
import type { PodSpec } from '../../../src/model/kubernetes/environment.js';

const refs = (spec: Partial<PodSpec>) =>
  podSecretReferences({ containers: [], ...spec }).map((r) => `${r.name} ${r.field}`);

describe('the secrets a pod references (the API server’s VisitPodSecretNames)', () => {
  it('visits image pull secrets, then init, regular and ephemeral containers, then volumes', () => {
    expect(
      refs({
        imagePullSecrets: [{ name: 'pull' }],
        volumes: [{ name: 'v', secret: { secretName: 'mounted' } }],
        ephemeralContainers: [{ name: 'debug', envFrom: [{ secretRef: { name: 'debug-env' } }] }],
        containers: [
          {
            name: 'app',
            env: [
              { name: 'PLAIN', value: 'x' },
              { name: 'CM', valueFrom: { configMapKeyRef: { name: 'settings', key: 'k' } } },
              { name: 'PW', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
            ],
            envFrom: [{ configMapRef: { name: 'settings' } }, { prefix: 'X_', secretRef: { name: 'bulk' } }],
          },
        ],
        initContainers: [
          { name: 'init', env: [{ name: 'T', valueFrom: { secretKeyRef: { name: 'init-token' } } }] },
        ],
      }),
    ).toEqual([
      'pull spec.imagePullSecrets[0]',
      'init-token spec.initContainers[0].env[0].valueFrom.secretKeyRef',
      'bulk spec.containers[0].envFrom[1].secretRef',
      'db spec.containers[0].env[2].valueFrom.secretKeyRef',
      'debug-env spec.ephemeralContainers[0].envFrom[0].secretRef',
      'mounted spec.volumes[0].secret.secretName',
    ]);
  });

  it('reads every volume source that names a secret, and each projected secret source', () => {
    expect(
      refs({
        volumes: [
          { name: 'a', azureFile: { secretName: 'azure', shareName: 's' } },
          { name: 'b', cephfs: { monitors: [], secretRef: { name: 'ceph' } } },
          { name: 'c', cinder: { volumeID: 'v', secretRef: { name: 'cinder' } } },
          { name: 'd', flexVolume: { driver: 'x', secretRef: { name: 'flex' } } },
          {
            name: 'e',
            projected: {
              sources: [
                { serviceAccountToken: { path: 't' } },
                { secret: { name: 'projected' } },
                { configMap: { name: 'settings' } },
              ],
            },
          },
          { name: 'f', rbd: { image: 'i', secretRef: { name: 'rbd' } } },
          { name: 'g', scaleIO: { system: 's', secretRef: { name: 'scaleio' } } },
          { name: 'h', iscsi: { iqn: 'q', secretRef: { name: 'iscsi' } } },
          { name: 'i', storageos: { volumeName: 'v', secretRef: { name: 'storageos' } } },
          { name: 'j', csi: { driver: 'secrets-store.csi.k8s.io', nodePublishSecretRef: { name: 'csi' } } },
          { name: 'k', persistentVolumeClaim: { claimName: 'data' } },
          { name: 'l', configMap: { name: 'settings' } },
        ],
      }),
    ).toEqual([
      'azure spec.volumes[0].azureFile.secretName',
      'ceph spec.volumes[1].cephfs.secretRef',
      'cinder spec.volumes[2].cinder.secretRef',
      'flex spec.volumes[3].flexVolume.secretRef',
      'projected spec.volumes[4].projected.sources[1].secret',
      'rbd spec.volumes[5].rbd.secretRef',
      'scaleio spec.volumes[6].scaleIO.secretRef',
      'iscsi spec.volumes[7].iscsi.secretRef',
      'storageos spec.volumes[8].storageos.secretRef',
      'csi spec.volumes[9].csi.nodePublishSecretRef',
    ]);
  });

  it('skips empty names and absent references, and reads only the first source of a volume', () => {
    expect(
      refs({
        imagePullSecrets: [{ name: '' }, {}],
        containers: [{ name: 'c', env: [{ name: 'E', valueFrom: { secretKeyRef: null } }], envFrom: [{}] }],
        volumes: [
          { name: 'a', secret: { secretName: '' } },
          { name: 'b', csi: { driver: 'x' } },
          { name: 'c', cephfs: { monitors: [] } },
          // Two sources (rejected by validation): the visitor's first case decides, as the API server's.
          { name: 'd', cephfs: { secretRef: { name: 'first' } }, secret: { secretName: 'second' } },
          { name: 'e', secret: null, csi: { nodePublishSecretRef: { name: 'after-null' } } },
        ],
      }),
    ).toEqual([
      'first spec.volumes[3].cephfs.secretRef',
      'after-null spec.volumes[4].csi.nodePublishSecretRef',
    ]);
  });

  it('knows a mirror pod by its annotation', () => {
    expect(
      isMirrorPod({ metadata: { name: 'p', annotations: { 'kubernetes.io/config.mirror': 'abc' } } }),
    ).toBe(true);
    expect(isMirrorPod({ metadata: { name: 'p' } })).toBe(false);
  });
});
