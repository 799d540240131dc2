/**
 * Every object the platform emits, validated against the upstream schema of
 * its kind at the version the cluster runs (functions/lib/pins.ts): what each
 * function composes for every example claim and for each option on and off
 * (first call, requirements answered, steady state), the OAM Application the
 * application function writes into Git, the XR status each function writes,
 * what every KubeVela definition outputs for a minimal and a full parameter
 * set and for the example Applications (trait patches applied to the
 * component they patch), and the generated install/ objects.
 *
 * A field the schema does not declare, a wrong type or an apiVersion the
 * release does not serve fails the test. Kinds no schema covers must be in
 * UNCOVERED (and docs/conventions.md says why); the per-kind count is printed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import type { ComposeFunction } from '@crossplane-org/function-sdk-typescript';
import { FUNCTIONS } from '../../functions/catalog.js';
import type { KubeObject } from '../../functions/lib/k8s/objects.js';
import { claimToXr } from '../../harness/claims.js';
import { vcontext } from '../../harness/cue.js';
import { definition, evaluate, renderApplication } from '../../harness/oam.js';
import { ROOT } from '../../harness/tools.js';
import { answer, desired, fatals, requestFor, run } from '../support/request.js';
import { platformRegistry } from '../support/schemas.js';

type Obj = Record<string, unknown>;
const registry = platformRegistry();
const counts = new Map<string, number>();
const uncoveredSeen = new Map<string, string>();

/**
 * Kinds no kept schema covers, and why. docs/conventions.md lists the same
 * ("Upstream truth: pins and schema validation", "Not covered, and why").
 */
export const UNCOVERED: Record<string, string> = {};

function check(where: string, obj: Obj): void {
  const verdict = registry.check(obj);
  const key = `${String(obj.apiVersion)}/${String(obj.kind)}`;
  if (!verdict) {
    uncoveredSeen.set(key, where);
    return;
  }
  expect(verdict.errors, `${where}: ${key} against ${verdict.source}`).toEqual([]);
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

const readDocs = (file: string): Obj[] =>
  parseAllDocuments(readFileSync(join(ROOT, file), 'utf8'))
    .map((d) => d.toJS() as Obj)
    .filter((d) => d && d.kind);

afterAll(() => {
  const rows = [...counts.entries()].sort(([a], [b]) => a.localeCompare(b));
  const total = rows.reduce((n, [, c]) => n + c, 0);
  console.log(`objects validated against upstream schemas, per kind (${total} in all):\n${rows.map(([k, c]) => `  ${String(c).padStart(4)}  ${k}`).join('\n')}`);
  if (uncoveredSeen.size) console.log(`kinds without a schema: ${[...uncoveredSeen.keys()].join(', ')}`);
});

// ---------------------------------------------------------------------------
// Composition functions

/** Everything one claim makes the function emit: first call, requirements answered, steady state. */
async function emitted(fn: ComposeFunction, claim: KubeObject, cluster: KubeObject[]): Promise<{ name: string; obj: Obj }[]> {
  const first = await run(fn, requestFor(claim));
  expect(fatals(first), 'the variant itself must be valid').toEqual([]);
  const required = answer(first, cluster);
  const second = await run(fn, requestFor(claim, {}, required));
  const steady = await run(fn, requestFor(claim, desired(second), required));
  const out: { name: string; obj: Obj }[] = [];
  for (const [stage, rsp] of [
    ['first', first],
    ['required', second],
    ['steady', steady],
  ] as const) {
    for (const [name, obj] of Object.entries(desired(rsp))) out.push({ name: `${stage}/${name}`, obj: obj as Obj });
    const status = (rsp.desired?.composite?.resource as Obj | undefined)?.status;
    if (status) out.push({ name: `${stage}/xr-status`, obj: { ...claimToXr(claim), status } });
  }
  return out;
}

const set = (claim: KubeObject, path: string, value: unknown): KubeObject => {
  const c = structuredClone(claim) as Obj;
  const keys = ['spec', ...path.split('.')];
  let o = c;
  for (const k of keys.slice(0, -1)) o = (o[k] ??= {}) as Obj;
  if (value === undefined) delete o[keys.at(-1)!];
  else o[keys.at(-1)!] = value;
  return c as KubeObject;
};

/** Per function of the catalog: options on and off, applied to examples/<function>/claim.yaml. */
const VARIANTS: Record<string, [string, unknown][]> = {
  'event-driven-service': [
    ['initContainer', undefined],
    ['secretName', undefined],
    ['imagePullSecrets', undefined],
    ['size', 'large'],
    ['nats.useHttps', true],
    ['nats.monitoringEndpoint', 'nats-mon.nats.svc:8222'],
  ],
  'realtime-platform': [
    ['database', 'mysql'],
    ['database', 'mongodb'],
    ['visualization', 'grafana'],
    ['iot', false],
    ['mqtt.websockets', false],
    ['lenses.enabled', false],
    ['ingress.enabled', false],
    ['snowflake', { enabled: true, credentialsSecret: 'snowflake' }],
    ['resources', 'large'],
    ['kafka.replicas', 1],
    ['mqttUsers', undefined],
  ],
  application: [
    ['cache', 'none'],
    ['database', 'none'],
    ['realtime', undefined],
    ['appContainer', undefined],
    ['framework', undefined],
  ],
  vcluster: [
    ['features.argocd', true],
    ['networking.isolation', false],
    ['networking.exposeApi', true],
    ['size', 'large'],
    ['kubernetes.version', '1.29'],
  ],
};

describe('functions: every composed object against its upstream schema', () => {
  it('every function of the catalog has its options listed here', () => {
    expect(Object.keys(VARIANTS).sort()).toEqual(FUNCTIONS.map((f) => f.name).sort());
  });

  for (const { name: fnName, load } of FUNCTIONS) {
    const folder = `examples/${fnName}`;
    const files = readdirSync(join(ROOT, folder));
    const cluster = files.includes('required.yaml') ? (readDocs(join(folder, 'required.yaml')) as KubeObject[]) : [];
    const claims = files.filter((f) => /^claim.*\.yaml$/.test(f)).map((f) => [f, readDocs(join(folder, f))[0] as KubeObject] as const);
    const base = claims.find(([f]) => f === 'claim.yaml')![1];
    const cases: [string, KubeObject][] = [
      ...claims.map(([f, claim]) => [f, claim] as [string, KubeObject]),
      ...(VARIANTS[fnName] ?? []).map(([path, value]) => [`claim.yaml with ${path}=${JSON.stringify(value)}`, set(base, path, value)] as [string, KubeObject]),
    ];
    it.each(cases)(`${fnName}: %s`, async (_label, claim) => {
      const objs = await emitted((await load()).compose, claim, cluster);
      expect(objs.length).toBeGreaterThan(0);
      for (const { name, obj } of objs) {
        check(`${fnName} ${name}`, obj);
        // The OAM Application the application function commits to Git.
        if (obj.kind === 'RepositoryFile') {
          const content = ((obj.spec as Obj).forProvider as Obj).content as string;
          check(`${fnName} ${name} content`, parse(content) as Obj);
        }
      }
    });
  }
});

// ---------------------------------------------------------------------------
// KubeVela definitions (real cue)

/** A valid Knative Service and Deployment for traits to patch. */
const KNATIVE = {
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Service',
  metadata: { name: 'my-comp' },
  spec: { template: { spec: { containers: [{ name: 'my-comp', image: 'example/app:1.0' }] } } },
};
const DEPLOYMENT = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'my-comp' },
  spec: {
    selector: { matchLabels: { app: 'my-comp' } },
    template: { metadata: { labels: { app: 'my-comp' } }, spec: { containers: [{ name: 'my-comp', image: 'example/app:1.0' }] } },
  },
};

/**
 * A trait patch applied the way KubeVela's patchKey merge does for these
 * definitions: objects merge, lists of named items merge by name, other
 * lists are replaced.
 */
function applyPatch(base: unknown, patch: unknown): unknown {
  if (Array.isArray(base) && Array.isArray(patch)) {
    if (![...base, ...patch].every((x) => x && typeof x === 'object' && 'name' in x)) return patch;
    const out = base.map((b) => structuredClone(b) as Obj);
    for (const p of patch as Obj[]) {
      const i = out.findIndex((b) => b.name === p.name);
      if (i >= 0) out[i] = applyPatch(out[i], p) as Obj;
      else out.push(p);
    }
    return out;
  }
  if (base && patch && typeof base === 'object' && typeof patch === 'object' && !Array.isArray(base)) {
    const out = { ...(base as Obj) };
    for (const [k, v] of Object.entries(patch as Obj)) out[k] = k in out ? applyPatch(out[k], v) : v;
    return out;
  }
  return patch;
}

/** Minimal (required only) and full (every option set) parameters of each definition. */
const PARAMS: Record<string, { kind: 'component' | 'trait' | 'policy'; min: Obj; full: Obj[] }> = {
  kafka: {
    kind: 'component',
    min: {},
    full: [
      {
        replicas: 3,
        storageSize: '20Gi',
        topics: [{ name: 'orders', partitions: 6, replicationFactor: 3 }, { name: 'audit' }],
        metrics: true,
        resources: { cpu: '1', memory: '2Gi', cpuLimit: '2', memoryLimit: '4Gi' },
      },
    ],
  },
  redis: { kind: 'component', min: {}, full: [{ replicas: 2, storageSize: '4Gi', persistence: false, password: { secretName: 'redis-auth' }, metrics: true }] },
  mongodb: {
    kind: 'component',
    min: { database: 'catalog' },
    full: [
      {
        replicas: 3,
        database: 'catalog',
        auth: { enabled: true, username: 'shop', existingSecret: 'mongo-auth' },
        backup: { enabled: true, schedule: '30 1 * * *', storageSize: '2Gi' },
        metrics: true,
      },
    ],
  },
  'neon-postgres': {
    kind: 'component',
    min: { database: 'orders' },
    full: [{ database: 'orders', remoteKey: 'prod/neon/orders', secretName: 'orders-pg', sslMode: 'verify-full', secretStore: { name: 'vault', kind: 'SecretStore' }, refreshInterval: '15m' }],
  },
  'auth0-idp': {
    kind: 'component',
    min: { domain: 'acme.eu.auth0.com', audience: 'https://api.acme.com' },
    full: [
      {
        domain: 'acme.auth0.com',
        audience: 'a',
        scopes: ['openid', 'read:orders'],
        compliance: 'hipaa',
        remoteKey: 'idp/orders',
        secretStore: { name: 'vault', kind: 'SecretStore' },
        refreshInterval: '5m',
      },
    ],
  },
  'rasa-chatbot': { kind: 'component', min: { rasaImage: 'acme/bot-rasa:1.0', actionsImage: 'acme/bot-actions:1.0' }, full: [] },
  'iot-broker': {
    kind: 'component',
    min: { auth: { secretName: 'broker-users' } },
    full: [{ auth: { secretName: 'u' }, websockets: false, persistence: { enabled: false }, serviceType: 'LoadBalancer' }],
  },
  'knative-webservice': {
    kind: 'component',
    min: { image: 'example/app:1.0' },
    full: [{ image: 'example/app:1.0', language: 'python', framework: 'fastapi', database: 'postgres', cache: 'redis', realtime: 'health-data', env: { FEATURE: 'on' } }],
  },
  'application-infrastructure': {
    kind: 'component',
    min: { name: 'health-api' },
    full: [{ name: 'health-api', language: 'python', framework: 'fastapi', database: 'postgres', cache: 'redis', appContainer: 'custom-repo' }],
  },
  'realtime-platform': {
    kind: 'component',
    min: { name: 'health-data' },
    full: [{ name: 'health-data', database: 'mysql', visualization: 'grafana', iot: false, scaling: { minReplicas: 2, maxReplicas: 4 }, lenses: { enabled: false } }],
  },
  'event-driven-service': {
    kind: 'component',
    min: { image: 'example/worker:1.0', nats: { url: 'nats://nats.nats.svc:4222', stream: 'S', consumer: 'c' } },
    full: [{ image: 'example/worker:1.0', size: 'large', kafka: { bootstrapServers: 'kafka:9092', topic: 't', consumerGroup: 'g', offsetResetPolicy: 'earliest' }, secretName: 'cfg' }],
  },
  vcluster: {
    kind: 'component',
    min: {},
    full: [{ size: 'large', kubernetes: { version: '1.29' }, networking: { isolation: false, exposeApi: true }, features: { istio: true, knative: true, argocd: true, observability: true } }],
  },
  tfjob: {
    kind: 'component',
    min: { image: 'tf:2.16' },
    full: [
      {
        image: 'tf:2.16',
        command: ['python', 'train.py'],
        args: ['--epochs=3'],
        mode: 'distributed',
        workers: 3,
        parameterServers: 2,
        gpus: 2,
        env: [
          { name: 'A', value: 'b' },
          { name: 'K', secret: { name: 's', key: 'k' } },
        ],
        volumes: [
          { name: 'data', mountPath: '/data', pvc: 'datasets', readOnly: true },
          { name: 'cfg', mountPath: '/cfg', configMap: 'train-cfg' },
          { name: 'creds', mountPath: '/creds', secret: 'train-creds' },
        ],
        nodeSelector: { 'platform.example.org/workload-profile': 'gpu' },
        tolerations: [{ key: 'dedicated', value: 'ml', effect: 'NoSchedule' }],
        restartPolicy: 'ExitCode',
        cleanPodPolicy: 'All',
        backoffLimit: 2,
        activeDeadlineSeconds: 3600,
        ttlSecondsAfterFinished: 600,
      },
    ],
  },
  'karpenter-nodepool': {
    kind: 'component',
    min: { clusterName: 'prod', nodeRole: 'KarpenterNodeRole-prod' },
    full: [
      {
        clusterName: 'prod',
        nodeRole: 'KarpenterNodeRole-prod',
        profile: 'gpu',
        instanceFamilies: ['g5', 'g6'],
        instanceSizes: ['xlarge', '2xlarge'],
        capacityTypes: ['on-demand'],
        architectures: ['amd64', 'arm64'],
        taints: [{ key: 'team', value: 'ml' }],
        labels: { team: 'ml' },
      },
      { clusterName: 'prod', nodeRole: 'KarpenterNodeRole-prod', profile: 'memory' },
    ],
  },
  'aws-apigateway': {
    kind: 'component',
    min: { region: 'eu-west-1', endpoint: { url: 'https://api.example.com' } },
    full: [
      {
        region: 'us-east-1',
        endpoint: { privateIntegration: { vpcLinkId: 'abc123', listenerArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/net/x/y/z' }, method: 'GET', timeoutMilliseconds: 5000 },
        routes: ['GET /orders', 'ANY /{proxy+}'],
        cors: { allowOrigins: ['https://shop.example.com'], allowCredentials: true, exposeHeaders: ['x-request-id'], maxAge: 600 },
        stages: [{ name: '$default' }, { name: 'prod', autoDeploy: false, throttlingBurstLimit: 20, throttlingRateLimit: 50.5, variables: { backend: 'blue' } }],
        description: 'shop API',
        tags: { team: 'shop' },
        providerConfig: { kind: 'ProviderConfig', name: 'shop-aws' },
      },
    ],
  },
  'snowflake-datawarehouse': {
    kind: 'component',
    min: { organization: 'acme', account: 'analytics', database: 'health_data' },
    full: [
      {
        organization: 'acme',
        account: 'analytics',
        database: 'health_data',
        schema: 'RAW',
        dataRetentionDays: 7,
        warehouse: { name: 'STREAM_WH', size: 'MEDIUM', autoSuspend: 300, maxClusterCount: 3 },
        user: 'KAFKA_SINK',
        secretName: 'health-snowflake',
        adminCredentials: { secretName: 'sf-admin', role: 'SYSADMIN' },
        providerConfig: { kind: 'ProviderConfig', name: 'tf' },
      },
    ],
  },
  'domain-route': {
    kind: 'trait',
    min: { domain: 'api.example.com' },
    full: [
      { domain: 'api.example.com', tls: { enabled: true } },
      { domain: 'api.example.com', path: '/v1', port: 9000 },
    ],
  },
  autoscaler: { kind: 'trait', min: {}, full: [{ min: 0, max: 4 }, { cpu: 70 }, { min: 2, max: 8, cpu: 60 }] },
  'kafka-producer': { kind: 'trait', min: { platform: 'health-data', topics: ['a'] }, full: [{ bootstrapServers: 'kafka:9092', topics: ['a', 'b'] }] },
  'kafka-consumer': {
    kind: 'trait',
    min: { platform: 'health-data', topics: ['a'], consumerGroup: 'g' },
    full: [{ bootstrapServers: 'kafka:9092', topics: ['a', 'b'], consumerGroup: 'g', offsetReset: 'earliest' }],
  },
  health: {
    kind: 'policy',
    min: { targets: [{ component: 'api' }] },
    full: [{ probeInterval: 1, probeTimeout: 3, targets: [{ component: 'api', path: '/ready', port: 8080 }, { component: 'web' }] }],
  },
  'security-policy': { kind: 'policy', min: {}, full: [{ allowedNamespaces: ['istio-system'], allowedOrigins: ['203.0.113.0/24'], egress: 'restrict' }] },
};

function checkRendered(where: string, r: { output?: Obj; outputs: Record<string, Obj> }): number {
  let n = 0;
  if (r.output) {
    check(`${where} output`, r.output);
    n++;
  }
  for (const [name, o] of Object.entries(r.outputs)) {
    check(`${where} outputs.${name}`, o);
    n++;
  }
  return n;
}

describe('KubeVela definitions: every object the CUE templates output against its upstream schema', () => {
  it('covers every generated definition', () => {
    const generated = ['components', 'traits', 'policies'].flatMap((d) => readdirSync(join(ROOT, 'definitions', d)).map((f) => f.replace(/\.yaml$/, '')));
    expect(Object.keys(PARAMS).sort()).toEqual(generated.sort());
  });

  const cases = Object.entries(PARAMS).flatMap(([type, p]) => [[type, 'min', p.min] as const, ...p.full.map((f, i) => [type, `full${i || ''}`, f] as const)]);
  it.each(cases)('%s %s', (type, _label, params) => {
    const p = PARAMS[type];
    const ctx = vcontext('my-comp', 'team-a', 'shop');
    if (p.kind === 'trait') {
      // A trait patches or adds to the component it is attached to: try it on both workload kinds it supports.
      let rendered = 0;
      for (const base of [KNATIVE, DEPLOYMENT]) {
        let r;
        try {
          r = evaluate(definition('trait', type), params, ctx, base);
        } catch {
          continue; // the trait refuses this workload kind (its own rule)
        }
        rendered += checkRendered(`trait ${type} on ${base.kind}`, r) + 1;
        check(`trait ${type} patch on ${base.kind}`, applyPatch(base, r.patch ?? {}) as Obj);
      }
      expect(rendered).toBeGreaterThan(0);
      return;
    }
    const r = evaluate(definition(p.kind, type), params, ctx);
    expect(checkRendered(`${p.kind} ${type}`, r)).toBeGreaterThan(0);
  });

  it.each(readdirSync(join(ROOT, 'examples/oam')))('example Application %s: components, trait outputs and patches, policies', (file) => {
    const app = renderApplication(join('examples/oam', file));
    // KubeVela's render (harness/oam.ts): the workload with every trait's patch applied, and every auxiliary object.
    for (const c of app.components) checkRendered(`${file} ${c.name} with its traits`, c);
    for (const p of app.policies) checkRendered(`${file} policy ${p.name}`, p);
  });
});

// ---------------------------------------------------------------------------
// Generated install objects

describe('install/: the objects the GitOps bootstrap applies before the APIs', () => {
  it.each(readdirSync(join(ROOT, 'install')))('%s', (file) => {
    const docs = readDocs(join('install', file));
    expect(docs.length).toBeGreaterThan(0);
    for (const d of docs) check(`install/${file}`, d);
  });
});

describe('coverage', () => {
  it('a kind without a schema is listed with its reason', () => {
    for (const [key, where] of uncoveredSeen) expect(UNCOVERED, `${key} (from ${where}) has no schema and is not listed`).toHaveProperty([key]);
  });
});
