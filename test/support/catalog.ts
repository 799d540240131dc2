/**
 * What the catalog tests (test/conformance/catalog/) share: evaluating a
 * definition with the real cue v0.9.2 in a KubeVela context, the live-object
 * stand-ins their health checks read, and validating outputs against the
 * upstream CRDs of the pinned releases (test/upstream/crds/).
 */
import { expect } from 'vitest';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { cueExport, vcontext } from '../../harness/cue.js';
import { definition, evaluate } from '../../harness/oam.js';
import { ROOT, validate } from '../../harness/tools.js';

export type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** KubeVela's context for a component `name` of Application `app` in namespace `ns`. */
export const ctx = (name = 'my-comp', ns = 'team-a', app = 'shop') => vcontext(name, ns, app);

/** A component definition evaluated with these parameters: its output and outputs. */
export const component = (type: string, params: unknown, name = 'my-comp') => evaluate(definition('component', type), params, ctx(name)) as { output: Any; outputs: Record<string, Any> };

/** Why evaluating a definition fails ('' when it does not). */
export const fails = (kind: 'component' | 'trait' | 'policy', type: string, params: unknown, output?: unknown) => {
  try {
    evaluate(definition(kind, type), params, ctx(), output);
    return '';
  } catch (e) {
    return (e as Error).message || 'failed';
  }
};

/** The template's `errs` list (KubeVela reports a non-empty one as the render error), or the cue error when evaluation fails. */
export const errs = (type: string, params: unknown): string[] => {
  const r = cueExport([definition('component', type).template, ctx(), `parameter: ${JSON.stringify(params)}`], 'errs');
  return r.ok ? (r.value as string[]) : [r.error];
};

/** Why the parameters are refused: cue's error, else the errs list joined ('' when accepted). */
export const rejected = (type: string, params: unknown): string => {
  const r = cueExport([definition('component', type).template, ctx(), `parameter: ${JSON.stringify(params)}`], '');
  if (!r.ok) return r.error;
  return ((r.value as { errs?: string[] }).errs ?? []).join('; ');
};

/** A HelmRelease's chart values. */
export const values = (out: { output: Any }) => out.output.spec.values as Any;

/** Chart values without the image overrides and the switch they need (tested against the charts in upstream-pins.test.ts). */
export const withoutImages = (v: Any): Any => {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
  const out: Any = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === 'image' || k === 'global') continue;
    const y = withoutImages(x);
    if (!(y && typeof y === 'object' && !Array.isArray(y) && Object.keys(y).length === 0 && x && Object.keys(x).length > 0)) out[k] = y;
  }
  return out;
};

export const RESOURCES = { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } };
export const ready = (extra: object = {}) => ({ status: { conditions: [{ type: 'Ready', status: 'True' }], ...extra } });
export const notReady = (message: string) => ({ status: { conditions: [{ type: 'Ready', status: 'False', message }] } });
export const cond = (type: string, status: string, message?: string) => ({ type, status, ...(message ? { message } : {}) });

/** A Knative Service and a Deployment as component outputs, for the traits. */
export const KNATIVE_OUTPUT = { apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 'my-comp' }, spec: { template: { spec: { containers: [{ name: 'my-comp' }] } } } };
export const DEPLOYMENT_OUTPUT = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'my-comp' }, spec: { template: { spec: { containers: [{ name: 'my-comp' }] } } } };

/** The upstream CRDs of the pinned releases the PRD components emit. */
export const CRDS = {
  tfjob: 'test/upstream/crds/training-operator-v1.9.0',
  karpenter: 'test/upstream/crds/karpenter-v1.14.1',
  aws: 'test/upstream/crds/provider-upjet-aws-v2.6.0',
  terraform: 'test/upstream/crds/provider-terraform-v1.1.1',
};

/** `crossplane beta validate` of objects against one upstream CRD folder; returns the report. */
export function validateAgainst(crds: string, objects: Any[]): { code: number; out: string } {
  const docs = objects.map((o) => stringify({ ...o, metadata: { ...o.metadata, ...(o.kind === 'NodePool' || o.kind === 'EC2NodeClass' ? {} : { namespace: 'team-a' }) } })).join('---\n');
  const r = validate([join(ROOT, crds)], docs);
  return { code: r.code, out: r.stdout + r.stderr };
}

/** A component's output and every one of its outputs. */
export const all = (out: { output: Any; outputs: Record<string, Any> }) => [out.output, ...Object.values(out.outputs)];

export const expectValid = (crds: string, objects: Any[]) => {
  const v = validateAgainst(crds, objects);
  expect(v.out).toContain(`Total ${objects.length} resources: 0 missing schemas, ${objects.length} success cases, 0 failure cases`);
  expect(v.code).toBe(0);
};
