/** rasa-chatbot (synth/kubevela/catalog/rasa-chatbot.ts), evaluated with the real cue v0.9.2. */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { definition, renderApplication } from '../../../harness/oam.js';
import { ROOT } from '../../../harness/tools.js';
import { type Any, component, fails, notReady, ready } from '../../support/catalog.js';

describe('rasa-chatbot', () => {
  const min = { rasaImage: 'acme/bot-rasa:1.0', actionsImage: 'acme/bot-actions:1.0' };

  it('minimal: two Knative Services wired together, Rasa always on, actions scale to zero, no gateway', () => {
    const out = component('rasa-chatbot', min, 'support-chat');
    const rasa = out.output;
    expect(rasa.metadata.name).toBe('support-chat');
    expect(rasa.spec.template.metadata.annotations).toEqual({
      'autoscaling.knative.dev/min-scale': '1',
      'autoscaling.knative.dev/max-scale': '10',
      'autoscaling.knative.dev/target': '10',
    });
    const c = rasa.spec.template.spec.containers[0];
    expect(c.env).toEqual([
      { name: 'ACTION_ENDPOINT_URL', value: 'http://support-chat-actions.team-a.svc.cluster.local/webhook' },
      { name: 'ACTIONS_SERVER_HOST', value: 'support-chat-actions.team-a.svc.cluster.local' },
      { name: 'ACTIONS_SERVER_PORT', value: '80' },
    ]);
    expect(c).toMatchObject({ image: 'acme/bot-rasa:1.0', ports: [{ containerPort: 5005 }], securityContext: { runAsNonRoot: true } });
    const actions = out.outputs.actions;
    expect(actions.metadata.name).toBe('support-chat-actions');
    expect(actions.spec.template.metadata.annotations).toEqual({ 'autoscaling.knative.dev/min-scale': '0', 'autoscaling.knative.dev/max-scale': '5' });
    expect(actions.spec.template.spec.containers[0]).toMatchObject({ image: 'acme/bot-actions:1.0', ports: [{ containerPort: 5055 }], readinessProbe: { httpGet: { path: '/health', port: 5055 } } });
    expect(Object.keys(out.outputs)).toEqual(['actions']);
  });

  it('full (the seed example): gateway with HTTPS, virtual service through knative-local-gateway, custom environment', () => {
    const app = renderApplication('examples/oam/customer-support.yaml');
    const chat = app.components[0] as { output: Any; outputs: Record<string, Any> };
    expect(chat.outputs.gateway.spec).toEqual({
      selector: { istio: 'ingressgateway' },
      servers: [
        { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['chat.example.com'], tls: { httpsRedirect: true } },
        { port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['chat.example.com'], tls: { mode: 'SIMPLE', credentialName: 'support-chat-tls' } },
      ],
    });
    expect(chat.outputs['virtual-service'].spec).toEqual({
      hosts: ['chat.example.com'],
      gateways: ['support-chat-gateway'],
      http: [{ rewrite: { authority: 'support-chat.default.svc.cluster.local' }, route: [{ destination: { host: 'knative-local-gateway.istio-system.svc.cluster.local', port: { number: 80 } } }] }],
    });
    // KubeVela hands the template its properties as a Go map, so `environment` arrives with sorted keys.
    expect(chat.output.spec.template.spec.containers[0].env.slice(3)).toEqual([
      { name: 'CUSTOM_SETTING', value: 'value' },
      { name: 'LOG_LEVEL', value: 'INFO' },
    ]);
    expect(chat.outputs.actions.spec.template.spec.containers[0].env).toEqual([
      { name: 'CUSTOM_SETTING', value: 'value' },
      { name: 'LOG_LEVEL', value: 'INFO' },
    ]);
  });

  it.each([
    ['a gateway without a host', { ...min, enableIstioGateway: true }, 'chatbotHost is required'],
    ['a Rasa server that scales to zero', { ...min, minScale: 0 }, 'minScale'],
    ['actions min above max', { ...min, actionsMinScale: 6 }, 'actionsMinScale must not exceed'],
    ['no actions image', { rasaImage: 'r' }, 'actionsImage'],
  ])('rejects %s', (_l, params, message) => {
    expect(fails('component', 'rasa-chatbot', params)).toContain(message);
  });

  it('is healthy only when both servers are Ready', () => {
    const def = definition('component', 'rasa-chatbot');
    const both = `context: {output: ${JSON.stringify(ready({ url: 'https://chat.example.com' }))}, outputs: actions: ${JSON.stringify(ready())}}`;
    const rasaOnly = `context: {output: ${JSON.stringify(ready())}, outputs: actions: ${JSON.stringify(notReady('scaling'))}}`;
    const run = (c: string, expr: string, src = def.healthPolicy!) => {
      const r = spawnSync(join(ROOT, '.build/bin/cue'), ['export', '-', '-e', expr, '--out', 'json'], { input: `${src}\n${c}`, encoding: 'utf8' });
      return r.status === 0 ? JSON.parse(r.stdout) : r.stderr;
    };
    expect(run(both, 'isHealth')).toBe(true);
    expect(run(rasaOnly, 'isHealth')).toBe(false);
    expect(run(both, 'message', def.customStatus!)).toBe('chatbot at https://chat.example.com');
  });
});
