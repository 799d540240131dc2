/**
 * The generated `event-driven-service` ComponentDefinition evaluated with the
 * real cue v0.9.2: its output must be exactly the claim the function expects,
 * and that claim must render through crossplane.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { eventDrivenService } from '../../functions/event-driven-service/api.js';
import { healthOf, loadDefinition, parameterOpenApi, renderComponent, vcontext } from '../../harness/cue.js';
import { toOpenApi } from '../../functions/lib/schema/openapi.js';
import { renderClaim } from '../../harness/render.js';
import { startAll, stopAll } from '../../harness/servers.js';
import { ROOT } from '../../harness/tools.js';
import { docs, readYaml } from '../support/yaml.js';

const def = loadDefinition(join(ROOT, 'definitions/components/event-driven-service.yaml'));

describe('event-driven-service ComponentDefinition (cue)', () => {
  it.each(['claim.yaml', 'claim-kafka.yaml'])('outputs the claim of %s, defaults filled as the function fills them', (file) => {
    const claim = readYaml(`examples/event-driven-service/${file}`);
    const out = renderComponent(def, claim.spec, vcontext('my-worker', 'team-a'));
    if (!out.ok) throw new Error(out.error);
    const expected = eventDrivenService.validateSpec(claim.spec);
    if (!expected.ok) throw new Error('example is invalid');
    expect(out.value).toEqual({
      apiVersion: 'platform.example.org/v1alpha1',
      kind: 'EventDrivenService',
      metadata: { name: 'my-worker' },
      spec: expected.value,
    });
  });

  it('fills the same defaults as the XRD for a minimal component', () => {
    const minimal = { image: 'ghcr.io/acme/w:1', nats: { stream: 'S', consumer: 'c' } };
    const out = renderComponent(def, minimal);
    if (!out.ok) throw new Error(out.error);
    const expected = eventDrivenService.validateSpec(minimal);
    if (!expected.ok) throw new Error('minimal parameters are invalid');
    expect((out.value as { spec: unknown }).spec).toEqual(expected.value);
    expect((out.value as { spec: Record<string, unknown> }).spec).toMatchObject({
      size: 'medium',
      scaling: { minReplicas: 1, maxReplicas: 10, lagThreshold: '5' },
      nats: { url: 'nats://nats.nats.svc:4222', account: '$G' },
    });
  });

  it.each([
    ['an unknown size', { image: 'i', size: 'huge', nats: { stream: 's', consumer: 'c' } }, 'size'],
    ['a missing image', { nats: { stream: 's', consumer: 'c' } }, 'image'],
    ['an empty stream', { image: 'i', nats: { stream: '', consumer: 'c' } }, 'stream'],
    ['a lag threshold of 0', { image: 'i', nats: { stream: 's', consumer: 'c' }, scaling: { lagThreshold: '0' } }, 'lagThreshold'],
    ['negative replicas', { image: 'i', nats: { stream: 's', consumer: 'c' }, scaling: { minReplicas: -1 } }, 'minReplicas'],
  ])('rejects %s', (_label, parameter, field) => {
    const out = renderComponent(def, parameter);
    expect(out.ok).toBe(false);
    expect(!out.ok && out.error).toContain(field);
  });

  it('passes unknown parameters through, as KubeVela does (kubevela#6862); the API server prunes them', () => {
    const out = renderComponent(def, { image: 'i', nats: { stream: 's', consumer: 'c' }, replicas: 3 });
    expect(out.ok && (out.value as { spec: Record<string, unknown> }).spec.replicas).toBe(3);
  });

  it('has a parameter block cue can encode as OpenAPI, as KubeVela does for its UI schema (kubevela#5767)', () => {
    const schema = parameterOpenApi(def);
    if (!schema.ok) throw new Error(schema.error);
    const props = (schema.value as { properties: Record<string, { default?: unknown; enum?: unknown[] }> }).properties;
    expect(Object.keys(props)).toEqual(Object.keys(toOpenApi(eventDrivenService.spec).properties!));
    expect(props.size).toMatchObject({ default: 'medium', enum: ['medium', 'small', 'large'] });
  });

  it('is healthy only when the claim reports Ready=True', () => {
    const none = healthOf(def, { apiVersion: 'platform.example.org/v1alpha1', kind: 'EventDrivenService' });
    expect(none.isHealth).toEqual({ ok: true, value: false });
    expect(none.message).toEqual({ ok: true, value: 'waiting for the EventDrivenService to become Ready' });

    const failing = healthOf(def, {
      status: {
        conditions: [
          { type: 'Synced', status: 'False', message: 'cannot compose resources' },
          { type: 'Ready', status: 'False' },
        ],
      },
    });
    expect(failing.isHealth).toEqual({ ok: true, value: false });
    expect(failing.message).toEqual({ ok: true, value: 'not synced: cannot compose resources' });

    const ready = healthOf(def, {
      status: {
        conditions: [
          { type: 'Synced', status: 'True' },
          { type: 'Ready', status: 'True' },
        ],
        replicas: { desired: 3, ready: 3 },
        trigger: 'nats-jetstream stream S consumer c',
      },
    });
    expect(ready.isHealth).toEqual({ ok: true, value: true });
    expect(ready.message).toEqual({ ok: true, value: '3/3 replicas ready, scaling on nats-jetstream stream S consumer c' });
  });
});

describe('KubeVela output → crossplane render', () => {
  let servers: ChildProcess[] = [];
  beforeAll(async () => {
    servers = await startAll();
  });
  afterAll(() => stopAll(servers));

  it('the claim the definition emits renders into the four resources', () => {
    const out = renderComponent(def, { image: 'ghcr.io/acme/w:1', kafka: { bootstrapServers: 'k:9092', topic: 't', consumerGroup: 'g' } }, vcontext('w', 'team-b'));
    if (!out.ok) throw new Error(out.error);
    const claim = out.value as { metadata: Record<string, string> };
    claim.metadata.namespace = 'team-b'; // KubeVela applies the output in the app's namespace
    const file = join(mkdtempSync(join(tmpdir(), 'vela-')), 'claim.yaml');
    writeFileSync(file, stringify(claim));
    const r = renderClaim(file);
    expect(r.code).toBe(0);
    expect(docs(r.stdout).map((d) => `${d.kind}/${d.metadata?.namespace ?? ''}`)).toEqual([
      'XEventDrivenService/',
      'Deployment/team-b',
      'ScaledObject/team-b',
      'Service/team-b',
      'ServiceAccount/team-b',
    ]);
  });
});
