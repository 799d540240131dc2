/** Crossplane objects: XRDs, pipeline Compositions, Function packages, RBAC. */
import { ApiObject } from 'cdk8s';
import { CompositeResourceDefinition, CompositeResourceDefinitionSpecScope } from './imports/compositeresourcedefinitions-apiextensions.crossplane.io.js';
import { Composition, CompositionSpecMode } from './imports/compositions-apiextensions.crossplane.io.js';
import { Function as FunctionPackage } from './imports/functions-pkg.crossplane.io.js';
import { Provider } from './imports/providers-pkg.crossplane.io.js';
import { PLATFORM } from '../functions/lib/platform.js';
import type { PlatformApi } from '../functions/lib/api.js';
import { toOpenApi } from '../functions/lib/schema/openapi.js';
import type { FunctionEntry } from '../functions/catalog.js';
import { newChart, yamlFile, type OutputFile } from './output.js';
import { runtimeConfigName } from './runtime-config.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyApi = PlatformApi<any>;

export function functionObjectName(fn: FunctionEntry): string {
  return `${PLATFORM.functionPrefix}-${fn.name}`;
}

export function xrd(api: AnyApi): OutputFile {
  const chart = newChart();
  new CompositeResourceDefinition(chart, 'xrd', {
    metadata: { name: api.xrdName },
    spec: {
      // LegacyCluster: the only scope that offers claims (the namespaced
      // objects teams write) in Crossplane v2.
      scope: CompositeResourceDefinitionSpecScope.LEGACY_CLUSTER,
      group: api.group,
      names: { kind: api.compositeKind, plural: api.compositePlural },
      claimNames: { kind: api.claimKind, plural: api.claimPlural },
      defaultCompositionRef: { name: api.xrdName },
      versions: [
        {
          name: PLATFORM.version,
          served: true,
          referenceable: true,
          additionalPrinterColumns: api.printerColumns,
          schema: {
            openApiv3Schema: {
              type: 'object',
              description: api.description,
              required: ['spec'],
              properties: {
                spec: toOpenApi(api.spec, api.rules),
                status: toOpenApi(api.status),
              },
            },
          },
        },
      ],
    },
  });
  return yamlFile(`xrds/${api.xrdName}.yaml`, chart);
}

export function composition(api: AnyApi, fn: FunctionEntry): OutputFile {
  const chart = newChart();
  new Composition(chart, 'composition', {
    metadata: { name: api.xrdName, labels: { 'platform.example.org/function': fn.name } },
    spec: {
      compositeTypeRef: { apiVersion: api.apiVersion, kind: api.compositeKind },
      mode: CompositionSpecMode.PIPELINE,
      pipeline: [{ step: 'compose', functionRef: { name: functionObjectName(fn) }, ...(fn.input ? { input: fn.input } : {}) }],
    },
  });
  return yamlFile(`compositions/${api.xrdName}.yaml`, chart);
}

/** The `pkg.crossplane.io/v1` Function object that installs a function's package. */
function functionObject(chart: ReturnType<typeof newChart>, fn: FunctionEntry, annotations?: Record<string, string>): void {
  new FunctionPackage(chart, fn.name, {
    metadata: { name: functionObjectName(fn), annotations },
    spec: {
      package: `${PLATFORM.registry}/${functionObjectName(fn)}:${PLATFORM.packageVersion}`,
      // Its pod: resources and security (synth/runtime-config.ts, install/runtime-configs.yaml).
      runtimeConfigRef: { apiVersion: 'pkg.crossplane.io/v1beta1', kind: 'DeploymentRuntimeConfig', name: runtimeConfigName(functionObjectName(fn)) },
    },
  });
}

export function functionPackages(fns: FunctionEntry[]): OutputFile {
  const chart = newChart();
  for (const fn of fns) functionObject(chart, fn);
  return yamlFile('install/functions.yaml', chart);
}

/**
 * RBAC for every kind the functions compose. Crossplane's own role covers a
 * few core kinds only; this role is aggregated into it by its label.
 */
export function rbac(fns: FunctionEntry[]): OutputFile {
  const rules = (kinds: { apiGroup: string; resources: string[] }[], verbs: string[]) => {
    const byGroup = new Map<string, Set<string>>();
    for (const c of kinds) {
      const set = byGroup.get(c.apiGroup) ?? new Set<string>();
      c.resources.forEach((r) => set.add(r));
      byGroup.set(c.apiGroup, set);
    }
    return [...byGroup.keys()].sort().map((group) => ({ apiGroups: [group], resources: [...byGroup.get(group)!].sort(), verbs }));
  };
  const chart = newChart();
  new ApiObject(chart, 'role', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: {
      name: 'crossplane:platform-definitions:composed-resources',
      labels: { 'rbac.crossplane.io/aggregate-to-crossplane': 'true' },
    },
    rules: [
      ...rules(
        fns.flatMap((f) => f.composes),
        ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
      ),
      // Resources functions only read through their requirements.
      ...rules(
        fns.flatMap((f) => f.reads ?? []),
        ['get', 'list', 'watch'],
      ),
    ],
  });
  return yamlFile('install/rbac.yaml', chart);
}

/** The Crossplane providers the functions' composed kinds come from. */
export function providers(fns: FunctionEntry[], catalog: { provider: string; package: string; version: string }[] = []): OutputFile {
  const chart = newChart();
  const deps = new Map([...fns.flatMap((f) => f.dependsOn ?? []), ...catalog].map((d) => [d.provider, d]));
  for (const d of deps.values()) {
    new Provider(chart, d.provider, {
      // Named as Crossplane's dependency manager names the Provider it would
      // install for the function packages' dependsOn, so both are one object.
      metadata: { name: d.package.split('/').slice(1).join('-') },
      spec: { package: `${d.package}:${d.version}` },
    });
  }
  return yamlFile('install/providers.yaml', chart);
}

/**
 * The same Function objects, annotated for `crossplane render`: the
 * Development runtime calls the function `make serve` runs on localhost.
 */
export function devFunctions(fns: FunctionEntry[]): OutputFile {
  const chart = newChart();
  for (const fn of fns) {
    functionObject(chart, fn, {
      'render.crossplane.io/runtime': 'Development',
      'render.crossplane.io/runtime-development-target': `dns:///localhost:${fn.devPort}`,
    });
  }
  return yamlFile('examples/functions.yaml', chart);
}

/**
 * The CRD of a function's input (its settings in the Composition step), as
 * Crossplane function packages ship it: `crossplane beta validate` checks
 * Composition inputs against it. Never installed as a served API.
 */
export function inputCrd(fn: FunctionEntry): OutputFile | undefined {
  if (!fn.inputSchema || !fn.input) return undefined;
  const [group, version] = String(fn.input.apiVersion).split('/');
  const kind = String(fn.input.kind);
  const plural = kind.toLowerCase().endsWith('s') ? kind.toLowerCase() : `${kind.toLowerCase()}s`;
  const chart = newChart();
  new ApiObject(chart, 'input', {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      names: { kind, plural, singular: kind.toLowerCase(), categories: ['crossplane', 'function'] },
      scope: 'Namespaced',
      versions: [{ name: version, served: true, storage: true, schema: { openAPIV3Schema: toOpenApi(fn.inputSchema) } }],
    },
  });
  return yamlFile(`package/${fn.name}/input/${plural}.${group}.yaml`, chart);
}

/**
 * The package metadata of a function (`crossplane xpkg build --package-root
 * package/<fn>`): capabilities, the Crossplane version it needs and the
 * providers whose kinds it composes.
 */
export function functionMeta(fn: FunctionEntry): OutputFile {
  const chart = newChart();
  new ApiObject(chart, 'meta', {
    apiVersion: 'meta.pkg.crossplane.io/v1beta1',
    kind: 'Function',
    metadata: {
      name: functionObjectName(fn),
      annotations: {
        'meta.crossplane.io/maintainer': PLATFORM.maintainer,
        'meta.crossplane.io/source': PLATFORM.source,
        'meta.crossplane.io/description': `Composes ${fn.apis.map((a) => a.compositeKind).join(', ')}: ${fn.apis.map((a) => a.description).join(' ')}`,
      },
    },
    spec: {
      capabilities: ['composition'],
      crossplane: { version: PLATFORM.crossplaneVersion },
      ...(fn.dependsOn ? { dependsOn: fn.dependsOn.map((d) => ({ provider: d.package, version: d.minimum })) } : {}),
    },
  });
  return yamlFile(`package/${fn.name}/crossplane.yaml`, chart);
}
