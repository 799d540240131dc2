/**
 * `karpenter-nodepool` (PRD "Infrastructure Components"): a Karpenter
 * `NodePool` (karpenter.sh/v1) with its `EC2NodeClass` (karpenter.k8s.aws/v1),
 * both cluster-scoped. Checked against aws/karpenter-provider-aws v1.14.1:
 * pkg/apis/crds/karpenter.sh_nodepools.yaml and
 * karpenter.k8s.aws_ec2nodeclasses.yaml (committed as
 * test/upstream/crds/karpenter-v1.14.1/), well-known labels in
 * website/content/en/docs/concepts/nodepools.md (capacity types spot,
 * on-demand, reserved; instance-category/-family/-size, kubernetes.io/arch)
 * and pkg/apis/v1/labels.go (instance-gpu-manufacturer); discovery tags and
 * AMI aliases in website/content/en/docs/concepts/nodeclasses.md.
 */
import { StringEnum, StringMap, Type } from '../../../functions/lib/schema/types.js';
import type { CatalogEntry } from '../catalog.js';
import { readyPrelude } from '../claim.js';
import { errsCue } from './errs.js';

/** The workload profiles: presets over the raw requirement, taint and label fields. */
export const NODEPOOL_PROFILES = {
  general: { categories: ['c', 'm'], gpu: false },
  gpu: { categories: ['g', 'p'], gpu: true },
  memory: { categories: ['r', 'x'], gpu: false },
} as const;
const GPU_TAINT = { key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' };
const PROFILE_LABEL = 'platform.example.org/workload-profile';

const Taint = Type.Object({
  key: Type.String({ minLength: 1, description: 'Taint key.' }),
  value: Type.Optional(Type.String({ description: 'Taint value.' })),
  effect: StringEnum(['NoSchedule', 'PreferNoSchedule', 'NoExecute'], { default: 'NoSchedule', description: 'Effect on pods that do not tolerate it.' }),
});
const DURATION = '^(([0-9]+(s|m|h))+|Never)$';

export const karpenterNodepool: CatalogEntry = {
  name: 'karpenter-nodepool',
  kind: 'ComponentDefinition',
  description: 'Karpenter compute for a workload profile (general, gpu, memory): a NodePool with its EC2NodeClass, spot or on-demand, with taints, labels, limits, consolidation and expiry.',
  parameters: Type.Object({
    clusterName: Type.String({ minLength: 1, description: 'EKS cluster name: subnets and security groups are selected by the tag karpenter.sh/discovery={clusterName}.' }),
    nodeRole: Type.String({ minLength: 1, description: 'IAM role of the nodes (e.g. KarpenterNodeRole-{clusterName}).' }),
    profile: StringEnum(['general', 'gpu', 'memory'], {
      default: 'general',
      description: 'Preset: general = instance categories c, m; gpu = g, p with NVIDIA GPUs and the nvidia.com/gpu=true:NoSchedule taint; memory = r, x. The raw fields below override or add to it.',
    }),
    instanceFamilies: Type.Optional(Type.Array(Type.String({ pattern: '^[a-z0-9-]+$' }), { description: "Instance families (e.g. m7i, g5); replaces the profile's categories." })),
    instanceSizes: Type.Optional(Type.Array(Type.String({ pattern: '^[a-z0-9]+$' }), { description: 'Instance sizes (e.g. large, xlarge, 2xlarge).' })),
    capacityTypes: Type.Array(StringEnum(['spot', 'on-demand', 'reserved']), {
      default: ['spot', 'on-demand'],
      description: 'Purchase options; Karpenter prefers reserved, then spot, then on-demand.',
    }),
    architectures: Type.Array(StringEnum(['amd64', 'arm64']), { default: ['amd64'], description: 'CPU architectures.' }),
    taints: Type.Array(Taint, { default: [], description: "Taints on every node, besides the profile's." }),
    labels: StringMap({ default: {}, description: `Labels on every node, besides ${PROFILE_LABEL}={profile}.` }),
    limits: Type.Object(
      {
        cpu: Type.String({ default: '100', pattern: '^[0-9]+m?$', description: 'Total CPU of all nodes of the pool.' }),
        memory: Type.String({ default: '400Gi', pattern: '^[0-9]+(Mi|Gi|Ti)$', description: 'Total memory of all nodes of the pool.' }),
      },
      { default: {}, description: 'Upper bound of what the pool may provision.' },
    ),
    disruption: Type.Object(
      {
        consolidationPolicy: StringEnum(['WhenEmptyOrUnderutilized', 'WhenEmpty'], { default: 'WhenEmptyOrUnderutilized', description: 'Which nodes consolidation may remove or replace.' }),
        consolidateAfter: Type.String({ default: '1m', pattern: DURATION, description: 'Wait after a pod change before consolidating (Never turns consolidation off).' }),
        budget: Type.String({ default: '10%', pattern: '^((100|[0-9]{1,2})%|[0-9]+)$', description: 'Nodes that may be disrupted at once (count or percentage).' }),
      },
      { default: {}, description: 'Disruption and consolidation.' },
    ),
    expireAfter: Type.String({ default: '720h', pattern: DURATION, description: 'Replace nodes after this age (or Never).' }),
    amiAlias: Type.String({
      default: 'al2023@latest',
      pattern: '^[a-zA-Z0-9]+@.+$',
      description: 'EKS optimized AMI as family@version; pin a version (e.g. al2023@v20240807) in production, since @latest drifts nodes on every release.',
    }),
    weight: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'Priority over other NodePools.' })),
  }),
  body: [
    errsCue([
      'if len(parameter.capacityTypes) == 0 {"capacityTypes must not be empty"}',
      'if len(parameter.architectures) == 0 {"architectures must not be empty"}',
      'if parameter.instanceFamilies != _|_ if len(parameter.instanceFamilies) == 0 {"instanceFamilies must not be empty when set"}',
      'if parameter.instanceSizes != _|_ if len(parameter.instanceSizes) == 0 {"instanceSizes must not be empty when set"}',
    ]),
    `_profiles: ${JSON.stringify(NODEPOOL_PROFILES)}
_profile: _profiles[parameter.profile]
_taints: [
	if _profile.gpu {${JSON.stringify(GPU_TAINT)}},
	for t in parameter.taints {t},
]
output: {
	apiVersion: "karpenter.sh/v1"
	kind:       "NodePool"
	// Cluster-scoped: the component name is the pool's name in the whole cluster.
	metadata: name: context.name
	spec: {
		if parameter.weight != _|_ {
			weight: parameter.weight
		}
		template: {
			metadata: labels: {
				"${PROFILE_LABEL}": parameter.profile
				for k, v in parameter.labels {
					(k): v
				}
			}
			spec: {
				nodeClassRef: {group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: context.name}
				expireAfter: parameter.expireAfter
				requirements: [
					if parameter.instanceFamilies == _|_ {
						{key: "karpenter.k8s.aws/instance-category", operator: "In", values: _profile.categories}
					},
					if parameter.instanceFamilies != _|_ {
						{key: "karpenter.k8s.aws/instance-family", operator: "In", values: parameter.instanceFamilies}
					},
					if parameter.instanceSizes != _|_ {
						{key: "karpenter.k8s.aws/instance-size", operator: "In", values: parameter.instanceSizes}
					},
					if _profile.gpu {
						{key: "karpenter.k8s.aws/instance-gpu-manufacturer", operator: "In", values: ["nvidia"]}
					},
					{key: "karpenter.sh/capacity-type", operator: "In", values: parameter.capacityTypes},
					{key: "kubernetes.io/arch", operator: "In", values: parameter.architectures},
				]
				if len(_taints) > 0 {
					taints: _taints
				}
			}
		}
		limits: {cpu: parameter.limits.cpu, memory: parameter.limits.memory}
		disruption: {
			consolidationPolicy: parameter.disruption.consolidationPolicy
			consolidateAfter:    parameter.disruption.consolidateAfter
			budgets: [{nodes: parameter.disruption.budget}]
		}
	}
}
outputs: nodeclass: {
	apiVersion: "karpenter.k8s.aws/v1"
	kind:       "EC2NodeClass"
	metadata: name: context.name
	spec: {
		role: parameter.nodeRole
		amiSelectorTerms: [{alias: parameter.amiAlias}]
		subnetSelectorTerms: [{tags: "karpenter.sh/discovery": parameter.clusterName}]
		securityGroupSelectorTerms: [{tags: "karpenter.sh/discovery": parameter.clusterName}]
		tags: {
			"app.oam.dev/name":      context.appName
			"app.oam.dev/component": context.name
		}
	}
}`,
  ],
  status: {
    healthPolicy: `${readyPrelude()}_classReady: *false | bool
if context.outputs.nodeclass.status != _|_ && context.outputs.nodeclass.status.conditions != _|_ {
	_classReady: len([for c in context.outputs.nodeclass.status.conditions if c.type == "Ready" && c.status == "True" {c}]) > 0
}
isHealth: _ready && _classReady
`,
    customStatus: `_nodes: *0 | int
if context.output.status != _|_ && context.output.status.nodes != _|_ {
	_nodes: context.output.status.nodes
}
message: "\\(_nodes) node(s)"
`,
  },
  outputs: [
    '`karpenter.sh/v1` `NodePool` `{component}` (cluster-scoped): requirements from the profile (`karpenter.k8s.aws/instance-category`; the gpu profile also `instance-gpu-manufacturer` nvidia) or `instanceFamilies`, plus `instanceSizes`, `karpenter.sh/capacity-type`, `kubernetes.io/arch`; node labels (`platform.example.org/workload-profile` and `labels`), taints (the gpu profile adds `nvidia.com/gpu=true:NoSchedule`), `expireAfter`, `limits`, `disruption` (policy, consolidateAfter, one budget), `weight`',
    '`outputs.nodeclass`: `karpenter.k8s.aws/v1` `EC2NodeClass` `{component}`: `role`, the AMI alias, subnets and security groups tagged `karpenter.sh/discovery: {clusterName}`, the KubeVela labels as EC2 tags',
  ],
  health:
    "Healthy when the NodePool and the EC2NodeClass both report `Ready` `True` (the class resolved its AMIs, subnets, security groups and instance profile). The message counts the pool's nodes (`status.nodes`).",
  example: 'examples/oam/ml-analytics-pipeline.yaml',
  notes: `## Upstream sources

- \`karpenter.sh/v1\` \`NodePool\` and \`karpenter.k8s.aws/v1\` \`EC2NodeClass\`, every field used: aws/karpenter-provider-aws v1.14.1, \`pkg/apis/crds/karpenter.sh_nodepools.yaml\` and \`pkg/apis/crds/karpenter.k8s.aws_ec2nodeclasses.yaml\` (the tests validate both outputs against them, CEL rules included, with \`crossplane beta validate\`).
- Well-known labels \`karpenter.k8s.aws/instance-category\`, \`-family\`, \`-size\`, \`karpenter.sh/capacity-type\` (spot, on-demand, reserved), \`kubernetes.io/arch\`: \`website/content/en/docs/concepts/nodepools.md\` at v1.14.1; \`karpenter.k8s.aws/instance-gpu-manufacturer\`: \`pkg/apis/v1/labels.go\`.
- Discovery by the \`karpenter.sh/discovery\` tag, \`role\`, AMI aliases \`family@version\`: \`website/content/en/docs/concepts/nodeclasses.md\` at v1.14.1.

## Using a pool

Pods choose a pool by its labels (\`nodeSelector: {platform.example.org/workload-profile: gpu}\` or \`karpenter.sh/nodepool: {component}\`) and tolerate its taints; the \`tfjob\` component adds the GPU toleration itself when it asks for GPUs. Karpenter itself (controller, IAM, the node role) is installed outside this catalog.`,
};
