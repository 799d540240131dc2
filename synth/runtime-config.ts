/**
 * A DeploymentRuntimeConfig per function (install/runtime-configs.yaml), which
 * its Function object references: the pod Crossplane runs the function in,
 * with memory and CPU set from `make bench` (docs/benchmarks.md) and the
 * `restricted` Pod Security settings.
 *
 * Facts from Crossplane v2.2.1 (github.com/crossplane/crossplane/v2):
 * - `pkg.crossplane.io/v1beta1` DeploymentRuntimeConfig, spec.deploymentTemplate
 *   .spec is an apps/v1 DeploymentSpec whose CRD requires `selector` and
 *   `template` (apis/pkg/v1beta1/deployment_runtime_config_types.go,
 *   cluster/crds/pkg.crossplane.io_deploymentruntimeconfigs.yaml); the
 *   function's container is the one named `package-runtime`
 *   (internal/controller/pkg/runtime/runtime.go ContainerName).
 * - Its defaults are used only where the template sets nothing
 *   (runtime.go Deployment: DeploymentWithOptionalPodSecurityContext,
 *   DeploymentRuntimeWithOptionalSecurityContext): runAsUser/Group 2000,
 *   runAsNonRoot, no privilege escalation, with neither seccompProfile nor
 *   dropped capabilities, which `restricted` requires. So the template sets
 *   all of them, and uid/gid 65532: the image's user (Dockerfile USER), for
 *   whom the image build wrote the compile cache. Node keeps it in a directory
 *   named after the uid (`v26.12.1-x64-<hash>-65532`, files mode 0600): as uid
 *   2000 the function looked for `...-2000`, could not create it ("permission
 *   denied", NODE_DEBUG_NATIVE=COMPILE_CACHE) and started without the cache.
 * - A Function's spec.runtimeConfigRef is {apiVersion, kind, name}
 *   (apis/pkg/v1/package_runtime_types.go RuntimeConfigReference).
 */
import { ApiObject } from 'cdk8s';
import type { FunctionEntry } from '../functions/catalog.js';
import { restrictedContainerSecurity, restrictedPodSecurity } from '../functions/lib/k8s/security.js';
import { newChart, yamlFile, type OutputFile } from './output.js';

/** The image's user (Dockerfile: USER 65532:65532, distroless `nonroot`). */
export const IMAGE_UID = 65532;

/**
 * Memory and CPU of each function's pod, from `make bench` and `make bench-plane`
 * on 2 cores (docs/benchmarks.md, "Memory"; bench/results/):
 * - memory request: RSS once idle after the first call (65-82 MiB: Node 26 and
 *   the SDK alone are 65) with ~15% on top;
 * - memory limit: peak RSS (VmHWM) after 3,000 requests at concurrency 16 with
 *   the image's flags, plus 50% headroom (a limit hit is an OOM kill in the
 *   middle of reconciles; the peak grows with concurrent calls, and Crossplane
 *   calls a function from many reconcilers at once). Measured peaks:
 *   realtime-platform 140-146 MiB, the others 129-138, the empty SDK function 120;
 * - CPU request: `make bench-plane`'s largest level, 500 EventDrivenServices and
 *   50 realtime platforms at steady state: 1.0 CPU s per minute for the
 *   event-driven-service function (17m), 0.4 for realtime-platform (7m); 50m
 *   leaves room for three times that. Limit one core (JavaScript runs on one
 *   thread; V8's GC threads use the rest briefly).
 */
export const RUNTIME_RESOURCES: Record<string, { memoryRequest: string; memoryLimit: string; cpuRequest: string }> = {
  'event-driven-service': { memoryRequest: '80Mi', memoryLimit: '208Mi', cpuRequest: '50m' },
  'realtime-platform': { memoryRequest: '96Mi', memoryLimit: '224Mi', cpuRequest: '50m' },
  application: { memoryRequest: '80Mi', memoryLimit: '208Mi', cpuRequest: '50m' },
  vcluster: { memoryRequest: '80Mi', memoryLimit: '208Mi', cpuRequest: '50m' },
};
const CPU_LIMIT = '1';

export const runtimeConfigName = (fnObjectName: string) => `${fnObjectName}-runtime`;

export function runtimeConfigs(fns: FunctionEntry[], functionObjectName: (fn: FunctionEntry) => string): OutputFile {
  const chart = newChart();
  for (const fn of fns) {
    const r = RUNTIME_RESOURCES[fn.name];
    if (!r) throw new Error(`synth/runtime-config.ts RUNTIME_RESOURCES has no entry for ${fn.name}: measure it with make bench`);
    const user = { runAsUser: IMAGE_UID, runAsGroup: IMAGE_UID, runAsNonRoot: true };
    new ApiObject(chart, `${fn.name}-runtime`, {
      apiVersion: 'pkg.crossplane.io/v1beta1',
      kind: 'DeploymentRuntimeConfig',
      metadata: { name: runtimeConfigName(functionObjectName(fn)) },
      spec: {
        deploymentTemplate: {
          spec: {
            // Crossplane sets the selector itself (DeploymentWithSelectors); the CRD requires the field.
            selector: {},
            template: {
              spec: {
                securityContext: restrictedPodSecurity(user),
                containers: [
                  {
                    name: 'package-runtime',
                    securityContext: restrictedContainerSecurity({ ...user, privileged: false, readOnlyRootFilesystem: true }),
                    resources: { requests: { cpu: r.cpuRequest, memory: r.memoryRequest }, limits: { cpu: CPU_LIMIT, memory: r.memoryLimit } },
                  },
                ],
              },
            },
          },
        },
      },
    });
  }
  return yamlFile('install/runtime-configs.yaml', chart);
}
