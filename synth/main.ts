/**
 * `make synth`: every generated file of the repository, from code.
 *   tsx synth/main.ts            writes into the repository
 *   tsx synth/main.ts --out DIR  writes into DIR (the drift check compares)
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FUNCTIONS } from '../functions/catalog.js';
import { composition, devFunctions, functionMeta, functionObjectName, functionPackages, inputCrd, providers, rbac, xrd } from './crossplane.js';
import { runtimeConfigs } from './runtime-config.js';
import { apiPage } from './docs.js';
import { exampleGraphSection } from './graphs.js';
import { applicationInfrastructureDefinition, webserviceDefinition } from './kubevela/application.js';
import { APPLICATION_PAGES } from './docs-application.js';
import { catalogFiles } from './kubevela/catalog/index.js';
import { CATALOG_PROVIDERS } from './kubevela/catalog/providers.js';
import { gitopsFiles } from './gitops.js';
import { vclusterDefinition } from './kubevela/vcluster.js';
import { vcluster } from '../functions/vcluster/api.js';
import { CHARTS as VCLUSTER_CHARTS } from '../functions/vcluster/compose.js';
import { VCLUSTER_FACTS } from '../functions/lib/pins.js';
import { eventDrivenServiceDefinition } from './kubevela/event-driven-service.js';
import { realtimePlatformDefinition } from './kubevela/realtime-platform.js';
import { realtimePlatform } from '../functions/realtime-platform/api.js';
import { writeAll, type OutputFile } from './output.js';
import { eventDrivenService } from '../functions/event-driven-service/api.js';
import { natsMonitoringNote } from '../functions/event-driven-service/compose.js';
import { REALTIME_COMPOSES, REALTIME_NOTES } from './docs-realtime-platform.js';
import { pinsPage } from './docs-pins.js';
import { simulatedControllersPage } from './docs-stages.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export function generate(): OutputFile[] {
  const files: OutputFile[] = [];
  for (const fn of FUNCTIONS) {
    for (const api of fn.apis) files.push(xrd(api), composition(api, fn));
    const input = inputCrd(fn);
    if (input) files.push(input);
    files.push(functionMeta(fn));
  }
  files.push(functionPackages(FUNCTIONS), runtimeConfigs(FUNCTIONS, functionObjectName), rbac(FUNCTIONS), providers(FUNCTIONS, CATALOG_PROVIDERS), devFunctions(FUNCTIONS));
  files.push(eventDrivenServiceDefinition(), realtimePlatformDefinition(), webserviceDefinition(), applicationInfrastructureDefinition(), vclusterDefinition());
  files.push(...APPLICATION_PAGES(), ...catalogFiles(), ...gitopsFiles(), pinsPage(), simulatedControllersPage());
  files.push(
    apiPage({
      api: eventDrivenService,
      componentType: 'event-driven-service',
      composes: [
        'ServiceAccount `<claim>`',
        'Deployment `<claim>`: the worker (port 8080, `/health` liveness, `/ready` readiness, resources from `size`, restricted pod security), with an init container only when `initContainer` is set',
        'Service `<claim>` (ClusterIP, 8080)',
        'KEDA ScaledObject `<claim>-scaler`: a `nats-jetstream` or `kafka` trigger on the consumer backlog',
      ],
      example: readFileSync(join(root, 'examples/event-driven-service/claim.yaml'), 'utf8'),
      graph: exampleGraphSection('examples/event-driven-service/claim.yaml'),
      notes: natsMonitoringNote,
    }),
    apiPage({
      api: realtimePlatform,
      componentType: 'realtime-platform',
      composes: REALTIME_COMPOSES,
      example: readFileSync(join(root, 'examples/realtime-platform/claim.yaml'), 'utf8'),
      graph: exampleGraphSection('examples/realtime-platform/claim.yaml'),
      notes: REALTIME_NOTES,
    }),
    apiPage({
      api: vcluster,
      componentType: 'vcluster',
      composes: [
        'Namespace `vcluster-{claim namespace}-{claim}` (a digest when longer than 63 characters)',
        `Flux \`HelmRelease\` \`vcluster\`: \`loft/vcluster\` ${VCLUSTER_CHARTS.vcluster.version} (k8s distro at the chosen version, control-plane resources and quota from \`size\`, NetworkPolicies/LimitRange/ResourceQuota with \`networking.isolation\`, a LoadBalancer with \`networking.exposeApi\`), exporting its kubeconfig (server \`https://vcluster.<host namespace>:443\`, a name its serving certificate covers) to the Secret \`vcluster-kubeconfig\`, key \`config\``,
        `Per feature, HelmReleases installed *into* the vCluster through that kubeconfig (\`spec.kubeConfig\`), after the vCluster: istio (\`istio/base\` and \`istio/istiod\` ${VCLUSTER_CHARTS.istiod.version}), knative (\`knative-operator\` ${VCLUSTER_CHARTS['knative-operator'].version}), argocd (\`argo/argo-cd\` ${VCLUSTER_CHARTS.argocd.version}), observability (\`kube-prometheus-stack\` ${VCLUSTER_CHARTS.observability.version})`,
      ],
      example: readFileSync(join(root, 'examples/vcluster/claim.yaml'), 'utf8'),
      graph: exampleGraphSection('examples/vcluster/claim.yaml'),
      notes: `## Why Flux HelmReleases

A \`HelmRelease\` is a namespaced object with a \`Ready\` condition the function and KubeVela read,
and \`spec.kubeConfig\` lets the same controller install add-ons into the vCluster. It needs
Flux's source-controller and helm-controller and the HelmRepositories in
\`install/flux-sources.yaml\`. An Argo CD \`Application\` would need Argo CD's namespace and a
registered cluster per vCluster.

The host namespace is not under the \`restricted\` Pod Security profile: the vCluster syncs
its workloads' pods there, Istio's init containers among them (NET_ADMIN, NET_RAW).
\`knative\` installs the Knative Operator; a \`KnativeServing\` object applied inside the
vCluster (by its own GitOps) turns Serving on.

vCluster ${VCLUSTER_CHARTS.vcluster.version}, because every Kubernetes version offered must be one the
release supports: 0.20.x maps images for 1.27–1.30 only, ${VCLUSTER_CHARTS.vcluster.version} for ${VCLUSTER_FACTS.kubernetesVersions.versions.join(', ')}
(\`config/default_extra_values.go\`). The tests render the chart's own source at that tag with
Helm (the Helm Flux's helm-controller embeds) and check the Service, the kube-apiserver image
of each version, and that Helm's values schema accepts the values; they read the serving
certificate's names and the kubeconfig Secret's key from the release's Go source
(\`test/upstream/vcluster-v${VCLUSTER_CHARTS.vcluster.version}/\`). A running vCluster was not tried here.
`,
    }),
  );
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { out: { type: 'string', default: root } } });
  const files = generate();
  writeAll(values.out!, files);
  console.log(`synth: wrote ${files.length} files to ${values.out}`);
}
