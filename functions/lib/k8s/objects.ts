/** Small, typed views of the Kubernetes objects functions read back. */

export type KubeObject = {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    generation?: number;
  };
  status?: {
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
    observedGeneration?: number;
    [key: string]: unknown;
  };
  [key: string]: unknown;
};

export function condition(obj: KubeObject | undefined, type: string) {
  return obj?.status?.conditions?.find((c) => c.type === type);
}

/** Whether a condition of the given type has status "True". */
export function conditionTrue(obj: KubeObject | undefined, type: string): boolean {
  return condition(obj, type)?.status === 'True';
}

/** Labels every composed object carries, so `kubectl get -l` finds a stack. */
export function standardLabels(name: string, component: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/managed-by': 'crossplane',
  };
}
