/**
 * `tfjob` (PRD "Application Components"): a Kubeflow TensorFlow training job,
 * `kubeflow.org/v1` `TFJob` of the training operator. Checked against the
 * CRD at kubeflow/training-operator v1.9.0,
 * manifests/base/crds/kubeflow.org_tfjobs.yaml (committed as
 * test/upstream/crds/training-operator-v1.9.0/), and pkg/apis/kubeflow.org/v1/
 * tensorflow_types.go (container name "tensorflow", port name "tfjob-port",
 * 2222; replica types Chief, Worker, PS) and common_types.go (restart and
 * clean-pod policies, condition types Created/Running/Restarting/Succeeded/
 * Suspended/Failed).
 */
import { ContainerResources, StringEnum, StringMap, Type } from '../../../functions/lib/schema/types.js';
import type { CatalogEntry } from '../catalog.js';
import { POD_LABELS, RESTRICTED_CONTAINER, indent, restrictedPod } from '../snippets.js';
import { errsCue } from './errs.js';

export const TFJOB_API_VERSION = 'kubeflow.org/v1';
/** The operator finds the TensorFlow container by this name and its port by this name (tensorflow_types.go). */
const CONTAINER = 'tensorflow';
const PORT = { name: 'tfjob-port', containerPort: 2222 };
const GPU = 'nvidia.com/gpu';

const Toleration = Type.Object({
  key: Type.String({ minLength: 1, description: 'Taint key.' }),
  operator: StringEnum(['Equal', 'Exists'], { default: 'Equal', description: 'Equal matches `value`; Exists any value.' }),
  value: Type.Optional(Type.String({ description: 'Taint value (operator Equal).' })),
  effect: Type.Optional(StringEnum(['NoSchedule', 'PreferNoSchedule', 'NoExecute'], { description: 'Effect tolerated; all when unset.' })),
});

export const tfjob: CatalogEntry = {
  name: 'tfjob',
  kind: 'ComponentDefinition',
  description: 'A TensorFlow training job (Kubeflow TFJob): single-node or distributed with chief, workers and parameter servers, optional NVIDIA GPUs.',
  parameters: Type.Object({
    image: Type.String({ minLength: 1, description: 'Training image (TensorFlow and the training code).' }),
    command: Type.Optional(Type.Array(Type.String(), { description: 'Container command; the image entrypoint when unset.' })),
    args: Type.Optional(Type.Array(Type.String(), { description: 'Arguments to the command.' })),
    mode: StringEnum(['single', 'distributed'], {
      default: 'single',
      description: 'single: one Worker pod. distributed: a Chief, `workers` Workers and `parameterServers` PS pods (TF_CONFIG set by the operator).',
    }),
    workers: Type.Integer({ minimum: 1, maximum: 100, default: 2, description: 'Worker replicas in distributed mode.' }),
    parameterServers: Type.Integer({ minimum: 0, maximum: 20, default: 1, description: 'Parameter servers in distributed mode (0 for collective strategies such as MultiWorkerMirroredStrategy).' }),
    chief: Type.Boolean({ default: true, description: 'A Chief replica in distributed mode (checkpoints and summaries); without it worker 0 acts as chief.' }),
    gpus: Type.Integer({ minimum: 0, maximum: 16, default: 0, description: `${GPU} per chief/worker pod (parameter servers get none); also tolerates the ${GPU} taint.` }),
    env: Type.Array(
      Type.Object({
        name: Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$', description: 'Variable name.' }),
        value: Type.Optional(Type.String({ description: 'Literal value.' })),
        secret: Type.Optional(
          Type.Object(
            { name: Type.String({ minLength: 1, description: "Secret name, in the job's namespace." }), key: Type.String({ minLength: 1, description: 'Key in the Secret.' }) },
            { description: 'Read the value from this Secret key instead.' },
          ),
        ),
      }),
      { default: [], description: 'Environment of the training container; each entry sets exactly one of value and secret.' },
    ),
    volumes: Type.Array(
      Type.Object({
        name: Type.String({ pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', description: 'Volume name.' }),
        mountPath: Type.String({ pattern: '^/', description: 'Where it is mounted.' }),
        readOnly: Type.Boolean({ default: false, description: 'Mount read-only.' }),
        pvc: Type.Optional(Type.String({ minLength: 1, description: 'PersistentVolumeClaim name (datasets, checkpoints).' })),
        configMap: Type.Optional(Type.String({ minLength: 1, description: 'ConfigMap name.' })),
        secret: Type.Optional(Type.String({ minLength: 1, description: 'Secret name.' })),
      }),
      { default: [], description: 'Volumes mounted into every replica; each sets exactly one of pvc, configMap and secret.' },
    ),
    nodeSelector: StringMap({ default: {}, description: "Node labels every replica requires (e.g. a Karpenter NodePool's labels)." }),
    tolerations: Type.Array(Toleration, { default: [], description: 'Taints every replica tolerates (the GPU taint is added when `gpus` > 0).' }),
    restartPolicy: StringEnum(['OnFailure', 'Never', 'Always', 'ExitCode'], {
      default: 'OnFailure',
      description: 'Restart policy of every replica; ExitCode restarts on retryable exit codes (128+) only.',
    }),
    cleanPodPolicy: StringEnum(['Running', 'All', 'None'], {
      default: 'Running',
      description: 'Pods deleted when the job finishes: Running (still-running ones, e.g. parameter servers), All, or None.',
    }),
    backoffLimit: Type.Optional(Type.Integer({ minimum: 0, description: 'Retries before the job is marked failed.' })),
    activeDeadlineSeconds: Type.Optional(Type.Integer({ minimum: 1, description: 'Time limit of the whole job.' })),
    ttlSecondsAfterFinished: Type.Optional(Type.Integer({ minimum: 0, description: 'Delete the finished TFJob after this many seconds.' })),
    runAsUser: Type.Integer({ minimum: 1, default: 1000, description: 'Non-root uid the containers run as (the tensorflow/tensorflow images default to root).' }),
    resources: ContainerResources({ cpu: '1', memory: '2Gi', cpuLimit: '2', memoryLimit: '4Gi' }),
  }),
  body: [
    errsCue([
      `for e in parameter.env if len([if e.value != _|_ {1}, if e.secret != _|_ {1}]) != 1 {"env \\(e.name): set exactly one of value and secret"}`,
      `for v in parameter.volumes if len([if v.pvc != _|_ {1}, if v.configMap != _|_ {1}, if v.secret != _|_ {1}]) != 1 {"volumes \\(v.name): set exactly one of pvc, configMap and secret"}`,
    ]),
    `_container: {
	name:  "${CONTAINER}"
	image: parameter.image
	if parameter.command != _|_ {
		command: parameter.command
	}
	if parameter.args != _|_ {
		args: parameter.args
	}
	env: [for e in parameter.env {
		name: e.name
		if e.value != _|_ {
			value: e.value
		}
		if e.secret != _|_ {
			valueFrom: secretKeyRef: {name: e.secret.name, key: e.secret.key}
		}
	}]
	ports: [${JSON.stringify(PORT)}]
	volumeMounts: [for v in parameter.volumes {name: v.name, mountPath: v.mountPath, readOnly: v.readOnly}]
	securityContext: ${RESTRICTED_CONTAINER}
}
_podSecurity: ${restrictedPod()} & {runAsUser: parameter.runAsUser, runAsGroup: parameter.runAsUser}
_requests: {cpu: parameter.resources.cpu, memory: parameter.resources.memory}
_limits: {cpu: parameter.resources.cpuLimit, memory: parameter.resources.memoryLimit}
_gpu: {"${GPU}": "\\(parameter.gpus)"}
_tolerations: [
	if parameter.gpus > 0 {{key: "${GPU}", operator: "Exists", effect: "NoSchedule"}},
	for t in parameter.tolerations {t},
]
_podSpec: {
	securityContext: _podSecurity
	if len(parameter.nodeSelector) > 0 {
		nodeSelector: parameter.nodeSelector
	}
	if len(_tolerations) > 0 {
		tolerations: _tolerations
	}
	volumes: [for v in parameter.volumes {
		name: v.name
		if v.pvc != _|_ {
			persistentVolumeClaim: {claimName: v.pvc, readOnly: v.readOnly}
		}
		if v.configMap != _|_ {
			configMap: name: v.configMap
		}
		if v.secret != _|_ {
			secret: secretName: v.secret
		}
	}]
}
// Chief and Worker pods get the GPUs; parameter servers only CPU and memory.
_cpuPod: _podSpec & {containers: [_container & {resources: {requests: _requests, limits: _limits}}]}
_gpuPod: *_cpuPod | {...}
if parameter.gpus > 0 {
	_gpuPod: _podSpec & {containers: [_container & {resources: {requests: _requests & _gpu, limits: _limits & _gpu}}]}
}
_replica: {
	pod: {...}
	count: int
	out: {
		replicas:      count
		restartPolicy: parameter.restartPolicy
		template: {
			metadata: labels: ${indent(POD_LABELS, 3)}
			spec: pod
		}
	}
}
output: {
	apiVersion: "${TFJOB_API_VERSION}"
	kind:       "TFJob"
	metadata: {
		name: context.name
		labels: ${indent(POD_LABELS, 2)}
	}
	spec: {
		runPolicy: {
			cleanPodPolicy: parameter.cleanPodPolicy
			if parameter.backoffLimit != _|_ {
				backoffLimit: parameter.backoffLimit
			}
			if parameter.activeDeadlineSeconds != _|_ {
				activeDeadlineSeconds: parameter.activeDeadlineSeconds
			}
			if parameter.ttlSecondsAfterFinished != _|_ {
				ttlSecondsAfterFinished: parameter.ttlSecondsAfterFinished
			}
		}
		tfReplicaSpecs: {
			if parameter.mode == "single" {
				Worker: (_replica & {pod: _gpuPod, count: 1}).out
			}
			if parameter.mode == "distributed" {
				if parameter.chief {
					Chief: (_replica & {pod: _gpuPod, count: 1}).out
				}
				Worker: (_replica & {pod: _gpuPod, count: parameter.workers}).out
				if parameter.parameterServers > 0 {
					PS: (_replica & {pod: _cpuPod, count: parameter.parameterServers}).out
				}
			}
		}
	}
}`,
  ],
  status: {
    healthPolicy: `${jobConditions()}isHealth: _state == "succeeded" || _state == "running"
`,
    customStatus: `${jobConditions()}message: *"waiting for the training operator to start the job" | string
if _state == "succeeded" {
	message: "training succeeded"
}
if _state == "running" {
	message: "training running"
}
if _state == "failed" {
	message: "training failed: " + _failed
}
`,
  },
  outputs: [
    `\`${TFJOB_API_VERSION}\` \`TFJob\` \`{component}\`: \`mode: single\` → one \`Worker\`; \`mode: distributed\` → \`Chief\` (when \`chief\`), \`workers\` \`Worker\`s and \`parameterServers\` \`PS\` pods`,
    `Every replica: container \`${CONTAINER}\` (the name the operator looks for) with port \`${PORT.name}\` ${PORT.containerPort}, \`image\`, \`command\`/\`args\`, \`env\` (literal or from a Secret key), \`volumes\` (PVC, ConfigMap or Secret), requests and limits from \`resources\`, restricted security (non-root \`runAsUser\`, RuntimeDefault seccomp, no privilege escalation, all capabilities dropped), the KubeVela pod labels, \`nodeSelector\` and \`tolerations\``,
    `GPUs: \`gpus\` → \`${GPU}\` in requests and limits of Chief and Worker pods (PS pods get none) and a toleration of the \`${GPU}\` taint`,
    '`runPolicy`: `cleanPodPolicy`, and `backoffLimit`, `activeDeadlineSeconds`, `ttlSecondsAfterFinished` when set; `restartPolicy` on every replica',
  ],
  health:
    "From the TFJob's conditions (the operator sets `Created`, `Running`, `Restarting`, `Succeeded`, `Failed`, `Suspended`): healthy while `Running` is `True` and once `Succeeded` is `True`; `Failed` `True` is unhealthy with the operator's message; a job without conditions yet (or only `Created`/`Restarting`/`Suspended`) is not healthy.",
  example: 'examples/oam/ml-analytics-pipeline.yaml',
  notes: `## Upstream sources

- \`kubeflow.org/v1\` \`TFJob\`, \`tfReplicaSpecs\`, \`runPolicy.cleanPodPolicy\`/\`backoffLimit\`/\`activeDeadlineSeconds\`/\`ttlSecondsAfterFinished\`, \`restartPolicy\`: kubeflow/training-operator v1.9.0, \`manifests/base/crds/kubeflow.org_tfjobs.yaml\` (the tests validate the output against it with \`crossplane beta validate\`).
- Container name \`tensorflow\`, port \`tfjob-port\` 2222, replica types \`Chief\`/\`Worker\`/\`PS\`: \`pkg/apis/kubeflow.org/v1/tensorflow_types.go\` at v1.9.0.
- Restart policies \`Always\`/\`OnFailure\`/\`Never\`/\`ExitCode\`, clean-pod policies \`All\`/\`Running\`/\`None\`, condition types: \`pkg/apis/kubeflow.org/v1/common_types.go\` at v1.9.0.

## Choices

- \`restartPolicy\` defaults to \`OnFailure\` (upstream's default is \`Never\`) so a pod lost with its node (spot capacity) is retried; \`cleanPodPolicy\` defaults to \`Running\` (upstream: \`None\`) so parameter servers, which never exit by themselves, are removed when the job ends while finished pods keep their logs.
- Pods run under the restricted Pod Security profile as \`runAsUser\` (default 1000): the official TensorFlow images run as root, which \`runAsNonRoot\` would refuse, and they need no root. An image that needs root will not start; that is deliberate.`,
};

/** Binds `_state` (succeeded / failed / running / pending) and `_failed` (the Failed condition's message) from context.output. */
function jobConditions(): string {
  return `_conditions: *[] | [...]
if context.output.status != _|_ && context.output.status.conditions != _|_ {
	_conditions: context.output.status.conditions
}
_has: {for c in _conditions if c.status == "True" {(c.type): true}}
_state: *"pending" | string
if _has.Failed != _|_ {
	_state: "failed"
}
if _has.Failed == _|_ && _has.Succeeded != _|_ {
	_state: "succeeded"
}
if _has.Failed == _|_ && _has.Succeeded == _|_ && _has.Running != _|_ {
	_state: "running"
}
_failed: *"" | string
for c in _conditions if c.type == "Failed" && c.status == "True" && c.message != _|_ {
	_failed: c.message
}
`;
}
