/**
 * aws-apigateway (synth/kubevela/catalog/aws-apigateway.ts), evaluated with the
 * real cue v0.9.2; its outputs validated against provider-upjet-aws's CRDs of
 * the pinned release (test/upstream/crds/, CEL rules included).
 */
import { describe, expect, it } from 'vitest';
import { cueExport } from '../../../harness/cue.js';
import { definition } from '../../../harness/oam.js';
import { all, component, cond, CRDS, errs, expectValid, rejected, validateAgainst } from '../../support/catalog.js';
import { PARAMS } from '../../support/catalog-params.js';

describe('aws-apigateway', () => {
  const MIN = PARAMS['aws-apigateway'].min;
  const pc = { kind: 'ClusterProviderConfig', name: 'default' };

  it('minimal: an HTTP API without CORS, an HTTP_PROXY integration to the URL, the $default route and stage', () => {
    const out = component('aws-apigateway', MIN);
    const labels = { 'app.oam.dev/name': 'shop', 'app.oam.dev/component': 'my-comp' };
    expect(out.output).toEqual({
      apiVersion: 'apigatewayv2.aws.m.upbound.io/v1beta1',
      kind: 'API',
      metadata: { name: 'my-comp', labels },
      spec: { providerConfigRef: pc, forProvider: { region: 'eu-west-1', name: 'my-comp', protocolType: 'HTTP', tags: {} } },
    });
    expect(Object.keys(out.outputs)).toEqual(['integration', 'route-0', 'stage-default']);
    expect(out.outputs.integration.spec.forProvider).toEqual({
      apiIdRef: { name: 'my-comp' },
      region: 'eu-west-1',
      integrationType: 'HTTP_PROXY',
      integrationMethod: 'ANY',
      payloadFormatVersion: '1.0',
      timeoutMilliseconds: 30000,
      connectionType: 'INTERNET',
      integrationUri: 'https://api.example.com',
    });
    expect(out.outputs['route-0'].spec.forProvider).toEqual({ apiIdRef: { name: 'my-comp' }, region: 'eu-west-1', routeKey: '$default', targetRef: { name: 'my-comp' } });
    expect(out.outputs['stage-default'].metadata).toEqual({ name: 'my-comp-default', labels, annotations: { 'crossplane.io/external-name': '$default' } });
    expect(out.outputs['stage-default'].spec.forProvider).toEqual({ apiIdRef: { name: 'my-comp' }, region: 'eu-west-1', autoDeploy: true, tags: {} });
    expect(errs('aws-apigateway', MIN)).toEqual([]);
    expectValid(CRDS.aws, all(out));
  });

  it('full: CORS, a private integration over a VPC link, several routes and stages with throttling and variables, a namespaced ProviderConfig', () => {
    const out = component('aws-apigateway', PARAMS['aws-apigateway'].full[0]);
    expect(out.output.spec.providerConfigRef).toEqual({ kind: 'ProviderConfig', name: 'shop-aws' });
    expect(out.output.spec.forProvider.corsConfiguration).toEqual({
      allowOrigins: ['https://shop.example.com'],
      allowMethods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
      allowHeaders: ['content-type', 'authorization'],
      exposeHeaders: ['x-request-id'],
      allowCredentials: true,
      maxAge: 600,
    });
    expect(out.output.spec.forProvider.description).toBe('shop API');
    expect(out.outputs.integration.spec.forProvider).toMatchObject({
      connectionType: 'VPC_LINK',
      connectionId: 'abc123',
      integrationUri: expect.stringMatching(/^arn:aws:elasticloadbalancing/),
      integrationMethod: 'GET',
      timeoutMilliseconds: 5000,
    });
    expect(Object.keys(out.outputs)).toEqual(['integration', 'route-0', 'route-1', 'stage-default', 'stage-prod']);
    expect(out.outputs['route-1'].spec.forProvider.routeKey).toBe('ANY /{proxy+}');
    expect(out.outputs['stage-prod'].metadata.annotations).toEqual({ 'crossplane.io/external-name': 'prod' });
    expect(out.outputs['stage-prod'].spec.forProvider).toMatchObject({
      autoDeploy: false,
      stageVariables: { backend: 'blue' },
      defaultRouteSettings: { throttlingBurstLimit: 20, throttlingRateLimit: 50.5 },
      tags: { team: 'shop' },
    });
    expectValid(CRDS.aws, all(out));
  });

  it.each([
    [
      'both a URL and a private integration',
      { region: 'eu-west-1', endpoint: { url: 'https://a.example.com', privateIntegration: { vpcLinkId: 'v', listenerArn: 'arn:aws:x' } } },
      'endpoint: set exactly one of url and privateIntegration',
    ],
    ['no endpoint target', { region: 'eu-west-1', endpoint: {} }, 'endpoint: set exactly one of url and privateIntegration'],
    ['credentials with origin *', { ...MIN, cors: { allowOrigins: ['*'], allowCredentials: true } }, 'cors: allowCredentials cannot be used with origin *'],
    ['a stage listed twice', { ...MIN, stages: [{ name: 'prod' }, { name: 'prod' }] }, 'stages: prod and prod are the same stage object'],
    ['stages default and $default (one object name)', { ...MIN, stages: [{ name: '$default' }, { name: 'Default' }] }, 'stages: $default and Default are the same stage object'],
    ['no routes', { ...MIN, routes: [] }, 'routes must not be empty'],
  ])('reports %s in errs', (_l, params, message) => {
    expect(errs('aws-apigateway', params)).toEqual([message]);
  });

  it.each([
    ['no region', { endpoint: { url: 'https://a.example.com' } }],
    ['a URL without scheme', { region: 'eu-west-1', endpoint: { url: 'a.example.com' } }],
    ['a route key without method', { ...MIN, routes: ['/orders'] }],
    ['a timeout above 30 s', { region: 'eu-west-1', endpoint: { url: 'https://a.example.com', timeoutMilliseconds: 60000 } }],
  ])('rejects %s', (_l, params) => {
    expect(rejected('aws-apigateway', params)).not.toBe('');
  });

  it("the CRD's CEL rules apply: an API without protocolType is refused", () => {
    const api = structuredClone(component('aws-apigateway', MIN).output);
    delete api.spec.forProvider.protocolType;
    const v = validateAgainst(CRDS.aws, [api]);
    expect(v.code).not.toBe(0);
    expect(v.out).toContain('protocolType is a required parameter');
  });

  it('healthy when every managed resource is Ready; the message is the invoke URL', () => {
    const def = definition('component', 'aws-apigateway');
    const ready = { status: { conditions: [cond('Ready', 'True')] } };
    const stage = { kind: 'Stage', status: { conditions: [cond('Ready', 'True')], atProvider: { invokeUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/' } } };
    const run = (outputs: object, expr: string, src: string) => {
      const r = cueExport([src, `context: {output: ${JSON.stringify(ready)}, outputs: ${JSON.stringify(outputs)}}`], expr);
      return r.ok ? r.value : r.error;
    };
    const allReady = { integration: ready, 'route-0': ready, 'stage-default': stage };
    expect(run(allReady, 'isHealth', def.healthPolicy!)).toBe(true);
    expect(run(allReady, 'message', def.customStatus!)).toBe('invoke URL: https://abc123.execute-api.eu-west-1.amazonaws.com/');
    const routeWaiting = { ...allReady, 'route-0': {} };
    expect(run(routeWaiting, 'isHealth', def.healthPolicy!)).toBe(false);
    expect(run(routeWaiting, 'message', def.customStatus!)).toBe('waiting for 1 object(s) to become Ready, first route-0');
    expect(run({ ...allReady, integration: { status: { conditions: [cond('Ready', 'False')] } } }, 'isHealth', def.healthPolicy!)).toBe(false);
  });
});
