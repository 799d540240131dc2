/**
 * neon-postgres and auth0-idp (synth/kubevela/catalog/external-secrets.ts):
 * ExternalSecrets, evaluated with the real cue v0.9.2.
 */
import { describe, expect, it } from 'vitest';
import { healthOf } from '../../../harness/cue.js';
import { definition } from '../../../harness/oam.js';
import { component, fails, notReady, ready } from '../../support/catalog.js';

describe('neon-postgres and auth0-idp: ExternalSecrets', () => {
  it('neon-postgres minimal: neon/{database} into {component}-db-secret with the ApplicationClaim keys', () => {
    const out = component('neon-postgres', { database: 'orders' }, 'orders-db');
    expect(out.output).toEqual({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: 'orders-db' },
      spec: {
        refreshInterval: '1h',
        secretStoreRef: { name: 'aws-secrets-manager', kind: 'ClusterSecretStore' },
        target: {
          name: 'orders-db-db-secret',
          creationPolicy: 'Owner',
          template: {
            engineVersion: 'v2',
            data: {
              DATABASE_HOST: '{{ .host }}',
              DATABASE_PORT: '{{ .port }}',
              DATABASE_NAME: 'orders',
              DATABASE_USER: '{{ .user }}',
              DATABASE_PASSWORD: '{{ .password }}',
              DATABASE_URL: 'postgresql://{{ .user }}:{{ .password | urlquery }}@{{ .host }}:{{ .port }}/orders?sslmode=require',
            },
          },
        },
        data: ['host', 'port', 'user', 'password'].map((p) => ({ secretKey: p, remoteRef: { key: 'neon/orders', property: p } })),
      },
    });
  });

  it('neon-postgres full: own key, Secret name, store and sslmode', () => {
    const out = component('neon-postgres', {
      database: 'orders',
      remoteKey: 'prod/neon/orders',
      secretName: 'orders-pg',
      sslMode: 'verify-full',
      secretStore: { name: 'vault', kind: 'SecretStore' },
      refreshInterval: '15m',
    });
    expect(out.output.spec).toMatchObject({ refreshInterval: '15m', secretStoreRef: { name: 'vault', kind: 'SecretStore' }, target: { name: 'orders-pg' } });
    expect(out.output.spec.data[0].remoteRef.key).toBe('prod/neon/orders');
    expect(out.output.spec.target.template.data.DATABASE_URL).toMatch(/\?sslmode=verify-full$/);
  });

  it.each([
    ['no database', {}],
    ['sslmode disable', { database: 'o', sslMode: 'disable' }],
    ['a refresh interval in days', { database: 'o', refreshInterval: '1d' }],
  ])('neon-postgres rejects %s', (_l, params) => {
    expect(fails('component', 'neon-postgres', params)).not.toBe('');
  });

  it('auth0-idp minimal: client id and secret from auth0/{component}, tenant settings beside them', () => {
    const out = component('auth0-idp', { domain: 'acme.eu.auth0.com', audience: 'https://api.acme.com' }, 'identity');
    expect(out.output.spec.target).toEqual({
      name: 'identity-auth0-secret',
      creationPolicy: 'Owner',
      template: {
        engineVersion: 'v2',
        data: {
          AUTH0_DOMAIN: 'acme.eu.auth0.com',
          AUTH0_ISSUER_BASE_URL: 'https://acme.eu.auth0.com/',
          AUTH0_AUDIENCE: 'https://api.acme.com',
          AUTH0_SCOPES: 'openid profile email',
          AUTH0_COMPLIANCE: 'none',
          AUTH0_CLIENT_ID: '{{ .clientId }}',
          AUTH0_CLIENT_SECRET: '{{ .clientSecret }}',
        },
      },
    });
    expect(out.output.spec.data).toEqual(['clientId', 'clientSecret'].map((p) => ({ secretKey: p, remoteRef: { key: 'auth0/identity', property: p } })));
  });

  it('auth0-idp full: scopes, compliance and the store key', () => {
    const out = component('auth0-idp', { domain: 'acme.auth0.com', audience: 'a', scopes: ['openid', 'read:orders'], compliance: 'hipaa', remoteKey: 'idp/orders' });
    expect(out.output.spec.target.template.data).toMatchObject({ AUTH0_SCOPES: 'openid read:orders', AUTH0_COMPLIANCE: 'hipaa' });
    expect(out.output.spec.data[1].remoteRef.key).toBe('idp/orders');
  });

  it.each([
    ['no audience', { domain: 'a.auth0.com' }],
    ['an unknown compliance profile', { domain: 'a.auth0.com', audience: 'x', compliance: 'sox' }],
    ['a domain with a scheme', { domain: 'https://a.auth0.com', audience: 'x' }],
  ])('auth0-idp rejects %s', (_l, params) => {
    expect(fails('component', 'auth0-idp', params)).not.toBe('');
  });

  it.each(['neon-postgres', 'auth0-idp'])('%s is healthy when the ExternalSecret has synced', (type) => {
    const def = definition('component', type);
    const live = { spec: { target: { name: 'x-secret' } }, ...ready() };
    expect(healthOf(def, live).isHealth).toEqual({ ok: true, value: true });
    expect(healthOf(def, live).message).toEqual({ ok: true, value: 'synced to Secret x-secret' });
    expect(healthOf(def, notReady('could not get secret data from provider')).message).toEqual({ ok: true, value: 'not ready: could not get secret data from provider' });
  });
});
