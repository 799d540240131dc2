/**
 * Builders for the workloads functions compose, so every component gets the
 * same labels, selectors, probes, security context and resources shape.
 */
// Model classes per kind: a group's index (`kubernetes-models/v1`) loads all
// of its kinds, hundreds of modules, before a function can serve.
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service } from 'kubernetes-models/v1/Service';
import type { IContainer, IPodSecurityContext, IVolume } from 'kubernetes-models/v1';
import { restrictedContainerSecurity, restrictedPodSecurity } from './security.js';

export interface Resources {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}

export interface WorkloadSpec {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  containers: IContainer[];
  initContainers?: IContainer[];
  volumes?: IVolume[];
  /** Pod security; default: restricted, no fixed user. */
  podSecurity?: IPodSecurityContext;
  serviceAccountName?: string;
  imagePullSecrets?: { name: string }[];
  /** Extra pod-template annotations (e.g. a config checksum that rolls pods). */
  annotations?: Record<string, string>;
}

export function selectorOf(labels: Record<string, string>): Record<string, string> {
  return { 'app.kubernetes.io/name': labels['app.kubernetes.io/name'], 'app.kubernetes.io/component': labels['app.kubernetes.io/component'] };
}

/** Containers get the restricted container security context unless they set their own. */
function secured(containers: IContainer[] | undefined): IContainer[] | undefined {
  return containers?.map((c) => ({ ...c, securityContext: c.securityContext ?? restrictedContainerSecurity() }));
}

function podSpec(w: WorkloadSpec) {
  return {
    serviceAccountName: w.serviceAccountName,
    securityContext: w.podSecurity ?? restrictedPodSecurity(),
    imagePullSecrets: w.imagePullSecrets,
    initContainers: secured(w.initContainers),
    containers: secured(w.containers)!,
    volumes: w.volumes,
  };
}

export function deployment(w: WorkloadSpec, replicas?: number): Deployment {
  return new Deployment({
    metadata: { name: w.name, namespace: w.namespace, labels: w.labels },
    spec: {
      replicas,
      selector: { matchLabels: selectorOf(w.labels) },
      template: { metadata: { labels: w.labels, annotations: w.annotations }, spec: podSpec(w) },
    },
  });
}

/**
 * A StatefulSet whose volume claims outlive it: deleting or scaling it
 * (an option turned off) keeps the data for when it comes back.
 */
export function statefulSet(w: WorkloadSpec, storage: { name: string; size: string }[]): StatefulSet {
  return new StatefulSet({
    metadata: { name: w.name, namespace: w.namespace, labels: w.labels },
    spec: {
      serviceName: w.name,
      replicas: 1,
      selector: { matchLabels: selectorOf(w.labels) },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      template: { metadata: { labels: w.labels, annotations: w.annotations }, spec: podSpec(w) },
      volumeClaimTemplates: storage.map((s) => ({
        metadata: { name: s.name },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: s.size } } },
      })),
    },
  });
}

/**
 * A Job that retries until its target is up. Its name carries a digest of
 * what it does: a Job's template cannot change, so new content is a new Job.
 */
export function job(w: WorkloadSpec, backoffLimit = 30): Job {
  return new Job({
    metadata: { name: w.name, namespace: w.namespace, labels: w.labels },
    spec: {
      backoffLimit,
      template: { metadata: { labels: w.labels }, spec: { ...podSpec(w), restartPolicy: 'OnFailure' } },
    },
  });
}

export function service(name: string, namespace: string, labels: Record<string, string>, ports: { name: string; port: number }[]): Service {
  return new Service({
    metadata: { name, namespace, labels },
    spec: {
      type: 'ClusterIP',
      selector: selectorOf(labels),
      ports: ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.port, protocol: 'TCP' })),
    },
  });
}

export function configMap(name: string, namespace: string, labels: Record<string, string>, data: Record<string, string>): ConfigMap {
  return new ConfigMap({ metadata: { name, namespace, labels }, data });
}

/** An env var read from a Secret key. */
export function secretEnv(name: string, secret: string, key: string) {
  return { name, valueFrom: { secretKeyRef: { name: secret, key } } };
}
