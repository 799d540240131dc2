/** CUE fragments several definitions share, so each convention is written once. */
import { restrictedContainerSecurity, restrictedPodSecurity } from '../../functions/lib/k8s/security.js';
import { readyPrelude } from './claim.js';

/** The restricted container security context, as CUE. */
export const RESTRICTED_CONTAINER = JSON.stringify(restrictedContainerSecurity({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }));
export const restrictedPod = (extra: Record<string, unknown> = {}) => JSON.stringify(restrictedPodSecurity(extra));

/** A multi-line CUE expression indented to sit `tabs` levels deep. */
export function indent(text: string, tabs: number): string {
  return text.replace(/\n/g, '\n' + '\t'.repeat(tabs));
}

/** `name` is the optional parameter `param` when it is set, else `fallback` (CUE expressions). */
export function orParameter(name: string, fallback: string, param: string, type = 'string'): string {
  return `${name}: *${fallback} | ${type}\nif ${param} != _|_ {\n\t${name}: ${param}\n}`;
}

/** Requests and limits from a ContainerResources parameter. */
export function resourcesCue(path = 'parameter.resources'): string {
  return `{
	requests: {cpu: ${path}.cpu, memory: ${path}.memory}
	limits: {cpu: ${path}.cpuLimit, memory: ${path}.memoryLimit}
}`;
}

/** KubeVela's pod labels, so policies and traits can select a component's pods. */
export const POD_LABELS = `{
	"app.oam.dev/name":      context.appName
	"app.oam.dev/component": context.name
}`;

/** Health of an object that reports a `Ready` condition (Knative, Flux, External Secrets, claims). */
export function readyHealth(object = 'context.output'): string {
  return `${readyPrelude(object)}isHealth: _ready\n`;
}

/** Status message of such an object: `readyMessage` when ready, else the Ready condition's message. */
export function readyStatus(what: string, readyMessage: string, object = 'context.output'): string {
  return `${readyPrelude(object)}_reason: *"waiting for ${what} to become Ready" | string
for c in _conditions if c.type == "Ready" && c.status == "False" && c.message != _|_ {
	_reason: "not ready: " + c.message
}
message: *_reason | string
if _ready {
	message: ${readyMessage}
}
`;
}

/** Flux's HelmRepository names (namespace flux-system) that install/flux-sources.yaml creates: pinned in functions/lib/pins.ts. */
export { CHART_REPOSITORIES as HELM_REPOSITORIES, type ChartRepository as HelmRepository } from '../../functions/lib/pins.js';
import type { ChartRepository as HelmRepository } from '../../functions/lib/pins.js';

/** A Flux HelmRelease of `chart` at `version` from one of HELM_REPOSITORIES; `values` is CUE. */
export function helmReleaseCue(repository: HelmRepository, chart: string, version: string, values: string): string {
  return `output: {
	apiVersion: "helm.toolkit.fluxcd.io/v2"
	kind:       "HelmRelease"
	metadata: {
		name: context.name
		labels: ${indent(POD_LABELS, 2)}
	}
	spec: {
		// Fixed, so the chart's object names are predictable (<component>-<chart>…).
		releaseName: context.name
		interval:    "10m"
		chart: spec: {
			chart:   "${chart}"
			version: "${version}"
			sourceRef: {kind: "HelmRepository", name: "${repository}", namespace: "flux-system"}
		}
		install: remediation: retries: 3
		upgrade: remediation: retries: 3
		values: ${indent(values, 2)}
	}
}`;
}
