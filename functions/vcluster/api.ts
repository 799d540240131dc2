/**
 * VClusterEnvironment: a virtual Kubernetes cluster for a team (seed Table 3),
 * with optional Istio, Knative, ArgoCD and observability inside it. This
 * schema is the single source of the XRD, the function's validation, the
 * types, the KubeVela `vcluster` parameter block and the reference page.
 */
import { defineApi } from '../lib/api.js';
import { StringEnum, Type, type Static } from '../lib/schema/types.js';

export const K8S_VERSIONS = ['1.29', '1.30', '1.31'] as const;

export const VClusterSpec = Type.Object({
  size: StringEnum(['small', 'medium', 'large'], {
    default: 'small',
    description: 'Control plane resources and the quota of the vCluster: small (2 CPU / 4Gi of workloads), medium (8 / 16Gi), large (32 / 64Gi).',
  }),
  kubernetes: Type.Object(
    { version: StringEnum(K8S_VERSIONS, { default: '1.31', description: 'Kubernetes minor version of the virtual control plane.' }) },
    { default: {}, description: 'The virtual cluster.' },
  ),
  networking: Type.Object(
    {
      isolation: Type.Boolean({ default: true, description: "Isolate the vCluster's workloads: NetworkPolicies, a ResourceQuota and a LimitRange on its host namespace." }),
      exposeApi: Type.Boolean({ default: false, description: 'Expose the virtual API server through a LoadBalancer Service.' }),
    },
    { default: {}, description: 'Network isolation and API access.' },
  ),
  features: Type.Object(
    {
      istio: Type.Boolean({ default: false, description: 'Istio (base + istiod) inside the vCluster.' }),
      knative: Type.Boolean({ default: false, description: 'The Knative Operator inside the vCluster (a KnativeServing object then enables Serving).' }),
      argocd: Type.Boolean({ default: false, description: 'Argo CD inside the vCluster.' }),
      observability: Type.Boolean({ default: false, description: 'kube-prometheus-stack (Prometheus, Grafana, Alertmanager) inside the vCluster.' }),
    },
    { default: {}, description: 'Add-ons installed into the vCluster.' },
  ),
});

export const VClusterStatus = Type.Object({
  namespace: Type.Optional(Type.String({ description: 'Host namespace of the vCluster.' })),
  kubeconfigSecret: Type.Optional(Type.String({ description: 'Secret (in that namespace, key config) with the kubeconfig of the vCluster.' })),
  releases: Type.Optional(Type.Record(Type.String(), Type.Boolean(), { description: 'Readiness of each Helm release (the vCluster and each add-on).' })),
  message: Type.Optional(Type.String({ description: 'What the environment waits for.' })),
});

export type VClusterSpec = Static<typeof VClusterSpec>;

export const vcluster = defineApi<VClusterSpec>({
  claimKind: 'VClusterEnvironmentClaim',
  claimPlural: 'vclusterenvironmentclaims',
  compositeKind: 'XVClusterEnvironment',
  compositePlural: 'xvclusterenvironments',
  description: 'A virtual Kubernetes cluster (vCluster) in its own host namespace, with optional Istio, Knative, Argo CD and observability installed into it by Flux.',
  spec: VClusterSpec,
  status: VClusterStatus,
  functionName: 'vcluster',
  rules: [],
  printerColumns: [
    { name: 'SIZE', type: 'string', jsonPath: '.spec.size' },
    { name: 'NAMESPACE', type: 'string', jsonPath: '.status.namespace' },
  ],
});
