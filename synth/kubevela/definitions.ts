/** Builders for KubeVela definitions (core.oam.dev/v1beta1). */
import { ComponentDefinition } from '../imports/componentdefinitions-core.oam.dev.js';
import { PolicyDefinition } from '../imports/policydefinitions-core.oam.dev.js';
import { TraitDefinition } from '../imports/traitdefinitions-core.oam.dev.js';
import type { PlatformApi } from '../../functions/lib/api.js';
import { cueParameter, needsStrings } from '../../functions/lib/schema/cue.js';
import { toOpenApi } from '../../functions/lib/schema/openapi.js';
import type { SchemaNode } from '../../functions/lib/schema/walk.js';
import { newChart, yamlFile, type OutputFile } from '../output.js';
import { CLAIM_HEALTH_POLICY, claimCustomStatus } from './claim.js';

/** KubeVela installs definitions into this namespace; they are visible to every app. */
export const DEFINITION_NAMESPACE = 'vela-system';

/** `import` clause for CUE packages (none, one, or a group). */
export function cueImports(packages: string[]): string {
  const unique = [...new Set(packages)].sort();
  if (unique.length === 0) return '';
  if (unique.length === 1) return `import "${unique[0]}"\n\n`;
  return `import (\n${unique.map((p) => `\t"${p}"`).join('\n')}\n)\n\n`;
}

/** Joins CUE template parts, importing `strings` when the parameter block uses it, and `imports`. */
export function cueTemplate(parts: string[], parameterSchema?: SchemaNode, imports: string[] = []): string {
  const all = [...imports, ...(parameterSchema && needsStrings(parameterSchema) ? ['strings'] : [])];
  return cueImports(all) + parts.map((p) => p.trimEnd()).join('\n\n') + '\n';
}

export interface ComponentDefinitionSpec {
  name: string;
  description: string;
  template: string;
  healthPolicy: string;
  customStatus: string;
}

/**
 * A ComponentDefinition. Its workload is `autodetects.core.oam.dev`: KubeVela
 * does not look the output kind up when the definition is applied, so
 * definitions can be installed before the XRDs or CRDs they emit exist.
 */
export function componentDefinition(def: ComponentDefinitionSpec): OutputFile {
  return definitionObject({
    kind: 'ComponentDefinition',
    name: def.name,
    description: def.description,
    template: def.template,
    status: { healthPolicy: def.healthPolicy, customStatus: def.customStatus },
  });
}

/** The CUE that emits a claim whose spec is exactly the definition's parameters. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function claimOutput(api: PlatformApi<any>, name = 'context.name'): string {
  return `output: {
	apiVersion: "${api.apiVersion}"
	kind:       "${api.claimKind}"
	metadata: name: ${name}
	spec: parameter
}`;
}

/** The parameter block of an API, from its schema. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function apiParameter(api: PlatformApi<any>): { cue: string; schema: SchemaNode } {
  const schema = toOpenApi(api.spec);
  return { cue: cueParameter(schema), schema };
}

/** Where each kind of definition is written. */
const FOLDER = { ComponentDefinition: 'components', TraitDefinition: 'traits', PolicyDefinition: 'policies' } as const;
export type DefinitionKind = keyof typeof FOLDER;

export interface DefinitionObject {
  kind: DefinitionKind;
  name: string;
  description: string;
  template: string;
  status?: { healthPolicy: string; customStatus: string };
  /** Traits: the workload kinds they can patch, `<resource>.<group>`. */
  appliesToWorkloads?: string[];
  /** Traits: whether applying the trait restarts the pods. */
  podDisruptive?: boolean;
}

/** The annotation that turns a component's health check off, as in vela-core's own definitions. */
export const DISABLE_HEALTH_CHECK = 'app.oam.dev/disable-health-check';

/**
 * A component health policy that honours DISABLE_HEALTH_CHECK on the
 * workload, the way vela-core 1.10's webservice and statefulset do
 * (charts/vela-core/templates/defwithtemplate/webservice.yaml): the policy's
 * own verdict becomes `_isHealth`, the default of `isHealth`, and the
 * annotation makes it `true`.
 */
export function honourDisableHealthCheck(policy: string): string {
  const verdicts = policy.match(/^isHealth:/gm) ?? [];
  if (verdicts.length !== 1) throw new Error(`a health policy must set isHealth once at top level:\n${policy}`);
  return `${policy.replace(/^isHealth:/m, '_isHealth:')}isHealth: *_isHealth | bool
if context.output.metadata.annotations != _|_ if context.output.metadata.annotations["${DISABLE_HEALTH_CHECK}"] != _|_ {
	isHealth: true
}
`;
}

/** Any KubeVela definition object, written to definitions/<components|traits|policies>/<name>.yaml. */
export function definitionObject(def: DefinitionObject): OutputFile {
  const chart = newChart();
  const metadata = { name: def.name, namespace: DEFINITION_NAMESPACE, annotations: { 'definition.oam.dev/description': def.description } };
  const schematic = { cue: { template: def.template } };
  switch (def.kind) {
    case 'ComponentDefinition': {
      const status = def.status && { ...def.status, healthPolicy: honourDisableHealthCheck(def.status.healthPolicy) };
      new ComponentDefinition(chart, 'definition', { metadata, spec: { schematic, workload: { type: 'autodetects.core.oam.dev' }, status } });
      break;
    }
    case 'TraitDefinition':
      new TraitDefinition(chart, 'definition', { metadata, spec: { schematic, appliesToWorkloads: def.appliesToWorkloads, podDisruptive: def.podDisruptive ?? false, status: def.status } });
      break;
    case 'PolicyDefinition':
      // KubeVela v1.10.9's PolicyDefinition has no spec.status (charts/vela-core/crds/core.oam.dev_policydefinitions.yaml):
      // the API server would drop one, so a policy that sets it is a mistake here.
      if (def.status) throw new Error(`PolicyDefinition ${def.name}: a policy has no status (health) in KubeVela 1.10`);
      new PolicyDefinition(chart, 'definition', { metadata, spec: { schematic } });
      break;
  }
  return yamlFile(`definitions/${FOLDER[def.kind]}/${def.name}.yaml`, chart);
}

/**
 * The ComponentDefinition of an API whose claim spec is exactly the
 * parameters: the shared claim health policy, and a status message
 * (`readyMessage`, once the claim is ready and `fieldsPresent` holds).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function claimDefinition(api: PlatformApi<any>, name: string, fieldsPresent: string, readyMessage: string): OutputFile {
  const parameter = apiParameter(api);
  return componentDefinition({
    name,
    description: api.description,
    template: cueTemplate([claimOutput(api), parameter.cue], parameter.schema),
    healthPolicy: CLAIM_HEALTH_POLICY,
    customStatus: claimCustomStatus(fieldsPresent, readyMessage, api.claimKind),
  });
}
