/**
 * Every catalog definition evaluated with the real cue v0.9.2: a minimal and
 * a full parameter set compared field by field with what the seeds ask for,
 * invalid parameters that must fail, health policies against live objects,
 * and the example Applications rendered end to end (components, traits,
 * policies).
 */
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CATALOG } from '../../synth/kubevela/catalog/index.js';
import { healthOf, loadDefinition, parameterOpenApi, vcontext } from '../../tooling/cue.js';
import { FUNCTIONS } from '../../functions/catalog.js';
import { CLAIM_HEALTH_POLICY } from '../../synth/kubevela/claim.js';
import { honourDisableHealthCheck } from '../../synth/kubevela/definitions.js';
import { applyOverride, definition, evaluate, renderApplication, renderComponent } from '../../tooling/oam.js';
import { waitForPort } from '../../tooling/servers.js';
import { ROOT } from '../../tooling/tools.js';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const ctx = (name = 'my-comp', ns = 'team-a', app = 'shop') => vcontext(name, ns, app);
const component = (type: string, params: unknown, name = 'my-comp') => evaluate(definition('component', type), params, ctx(name)) as { output: Any; outputs: Record<string, Any> };
const fails = (kind: 'component' | 'trait' | 'policy', type: string, params: unknown, output?: unknown) => {
  try {
    evaluate(definition(kind, type), params, ctx(), output);
    return '';
  } catch (e) {
    return (e as Error).message || 'failed';
  }
};
const values = (out: { output: Any }) => out.output.spec.values as Any;
/** Chart values without the image overrides and the switch they need (tested against the charts in upstream-pins.test.ts). */
const withoutImages = (v: Any): Any => {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
  const out: Any = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === 'image' || k === 'global') continue;
    const y = withoutImages(x);
    if (!(y && typeof y === 'object' && !Array.isArray(y) && Object.keys(y).length === 0 && x && Object.keys(x).length > 0)) out[k] = y;
  }
  return out;
};
const RESOURCES = { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } };
const ready = (extra: object = {}) => ({ status: { conditions: [{ type: 'Ready', status: 'True' }], ...extra } });
const notReady = (message: string) => ({ status: { conditions: [{ type: 'Ready', status: 'False', message }] } });

/** A Knative Service and a Deployment as component outputs, for the traits. */
const KNATIVE_OUTPUT = { apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 'my-comp' }, spec: { template: { spec: { containers: [{ name: 'my-comp' }] } } } };
const DEPLOYMENT_OUTPUT = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'my-comp' }, spec: { template: { spec: { containers: [{ name: 'my-comp' }] } } } };

describe('catalog: every definition is generated, documented and encodable', () => {
  it.each(CATALOG.map((e) => [e.name, e.kind] as const))('%s (%s)', (name, kind) => {
    const folder = { ComponentDefinition: 'components', TraitDefinition: 'traits', PolicyDefinition: 'policies' }[kind];
    expect(existsSync(join(ROOT, 'definitions', folder, `${name}.yaml`))).toBe(true);
    expect(existsSync(join(ROOT, 'docs/reference', `${name}.md`))).toBe(true);
    const def = definition(({ ComponentDefinition: 'component', TraitDefinition: 'trait', PolicyDefinition: 'policy' } as const)[kind], name);
    const openapi = parameterOpenApi(def);
    expect(openapi.ok, openapi.ok ? '' : openapi.error).toBe(true);
  });

  it('every definition that outputs a claim shares one health policy and the status convention', () => {
    const claimKinds = FUNCTIONS.flatMap((f) => f.apis).map((a) => a.claimKind);
    const emitters = readdirSync(join(ROOT, 'definitions/components')).filter((f) => {
      const def = loadDefinition(join(ROOT, 'definitions/components', f));
      // The main output (not outputs.*) is the claim.
      return claimKinds.some((k) => new RegExp(`^output: \\{\\n\\tapiVersion: [^\\n]*\\n\\tkind:\\s+"${k}"`, 'm').test(def.template));
    });
    expect(emitters.sort()).toEqual(['application-infrastructure.yaml', 'event-driven-service.yaml', 'realtime-platform.yaml', 'vcluster.yaml']);
    for (const f of emitters) {
      const def = loadDefinition(join(ROOT, 'definitions/components', f));
      expect(def.healthPolicy, f).toBe(honourDisableHealthCheck(CLAIM_HEALTH_POLICY));
      expect(def.customStatus, f).toMatch(/"waiting for the [A-Za-z]+ to become Ready",\n\]\[0\]\n$/);
    }
  });

  it('the README links every reference page', () => {
    const readme = spawnSync('cat', [join(ROOT, 'README.md')], { encoding: 'utf8' }).stdout;
    for (const page of readdirSync(join(ROOT, 'docs/reference'))) expect(readme, page).toContain(`docs/reference/${page}`);
  });
});

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
      topics: [{ name: 'orders.created', partitions: 6, replicationFactor: 3 }, { name: 'audit', partitions: 3, replicationFactor: 1 }],
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
    const out = component('neon-postgres', { database: 'orders', remoteKey: 'prod/neon/orders', secretName: 'orders-pg', sslMode: 'verify-full', secretStore: { name: 'vault', kind: 'SecretStore' }, refreshInterval: '15m' });
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
    expect(chat.output.spec.template.spec.containers[0].env.slice(3)).toEqual([{ name: 'CUSTOM_SETTING', value: 'value' }, { name: 'LOG_LEVEL', value: 'INFO' }]);
    expect(chat.outputs.actions.spec.template.spec.containers[0].env).toEqual([{ name: 'CUSTOM_SETTING', value: 'value' }, { name: 'LOG_LEVEL', value: 'INFO' }]);
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
      const r = spawnSync(join(ROOT, '.tools/bin/cue'), ['export', '-', '-e', expr, '--out', 'json'], { input: `${src}\n${c}`, encoding: 'utf8' });
      return r.status === 0 ? JSON.parse(r.stdout) : r.stderr;
    };
    expect(run(both, 'isHealth')).toBe(true);
    expect(run(rasaOnly, 'isHealth')).toBe(false);
    expect(run(both, 'message', def.customStatus!)).toBe('chatbot at https://chat.example.com');
  });
});

describe('iot-broker', () => {
  it('minimal: authenticated Mosquitto with persistence and WebSockets, restricted, users hashed by an init container', () => {
    const out = component('iot-broker', { auth: { secretName: 'broker-users' } }, 'field-broker');
    const sts = out.output;
    expect(sts.kind).toBe('StatefulSet');
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('1Gi');
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    const pod = sts.spec.template.spec;
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, runAsUser: 1883, runAsGroup: 1883, fsGroup: 1883 });
    expect(pod.initContainers[0].command.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(pod.initContainers[0].command[2]).toContain('mosquitto_passwd -U "$PASSWORD_FILE"');
    expect(pod.containers[0].ports).toEqual([{ name: 'mqtt', containerPort: 1883 }, { name: 'websockets', containerPort: 9001 }]);
    expect(pod.volumes).toContainEqual({ name: 'credentials', secret: { secretName: 'broker-users' } });
    expect(out.outputs.service.spec).toMatchObject({ type: 'ClusterIP', ports: [{ name: 'mqtt', port: 1883, targetPort: 1883 }, { name: 'websockets', port: 9001, targetPort: 9001 }] });
    const conf = out.outputs.config.data['mosquitto.conf'] as string;
    expect(conf.split('\n')).toEqual(expect.arrayContaining(['allow_anonymous false', 'password_file /mosquitto/auth/passwords', 'listener 9001', 'protocol websockets', 'persistence true']));
    expect(sts.spec.template.metadata.annotations['platform.example.org/config-hash']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('full: no WebSockets, no persistence, a LoadBalancer', () => {
    const out = component('iot-broker', { auth: { secretName: 'u' }, websockets: false, persistence: { enabled: false }, serviceType: 'LoadBalancer' });
    expect(out.output.spec).not.toHaveProperty('volumeClaimTemplates');
    expect(out.output.spec.template.spec.volumes).toContainEqual({ name: 'data', emptyDir: {} });
    expect(out.outputs.service.spec.type).toBe('LoadBalancer');
    expect(out.outputs.service.spec.ports).toHaveLength(1);
    const conf = out.outputs.config.data['mosquitto.conf'] as string;
    expect(conf).toContain('persistence false');
    expect(conf).not.toContain('9001');
  });

  it.each([
    ['no users Secret', {}],
    ['a NodePort service', { auth: { secretName: 'u' }, serviceType: 'NodePort' }],
  ])('rejects %s', (_l, params) => {
    expect(fails('component', 'iot-broker', params)).not.toBe('');
  });

  it('a real mosquitto loads the rendered configuration and the init script\'s password file', async () => {
    const MOSQUITTO = process.env.MOSQUITTO ?? '/usr/sbin/mosquitto';
    const PUB = process.env.MOSQUITTO_PUB ?? '/usr/bin/mosquitto_pub';
    const PASSWD = '/usr/bin/mosquitto_passwd';
    for (const bin of [MOSQUITTO, PUB, PASSWD]) if (!existsSync(bin)) throw new Error(`${bin} not found: run \`make tools\``);
    const out = component('iot-broker', { auth: { secretName: 'u' }, websockets: false });
    const init = out.output.spec.template.spec.initContainers[0];
    const dir = mkdtempSync(join(tmpdir(), 'iot-broker-'));
    chmodSync(dir, 0o777);
    mkdirSync(join(dir, 'credentials'));
    writeFileSync(join(dir, 'credentials', 'sensor-1'), 'first-secret');
    writeFileSync(join(dir, 'credentials', 'gateway'), 'second-secret');
    // The init container's script, with its environment pointed here.
    const r = spawnSync(init.command[0], init.command.slice(1), { env: { PATH: process.env.PATH, CREDENTIALS_DIR: join(dir, 'credentials'), PASSWORD_FILE: join(dir, 'passwords') }, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    chmodSync(join(dir, 'passwords'), 0o644);
    const port = 18831;
    const conf = (out.outputs.config.data['mosquitto.conf'] as string)
      .replace('listener 1883', `listener ${port} 127.0.0.1`)
      .replace('/mosquitto/auth/passwords', join(dir, 'passwords'))
      .replace('/mosquitto/data/', `${dir}/`);
    writeFileSync(join(dir, 'mosquitto.conf'), conf, { mode: 0o644 });
    const broker = spawn(MOSQUITTO, ['-c', join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
    try {
      await waitForPort(port);
      const pub = (args: string[]) => spawnSync(PUB, ['-h', '127.0.0.1', '-p', String(port), '-t', 'sensors/d1/hr', '-m', '72', ...args], { encoding: 'utf8', timeout: 10_000 });
      expect(pub(['-u', 'sensor-1', '-P', 'first-secret']).status).toBe(0);
      expect(pub(['-u', 'gateway', '-P', 'second-secret']).status).toBe(0);
      expect(pub(['-u', 'sensor-1', '-P', 'second-secret']).status).not.toBe(0);
      expect(pub([]).status).not.toBe(0);
    } finally {
      broker.kill('SIGTERM');
    }
  });

  it('is healthy once the StatefulSet has a ready replica', () => {
    const def = definition('component', 'iot-broker');
    expect(healthOf(def, { status: { readyReplicas: 1 } }).isHealth).toEqual({ ok: true, value: true });
    expect(healthOf(def, { status: { replicas: 1 } }).isHealth).toEqual({ ok: true, value: false });
  });
});

describe('traits', () => {
  it('domain-route on a Knative Service: a DomainMapping, with TLS', () => {
    const r = evaluate(definition('trait', 'domain-route'), { domain: 'api.example.com', tls: { enabled: true } }, ctx(), KNATIVE_OUTPUT);
    expect(r.outputs.ingress).toEqual({
      apiVersion: 'serving.knative.dev/v1beta1',
      kind: 'DomainMapping',
      metadata: { name: 'api.example.com' },
      spec: { ref: { apiVersion: 'serving.knative.dev/v1', kind: 'Service', name: 'my-comp' }, tls: { secretName: 'my-comp-tls' } },
    });
  });

  it('domain-route on a Deployment: an Ingress on the istio class to the component Service', () => {
    const r = evaluate(definition('trait', 'domain-route'), { domain: 'api.example.com', path: '/v1', port: 9000 }, ctx(), DEPLOYMENT_OUTPUT);
    expect(r.outputs.ingress).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'my-comp' },
      spec: {
        ingressClassName: 'istio',
        rules: [{ host: 'api.example.com', http: { paths: [{ path: '/v1', pathType: 'Prefix', backend: { service: { name: 'my-comp', port: { number: 9000 } } } }] } }],
      },
    });
  });

  it.each([
    ['a path on a Knative Service', { domain: 'a.example.com', path: '/api' }, KNATIVE_OUTPUT, 'path must be /'],
    ['no domain', {}, DEPLOYMENT_OUTPUT, 'domain'],
  ])('domain-route rejects %s', (_l, params, output, message) => {
    expect(fails('trait', 'domain-route', params, output)).toContain(message);
  });

  it('autoscaler on a Knative Service: annotations, HPA class for a CPU target', () => {
    const kpa = evaluate(definition('trait', 'autoscaler'), { min: 0, max: 4 }, ctx(), KNATIVE_OUTPUT);
    expect(kpa.patch).toEqual({ spec: { template: { metadata: { annotations: { 'autoscaling.knative.dev/min-scale': '0', 'autoscaling.knative.dev/max-scale': '4' } } } } });
    expect(kpa.outputs).toEqual({});
    const hpa = evaluate(definition('trait', 'autoscaler'), { cpu: 70 }, ctx(), KNATIVE_OUTPUT);
    expect((hpa.patch as Any).spec.template.metadata.annotations).toEqual({
      'autoscaling.knative.dev/min-scale': '1',
      'autoscaling.knative.dev/max-scale': '10',
      'autoscaling.knative.dev/class': 'hpa.autoscaling.knative.dev',
      'autoscaling.knative.dev/metric': 'cpu',
      'autoscaling.knative.dev/target': '70',
    });
  });

  it('autoscaler on a Deployment: an HPA with the CPU (percent) and memory (MiB, as Knative) targets, 80% CPU by default', () => {
    const both = evaluate(definition('trait', 'autoscaler'), { min: 2, max: 8, cpu: 60, memory: 300 }, ctx(), DEPLOYMENT_OUTPUT);
    expect(both.outputs.hpa).toEqual({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'my-comp' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'my-comp' },
        minReplicas: 2,
        maxReplicas: 8,
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } },
          { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '300Mi' } } },
        ],
      },
    });
    expect(both.patch).toBeUndefined();
    const dflt = evaluate(definition('trait', 'autoscaler'), {}, ctx(), DEPLOYMENT_OUTPUT);
    expect((dflt.outputs.hpa as Any).spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
  });

  it.each([
    ['two metrics on Knative', { cpu: 50, memory: 50 }, KNATIVE_OUTPUT, 'one metric'],
    ['min 0 on a Deployment', { min: 0 }, DEPLOYMENT_OUTPUT, 'min must be at least 1'],
    ['min above max', { min: 5, max: 2 }, DEPLOYMENT_OUTPUT, 'min must not exceed max'],
    ['a CPU target above 100', { cpu: 150 }, DEPLOYMENT_OUTPUT, 'cpu'],
  ])('autoscaler rejects %s', (_l, params, output, message) => {
    expect(fails('trait', 'autoscaler', params, output)).toContain(message);
  });

  it('kafka-producer wired to a realtime platform: brokers from its Kafka Secret, merged into the container by name', () => {
    const r = evaluate(definition('trait', 'kafka-producer'), { platform: 'health-data', topics: ['a', 'b'] }, ctx(), KNATIVE_OUTPUT);
    expect(r.patch).toEqual({
      spec: {
        template: {
          spec: {
            containers: [{
              name: 'my-comp',
              env: [
                { name: 'KAFKA_BOOTSTRAP_SERVERS', valueFrom: { secretKeyRef: { name: 'health-data-kafka-secret', key: 'KAFKA_BOOTSTRAP_SERVERS' } } },
                { name: 'KAFKA_PRODUCER_TOPICS', value: 'a,b' },
                { name: 'KAFKA_CLIENT_ID', value: 'my-comp' },
              ],
            }],
          },
        },
      },
    });
  });

  it('kafka-consumer with literal brokers: topics, group and offset reset', () => {
    const r = evaluate(definition('trait', 'kafka-consumer'), { bootstrapServers: 'events-kafka:9092', topics: ['orders.created'], consumerGroup: 'shipping', offsetReset: 'earliest' }, ctx(), DEPLOYMENT_OUTPUT);
    expect((r.patch as Any).spec.template.spec.containers[0].env).toEqual([
      { name: 'KAFKA_BOOTSTRAP_SERVERS', value: 'events-kafka:9092' },
      { name: 'KAFKA_CONSUMER_TOPICS', value: 'orders.created' },
      { name: 'KAFKA_CONSUMER_GROUP', value: 'shipping' },
      { name: 'KAFKA_AUTO_OFFSET_RESET', value: 'earliest' },
    ]);
  });

  it.each([
    ['kafka-producer', 'both platform and brokers', { platform: 'p', bootstrapServers: 'k:9092', topics: ['t'] }, 'exactly one of platform and bootstrapServers'],
    ['kafka-producer', 'neither', { topics: ['t'] }, 'exactly one of platform and bootstrapServers'],
    ['kafka-producer', 'no topics', { platform: 'p', topics: [] }, 'topics'],
    ['kafka-consumer', 'no consumer group', { platform: 'p', topics: ['t'] }, 'consumerGroup'],
  ])('%s rejects %s', (type, _l, params, message) => {
    expect(fails('trait', type, params, KNATIVE_OUTPUT)).toContain(message);
  });
});

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
    const r = evaluate(definition('policy', 'health'), { probeInterval: 1, probeTimeout: 3, targets: [{ component: 'api', path: '/ready', port: 8080 }, { component: 'web' }] }, ctx('p', 'ns', 'shop'));
    const spec = (r.output as Any).spec;
    expect(spec.schedule).toBe('*/1 * * * *');
    expect(spec.jobTemplate.spec.template.spec.containers[0].command.slice(5)).toEqual(['3', '--output', '/dev/null', 'http://api.ns.svc.cluster.local:8080/ready', 'http://web.ns.svc.cluster.local:80/health']);
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
        ingress: [{
          from: [
            { podSelector: { matchLabels: { 'app.oam.dev/name': 'shop' } } },
            { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' } } },
            { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'knative-serving' } } },
          ],
        }],
      },
    });
    expect(r.outputs).toEqual({});
  });

  it('security-policy full: origins as ipBlocks, restricted egress without them', () => {
    const r = evaluate(definition('policy', 'security-policy'), { allowedNamespaces: ['istio-system'], allowedOrigins: ['203.0.113.0/24'], egress: 'restrict' }, ctx('isolation', 'ns', 'shop'));
    expect((r.output as Any).spec.ingress[0].from).toContainEqual({ ipBlock: { cidr: '203.0.113.0/24' } });
    expect((r.outputs.egress as Any).spec.egress).toEqual([
      { to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] },
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

describe('example Applications render end to end in KubeVela\'s engine (oam-render)', () => {
  it('Event-Driven Microservices: data services, secrets, two services with producer/consumer traits, a domain route, autoscaler, isolation', () => {
    const app = renderApplication('examples/oam/event-driven-microservices.yaml');
    expect(app.components.map((c) => `${c.name}:${c.output.kind}`)).toEqual([
      'events:HelmRelease', 'sessions:HelmRelease', 'catalog-db:HelmRelease', 'orders-db:ExternalSecret', 'identity:ExternalSecret', 'order-api:Service', 'shipping-worker:Service',
    ]);
    const orderApi = app.components.find((c) => c.name === 'order-api')!;
    const container = (orderApi.output as Any).spec.template.spec.containers[0];
    expect(container.envFrom).toEqual([{ secretRef: { name: 'orders-db-db-secret' } }, { secretRef: { name: 'identity-auth0-secret' } }]);
    expect(container.env.map((e: Any) => e.name)).toEqual(['AGENT_TYPE', 'LOG_LEVEL', 'KAFKA_BOOTSTRAP_SERVERS', 'KAFKA_PRODUCER_TOPICS', 'KAFKA_CLIENT_ID']);
    expect(orderApi.outputs.ingress.kind).toBe('DomainMapping');
    expect(orderApi.outputFrom.ingress).toBe('domain-route');
    // Both Kafka traits merged into the one container by name (+patchKey=name):
    // KAFKA_BOOTSTRAP_SERVERS, set by both, appears once.
    const worker = app.components.find((c) => c.name === 'shipping-worker')!;
    const containers = (worker.output as Any).spec.template.spec.containers;
    expect(containers).toHaveLength(1);
    expect(containers[0].env.map((e: Any) => e.name)).toEqual([
      'AGENT_TYPE', 'LOG_LEVEL', 'KAFKA_BOOTSTRAP_SERVERS', 'KAFKA_CONSUMER_TOPICS', 'KAFKA_CONSUMER_GROUP', 'KAFKA_AUTO_OFFSET_RESET', 'KAFKA_PRODUCER_TOPICS', 'KAFKA_CLIENT_ID',
    ]);
    expect(app.policies.map((p) => p.type)).toEqual(['security-policy']);
  });

  it('Event-Driven Microservices in production: the override raises the autoscaler\'s min, so order-api keeps 2 to 20 replicas on 70% CPU', () => {
    const app = renderApplication('examples/oam/event-driven-microservices.yaml');
    const orderApi = app.components.find((c) => c.name === 'order-api')!;
    expect((orderApi.output as Any).spec.template.metadata.annotations).toEqual({
      'autoscaling.knative.dev/min-scale': '2',
      'autoscaling.knative.dev/max-scale': '20',
      'autoscaling.knative.dev/class': 'hpa.autoscaling.knative.dev',
      'autoscaling.knative.dev/metric': 'cpu',
      'autoscaling.knative.dev/target': '70',
    });
  });

  it('Real-time Health Data Platform: platform, broker, a realtime service with its claim, a consumer trait and probes', () => {
    const app = renderApplication('examples/oam/realtime-health-platform.yaml');
    expect(app.components.map((c) => `${c.name}:${c.output.kind}`)).toEqual(['health-pipeline:RealtimePlatformClaim', 'field-broker:StatefulSet', 'health-app:Service']);
    const svc = app.components[2];
    expect((svc.outputs.infrastructure as Any).spec).toMatchObject({ name: 'health-processor', realtime: 'health-data' });
    const [container] = (svc.output as Any).spec.template.spec.containers;
    expect(container.name).toBe('health-app');
    expect(container.env.map((e: Any) => e.name)).toContain('KAFKA_CONSUMER_GROUP');
    expect((app.policies[0].output as Any).kind).toBe('CronJob');
  });

  it.each(['simple-app', 'complex-app', 'customer-support'])('%s renders', (name) => {
    const app = renderApplication(`examples/oam/${name}.yaml`);
    expect(app.components.length).toBeGreaterThan(0);
  });
});

describe('KubeVela\'s trait semantics (bug 1): a trait wins over the component where it must', () => {
  const api = (scaling: Any, autoscaler: Any) =>
    renderComponent({ name: 'api', type: 'knative-webservice', properties: { image: 'acme/api:1', scaling }, traits: [{ type: 'autoscaler', properties: autoscaler }] });
  const annotations = (c: { output: Any }) => c.output.spec.template.metadata.annotations as Record<string, string>;

  it('autoscaler replaces the min, max and target the knative-webservice set (+patchStrategy=retainKeys)', () => {
    expect(annotations(api({ minScale: 2, maxScale: 5 }, { min: 1, max: 20, cpu: 70 }))).toEqual({
      'autoscaling.knative.dev/min-scale': '1',
      'autoscaling.knative.dev/max-scale': '20',
      'autoscaling.knative.dev/class': 'hpa.autoscaling.knative.dev',
      'autoscaling.knative.dev/metric': 'cpu',
      'autoscaling.knative.dev/target': '70',
    });
  });

  it('a memory target is Knative\'s: MiB per replica on the HPA class', () => {
    expect(annotations(api({}, { min: 1, max: 4, memory: 256 }))).toMatchObject({ 'autoscaling.knative.dev/metric': 'memory', 'autoscaling.knative.dev/target': '256' });
  });

  it('without a cpu or memory target the component keeps its concurrency target and Knative\'s own autoscaler', () => {
    expect(annotations(api({ target: 50 }, { min: 3, max: 6 }))).toEqual({
      'autoscaling.knative.dev/min-scale': '3',
      'autoscaling.knative.dev/max-scale': '6',
      'autoscaling.knative.dev/target': '50',
    });
  });

  it('an override of the component\'s scaling does not beat the trait: production must override the trait (as the example does)', () => {
    const [overridden] = applyOverride(
      [{ name: 'order-api', type: 'knative-webservice', properties: { image: 'a:1' }, traits: [{ type: 'autoscaler', properties: { min: 1, max: 20 } }] }],
      [{ name: 'order-api', properties: { scaling: { minScale: 2 } } }],
    );
    expect(annotations(renderComponent(overridden))['autoscaling.knative.dev/min-scale']).toBe('1');
  });

  it('a patch without a strategy still conflicts as in KubeVela (the engine is not lenient)', () => {
    const base = { name: 'w', type: 'knative-webservice', properties: { image: 'a:1' } };
    expect(() =>
      renderComponent({ ...base, traits: [{ type: 'kafka-producer', properties: { bootstrapServers: 'a:9092', topics: ['t'] } }, { type: 'kafka-consumer', properties: { bootstrapServers: 'b:9092', topics: ['t'], consumerGroup: 'g' } }] }),
    ).toThrow(/conflicting values "a:9092" and "b:9092"|conflicting values "b:9092" and "a:9092"/);
  });
});

describe('traits refuse workloads they cannot patch (bug 4)', () => {
  const example = (file: string, name: string) => {
    const app = parse(readFileSync(join(ROOT, file), 'utf8')) as { spec: { components: { name: string; type: string; properties: Any }[] } };
    return app.spec.components.find((c) => c.name === name)!;
  };
  const claim = (dir: string, type: string) => ({ name: 'env', type, properties: (parse(readFileSync(join(ROOT, `examples/${dir}/claim.yaml`), 'utf8')) as Any).spec });
  const workloads = [
    ['application-infrastructure (ApplicationClaim)', example('examples/oam/complex-app.yaml', 'app-infrastructure'), 'ApplicationClaim'],
    ['realtime-platform (RealtimePlatformClaim)', example('examples/oam/complex-app.yaml', 'streaming-platform'), 'RealtimePlatformClaim'],
    ['event-driven-service (EventDrivenService)', claim('event-driven-service', 'event-driven-service'), 'EventDrivenService'],
    ['vcluster (VClusterEnvironmentClaim)', claim('vcluster', 'vcluster'), 'VClusterEnvironmentClaim'],
    ['kafka (HelmRelease)', example('examples/oam/event-driven-microservices.yaml', 'events'), 'HelmRelease'],
  ] as const;
  const traits = [
    ['kafka-producer', { bootstrapServers: 'k:9092', topics: ['t'] }, 'kafka-producer applies to a Knative Service, a Deployment or a StatefulSet'],
    ['kafka-consumer', { bootstrapServers: 'k:9092', topics: ['t'], consumerGroup: 'g' }, 'kafka-consumer applies to a Knative Service, a Deployment or a StatefulSet'],
    ['domain-route', { domain: 'a.example.com' }, 'domain-route applies to a Knative Service or a Deployment'],
    ['autoscaler', { min: 1, max: 3 }, 'autoscaler applies to a Knative Service, a Deployment or a StatefulSet'],
  ] as const;
  it.each(workloads.flatMap(([label, c, kind]) => traits.map(([type, properties, message]) => [type, label, c, kind, properties, message] as const)))(
    '%s on %s',
    (type, _label, c, kind, properties, message) => {
      expect(() => renderComponent({ ...c, traits: [{ type, properties }] })).toThrow(`${message}, not to ${kind} `);
    },
  );

  it.each([
    ['kafka-producer', { bootstrapServers: 'k:9092', topics: ['t'] }],
    ['kafka-consumer', { bootstrapServers: 'k:9092', topics: ['t'], consumerGroup: 'g' }],
  ])('%s on iot-broker: its container is mosquitto, not the component name', (type, properties) => {
    const broker = example('examples/oam/realtime-health-platform.yaml', 'field-broker');
    expect(() => renderComponent({ ...broker, traits: [{ type, properties }] })).toThrow(`${type} sets the environment of the container named field-broker, and StatefulSet field-broker has none`);
  });

  it('every trait\'s appliesToWorkloads is what its check accepts', () => {
    const accepts = { 'services.serving.knative.dev': KNATIVE_OUTPUT, 'deployments.apps': DEPLOYMENT_OUTPUT, 'statefulsets.apps': { ...DEPLOYMENT_OUTPUT, kind: 'StatefulSet' } };
    const params: Record<string, Any> = Object.fromEntries(traits.map(([t, p]) => [t, p]));
    for (const entry of CATALOG.filter((e) => e.kind === 'TraitDefinition')) {
      for (const [resource, output] of Object.entries(accepts)) {
        const error = fails('trait', entry.name, params[entry.name], output);
        if (entry.appliesToWorkloads!.includes(resource)) expect(error, `${entry.name} on ${resource}`).toBe('');
        else expect(error, `${entry.name} on ${resource}`).toContain(`${entry.name} applies to`);
      }
    }
  });
});

describe('KubeVela conventions (issue 11)', () => {
  const traitDefs = CATALOG.filter((e) => e.kind === 'TraitDefinition').map((e) => [e.name, definition('trait', e.name)] as const);

  it.each(traitDefs)('trait %s reports user errors in errs, never as a forced CUE conflict', (_name, def) => {
    expect(def.template).toContain('errs: [for m in _errs {m}]');
    expect(def.template).not.toMatch(/" & true/);
  });

  it('a trait\'s errs is what KubeVela shows the user, not "conflicting values"', () => {
    const base = { name: 'w', type: 'knative-webservice', properties: { image: 'a:1' } };
    expect(() => renderComponent({ ...base, traits: [{ type: 'autoscaler', properties: { min: 5, max: 2 } }] })).toThrow(/^component w: min must not exceed max$/);
  });

  it('the image and port of knative-webservice have vela-core\'s short flags (i, p) after their usage', () => {
    const template = definition('component', 'knative-webservice').template;
    const lines = (/^parameter: \{[\s\S]*?^\}/m.exec(template)?.[0] ?? '').split('\n').map((l) => l.trim());
    for (const [field, short] of [['image', 'i'], ['port', 'p']]) {
      const at = lines.findIndex((l) => l.startsWith(`${field}:`));
      expect(lines[at - 1]).toBe(`// +short=${short}`);
      expect(lines[at - 2]).toMatch(/^\/\/ \+usage=\S/);
    }
  });

  it('every parameter of every definition has a +usage comment', () => {
    for (const dir of ['components', 'traits', 'policies']) {
      for (const f of readdirSync(join(ROOT, 'definitions', dir))) {
        const block = /^parameter: \{[\s\S]*?^\}/m.exec(loadDefinition(join(ROOT, 'definitions', dir, f)).template)?.[0] ?? '';
        const lines = block.split('\n').slice(1, -1);
        lines.forEach((line, i) => {
          if (/^\s*("[^"]+"|[A-Za-z_][A-Za-z0-9_]*)\??:/.test(line)) {
            const above = lines.slice(0, i).reverse().find((l) => !/^\s*\/\/ \+short=/.test(l));
            expect(above, `${dir}/${f}: ${line.trim()}`).toMatch(/^\s*\/\/ \+usage=\S/);
          }
        });
      }
    }
  });

  it('no definition takes the name of a vela-core 1.10 built-in, so the built-ins stay as they are for every team', () => {
    // vela-core v1.10.9 charts/vela-core/templates/defwithtemplate/ (metadata.name of each file;
    // the Go module proxy serves v1.10.9, not v1.10.3).
    const BUILT_IN = {
      components: ['cron-task', 'daemon', 'k8s-objects', 'raw', 'ref-objects', 'statefulset', 'task', 'webservice', 'worker'],
      traits: ['affinity', 'annotations', 'command', 'configmap', 'container-image', 'container-ports', 'cpuscaler', 'env', 'expose', 'gateway', 'hostalias', 'hpa', 'ingress', 'ingress-1-20', 'init-container', 'json-merge-patch', 'json-patch', 'k8s-update-strategy', 'labels', 'lifecycle', 'nocalhost', 'node-affinity', 'podsecuritycontext', 'pure-ingress', 'pvc', 'resource', 'scaler', 'securitycontext', 'service-account', 'service-binding', 'sidecar', 'startup-probe', 'storage', 'topologyspreadconstraints', 'volumes'],
      policies: ['apply-once', 'envbinding', 'garbage-collect', 'override', 'read-only', 'replication', 'resource-update', 'shared-resource', 'take-over', 'topology'],
    };
    for (const [dir, names] of Object.entries(BUILT_IN)) {
      const ours = readdirSync(join(ROOT, 'definitions', dir)).map((f) => f.replace(/\.yaml$/, ''));
      expect(ours.filter((n) => names.includes(n)), dir).toEqual([]);
    }
  });
});

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
  const READY_STATE: Record<string, Any> = { tfjob: { conditions: [{ type: 'Created', status: 'True' }, { type: 'Running', status: 'True' }] } };
  const statesOf = (type: string) => STATES.map(([label, status, healthy]): [string, Any | undefined, boolean] => [label, label === 'ready' && READY_STATE[type] ? READY_STATE[type] : status, healthy]);

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
    expect(healthOf(def, { ...output, status: { replicas: 1, readyReplicas: 1 } })).toEqual({ isHealth: { ok: true, value: true }, message: { ok: true, value: 'broker ready on mqtt://my-component:1883' } });
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
