/**
 * Bounded input and untrusted state, across every function: every string a
 * claim or function input carries has a length limit and, unless it is free
 * text, a pattern, in the one schema the XRD, CUE and ajv share; a request
 * for another kind is a Fatal; garbage observed or required state is
 * tolerated or refused naming a field, never an internal error; no message
 * repeats a value.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { Severity, type ComposeFunction, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { composeOf, FUNCTIONS } from '../../functions/catalog.js';
import { toOpenApi } from '../../functions/lib/schema/openapi.js';
import type { SchemaNode } from '../../functions/lib/schema/walk.js';
import type { KubeObject } from '../../functions/lib/k8s/objects.js';
import { claim, fatals, requestFor, run } from '../support/request.js';
import { observedFrom } from '../../harness/request.js';
import { ROOT } from '../../harness/tools.js';

const MiB = 'a'.repeat(1 << 20);
/** Free text: any characters are fine, only the length is bounded. */
const FREE_TEXT = ['mqttUsers[].password', 'initContainer.command[]', 'env{}', 'gitops.commitAuthor'];

function strings(node: SchemaNode, path: string, out: [string, SchemaNode][] = []): [string, SchemaNode][] {
  if (node.type === 'string') out.push([path, node]);
  for (const [k, child] of Object.entries(node.properties ?? {})) strings(child, path ? `${path}.${k}` : k, out);
  if (node.items) strings(node.items, `${path}[]`, out);
  if (typeof node.additionalProperties === 'object') strings(node.additionalProperties, `${path}{}`, out);
  return out;
}

const schemas = FUNCTIONS.flatMap((f) => [...f.apis.map((a) => [`${f.name} spec`, toOpenApi(a.spec)] as const), ...(f.inputSchema ? [[`${f.name} input`, toOpenApi(f.inputSchema)] as const] : [])]);

describe('every string field is bounded, in the one schema', () => {
  it.each(schemas)('%s: maxLength on every string; a pattern or enum unless free text', (_name, schema) => {
    const fields = strings(schema, '');
    expect(fields.length).toBeGreaterThan(0);
    for (const [path, node] of fields) {
      if (node.enum) continue;
      expect(node.maxLength, `${path} maxLength`).toBeGreaterThan(0);
      if (!FREE_TEXT.includes(path)) expect(node.pattern, `${path} pattern`).toBeDefined();
    }
  });

  it('the XRD and the KubeVela parameter carry the same limits (generated from the schema)', () => {
    const xrd = parse(readFileSync(`${ROOT}/xrds/xrealtimeplatforms.platform.example.org.yaml`, 'utf8')) as { spec: { versions: { schema: { openAPIV3Schema: SchemaNode } }[] } };
    const domain = xrd.spec.versions[0].schema.openAPIV3Schema.properties!.spec.properties!.ingress.properties!.domain;
    expect(domain).toMatchObject({ maxLength: 190, pattern: expect.any(String) });
    const cue = readFileSync(`${ROOT}/definitions/components/realtime-platform.yaml`, 'utf8');
    expect(cue).toContain('strings.MaxRunes(190)');
  });
});

const visible = (rsp: RunFunctionResponse) => JSON.stringify([rsp.results, rsp.desired?.composite ?? null]);

describe('oversized input is a Fatal naming the field, with a small response that does not repeat it', () => {
  it.each([
    [
      'realtime-platform spec.ingress.domain',
      'realtime-platform',
      claim('RealtimePlatformClaim', 'x', 'ns', { name: 'x', ingress: { domain: MiB } }),
      'spec.ingress.domain: must have at most 190 characters',
    ],
    [
      'realtime-platform spec.mqttUsers[0].password',
      'realtime-platform',
      claim('RealtimePlatformClaim', 'x', 'ns', { name: 'x', mqttUsers: [{ username: 'u', password: MiB }] }),
      'spec.mqttUsers[0].password: must have at most 256 characters',
    ],
    [
      'event-driven-service spec.image',
      'event-driven-service',
      claim('EventDrivenService', 'x', 'ns', { image: MiB, nats: { stream: 's', consumer: 'c' } }),
      'spec.image: must have at most 512 characters',
    ],
    ['application spec.image', 'application', claim('ApplicationClaim', 'x', 'ns', { name: 'x', image: MiB }), 'spec.image: must have at most 512 characters'],
    ['application spec.env key', 'application', claim('ApplicationClaim', 'x', 'ns', { name: 'x', env: { [MiB]: 5 } }), 'spec.env.<key>: must be of type string'],
  ] as [string, string, KubeObject, string][])('%s', async (_name, fn, c, message) => {
    const rsp = await run(await composeOf(fn), requestFor(c));
    expect(fatals(rsp).join('\n')).toContain(message);
    expect(visible(rsp).length).toBeLessThan(20_000);
    expect(visible(rsp)).not.toContain('a'.repeat(300));
  });

  it('a malformed image reference is refused like an oversized one', async () => {
    const rsp = await run(await composeOf('event-driven-service'), requestFor(claim('EventDrivenService', 'x', 'ns', { image: 'Not An Image!', nats: { stream: 's', consumer: 'c' } })));
    expect(fatals(rsp).join()).toContain('spec.image: must match');
    expect(visible(rsp)).not.toContain('Not An Image!');
  });
});

describe("the XR's apiVersion and kind are checked", () => {
  it.each([
    ['a Pod', { apiVersion: 'v1', kind: 'Pod' }],
    ['another API', { apiVersion: 'platform.example.org/v1alpha1', kind: 'XEventDrivenService' }],
    ['another version', { apiVersion: 'platform.example.org/v2', kind: 'XRealtimePlatform' }],
  ])('%s sent to the realtime function is a Fatal, not a render', async (_name, identity) => {
    const req = requestFor(claim('RealtimePlatformClaim', 'x', 'ns', { name: 'x' }));
    Object.assign(req.observed!.composite!.resource!, identity);
    const rsp = await run(await composeOf('realtime-platform'), req);
    expect(fatals(rsp)).toEqual(['observed.composite.resource: apiVersion and kind must be platform.example.org/v1alpha1 XRealtimePlatform']);
    expect(Object.keys(rsp.desired?.resources ?? {})).toEqual([]);
  });
});

describe('garbage observed and required state is tolerated, never an internal error', () => {
  async function converged(fn: ComposeFunction, c: KubeObject) {
    let rsp = await run(fn, requestFor(c));
    for (let i = 0; i < 2; i++) rsp = await run(fn, requestFor(c, observedFrom(rsp)));
    return observedFrom(rsp);
  }
  /** A small valid claim for every function of the catalog (a function without one fails below). */
  const smallClaims: Record<string, KubeObject> = {
    'realtime-platform': claim('RealtimePlatformClaim', 'x', 'ns', { name: 'x', lenses: { enabled: false } }),
    'event-driven-service': claim('EventDrivenService', 'x', 'ns', { image: 'i', nats: { stream: 's', consumer: 'c' } }),
    application: claim('ApplicationClaim', 'x', 'ns', { name: 'x', database: 'postgres', cache: 'redis' }),
    vcluster: claim('VClusterEnvironmentClaim', 'x', 'ns', {}),
  };
  const garbage: [string, (o: KubeObject) => void][] = [
    [
      'status.conditions that is not a list',
      (o) => {
        o.status = { conditions: 'yes' as never };
      },
    ],
    [
      'a null condition',
      (o) => {
        o.status = { conditions: [null as never, { type: 5 as never, status: {} as never }] };
      },
    ],
    [
      'Secret data that is not a string',
      (o) => {
        o.data = { DATABASE_PASSWORD: 5, POSTGRES_PASSWORD: { a: 1 } };
      },
    ],
    [
      'metadata that is not an object',
      (o) => {
        o.metadata = 'x' as never;
      },
    ],
    [
      'replica counts that are strings',
      (o) => {
        o.status = { readyReplicas: '1', replicas: [] };
      },
    ],
  ];
  for (const { name: fnName, load } of FUNCTIONS) {
    it.each(garbage)(`${fnName}: %s on every observed resource`, async (_g, spoil) => {
      const c = smallClaims[fnName];
      expect(c, `a small claim for ${fnName} in this test`).toBeDefined();
      const { compose: fn } = await load();
      const observed = await converged(fn, c);
      for (const o of Object.values(observed)) spoil(o);
      const rsp = await run(fn, requestFor(c, observed));
      expect(fatals(rsp)).toEqual([]);
    });
  }

  it('application: an existing OAM Application whose spec.components is not a list', async () => {
    const c = claim('ApplicationClaim', 'x', 'ns', { name: 'x' });
    for (const components of ['x', { a: 1 }, [null, 5, { name: 7 }]]) {
      const app = { apiVersion: 'core.oam.dev/v1beta1', kind: 'Application', metadata: { name: 'x', namespace: 'ns' }, spec: { components } };
      const rsp = await run(await composeOf('application'), requestFor(c, {}, { 'oam-application': [app] }));
      expect(rsp.results.filter((r) => r.severity === Severity.SEVERITY_FATAL)).toEqual([]);
    }
  });
});
