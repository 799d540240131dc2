import { describe, expect, it } from 'vitest';
import type { Kubectl } from '../../harness/controlplane/kubectl.js';
import { missingPodReferences } from '../../harness/controlplane/kubelet.js';

const NS = 'team-a';
const pod = (name: string, owner: { kind: string; name: string }, spec: object) => ({
  metadata: { name, namespace: NS, ownerReferences: [owner] },
  spec: { containers: [], ...spec },
});

/** What `kubectl get -n team-a <resource> -o json` returns on a plane holding these objects. */
function cluster(objects: Record<string, object[]>): Kubectl {
  return { list: async (args: string[]) => objects[args[2]] ?? [] } as unknown as Kubectl;
}

describe('missingPodReferences: what a kubelet would not find before starting a Pod', () => {
  const objects = {
    pods: [
      pod(
        'db-0',
        { kind: 'StatefulSet', name: 'db' },
        {
          volumes: [
            { name: 'creds', secret: { secretName: 'db-creds' } },
            { name: 'opt', secret: { secretName: 'nowhere', optional: true } },
            {
              name: 'conf',
              configMap: {
                name: 'db-conf',
                items: [
                  { key: 'a.conf', path: 'a' },
                  { key: 'b.conf', path: 'b' },
                ],
              },
            },
            { name: 'proj', projected: { sources: [{ secret: { name: 'proj-secret' } }] } },
          ],
          initContainers: [{ name: 'init', envFrom: [{ secretRef: { name: 'init-env' } }] }],
          containers: [
            {
              name: 'db',
              env: [
                { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'db-creds', key: 'password' } } },
                { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'db-creds', key: 'token', optional: true } } },
              ],
              envFrom: [{ configMapRef: { name: 'maybe', optional: true } }],
            },
          ],
        },
      ),
      pod('web-abc-1', { kind: 'ReplicaSet', name: 'web-abc' }, { containers: [{ name: 'web', envFrom: [{ configMapRef: { name: 'web-env' } }] }] }),
      // Another example's Pod in the same namespace: not asked about.
      pod('other-0', { kind: 'StatefulSet', name: 'other' }, { volumes: [{ name: 'x', secret: { secretName: 'gone' } }] }),
    ],
    'replicasets.apps,jobs.batch': [{ kind: 'ReplicaSet', metadata: { name: 'web-abc', ownerReferences: [{ kind: 'Deployment', name: 'web' }] } }],
    secrets: [
      { metadata: { name: 'db-creds' }, data: { username: 'dQ==' } },
      { metadata: { name: 'proj-secret' }, data: {} },
    ],
    configmaps: [{ metadata: { name: 'db-conf' }, data: { 'a.conf': 'x' } }],
  };
  const workloads = [
    { kind: 'StatefulSet', namespace: NS, name: 'db' },
    { kind: 'Deployment', namespace: NS, name: 'web' },
    { kind: 'Service', namespace: NS, name: 'db' },
  ];

  it('names each missing Secret, ConfigMap and key with the reference that needs it, optional ones left out', async () => {
    expect(await missingPodReferences(cluster(objects), workloads)).toEqual([
      'team-a/db-0: ConfigMap db-conf keys b.conf (volume conf)',
      'team-a/db-0: Secret init-env (envFrom of container init)',
      'team-a/db-0: Secret db-creds keys password (env PASSWORD of container db)',
      'team-a/web-abc-1: ConfigMap web-env (envFrom of container web)',
    ]);
  });

  it('is empty once they exist', async () => {
    const fixed = {
      ...objects,
      secrets: [...objects.secrets.slice(1), { metadata: { name: 'db-creds' }, data: { password: 'cA==' } }, { metadata: { name: 'init-env' }, data: {} }],
      configmaps: [
        { metadata: { name: 'db-conf' }, data: { 'a.conf': 'x', 'b.conf': 'y' } },
        { metadata: { name: 'web-env' }, data: {} },
      ],
    };
    expect(await missingPodReferences(cluster(fixed), workloads)).toEqual([]);
  });
});
