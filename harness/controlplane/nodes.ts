/**
 * The plane's nodes: kwok (sigs.k8s.io/kwok v0.8.0, tools/kwok) plays the
 * kubelet of fake Nodes the harness creates. kube-scheduler places Pods on
 * them and kwok moves each Pod through its Stages: kwok's own (node/fast,
 * node/heartbeat-with-lease, pod/fast, volume/fast, copied from the pinned
 * module by `make controlplane-tools`) and this repository's
 * (harness/controlplane/stages/*.yaml: the controllers that cannot run here).
 * No container ever starts: a Pod is Running and Ready as soon as it is
 * scheduled, a Job's Pod Succeeds right after.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../tools.js';
import type { Kubectl } from './kubectl.js';
import { pinnedVersion } from './pins.js';
import { startProcess, type Proc, until } from './processes.js';
import { STAGES_DIR, stageFiles } from './stages.js';

/** kwok manages only Nodes with this annotation (`--manage-nodes-with-annotation-selector`). */
export const FAKE_NODE_ANNOTATION = { key: 'kwok.x-k8s.io/node', value: 'fake' } as const;

export interface FakeNode {
  name: string;
  /** status.capacity and allocatable: cpu, memory, pods and extended resources (nvidia.com/gpu). */
  capacity: Record<string, string>;
  labels?: Record<string, string>;
  taints?: { key: string; value?: string; effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute' }[];
}

/**
 * Enough for every example at once with room to spare (all four realtime
 * platforms of examples/oam together request far less than one general
 * node), plus one GPU node as a Karpenter GPU NodePool would bring it:
 * labelled with the profile label and tainted like the karpenter-nodepool
 * definition's `gpu` profile (definitions/components/karpenter-nodepool.yaml),
 * so the tfjob definition's GPU pods (nodeSelector
 * platform.example.org/workload-profile: gpu, toleration nvidia.com/gpu)
 * have somewhere to go. Unlike kwok's documented example Node, no
 * `kwok.x-k8s.io/node` taint: every Node here is fake, so no real Pod could
 * land on one by mistake.
 */
export const DEFAULT_NODES: FakeNode[] = [
  ...[0, 1, 2].map((i) => ({ name: `kwok-node-${i}`, capacity: { cpu: '32', memory: '128Gi', pods: '110' } })),
  {
    name: 'kwok-gpu-0',
    capacity: { cpu: '64', memory: '256Gi', pods: '110', 'nvidia.com/gpu': '8' },
    labels: { 'platform.example.org/workload-profile': 'gpu' },
    taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }],
  },
];

/** The Node object: kwok's node-initialize Stage keeps status.capacity and allocatable as given. */
export function nodeObject(node: FakeNode, index: number): object {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: node.name,
      annotations: { [FAKE_NODE_ANNOTATION.key]: FAKE_NODE_ANNOTATION.value },
      labels: {
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/os': 'linux',
        'kubernetes.io/hostname': node.name,
        'node.kubernetes.io/instance-type': 'kwok',
        'topology.kubernetes.io/zone': 'local',
        ...node.labels,
      },
    },
    // kwok gives each Pod an IP from its Node's podCIDR (pkg/kwok/controllers/pod_controller.go).
    spec: { podCIDR: `10.244.${index}.0/24`, podCIDRs: [`10.244.${index}.0/24`], ...(node.taints ? { taints: node.taints } : {}) },
    status: { capacity: node.capacity, allocatable: node.capacity },
  };
}

const kwokFiles = () => join(ROOT, '.build/kwok-stages', pinnedVersion('kwok', 'sigs.k8s.io/kwok'));

/** Every Stage file kwok gets: kwok's own, then this repository's (stages.ts). */
export function allStageFiles(): string[] {
  const own = join(kwokFiles(), 'stages');
  if (!existsSync(own)) throw new Error(`${own} is missing: run \`make controlplane-tools\``);
  return [
    ...readdirSync(own)
      .sort()
      .map((f) => join(own, f)),
    ...stageFiles(),
  ];
}

type NodeStatus = { metadata: { name: string }; spec?: { taints?: { key: string }[] }; status?: { conditions?: { type: string; status: string }[] } };

/**
 * kwok's default StorageClass (kwok's volume/fast/storage-class.yaml:
 * provisioner kwok.x-k8s.io/volume, the default class), kwok itself, then the
 * Nodes; resolves once every Node is Ready and the node-lifecycle controller
 * has lifted its not-ready taint, so Pods can be scheduled.
 */
export async function startNodes(state: string, bin: string, kubeconfig: string, kubectl: Kubectl, nodes: FakeNode[], step: (m: string) => void): Promise<Proc> {
  // PVCs without a class get this one (the API server's DefaultStorageClass
  // admission), and kwok's pvc-provision Stage binds them to a new PV.
  await kubectl.apply(readFileSync(join(kwokFiles(), 'storage-class.yaml'), 'utf8'));
  const stages = allStageFiles();
  const kwok = startProcess(
    'kwok',
    join(bin, 'kwok'),
    [
      '--kubeconfig',
      kubeconfig,
      ...stages.flatMap((f) => ['--config', f]),
      // kwok renews a Lease per Node (a heartbeat the node-lifecycle controller
      // reads besides the Node's conditions) only with a duration set
      // (pkg/kwok/controllers/controller.go initNodeLeaseController); 40 s is
      // the kubelet's default nodeLeaseDurationSeconds and the default of
      // kwok's configuration file (pkg/apis/config/v1alpha1/zz_generated.defaults.go),
      // but without such a file no Lease appeared here. Without Leases the
      // controller marked the Nodes NotReady after its grace period, and every
      // Pod on them not Ready for good (kwok's pod-ready Stage acts on Pending Pods).
      '--node-lease-duration-seconds=40',
      '--manage-all-nodes=false',
      '--manage-nodes-with-annotation-selector',
      `${FAKE_NODE_ANNOTATION.key}=${FAKE_NODE_ANNOTATION.value}`,
    ],
    { dir: state },
  );
  step(`kwok started with ${stages.length} Stage files (${stages.filter((f) => f.startsWith(STAGES_DIR)).length} of this repository)`);
  await kubectl.apply(nodes.map(nodeObject));
  let pending = '';
  await Promise.race([
    kwok.exited,
    until(
      'every fake Node Ready and untainted by the node-lifecycle controller',
      async () => {
        const live = await kubectl.list<NodeStatus>(['nodes']);
        pending = nodes
          .map((n) => live.find((l) => l.metadata.name === n.name))
          .filter((l) => !l || l.status?.conditions?.find((c) => c.type === 'Ready')?.status !== 'True' || l.spec?.taints?.some((t) => t.key.startsWith('node.kubernetes.io/')))
          .map((l) => l?.metadata.name ?? 'missing')
          .join(', ');
        return pending === '';
      },
      120_000,
      500,
    ),
  ]).catch((e: Error) => {
    throw new Error(`${e.message}; not yet: ${pending}`);
  });
  step(`${nodes.length} fake Nodes Ready`);
  return kwok;
}
