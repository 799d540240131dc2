/**
 * kafka, redis and mongodb (synth/kubevela/catalog/data-services.ts): Flux
 * HelmReleases of the Bitnami charts, evaluated with the real cue v0.9.2.
 */
import { describe, expect, it } from 'vitest';
import { healthOf } from '../../../harness/cue.js';
import { definition } from '../../../harness/oam.js';
import { component, fails, notReady, ready, RESOURCES, values, withoutImages } from '../../support/catalog.js';

describe('kafka, redis, mongodb: Flux HelmReleases of the Bitnami charts', () => {
  it('kafka minimal: one node, 8Gi, no topics, PLAINTEXT clients, resources', () => {
    const out = component('kafka', {});
    expect(out.output).toMatchObject({
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name: 'my-comp', labels: { 'app.oam.dev/name': 'shop', 'app.oam.dev/component': 'my-comp' } },
      spec: { releaseName: 'my-comp', chart: { spec: { chart: 'kafka', version: '32.4.3', sourceRef: { kind: 'HelmRepository', name: 'bitnami', namespace: 'flux-system' } } } },
    });
    // The images (bitnamilegacy) are checked against the chart in upstream-pins.test.ts.
    expect(withoutImages(values(out))).toEqual({
      controller: { replicaCount: 1, persistence: { size: '8Gi' }, resources: RESOURCES },
      listeners: { client: { protocol: 'PLAINTEXT' } },
      provisioning: { enabled: false, topics: [] },
      metrics: { jmx: { enabled: false } },
    });
  });

  it('kafka full (the seed options replicas, storageSize, topics, resources)', () => {
    const out = component('kafka', {
      replicas: 3,
      storageSize: '20Gi',
      topics: [{ name: 'orders.created', partitions: 6, replicationFactor: 3 }, { name: 'audit' }],
      metrics: true,
      resources: { cpu: '1', memory: '2Gi', cpuLimit: '2', memoryLimit: '4Gi' },
    });
    expect(values(out).controller).toEqual({ replicaCount: 3, persistence: { size: '20Gi' }, resources: { requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '2', memory: '4Gi' } } });
    expect(values(out).provisioning).toEqual({
      enabled: true,
      topics: [
        { name: 'orders.created', partitions: 6, replicationFactor: 3 },
        { name: 'audit', partitions: 3, replicationFactor: 1 },
      ],
    });
    expect(withoutImages(values(out)).metrics).toEqual({ jmx: { enabled: true } });
  });

  it.each([
    ['a replication factor above the replicas', { topics: [{ name: 't', replicationFactor: 2 }] }, 'replicationFactor must not exceed replicas'],
    ['no replicas', { replicas: 0 }, 'replicas'],
    ['a bad topic name', { topics: [{ name: 'a topic' }] }, 'name'],
    ['a storage size without unit', { storageSize: '20' }, 'storageSize'],
  ])('kafka rejects %s', (_l, params, message) => {
    expect(fails('component', 'kafka', params)).toContain(message);
  });

  it('redis minimal: standalone with authentication on and a generated password', () => {
    const v = values(component('redis', {}));
    expect(v.architecture).toBe('standalone');
    expect(v.auth).toEqual({ enabled: true });
    expect(v.master).toEqual({ persistence: { enabled: true, size: '8Gi' }, resources: RESOURCES });
    expect(v.replica.replicaCount).toBe(0);
    expect(withoutImages(v).metrics).toEqual({ enabled: false });
  });

  it('redis full: replication, the password from a Secret, no persistence', () => {
    const v = values(component('redis', { replicas: 2, storageSize: '4Gi', persistence: false, password: { secretName: 'redis-auth' }, metrics: true }));
    expect(v.architecture).toBe('replication');
    expect(v.auth).toEqual({ enabled: true, existingSecret: 'redis-auth', existingSecretPasswordKey: 'redis-password' });
    expect(v.replica).toMatchObject({ replicaCount: 2, persistence: { enabled: false, size: '4Gi' } });
    expect(v.master.persistence).toEqual({ enabled: false, size: '4Gi' });
  });

  it.each([
    ['negative replicas', { replicas: -1 }],
    ['a password without a Secret name', { password: { key: 'k' } }],
    ['a storage size in GB', { storageSize: '8GB' }],
  ])('redis rejects %s', (_l, params) => {
    expect(fails('component', 'redis', params)).not.toBe('');
  });

  it('mongodb minimal: standalone with the database and user app, no backups', () => {
    const v = values(component('mongodb', { database: 'catalog' }));
    expect(v).toMatchObject({
      architecture: 'standalone',
      replicaCount: 1,
      persistence: { enabled: true, size: '8Gi' },
      auth: { enabled: true, databases: ['catalog'], usernames: ['app'] },
      backup: { enabled: false, cronjob: { schedule: '0 2 * * *', storage: { size: '8Gi' } } },
      resources: RESOURCES,
    });
    expect(v.auth).not.toHaveProperty('existingSecret');
  });

  it('mongodb full: a replica set with an existing Secret and nightly backups', () => {
    const v = values(component('mongodb', { replicas: 3, database: 'catalog', auth: { username: 'shop', existingSecret: 'mongo-auth' }, backup: { enabled: true, schedule: '30 1 * * *' } }));
    expect(v).toMatchObject({
      architecture: 'replicaset',
      replicaCount: 3,
      auth: { enabled: true, databases: ['catalog'], usernames: ['shop'], existingSecret: 'mongo-auth' },
      backup: { enabled: true, cronjob: { schedule: '30 1 * * *' } },
    });
  });

  it.each([
    ['no database', {}],
    ['a database name with spaces', { database: 'my db' }],
  ])('mongodb rejects %s', (_l, params) => {
    expect(fails('component', 'mongodb', params)).not.toBe('');
  });

  it.each(['kafka', 'redis', 'mongodb'])('%s is healthy only when the HelmRelease is Ready', (type) => {
    const def = definition('component', type);
    expect(healthOf(def, ready()).isHealth).toEqual({ ok: true, value: true });
    expect(healthOf(def, ready()).message).toEqual({ ok: true, value: 'Helm release ready' });
    const failing = healthOf(def, notReady('install retries exhausted'));
    expect(failing.isHealth).toEqual({ ok: true, value: false });
    expect(failing.message).toEqual({ ok: true, value: 'not ready: install retries exhausted' });
    expect(healthOf(def, {}).isHealth).toEqual({ ok: true, value: false });
  });
});
