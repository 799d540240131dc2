/**
 * Status and health of every component definition in every state its live
 * object passes through (bugs 2, 3), evaluated with the real cue v0.9.2.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { healthOf } from '../../../harness/cue.js';
import { definition, renderComponent } from '../../../harness/oam.js';
import { ROOT } from '../../../harness/tools.js';
import type { Any } from '../../support/catalog.js';

describe('status and health of every component in every state its live object passes through (bugs 2, 3)', () => {
  const components = readdirSync(join(ROOT, 'definitions/components')).map((f) => f.replace(/\.yaml$/, ''));
  /** The live workload: what the component renders (from an example where there is one), plus a status. */
  const EXAMPLES: Record<string, [string, string]> = {
    'knative-webservice': ['examples/oam/simple-app.yaml', 'hello-api'],
    'application-infrastructure': ['examples/oam/complex-app.yaml', 'app-infrastructure'],
    'realtime-platform': ['examples/oam/complex-app.yaml', 'streaming-platform'],
    'rasa-chatbot': ['examples/oam/customer-support.yaml', 'support-chat'],
    'iot-broker': ['examples/oam/realtime-health-platform.yaml', 'field-broker'],
    kafka: ['examples/oam/event-driven-microservices.yaml', 'events'],
    redis: ['examples/oam/event-driven-microservices.yaml', 'sessions'],
    mongodb: ['examples/oam/event-driven-microservices.yaml', 'catalog-db'],
    'neon-postgres': ['examples/oam/event-driven-microservices.yaml', 'orders-db'],
    'auth0-idp': ['examples/oam/event-driven-microservices.yaml', 'identity'],
    'aws-apigateway': ['examples/oam/full-stack-ecommerce.yaml', 'partner-gateway'],
    'karpenter-nodepool': ['examples/oam/ml-analytics-pipeline.yaml', 'gpu-pool'],
    'snowflake-datawarehouse': ['examples/oam/ml-analytics-pipeline.yaml', 'features'],
    tfjob: ['examples/oam/ml-analytics-pipeline.yaml', 'train-recommender'],
  };
  const CLAIMS: Record<string, string> = { 'event-driven-service': 'event-driven-service', vcluster: 'vcluster' };
  const live = (type: string): { output: Any; outputs: Record<string, Any> } => {
    if (CLAIMS[type]) {
      const c = parse(readFileSync(join(ROOT, `examples/${CLAIMS[type]}/claim.yaml`), 'utf8')) as Any;
      return renderComponent({ name: 'env', type, properties: c.spec });
    }
    const [file, name] = EXAMPLES[type];
    const app = parse(readFileSync(join(ROOT, file), 'utf8')) as { spec: { components: { name: string; type: string; properties: Any }[] } };
    return renderComponent(app.spec.components.find((c) => c.name === name)!);
  };
  const READY = { type: 'Ready', status: 'True' };
  const STATES: [string, Any | undefined, boolean][] = [
    ['new (no status)', undefined, false],
    ['empty status', {}, false],
    ['zero replicas (readyReplicas omitted)', { replicas: 1, currentReplicas: 1 }, false],
    ['Synced False', { conditions: [{ type: 'Synced', status: 'False', reason: 'ReconcileError', message: 'cannot compose' }] }, false],
    ['Ready False', { conditions: [{ type: 'Ready', status: 'False', reason: 'Creating', message: 'creating' }] }, false],
    ['ready', { conditions: [READY], replicas: 1, readyReplicas: 1, url: 'https://x.example.com' }, true],
  ];
  /**
   * A TFJob has no Ready condition: the training operator reports Created,
   * Running, Succeeded or Failed (kubeflow/training-operator v1.9.0
   * pkg/apis/kubeflow.org/v1/common_types.go), so its ready state is Running.
   */
  const READY_STATE: Record<string, Any> = {
    tfjob: {
      conditions: [
        { type: 'Created', status: 'True' },
        { type: 'Running', status: 'True' },
      ],
    },
  };
  const statesOf = (type: string) =>
    STATES.map(([label, status, healthy]): [string, Any | undefined, boolean] => [label, label === 'ready' && READY_STATE[type] ? READY_STATE[type] : status, healthy]);

  it('every component has a live example here', () => {
    expect(components.filter((c) => !EXAMPLES[c] && !CLAIMS[c])).toEqual([]);
  });

  it.each(components.flatMap((c) => statesOf(c).map(([label, status, healthy]) => [c, label, status, healthy] as const)))('%s: %s evaluates (healthy: %s)', (type, _label, status, healthy) => {
    const { output, outputs } = live(type);
    const withStatus = (o: Any) => (status === undefined ? o : { ...o, status });
    const h = healthOf(definition('component', type), withStatus(output), Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, withStatus(v)])));
    expect(h.isHealth).toEqual({ ok: true, value: healthy });
    expect(h.message.ok, JSON.stringify(h.message)).toBe(true);
  });

  it.each(components)('%s: honours app.oam.dev/disable-health-check on the workload', (type) => {
    const { output } = live(type);
    const annotated = { ...output, metadata: { ...output.metadata, annotations: { 'app.oam.dev/disable-health-check': 'true' } } };
    expect(healthOf(definition('component', type), annotated).isHealth).toEqual({ ok: true, value: true });
    expect(healthOf(definition('component', type), output).isHealth).toEqual({ ok: true, value: false });
  });

  it('iot-broker: waiting while readyReplicas is omitted, ready with one', () => {
    const def = definition('component', 'iot-broker');
    const { output } = live('iot-broker');
    expect(healthOf(def, { ...output, status: { replicas: 1 } }).message).toEqual({ ok: true, value: 'waiting for the broker to become ready' });
    expect(healthOf(def, { ...output, status: { replicas: 1, readyReplicas: 1 } })).toEqual({
      isHealth: { ok: true, value: true },
      message: { ok: true, value: 'broker ready on mqtt://my-component:1883' },
    });
  });

  it.each([
    ['application-infrastructure', 'ApplicationClaim', { repository: { url: 'https://github.com/o/r' }, gitops: { reason: 'written' } }, 'repository https://github.com/o/r; GitOps: written'],
    ['event-driven-service', 'EventDrivenService', { replicas: { ready: 1, desired: 2 }, trigger: 'nats' }, '1/2 replicas ready, scaling on nats'],
    ['realtime-platform', 'RealtimePlatformClaim', { endpoints: { lensesUI: 'http://l' } }, 'platform ready lensesUI: http://l'],
    ['vcluster', 'VClusterEnvironmentClaim', { namespace: 'vcluster-a', kubeconfigSecret: 'vc-kubeconfig' }, 'vCluster ready in namespace vcluster-a, kubeconfig in Secret vc-kubeconfig'],
  ])('%s: a message for each state of its %s (new, failing, Ready before and after its status fields)', (type, kind, fields, readyMessage) => {
    const def = definition('component', type);
    const { output } = live(type);
    const message = (status?: Any) => healthOf(def, status ? { ...output, status } : output).message;
    expect(message()).toEqual({ ok: true, value: `waiting for the ${kind} to become Ready` });
    expect(message({ conditions: [{ type: 'Synced', status: 'False', message: 'cannot compose' }] })).toEqual({ ok: true, value: 'not synced: cannot compose' });
    expect(message({ conditions: [{ type: 'Ready', status: 'False', message: 'creating' }] })).toEqual({ ok: true, value: 'not ready: creating' });
    // Not ready: the claim's own message (what its function waits for) beats Crossplane's generic one;
    // a Synced failure still comes first, an empty or non-string message is passed over, and a Ready
    // claim's message is its summary.
    const generic = { type: 'Ready', status: 'False', reason: 'Waiting', message: 'Claim is waiting for composite resource to become Ready' };
    const waiting = 'waiting for: postgres, kafka; lenses needs spec.lenses.licenseSecretRef and spec.lenses.agentKeySecretRef';
    expect(message({ conditions: [generic], message: waiting })).toEqual({ ok: true, value: waiting });
    expect(message({ message: waiting })).toEqual({ ok: true, value: waiting });
    expect(message({ conditions: [{ type: 'Synced', status: 'False', message: 'cannot compose' }, generic], message: waiting })).toEqual({ ok: true, value: 'not synced: cannot compose' });
    expect(message({ conditions: [generic], message: '' })).toEqual({ ok: true, value: `not ready: ${generic.message}` });
    expect(message({ conditions: [generic], message: { nested: 'x' } })).toEqual({ ok: true, value: `not ready: ${generic.message}` });
    expect(message({ conditions: [READY], message: 'ready' })).toEqual({ ok: true, value: `${kind} ready` });
    expect(healthOf(def, { ...output, status: { conditions: [generic], message: waiting } }).isHealth).toEqual({ ok: true, value: false });
    expect(message({ conditions: [READY] })).toEqual({ ok: true, value: `${kind} ready` });
    expect(message({ conditions: [READY], ...fields })).toEqual({ ok: true, value: readyMessage });
    // Each field the message reads, missing alone, falls back to the plain ready message.
    for (const key of Object.keys(fields)) {
      const partial = { conditions: [READY], ...Object.fromEntries(Object.entries(fields).filter(([k]) => k !== key)) };
      expect(message(partial), `without ${key}`).toEqual({ ok: true, value: `${kind} ready` });
    }
  });
});
