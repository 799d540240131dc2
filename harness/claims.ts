/**
 * Claims → composite resources, the way Crossplane's claim reconciler binds
 * them, so `crossplane render` (which takes an XR) can render the claims in
 * examples/. Also finds the XRD and Composition files of a claim's API.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { FUNCTIONS } from '../functions/catalog.js';
import type { KubeObject } from '../functions/lib/k8s/objects.js';
import { ROOT } from './tools.js';

export function apiOfClaim(claim: KubeObject) {
  const api = FUNCTIONS.flatMap((f) => f.apis).find((a) => a.claimKind === claim.kind && a.apiVersion === claim.apiVersion);
  if (!api) throw new Error(`no platform API has claim kind ${String(claim.apiVersion)} ${String(claim.kind)}`);
  return api;
}

/** Where the generated XRD and Composition of the claim's API live. */
export function apiFiles(claim: KubeObject): { xrd: string; composition: string } {
  const api = apiOfClaim(claim);
  return { xrd: join(ROOT, 'xrds', `${api.xrdName}.yaml`), composition: join(ROOT, 'compositions', `${api.xrdName}.yaml`) };
}

/** The XR Crossplane would create for this claim (name suffix is stable, not random). */
export function claimToXr(claim: KubeObject): KubeObject {
  const api = apiOfClaim(claim);
  const name = claim.metadata?.name ?? '';
  const namespace = claim.metadata?.namespace ?? 'default';
  const suffix = createHash('sha256').update(`${namespace}/${name}`).digest('hex').slice(0, 5);
  const xrName = `${name}-${suffix}`;
  return {
    apiVersion: api.apiVersion,
    kind: api.compositeKind,
    metadata: {
      name: xrName,
      // Crossplane copies the claim's annotations to the XR; functions read
      // some of them (webservice.oam.dev/source).
      ...(claim.metadata?.annotations ? { annotations: { ...claim.metadata.annotations } } : {}),
      labels: {
        'crossplane.io/claim-name': name,
        'crossplane.io/claim-namespace': namespace,
        'crossplane.io/composite': xrName,
      },
    },
    spec: {
      ...(claim.spec as object),
      claimRef: { apiVersion: api.apiVersion, kind: api.claimKind, name, namespace },
    },
  };
}
