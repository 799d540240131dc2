/**
 * What every platform API must satisfy, one table for all of them, through the
 * real Crossplane CLI and cue: its examples render (the functions served
 * locally) into output its XRD accepts; its invalid example fails with a Fatal
 * naming the field; the XRD itself refuses what the function refuses; and the
 * ComponentDefinitions that emit its claim have parameter blocks cue can
 * encode as OpenAPI (KubeVela's UI schema). What is particular to one API
 * stays in its own file (application.test.ts, event-driven-service.test.ts, …).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { FUNCTIONS } from '../../functions/catalog.js';
import type { PlatformApi } from '../../functions/lib/api.js';
import { application } from '../../functions/application/api.js';
import { eventDrivenService } from '../../functions/event-driven-service/api.js';
import { realtimePlatform } from '../../functions/realtime-platform/api.js';
import { vcluster } from '../../functions/vcluster/api.js';
import { claimToXr } from '../../harness/claims.js';
import { loadDefinition, parameterOpenApi } from '../../harness/cue.js';
import { renderClaim } from '../../harness/render.js';
import { startAll, stopAll } from '../../harness/servers.js';
import { ROOT, validate } from '../../harness/tools.js';
import { docs as docsOf, readYaml } from '../support/yaml.js';

interface ApiCase {
  /** The function (functions/catalog.ts) and its examples/ folder. */
  name: string;
  api: PlatformApi<unknown>;
  /** Operator Secrets and live objects Crossplane would supply (--required-resources). */
  required?: string;
  /** Example claims rendered and validated against the XRD; `report`: crank's summary line, where it is known. */
  renders: { claim: string; observed?: string; report?: string }[];
  /** The smallest claim, which must render too. */
  minimal?: string;
  /** What the Fatal for invalid-claim.yaml says: field and rule. */
  invalid: string;
  /** Specs the XRD refuses as the function does: label, spec fields, the field the function names, what crank reports. */
  refuses: [label: string, spec: object, field: string, report: string][];
  /** ComponentDefinitions whose output is this API's claim (definitions/components/). */
  definitions: string[];
}

const APIS: ApiCase[] = [
  {
    name: 'event-driven-service',
    api: eventDrivenService as PlatformApi<unknown>,
    // Core kinds and KEDA have no CRD here: crank reports them, and the unit
    // tests validate them with kubernetes-models' schemas instead.
    renders: [
      { claim: 'claim.yaml', report: 'Total 5 resources: 4 missing schemas, 1 success cases, 0 failure cases' },
      { claim: 'claim.yaml', observed: 'observed.yaml', report: 'Total 5 resources: 4 missing schemas, 1 success cases, 0 failure cases' },
      { claim: 'claim-kafka.yaml', report: 'Total 5 resources: 4 missing schemas, 1 success cases, 0 failure cases' },
    ],
    invalid: 'spec.nats.stream: is required',
    refuses: [
      ['both brokers', { kafka: { bootstrapServers: 'k:9092', topic: 't', consumerGroup: 'g' } }, 'spec.nats', 'exactly one of nats and kafka must be set'],
      ['min above max', { scaling: { minReplicas: 4, maxReplicas: 2 } }, 'spec.scaling.minReplicas', 'minReplicas must not exceed maxReplicas'],
      ['a bad size', { size: 'huge' }, 'spec.size', 'spec.size: Unsupported value: "huge"'],
    ],
    definitions: ['event-driven-service'],
  },
  {
    name: 'realtime-platform',
    api: realtimePlatform as PlatformApi<unknown>,
    required: 'required.yaml',
    renders: [{ claim: 'claim.yaml' }],
    minimal: 'claim-minimal.yaml',
    invalid: 'spec.dataRetention: must match ^[0-9]+[dwm]$',
    refuses: [['Snowflake without credentials', { snowflake: { enabled: true } }, 'spec.snowflake.credentialsSecret', 'credentialsSecret is required when enabled']],
    definitions: ['realtime-platform'],
  },
  {
    name: 'application',
    api: application as PlatformApi<unknown>,
    required: 'required.yaml',
    renders: [{ claim: 'claim.yaml' }],
    invalid: 'spec.framework: framework must be one of the frameworks of language',
    refuses: [['a framework of another language', { framework: 'gin' }, 'spec.framework', 'framework must be one of the frameworks of language']],
    definitions: ['knative-webservice', 'application-infrastructure'],
  },
  {
    name: 'vcluster',
    api: vcluster as PlatformApi<unknown>,
    renders: [{ claim: 'claim.yaml' }],
    minimal: 'claim-minimal.yaml',
    invalid: 'spec.kubernetes.version: must be one of 1.29, 1.30, 1.31',
    refuses: [['an unknown size', { size: 'xl' }, 'spec.size', 'spec.size: Unsupported value: "xl"']],
    definitions: ['vcluster'],
  },
];

const example = (c: ApiCase, file: string) => join(ROOT, 'examples', c.name, file);
let servers: ChildProcess[] = [];
/**
 * Composed objects whose apiVersion, kind and name equal another's (the
 * namespace aside). Crossplane v2.2.1 orders an XR's spec.resourceRefs by
 * apiVersion, kind and name only, with an unstable sort over a map
 * (UpdateResourceRefs, internal/controller/apiextensions/composite/composition_functions.go
 * @v2.2.1): two such objects swap places from one reconcile to the next, every
 * reconcile updates the XR, and its watch queues the next one at once.
 */
function sharedRefs(stdout: string): string[] {
  const seen = new Map<string, string>();
  const shared: string[] = [];
  for (const o of docsOf(stdout).filter((d) => d.metadata?.annotations?.['crossplane.io/composition-resource-name'])) {
    const key = `${o.apiVersion} ${o.kind} ${o.metadata!.name}`;
    const where = `${o.metadata!.annotations!['crossplane.io/composition-resource-name']} (namespace ${o.metadata!.namespace ?? '-'})`;
    if (seen.has(key)) shared.push(`${key}: ${seen.get(key)} and ${where}`);
    else seen.set(key, where);
  }
  return shared;
}

beforeAll(async () => {
  servers = await startAll();
});
afterAll(() => stopAll(servers));

describe('every API', () => {
  it('the table covers every API of every function', () => {
    expect(APIS.map((c) => c.api.compositeKind).sort()).toEqual(FUNCTIONS.flatMap((f) => f.apis.map((a) => a.compositeKind)).sort());
    expect(APIS.map((c) => c.name).sort()).toEqual(FUNCTIONS.map((f) => f.name).sort());
  });

  it.each(APIS.flatMap((c) => c.renders.map((r) => [c.name, r.claim, r.observed ?? 'none', c, r] as const)))(
    '%s: the render of %s (observed: %s) is valid against the XRD; no two composed objects share apiVersion, kind and name',
    (_name, _claim, _observed, c, r) => {
      const rendered = renderClaim(example(c, r.claim), { observed: r.observed && example(c, r.observed), required: c.required && example(c, c.required), fullXr: true });
      expect(rendered.stderr).toBe('');
      expect(rendered.code).toBe(0);
      const v = validate([join(ROOT, 'xrds')], rendered.stdout);
      expect(v.stdout).toMatch(new RegExp(`${c.api.compositeKind}, \\S+ validated successfully`));
      expect(v.stdout).toMatch(/0 failure cases/);
      if (r.report) expect(v.stdout).toContain(r.report);
      expect(v.code).toBe(0);
      expect(sharedRefs(rendered.stdout)).toEqual([]);
    },
  );

  it.each(APIS.filter((c) => c.minimal).map((c) => [c.name, c.minimal!, c] as const))('%s: the minimal claim %s renders; no two composed objects share apiVersion, kind and name', (_name, file, c) => {
    const r = renderClaim(example(c, file));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(sharedRefs(r.stdout)).toEqual([]);
  });

  it.each(APIS.map((c) => [c.name, c] as const))('%s: the invalid example fails with a Fatal result naming the field', (_name, c) => {
    const r = renderClaim(example(c, 'invalid-claim.yaml'));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('returned a fatal result');
    expect(r.stderr).toContain(c.invalid);
  });

  it.each(APIS.flatMap((c) => c.refuses.map(([label, spec, field, report]) => [c.name, label, c, spec, field, report] as const)))(
    '%s: the XRD itself refuses %s, as the function does',
    (_name, _label, c, extra, field, report) => {
      const claim = readYaml(`examples/${c.name}/claim.yaml`);
      const spec = { ...(claim.spec as object), ...extra };
      const fn = c.api.validateSpec(spec);
      expect(fn.ok).toBe(false);
      expect(!fn.ok && fn.errors.map((e) => e.field)).toContain(field);
      const v = validate([join(ROOT, 'xrds')], stringify(claimToXr({ ...claim, spec })));
      expect(v.code).not.toBe(0);
      expect(v.stdout).toContain(report);
    },
  );

  it.each(APIS.flatMap((c) => c.definitions.map((d) => [c.name, d] as const)))('%s: the %s ComponentDefinition has a parameter block cue can encode as OpenAPI', (_name, d) => {
    const openapi = parameterOpenApi(loadDefinition(join(ROOT, 'definitions/components', `${d}.yaml`)));
    expect(openapi.ok, openapi.ok ? '' : openapi.error).toBe(true);
  });
});
