/**
 * Lenses HQ (UI 9991, agents 10000) and one Lenses Agent. Their configuration
 * files are rendered here into Secrets (they carry the license, the agent key
 * and database passwords); this replaces the seed's busybox config job. The
 * license and agent key come from Secrets the operator provides; until they
 * exist the component waits and says which one it needs.
 */
import { createHash } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { stringify } from 'yaml';
import { BoundedCache, memoize } from '../../lib/memo.js';
import { configDigest, describeRef, secretData, secretObject, type SecretKeyRef } from '../../lib/secrets.js';
import { deployment, secretEnv, service } from '../../lib/k8s/workloads.js';
import { composedYamlField, CREDENTIALS_SECRET, host, keptMessage, labels, readiness, res, resources, type Component, type Platform } from '../context.js';
import { AGENT_HEAP, IMAGES } from '../images.js';
import { HQ_AGENTS_PORT, HQ_HTTP_PORT, kafkaUrls, LENSES_ADMIN, POSTGRES_PORT } from '../names.js';

const BCRYPT_ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/**
 * One entry per claim's admin password (a 64-character key, a 60-character
 * hash: about 1 MiB when full). It held 64 once: a function serving more than
 * 64 realtime platforms missed on every call and spent a bcrypt (70 ms of CPU)
 * per reconcile, 40 times its steady cost (bench/claims-scale.ts).
 */
const hashes = new BoundedCache<string>(4096);
/** How long after answering from an observed hash it is checked (bcrypt blocks the thread 60-150 ms). */
export const VERIFY_AFTER_MS = 1000;

/** The salt (cost and 22 characters) bcrypt is given for a password: derived from it, so the hash is the same on every reconcile. */
function saltFor(password: string): string {
  const seed = createHash('sha256').update(`lenses-hq-salt\u0000${password}`).digest();
  return '$2a$10$' + Array.from(seed.subarray(0, 22), (b) => BCRYPT_ALPHABET[b % 64]).join('');
}

/**
 * The hash in an observed HQ configuration that was made with this salt. bcrypt
 * writes the salt back re-encoded (its last character keeps 2 of its 6 bits), so
 * the comparison is with that form.
 */
function observedHashWithSalt(config: string | undefined, salt: string): string | undefined {
  if (!config) return undefined;
  const canonical = salt.slice(0, 7) + bcrypt.encodeBase64(bcrypt.decodeBase64(salt.slice(7), 16), 16);
  return config.match(/\$2a\$10\$[./A-Za-z0-9]{53}/g)?.find((h) => h.startsWith(canonical));
}

/**
 * bcrypt hash for HQ's user list. The salt is derived from the password, so
 * the rendered config (and the Secret) is the same on every reconcile; the
 * result is cached because bcrypt is deliberately slow (cost 10: 60-150 ms
 * here, more than everything else a cold start does).
 *
 * A function that restarts finds its claims' configurations already composed:
 * when the observed configuration holds a hash made with this password's salt
 * (the salt is derived from the password, 132 bits of it), that hash is
 * answered at once and checked a moment later (VERIFY_AFTER_MS: after the
 * response is written, off the path of the calls a restart is flooded with). A
 * hash that does not check out (edited by hand) is replaced by the computed one
 * from the next call on. So a restart answers without bcrypt, and the output is
 * the same as before whenever the observed hash is genuine.
 */
export function adminPasswordHash(password: string, observedConfig?: string): string {
  const key = createHash('sha256').update(password).digest('hex');
  return hashes.get(key, () => {
    const salt = saltFor(password);
    const seen = observedHashWithSalt(observedConfig, salt);
    if (seen === undefined) return bcrypt.hashSync(password, salt);
    setTimeout(() => {
      const computed = bcrypt.hashSync(password, salt);
      if (computed !== seen) hashes.set(key, computed);
    }, VERIFY_AFTER_MS).unref();
    return seen;
  });
}

/** The configuration files as YAML, rendered once per distinct content. */
const yaml = memoize((value: unknown) => stringify(value));

export function hqConfig(p: Platform, license: string): string {
  return yaml({
    http: { address: `:${HQ_HTTP_PORT}`, secureSessionCookies: false },
    auth: {
      administrators: [LENSES_ADMIN],
      users: [{ username: LENSES_ADMIN, password: adminPasswordHash(p.passwords.LENSES_ADMIN_PASSWORD, secretData(p.observed['lenses-hq-config'])['config.yaml']) }],
    },
    agents: { address: `:${HQ_AGENTS_PORT}` },
    database: { host: `${host(p, 'postgres')}:${POSTGRES_PORT}`, username: 'lenses', password: p.passwords.LENSES_DB_PASSWORD, database: 'hq' },
    license: { key: license, acceptEULA: true },
    logger: { mode: 'text', level: 'info' },
  });
}

export function agentProvisioning(p: Platform, agentKey: string): string {
  const urls = kafkaUrls(p);
  return yaml({
    lensesHq: [
      {
        name: 'lenses-hq',
        version: 1,
        configuration: { server: { value: host(p, 'lenses-hq') }, port: { value: HQ_AGENTS_PORT }, agentKey: { value: agentKey } },
      },
    ],
    kafka: [{ name: 'kafka', version: 1, configuration: { kafkaBootstrapServers: { value: [`PLAINTEXT://${urls.bootstrap}`] }, protocol: { value: 'PLAINTEXT' } } }],
    confluentSchemaRegistry: [{ name: 'schema-registry', version: 1, configuration: { schemaRegistryUrls: { value: [urls.schemaRegistry] } } }],
    connect: [{ name: 'connect', version: 1, configuration: { workers: { value: [urls.connect] } } }],
  });
}

export function lenses(p: Platform): Component | undefined {
  const { lenses: opts } = p.spec;
  if (!opts.enabled) return undefined;
  const missing: string[] = [];
  const kept: SecretKeyRef[] = [];
  // Each value from its operator Secret, or from what was composed with it while that Secret is missing.
  const value = (ref: SecretKeyRef | undefined, field: string, composed: () => string | undefined) => {
    const v = ref ? p.keptSecret(ref, composed) : { kept: false };
    // The Secret and the field that names it: what the operator has to fix.
    if (!v.value) missing.push(ref ? `${describeRef(ref)} (${field})` : field);
    if (v.kept) kept.push(ref!);
    return v.value;
  };
  const license = value(opts.licenseSecretRef, 'spec.lenses.licenseSecretRef', () => composedYamlField(p, 'lenses-hq-config', 'config.yaml', ['license', 'key']));
  const agentKey = value(opts.agentKeySecretRef, 'spec.lenses.agentKeySecretRef', () =>
    composedYamlField(p, 'lenses-agent-provisioning', 'provisioning.yaml', ['lensesHq', 0, 'configuration', 'agentKey', 'value']),
  );
  if (!license || !agentKey) return { resources: {}, waiting: `lenses needs ${missing.join(' and ')}` };

  const hqLabels = labels(p, 'lenses-hq');
  const config = hqConfig(p, license);
  const hq = deployment(
    {
      name: 'lenses-hq',
      namespace: p.ns,
      labels: hqLabels,
      // Rolls the pod when the configuration changes (a Secret volume alone does not restart HQ).
      annotations: { 'platform.example.org/config-digest': configDigest(config) },
      containers: [
        {
          name: 'lenses-hq',
          image: IMAGES.lensesHq,
          args: ['/app/config.yaml'],
          ports: [
            { name: 'http', containerPort: HQ_HTTP_PORT },
            { name: 'agents', containerPort: HQ_AGENTS_PORT },
          ],
          // The PRD's health check: `lenses-hq is-up`.
          readinessProbe: { exec: { command: ['lenses-hq', 'is-up', `127.0.0.1:${HQ_HTTP_PORT}`] }, initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 5 },
          livenessProbe: { tcpSocket: { port: HQ_HTTP_PORT }, initialDelaySeconds: 30, periodSeconds: 20 },
          resources: resources(p, 'lensesHq'),
          volumeMounts: [{ name: 'config', mountPath: '/app/config.yaml', subPath: 'config.yaml', readOnly: true }],
        },
      ],
      volumes: [{ name: 'config', secret: { secretName: 'lenses-hq-config' } }],
    },
    1,
  );
  const provisioning = agentProvisioning(p, agentKey);
  const agent = deployment(
    {
      name: 'lenses-agent',
      namespace: p.ns,
      labels: labels(p, 'lenses-agent'),
      annotations: { 'platform.example.org/config-digest': configDigest(provisioning) },
      containers: [
        {
          name: 'lenses-agent',
          image: IMAGES.lensesAgent,
          env: [
            { name: 'LENSES_PROVISIONING_PATH', value: '/mnt/settings' },
            { name: 'LENSES_HEAP_OPTS', value: AGENT_HEAP[p.spec.resources] },
            { name: 'LENSES_STORAGE_POSTGRES_HOST', value: host(p, 'postgres') },
            { name: 'LENSES_STORAGE_POSTGRES_PORT', value: String(POSTGRES_PORT) },
            { name: 'LENSES_STORAGE_POSTGRES_DATABASE', value: 'agent1' },
            { name: 'LENSES_STORAGE_POSTGRES_USERNAME', value: 'lenses' },
            secretEnv('LENSES_STORAGE_POSTGRES_PASSWORD', CREDENTIALS_SECRET, 'LENSES_DB_PASSWORD'),
          ],
          resources: resources(p, 'lensesAgent'),
          volumeMounts: [{ name: 'settings', mountPath: '/mnt/settings', readOnly: true }],
        },
      ],
      volumes: [{ name: 'settings', secret: { secretName: 'lenses-agent-provisioning' } }],
    },
    1,
  );
  return {
    resources: {
      'lenses-hq-config': res(p, 'lenses-hq-config', secretObject('lenses-hq-config', p.ns, { 'config.yaml': config }, hqLabels), readiness.exists),
      'lenses-hq': res(p, 'lenses-hq', hq, readiness.deployment),
      'lenses-hq-service': res(
        p,
        'lenses-hq-service',
        service('lenses-hq', p.ns, hqLabels, [
          { name: 'http', port: HQ_HTTP_PORT },
          { name: 'agents', port: HQ_AGENTS_PORT },
        ]),
        readiness.exists,
      ),
      'lenses-agent-provisioning': res(
        p,
        'lenses-agent-provisioning',
        secretObject('lenses-agent-provisioning', p.ns, { 'provisioning.yaml': provisioning }, labels(p, 'lenses-agent')),
        readiness.exists,
      ),
      'lenses-agent': res(p, 'lenses-agent', agent, readiness.deployment),
    },
    waiting: kept.length ? keptMessage('lenses', kept) : undefined,
  };
}
