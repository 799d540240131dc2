import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Ready, Severity, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { parse, parseAllDocuments } from 'yaml';
import { compose } from '../../functions/realtime-platform/function.js';
import { processorSql, retentionMs } from '../../functions/realtime-platform/components/pipeline.js';
import { setupScript } from '../../functions/realtime-platform/components/postgres.js';
import { platformOf } from '../../functions/realtime-platform/context.js';
import { realtimePlatform } from '../../functions/realtime-platform/api.js';
import { IMAGE_UIDS } from '../../functions/realtime-platform/images.js';
import { secretData } from '../../functions/lib/secrets.js';
import type { KubeObject } from '../../functions/lib/k8s/objects.js';
import { FUNCTIONS } from '../../functions/catalog.js';
import { answer, claim, desired, fatals, requestFor, run } from '../support/request.js';
import { observedFrom } from '../../harness/request.js';
import { ROOT } from '../../harness/tools.js';

const NS = 'health';
/** Composition resource name of the credentials' copy in the claim namespace. */
const BACKUP = 'credentials-backup-claim-namespace';
const operatorSecrets: KubeObject[] = parseAllDocuments(readFileSync(`${ROOT}/examples/realtime-platform/required.yaml`, 'utf8')).map((d) => d.toJSON());
const exampleSpec = (parse(readFileSync(`${ROOT}/examples/realtime-platform/claim.yaml`, 'utf8')) as KubeObject).spec as Record<string, unknown>;

/** The operator's Snowflake Secret and a spec that uses it. */
const snowflakeSecret: KubeObject = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'snowflake-creds', namespace: NS },
  data: { SNOWFLAKE_URL: 'dXJs', SNOWFLAKE_USER: 'dXNlcg==', SNOWFLAKE_PRIVATE_KEY: 'a2V5' },
};
const withSnowflake = { ...exampleSpec, snowflake: { enabled: true, credentialsSecret: 'snowflake-creds' } };

/** Required resources as Crossplane supplies them, keyed by the requirement names the function asked for. */
const requiredFor = (rsp: RunFunctionResponse): Record<string, KubeObject[]> => answer(rsp, operatorSecrets);

/** Reconcile like Crossplane: first call, fetch what it requires, then call with observed state. */
async function reconcile(spec: object, opts: { rounds?: number; ready?: boolean } = {}) {
  const c = claim('RealtimePlatformClaim', 'health-data', NS, spec);
  let rsp = await run(compose, requestFor(c));
  const required = requiredFor(rsp);
  for (let i = 0; i < (opts.rounds ?? 2); i++) rsp = await run(compose, requestFor(c, observedFrom(rsp, opts.ready ?? true), required));
  return { rsp, out: desired(rsp), required, claim: c };
}

type Pod = { securityContext?: Record<string, unknown>; containers: Record<string, any>[]; initContainers?: Record<string, any>[] }; // eslint-disable-line @typescript-eslint/no-explicit-any
function podOf(o: KubeObject): Pod | undefined {
  return (o.spec as { template?: { spec: Pod } } | undefined)?.template?.spec;
}

describe('realtime-platform: what it composes', () => {
  it('annotates each config-digest with a configDigest (test/unit/digest.test.ts says why)', async () => {
    const { out } = await reconcile(exampleSpec);
    const digests = Object.values(out).flatMap((o) => {
      const template = (o.spec as { template?: { metadata?: { annotations?: Record<string, string> } } } | undefined)?.template;
      return Object.entries({ ...o.metadata?.annotations, ...template?.metadata?.annotations }).filter(([k]) => k.endsWith('/config-digest'));
    });
    expect(digests.length).toBeGreaterThanOrEqual(3);
    for (const [, v] of digests) expect(v).toMatch(/^sha256-[0-9a-f]{8}$/);
  });

  it('puts the platform in {name}-realtime and the connection Secrets in both namespaces', async () => {
    const { out, rsp } = await reconcile(exampleSpec);
    expect(fatals(rsp)).toEqual([]);
    expect(out.namespace).toMatchObject({ kind: 'Namespace', metadata: { name: 'health-data-realtime' } });
    for (const kind of ['mqtt', 'kafka', 'db', 'metabase', 'lenses']) {
      expect(out[`${kind}-secret`].metadata).toMatchObject({ name: `health-data-${kind}-secret`, namespace: NS });
      expect(out[`${kind}-connection-platform`].metadata).toMatchObject({ name: `health-data-${kind}-connection`, namespace: 'health-data-realtime' });
    }
    // The credentials' copy is in the claim namespace: deleting the platform namespace loses no password.
    expect(out[BACKUP].metadata).toMatchObject({ name: 'health-data-platform-credentials-backup', namespace: NS });
    const platformObjects = Object.entries(out).filter(([n]) => !/-secret$/.test(n) && n !== 'namespace' && n !== BACKUP);
    for (const [, o] of platformObjects) expect(o.metadata?.namespace).toBe('health-data-realtime');
    const kinds = Object.values(out).map((o) => `${o.kind}/${o.metadata?.name}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'StatefulSet/postgres',
        'StatefulSet/kafka',
        'StatefulSet/mqtt',
        'Deployment/lenses-hq',
        'Deployment/lenses-agent',
        'Deployment/metabase',
        'Gateway/health-data-gateway',
        'VirtualService/lenses-hq',
        'VirtualService/metabase',
        'VirtualService/mqtt-tcp',
        'VirtualService/mqtt-websockets',
        'NetworkPolicy/default-deny-ingress',
      ]),
    );
    for (const job of ['postgres-setup', 'topics', 'health-schema', 'mqtt-source', 'sql-processors', 'metabase-setup']) {
      expect(kinds.some((k) => k.startsWith(`Job/${job}-`))).toBe(true);
    }
  });

  it('builds objects that pass their Kubernetes schemas', async () => {
    const { rsp } = await reconcile(exampleSpec);
    // Re-run the compose logic directly to get the typed models.
    const { composeRealtimePlatform } = await import('../../functions/realtime-platform/compose.js');
    const v = realtimePlatform.validateSpec(exampleSpec);
    if (!v.ok) throw new Error('example invalid');
    const observed = Object.fromEntries(Object.entries(rsp.desired!.resources).map(([n, r]) => [n, r.resource as KubeObject]));
    const out = composeRealtimePlatform({ spec: v.value, claim: { name: 'health-data', namespace: NS }, xr: {}, observed, required: {} });
    let validated = 0;
    for (const r of Object.values(out.resources)) {
      const m = r.resource as { validate?: () => void };
      if (typeof m.validate === 'function') {
        expect(() => m.validate!()).not.toThrow();
        validated++;
      }
    }
    expect(validated).toBeGreaterThan(15);
  });

  it('runs every pod under `restricted` except fast-data-dev, with requests and limits on every container', async () => {
    const { out } = await reconcile({ ...exampleSpec, database: 'mysql', snowflake: { enabled: false } });
    for (const [name, o] of Object.entries(out)) {
      const pod = podOf(o);
      if (!pod) continue;
      for (const c of [...pod.containers, ...(pod.initContainers ?? [])]) {
        expect(c.resources?.requests && c.resources?.limits, `${name}/${c.name} resources`).toBeTruthy();
      }
      if (name === 'kafka') {
        expect(pod.securityContext).toEqual({ seccompProfile: { type: 'RuntimeDefault' } });
        continue;
      }
      expect(pod.securityContext, name).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      // Images with a named USER need a numeric uid, or the kubelet refuses runAsNonRoot.
      const uid = IMAGE_UIDS[pod.containers[0].image];
      if (uid !== undefined) expect(pod.securityContext!.runAsUser, name).toBe(uid);
      for (const c of pod.containers) expect(c.securityContext, `${name}/${c.name}`).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    }
  });

  it('documents the one pod that is not `restricted` (Kafka) where users read it: the runtime guide links the reference page', () => {
    // docs.test.ts checks that the link resolves (the heading exists) and that the page is reached from the README.
    const runtime = readFileSync(`${ROOT}/docs/runtime.md`, 'utf8');
    const reference = readFileSync(`${ROOT}/docs/reference/realtime-platform.md`, 'utf8');
    expect(runtime).toContain('(reference/realtime-platform.md#pod-security-the-kafka-exception)');
    expect(reference).toContain('## Pod Security: the Kafka exception');
    expect(reference).toContain(`runs under the \`restricted\` Pod Security Standard **except\nKafka**`);
  });

  it('sets up the PRD databases with an idempotent script', () => {
    const v = realtimePlatform.validateSpec({ name: 'x' });
    if (!v.ok) throw new Error();
    const script = setupScript(platformOf(v.value, NS, {}, {}));
    for (const db of ['hq', 'agent1', 'agent2', 'metabaseappdb', 'app']) {
      expect(script).toContain(`SELECT 'CREATE DATABASE ${db} OWNER`);
      expect(script).toContain(`WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '${db}')\\gexec`);
    }
    expect(script).not.toMatch(/[A-Za-z0-9_-]{32}/); // passwords come from the environment, not the script
  });

  it('writes the PRD SQL processors', () => {
    // The PRD's blood-pressure statement, checked by hand against the seed.
    expect(processorSql('blood_pressure_device_topic', ['_value.systolic AS systolic', '_value.diastolic AS diastolic'])).toBe(
      `INSERT INTO blood_pressure_device_topic
STORE KEY AS STRING VALUE AS AVRO
SELECT STREAM
    _value.deviceId AS _key,
    _value.deviceId AS deviceId,
    _value.systolic AS systolic,
    _value.diastolic AS diastolic,
    _value.latitude AS latitude,
    _value.longitude AS longitude,
    _value.timestamp AS createdTime
FROM device_data;`,
    );
  });

  it('turns dataRetention into retention.ms', () => {
    expect(retentionMs('7d')).toBe(604_800_000);
    expect(retentionMs('2w')).toBe(1_209_600_000);
    expect(retentionMs('6m')).toBe(15_552_000_000);
  });

  it('lists every composed kind in its RBAC', async () => {
    const { out } = await reconcile({ ...exampleSpec, snowflake: { enabled: false } });
    const entry = FUNCTIONS.find((f) => f.name === 'realtime-platform')!;
    const plural = (k: string) => (/[^aeiou]y$/.test(k) ? `${k.slice(0, -1)}ies` : `${k}s`);
    for (const o of Object.values(out)) {
      const group = o.apiVersion!.includes('/') ? o.apiVersion!.split('/')[0] : '';
      expect(entry.composes.find((c) => c.apiGroup === group)?.resources, `${o.apiVersion} ${o.kind}`).toContain(plural(o.kind!.toLowerCase()));
    }
  });
});

describe('realtime-platform: stability', () => {
  it('generates passwords once: once converged, further reconciles give the same response', async () => {
    // Two rounds converge: the first observes the resources the operator
    // Secrets unlocked, the second sees them ready. (Thousands of reconciles
    // run in `make soak`, with a budget, not here against vitest's clock.)
    const { rsp, claim: c, required } = await reconcile(exampleSpec, { rounds: 2 });
    const first = JSON.stringify(rsp.desired);
    let current = rsp;
    for (let i = 0; i < 20; i++) current = await run(compose, requestFor(c, observedFrom(current), required));
    expect(JSON.stringify(current.desired)).toBe(first);
  });
});

describe('realtime-platform: generated passwords are never regenerated while a copy exists', () => {
  /**
   * Reconcile `rounds` times against a cluster: what the function desired is
   * applied (observed, and readable live through the requirements), then
   * `lose` takes something away before the next call.
   */
  async function lossScenario(lose: (observed: Record<string, KubeObject>, live: Map<string, KubeObject>, round: number) => void, keys?: string[], rounds = 10) {
    const c = claim('RealtimePlatformClaim', 'health-data', NS, exampleSpec);
    const liveRequired = (rsp: RunFunctionResponse, live: Map<string, KubeObject>) => {
      const out = requiredFor(rsp);
      for (const [name, sel] of Object.entries(rsp.requirements?.resources ?? {})) {
        const found = live.get(`${sel.namespace}/${sel.matchName}`);
        if (name.startsWith('live-secret-')) out[name] = found ? [found] : [];
      }
      return out;
    };
    const live = new Map<string, KubeObject>();
    const apply = (rsp: RunFunctionResponse) => {
      for (const o of Object.values(desired(rsp))) if (o.kind === 'Secret') live.set(`${o.metadata?.namespace}/${o.metadata?.name}`, structuredClone(o));
    };
    // The first reconcile composes the Namespace (the objects in it wait for it); the second everything.
    let rsp = await run(compose, requestFor(c));
    apply(rsp);
    rsp = await run(compose, requestFor(c, observedFrom(rsp), liveRequired(rsp, live)));
    apply(rsp);
    const original = secretData(desired(rsp).credentials);
    expect(Object.keys(original).length).toBeGreaterThan(0);
    const call = async (observed: Record<string, KubeObject>) => {
      // Crossplane's first call of a reconcile has no required resources yet; the second has them.
      const probe = await run(compose, requestFor(c, observed));
      const next = await run(compose, requestFor(c, observed, liveRequired(probe, live)));
      expect(fatals(next)).toEqual([]);
      // Whatever this reconcile writes carries the original passwords, even when it composes only part of the stack.
      agreeWherePresent(desired(next), original, keys ?? Object.keys(original));
      apply(next);
      return next;
    };
    for (let round = 0; round < rounds; round++) {
      const observed = observedFrom(rsp);
      lose(observed, live, round);
      rsp = await call(observed);
    }
    // One reconcile with nothing lost: the whole stack again.
    rsp = await call(observedFrom(rsp));
    return { original, out: desired(rsp) };
  }

  /** Each password copy the response holds equals the original. */
  const agreeWherePresent = (out: Record<string, KubeObject>, original: Record<string, string>, keys: string[]) => {
    const copies: [string, string, string][] = [
      ['db-secret', 'DB_PASSWORD', 'APP_DB_PASSWORD'],
      ['mqtt-secret', 'MQTT_PASSWORD', 'MQTT_PLATFORM_PASSWORD'],
      ['metabase-connection-platform', 'DASHBOARD_ADMIN_PASSWORD', 'DASHBOARD_ADMIN_PASSWORD'],
      ['lenses-secret', 'LENSES_ADMIN_PASSWORD', 'LENSES_ADMIN_PASSWORD'],
    ];
    const pick = (data: Record<string, string>) => Object.fromEntries(keys.map((k) => [k, data[k]]));
    for (const key of ['credentials', BACKUP]) if (out[key]) expect(pick(secretData(out[key])), key).toEqual(pick(original));
    for (const [key, field, from] of copies) if (out[key]) expect(secretData(out[key])[field], key).toBe(original[from]);
  };

  /** The passwords the connection Secrets carry too. */
  const CARRIED = ['APP_DB_PASSWORD', 'MQTT_PLATFORM_PASSWORD', 'DASHBOARD_ADMIN_PASSWORD', 'LENSES_ADMIN_PASSWORD'];

  const copiesAgree = (out: Record<string, KubeObject>, original: Record<string, string>) => {
    expect(secretData(out.credentials)).toEqual(original);
    expect(secretData(out[BACKUP])).toEqual(original);
    expect(secretData(out['db-secret']).DB_PASSWORD).toBe(original.APP_DB_PASSWORD);
    expect(secretData(out['mqtt-secret']).MQTT_PASSWORD).toBe(original.MQTT_PLATFORM_PASSWORD);
    expect(secretData(out['metabase-connection-platform']).DASHBOARD_ADMIN_PASSWORD).toBe(original.DASHBOARD_ADMIN_PASSWORD);
    expect(secretData(out['lenses-secret']).LENSES_ADMIN_PASSWORD).toBe(original.LENSES_ADMIN_PASSWORD);
  };

  it('platform-credentials missing from observed state every other reconcile (apply error, partial apply): read back live', async () => {
    const { original, out } = await lossScenario((observed, _live, round) => {
      if (round % 2 === 0) delete observed.credentials;
    });
    copiesAgree(out, original);
  });

  it('Crossplane observes nothing at all for a reconcile: every password read back live', async () => {
    const { original, out } = await lossScenario((observed) => {
      for (const k of Object.keys(observed)) delete observed[k];
    });
    copiesAgree(out, original);
  });

  it('someone deletes platform-credentials from the cluster, repeatedly: recovered from the backup', async () => {
    const { original, out } = await lossScenario((observed, live) => {
      delete observed.credentials;
      live.delete('health-data-realtime/platform-credentials');
    });
    copiesAgree(out, original);
  });

  it('someone deletes the backup, and another time the credentials: each restores the other', async () => {
    const { original, out } = await lossScenario((observed, live, round) => {
      const [key, name] = round % 2 ? ['credentials', 'health-data-realtime/platform-credentials'] : [BACKUP, 'health/health-data-platform-credentials-backup'];
      delete observed[key];
      live.delete(name);
    });
    copiesAgree(out, original);
  });

  it('both credentials Secrets deleted: the passwords the connection Secrets carry are recovered from them', async () => {
    const { original, out } = await lossScenario((observed, live, round) => {
      if (round > 0) return;
      for (const [key, name] of [
        ['credentials', 'health-data-realtime/platform-credentials'],
        [BACKUP, 'health/health-data-platform-credentials-backup'],
      ]) {
        delete observed[key];
        live.delete(name);
      }
    }, CARRIED);
    const now = secretData(out.credentials);
    for (const k of CARRIED) expect(now[k], k).toBe(original[k]);
  });

  it('the platform namespace deleted by hand, with everything in it: every password recovered (test/chaos, issue 25)', async () => {
    // On the local control plane the four passwords only the credentials Secrets hold were
    // generated again when both Secrets went with the namespace.
    const { original, out } = await lossScenario((observed, live, round) => {
      if (round > 0) return;
      for (const [k, o] of Object.entries(observed)) if (o.metadata?.namespace === 'health-data-realtime' || k === 'namespace') delete observed[k];
      for (const k of [...live.keys()]) if (k.startsWith('health-data-realtime/')) live.delete(k);
    });
    copiesAgree(out, original);
  });

  it('generates a password only when no copy holds it (a key added later), and keeps the others', async () => {
    const { rsp, claim: c, required } = await reconcile(exampleSpec);
    const observed = observedFrom(rsp);
    const before = secretData(observed.credentials);
    for (const key of ['credentials', BACKUP]) {
      const data = { ...(observed[key].data as Record<string, string>) };
      delete data.POSTGRES_PASSWORD;
      observed[key] = { ...observed[key], data };
    }
    const after = secretData(desired(await run(compose, requestFor(c, observed, required))).credentials);
    expect(after.POSTGRES_PASSWORD).toHaveLength(32);
    expect(after.POSTGRES_PASSWORD).not.toBe(before.POSTGRES_PASSWORD);
    for (const k of Object.keys(before).filter((k) => k !== 'POSTGRES_PASSWORD')) expect(after[k]).toBe(before[k]);
  });

  it('reads both credentials Secrets back live: the Secret from the platform namespace, its copy from the claim namespace', async () => {
    const rsp = await run(compose, requestFor(claim('RealtimePlatformClaim', 'health-data', NS, exampleSpec)));
    const live = Object.values(rsp.requirements!.resources).filter((s) => s.matchName?.includes('platform-credentials'));
    expect(live).toEqual([
      { apiVersion: 'v1', kind: 'Secret', matchName: 'platform-credentials', namespace: 'health-data-realtime' },
      { apiVersion: 'v1', kind: 'Secret', matchName: 'health-data-platform-credentials-backup', namespace: NS },
    ]);
  });

  it('an upgrade from the copy in the platform namespace: its passwords are kept, the copy moves to the claim namespace', async () => {
    const { rsp, claim: c, required } = await reconcile(exampleSpec);
    const observed = observedFrom(rsp);
    const original = secretData(observed.credentials);
    // What earlier versions composed: the copy under another resource name, in the platform namespace, and the credentials lost too.
    observed['credentials-backup'] = { ...observed[BACKUP], metadata: { ...observed[BACKUP].metadata, name: 'platform-credentials-backup', namespace: 'health-data-realtime' } };
    delete observed[BACKUP];
    delete observed.credentials;
    const live = Object.fromEntries(Object.entries(required).filter(([k]) => !k.startsWith('live-secret-')));
    const out = desired(await run(compose, requestFor(c, observed, live)));
    expect(secretData(out.credentials)).toEqual(original);
    expect(out[BACKUP].metadata).toMatchObject({ name: 'health-data-platform-credentials-backup', namespace: NS });
    expect(out['credentials-backup']).toBeUndefined();
  });

  it('an upgrade from the platform namespace copies named like the claim namespace ones: their passwords are kept, the copies get names of their own', async () => {
    const { rsp, claim: c, required } = await reconcile(exampleSpec);
    const observed = observedFrom(rsp);
    const original = secretData(observed.credentials);
    // What earlier versions composed: {name}-{kind}-secret in both namespaces, resource `{kind}-secret-platform`;
    // here the only copies left of the dashboard and Lenses admin passwords.
    for (const kind of ['metabase', 'lenses']) {
      const copy = observed[`${kind}-connection-platform`];
      observed[`${kind}-secret-platform`] = { ...copy, metadata: { ...copy.metadata, name: `health-data-${kind}-secret` } };
      delete observed[`${kind}-connection-platform`];
      delete observed[`${kind}-secret`];
    }
    delete observed[BACKUP];
    delete observed.credentials;
    const live = Object.fromEntries(Object.entries(required).filter(([k]) => !k.startsWith('live-secret-')));
    const out = desired(await run(compose, requestFor(c, observed, live)));
    expect(secretData(out.credentials).DASHBOARD_ADMIN_PASSWORD).toBe(original.DASHBOARD_ADMIN_PASSWORD);
    expect(secretData(out.credentials).LENSES_ADMIN_PASSWORD).toBe(original.LENSES_ADMIN_PASSWORD);
    expect(out['metabase-connection-platform'].metadata).toMatchObject({ name: 'health-data-metabase-connection', namespace: 'health-data-realtime' });
    expect(out['metabase-secret-platform']).toBeUndefined();
  });
});

describe('realtime-platform: turning options off', () => {
  it.each([
    ['iot off', { iot: false }, /^(mqtt|mosquitto-|mqtt-source-|health-schema-|vs-mqtt|netpol-allow-mqtt)/],
    ['mqtt.enabled off', { mqtt: { enabled: false } }, /^(mqtt|mosquitto-|mqtt-source-|health-schema-|vs-mqtt|netpol-allow-mqtt)/],
    ['lenses off', { lenses: { enabled: false } }, /^(lenses|sql-processors-|vs-lenses|netpol-allow-lenses)/],
    ['snowflake on then off', { snowflake: { enabled: false } }, /^(snowflake)/],
  ])('%s removes only what it added; stateful parts are untouched', async (_label, change, removable) => {
    const base = withSnowflake;
    operatorSecrets.push(snowflakeSecret);
    const { rsp, claim: c } = await reconcile(base);
    const before = desired(rsp);
    const changed = { ...c, spec: { ...base, ...change } };
    let next = await run(compose, requestFor(changed, observedFrom(rsp), requiredFor(rsp)));
    next = await run(compose, requestFor(changed, observedFrom(next), requiredFor(next)));
    const after = desired(next);
    const removed = Object.keys(before).filter((k) => !(k in after));
    expect(removed.length).toBeGreaterThan(0);
    for (const k of removed) expect(k, `${k} removed`).toMatch(new RegExp(`${removable.source}|-secret(-platform)?$`));
    for (const k of ['postgres', 'kafka', 'credentials', 'namespace', 'postgres-service', 'kafka-service']) {
      expect(JSON.stringify(after[k]), k).toBe(JSON.stringify(before[k]));
    }
    operatorSecrets.pop();
  });

  it('keeps the PostgreSQL data and passwords when the app database moves to mysql', async () => {
    const { rsp, claim: c, required } = await reconcile(exampleSpec);
    const next = desired(await run(compose, requestFor({ ...c, spec: { ...exampleSpec, database: 'mysql' } }, observedFrom(rsp), required)));
    expect(next['app-db-mysql'].kind).toBe('StatefulSet');
    expect(JSON.stringify(next.postgres)).toBe(JSON.stringify(desired(rsp).postgres));
    expect(next.credentials).toEqual(desired(rsp).credentials);
    expect(secretData(next['db-secret'])).toMatchObject({ DB_TYPE: 'mysql', DB_HOST: 'app-db.health-data-realtime.svc.cluster.local', DB_PORT: '3306' });
  });
});

describe('realtime-platform: readiness, status and secrets', () => {
  it('is ready only when every component is, and says what is missing', async () => {
    const { rsp, claim: c, required } = await reconcile(exampleSpec);
    expect(rsp.desired!.composite!.ready).toBe(Ready.READY_TRUE);
    expect(rsp.desired!.composite!.resource!.status).toMatchObject({
      ready: true,
      message: 'platform ready',
      secrets: { mqtt: 'health-data-mqtt-secret', kafka: 'health-data-kafka-secret', database: 'health-data-db-secret', metabase: 'health-data-metabase-secret', lenses: 'health-data-lenses-secret' },
      endpoints: { lensesUI: 'http://lenses-hq.health-data-realtime.local', metabaseUI: 'http://metabase.health-data-realtime.local', mqttWebSocket: 'ws://mqtt.health-data-realtime.local/mqtt' },
    });
    const observed = observedFrom(rsp);
    observed.kafka.status = { replicas: 1, readyReplicas: 0 };
    const next = await run(compose, requestFor(c, observed, required));
    expect(next.desired!.composite!.ready).toBe(Ready.READY_FALSE);
    expect(next.desired!.composite!.resource!.status).toMatchObject({ ready: false, message: 'waiting for: kafka', components: { kafka: false, postgres: true } });
  });

  it('Lenses off (the minimal claim): nothing waits for Lenses, and it is ready once the rest is', async () => {
    const minimal = (parse(readFileSync(`${ROOT}/examples/realtime-platform/claim-minimal.yaml`, 'utf8')) as KubeObject).spec as Record<string, unknown>;
    const { rsp, out } = await reconcile(minimal);
    expect(Object.keys(out).filter((k) => k.startsWith('lenses'))).toEqual([]);
    expect(rsp.desired!.composite!.resource!.status).toMatchObject({ ready: true, message: 'platform ready' });
    expect(rsp.desired!.composite!.ready).toBe(Ready.READY_TRUE);
  });

  it('asks Crossplane for the operator Secrets and waits for them, naming each', async () => {
    const c = claim('RealtimePlatformClaim', 'health-data', NS, exampleSpec);
    const rsp = await run(compose, requestFor(c));
    const operator = Object.entries(rsp.requirements!.resources).filter(([n]) => !n.startsWith('live-secret-'));
    expect(operator.map(([, s]) => s.matchName).sort()).toEqual(['lenses-agent-key', 'lenses-api-token', 'lenses-license', 'mqtt-device1']);
    const out = desired(rsp);
    expect(out['lenses-hq']).toBeUndefined();
    const status = rsp.desired!.composite!.resource!.status;
    expect(status.message).toContain('lenses needs Secret lenses-license key LICENSE_KEY (spec.lenses.licenseSecretRef) and Secret lenses-agent-key key AGENT_KEY (spec.lenses.agentKeySecretRef)');
    expect(status.message).toContain('mqtt users wait for Secret mqtt-device1 key password (user device1)');
    expect(status.message).toContain('SQL processors wait for Secret lenses-api-token key API_TOKEN');
  });

  it("reads operator Secrets only from the claim's namespace, even if a namespace is smuggled in", async () => {
    const spec = { name: 'x', lenses: { licenseSecretRef: { name: 'lic', namespace: 'kube-system' }, agentKeySecretRef: { name: 'ak' } } };
    const rsp = await run(compose, requestFor(claim('RealtimePlatformClaim', 'x', NS, spec)));
    const operator = Object.entries(rsp.requirements!.resources).filter(([n]) => !n.startsWith('live-secret-'));
    expect(operator.map(([, s]) => s.namespace)).toEqual([NS, NS]);
  });

  it('writes the MQTT users into a mosquitto password file', async () => {
    const { out } = await reconcile(exampleSpec);
    const lines = secretData(out['mosquitto-passwords']).passwords.trim().split('\n');
    expect(lines.map((l) => l.split(':')[0])).toEqual(['device1', 'platform']);
    for (const l of lines) expect(l).toMatch(/^[a-z0-9]+:\$7\$101\$[A-Za-z0-9+/]{16}\$[A-Za-z0-9+/]{86}==$/);
  });

  it('accepts an inline MQTT password with a warning that does not repeat it', async () => {
    const { rsp } = await reconcile({ name: 'health-data', lenses: { enabled: false }, mqttUsers: [{ username: 'user1', password: 'hunter2-inline' }] });
    const warnings = rsp.results.filter((r) => r.severity === Severity.SEVERITY_WARNING).map((r) => r.message);
    expect(warnings).toEqual(['spec.mqttUsers: user user1 has its password in clear text in the claim; move it to a Secret and use passwordSecretRef']);
    expect(JSON.stringify(rsp.results)).not.toContain('hunter2');
  });

  it('never puts a secret value into status or results', async () => {
    const { rsp, out, required } = await reconcile(exampleSpec);
    const values = [
      ...Object.values(secretData(out.credentials)),
      ...Object.values(required)
        .flat()
        .flatMap((s) => Object.values(secretData(s))),
    ];
    expect(values.length).toBeGreaterThan(8);
    const visible = JSON.stringify([rsp.desired!.composite!.resource!.status, rsp.results]);
    for (const v of values) expect(visible).not.toContain(v);
  });
});

/**
 * An operator Secret deleted while the claim still refers to it (test/chaos,
 * issue 25): on the local control plane Crossplane deleted Lenses HQ, its agent
 * and their configuration the first reconcile without the license, since it
 * deletes every composed resource a function stops returning. What was composed
 * from the Secret stays as it was, and the status names the missing Secret.
 */
describe('realtime-platform: an operator Secret deleted, then recreated', () => {
  it.each([
    ['lenses-license', exampleSpec],
    ['lenses-agent-key', exampleSpec],
    ['lenses-api-token', exampleSpec],
    ['mqtt-device1', exampleSpec],
    ['snowflake-creds', withSnowflake],
  ])('%s deleted: everything stays as composed, the status names it; recreated: the same again', async (name, spec) => {
    operatorSecrets.push(snowflakeSecret);
    try {
      const { rsp, claim: c, required } = await reconcile(spec);
      const before = desired(rsp);
      expect(Object.keys(before).length).toBeGreaterThan(30);
      const without = Object.fromEntries(Object.entries(required).map(([k, items]) => [k, items.filter((s) => s.metadata?.name !== name)]));
      expect(without, `${name} is one of the required Secrets`).not.toEqual(required);
      // Reconciles without the Secret: each observes what the one before composed.
      let next = rsp;
      for (let i = 0; i < 3; i++) next = await run(compose, requestFor(c, observedFrom(next), without));
      expect(fatals(next)).toEqual([]);
      const during = desired(next);
      expect(Object.keys(during).sort()).toEqual(Object.keys(before).sort());
      for (const [k, o] of Object.entries(before)) expect(JSON.stringify(during[k]), k).toBe(JSON.stringify(o));
      const status = next.desired!.composite!.resource!.status as { ready: boolean; message: string };
      expect(status.ready).toBe(false);
      expect(status.message).toContain(`Secret ${name}`);
      // Recreated with the same values: the response is the one before the deletion.
      const back = await run(compose, requestFor(c, observedFrom(next), required));
      expect(JSON.stringify(back.desired)).toBe(JSON.stringify(rsp.desired));
    } finally {
      operatorSecrets.pop();
    }
  });

  it('a Secret recreated with another value: what is composed from it takes the new value', async () => {
    const { rsp, claim: c, required } = await reconcile(exampleSpec);
    const changed = Object.fromEntries(
      Object.entries(required).map(([k, items]) => [k, items.map((s) => (s.metadata?.name === 'lenses-api-token' ? { ...s, data: { API_TOKEN: Buffer.from('a-new-token').toString('base64') } } : s))]),
    );
    const next = desired(await run(compose, requestFor(c, observedFrom(rsp), changed)));
    expect(secretData(next['lenses-api-token']).API_TOKEN).toBe('a-new-token');
  });
});

describe('realtime-platform: invalid input is a Fatal result naming the field', () => {
  it.each([
    ['a bad retention', { name: 'x', dataRetention: '1 week' }, 'spec.dataRetention: must match ^[0-9]+[dwm]$'],
    ['a name with capitals', { name: 'Health' }, 'spec.name: must match'],
    ['three Kafka brokers', { name: 'x', kafka: { replicas: 3 } }, 'spec.kafka.replicas: must be <= 1'],
    ['an unknown database', { name: 'x', database: 'oracle' }, 'spec.database: must be one of postgres, mysql, mongodb'],
    ['snowflake without credentials', { name: 'x', snowflake: { enabled: true } }, 'spec.snowflake.credentialsSecret: credentialsSecret is required when enabled'],
    [
      'a user with both password forms',
      { name: 'x', mqttUsers: [{ username: 'u', password: 'p', passwordSecretRef: { name: 's' } }] },
      'spec.mqttUsers: each MQTT user needs exactly one of passwordSecretRef and password',
    ],
    ['the reserved user', { name: 'x', mqttUsers: [{ username: 'platform', password: 'p' }] }, 'spec.mqttUsers: the user name platform is reserved'],
    ['a missing name', { database: 'postgres' }, 'spec.name: is required'],
  ])('%s', async (_label, spec, message) => {
    const rsp = await run(compose, requestFor(claim('RealtimePlatformClaim', 'c', NS, spec)));
    expect(fatals(rsp)[0]).toContain(message);
    expect(Object.keys(rsp.desired!.resources)).toEqual([]);
  });
});
