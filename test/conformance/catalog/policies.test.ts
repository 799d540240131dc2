/** The policies health and security-policy (synth/kubevela/catalog/policies.ts), evaluated with the real cue v0.9.2. */
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { definition, evaluate } from '../../../harness/oam.js';
import { ROOT } from '../../../harness/tools.js';
import { type Any, ctx, fails } from '../../support/catalog.js';

describe('policies', () => {
  it('health minimal: a CronJob probing each target every 5 minutes with curl --fail', () => {
    const r = evaluate(definition('policy', 'health'), { targets: [{ component: 'api' }] }, ctx('probes', 'health', 'shop'));
    expect(r.output).toMatchObject({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'shop-health' }, spec: { schedule: '*/5 * * * *', concurrencyPolicy: 'Forbid' } });
    const c = (r.output as Any).spec.jobTemplate.spec.template.spec.containers[0];
    expect(c.command).toEqual(['curl', '--fail', '--silent', '--show-error', '--max-time', '10', '--output', '/dev/null', 'http://api.health.svc.cluster.local:80/health']);
    expect(c.securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false });
    expect(c.resources.limits).toBeDefined();
  });

  it('health full: interval, timeout and several targets', () => {
    const r = evaluate(
      definition('policy', 'health'),
      { probeInterval: 1, probeTimeout: 3, targets: [{ component: 'api', path: '/ready', port: 8080 }, { component: 'web' }] },
      ctx('p', 'ns', 'shop'),
    );
    const spec = (r.output as Any).spec;
    expect(spec.schedule).toBe('*/1 * * * *');
    expect(spec.jobTemplate.spec.template.spec.containers[0].command.slice(5)).toEqual([
      '3',
      '--output',
      '/dev/null',
      'http://api.ns.svc.cluster.local:8080/ready',
      'http://web.ns.svc.cluster.local:80/health',
    ]);
  });

  it.each([
    ['no targets', { targets: [] }],
    ['an interval of an hour', { probeInterval: 60, targets: [{ component: 'a' }] }],
  ])('health rejects %s', (_l, params) => {
    expect(fails('policy', 'health', params)).not.toBe('');
  });

  it('security-policy minimal: the app, the ingress gateway and Knative may connect; egress stays open', () => {
    const r = evaluate(definition('policy', 'security-policy'), {}, ctx('isolation', 'ns', 'shop'));
    expect(r.output).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'shop-ingress' },
      spec: {
        podSelector: { matchLabels: { 'app.oam.dev/name': 'shop' } },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [
              { podSelector: { matchLabels: { 'app.oam.dev/name': 'shop' } } },
              { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' } } },
              { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'knative-serving' } } },
            ],
          },
        ],
      },
    });
    expect(r.outputs).toEqual({});
  });

  it('security-policy full: origins as ipBlocks, restricted egress without them', () => {
    const r = evaluate(definition('policy', 'security-policy'), { allowedNamespaces: ['istio-system'], allowedOrigins: ['203.0.113.0/24'], egress: 'restrict' }, ctx('isolation', 'ns', 'shop'));
    expect((r.output as Any).spec.ingress[0].from).toContainEqual({ ipBlock: { cidr: '203.0.113.0/24' } });
    expect((r.outputs.egress as Any).spec.egress).toEqual([
      {
        to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [
          { protocol: 'UDP', port: 53 },
          { protocol: 'TCP', port: 53 },
        ],
      },
      { to: [{ podSelector: { matchLabels: { 'app.oam.dev/name': 'shop' } } }, { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' } } }] },
    ]);
  });

  it.each([
    ['an origin that is no CIDR', { allowedOrigins: ['example.com'] }],
    ['an unknown egress mode', { egress: 'deny' }],
  ])('security-policy rejects %s', (_l, params) => {
    expect(fails('policy', 'security-policy', params)).not.toBe('');
  });

  it('no copy of the built-in override policy is shipped', () => {
    expect(existsSync(join(ROOT, 'definitions/policies/override.yaml'))).toBe(false);
  });
});
