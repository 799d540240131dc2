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
import { describeRef, digest, secretObject } from '../../lib/secrets.js';
import { deployment, secretEnv, service } from '../../lib/k8s/workloads.js';
import { CREDENTIALS_SECRET, host, labels, readiness, res, resources, type Component, type Platform } from '../context.js';
import { AGENT_HEAP, IMAGES } from '../images.js';
import { HQ_AGENTS_PORT, HQ_HTTP_PORT, kafkaUrls, LENSES_ADMIN, POSTGRES_PORT } from '../names.js';

const BCRYPT_ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const hashes = new BoundedCache<string>(64);

/**
 * bcrypt hash for HQ's user list. The salt is derived from the password, so
 * the rendered config (and the Secret) is the same on every reconcile; the
 * result is cached because bcrypt is deliberately slow.
 */
export function adminPasswordHash(password: string): string {
  const key = createHash('sha256').update(password).digest('hex');
  return hashes.get(key, () => {
    const seed = createHash('sha256').update(`lenses-hq-salt\u0000${password}`).digest();
    const salt = '$2a$10$' + Array.from(seed.subarray(0, 22), (b) => BCRYPT_ALPHABET[b % 64]).join('');
    return bcrypt.hashSync(password, salt);
  });
}

/** The configuration files as YAML, rendered once per distinct content. */
const yaml = memoize((value: unknown) => stringify(value));

export function hqConfig(p: Platform, license: string): string {
  return yaml({
    http: { address: `:${HQ_HTTP_PORT}`, secureSessionCookies: false },
    auth: { administrators: [LENSES_ADMIN], users: [{ username: LENSES_ADMIN, password: adminPasswordHash(p.passwords.LENSES_ADMIN_PASSWORD) }] },
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
  const license = opts.licenseSecretRef && p.secret(opts.licenseSecretRef);
  const agentKey = opts.agentKeySecretRef && p.secret(opts.agentKeySecretRef);
  if (!license) missing.push(opts.licenseSecretRef ? describeRef(opts.licenseSecretRef) : 'spec.lenses.licenseSecretRef');
  if (!agentKey) missing.push(opts.agentKeySecretRef ? describeRef(opts.agentKeySecretRef) : 'spec.lenses.agentKeySecretRef');
  if (!license || !agentKey) return { resources: {}, waiting: `lenses needs ${missing.join(' and ')}` };

  const hqLabels = labels(p, 'lenses-hq');
  const config = hqConfig(p, license);
  const hq = deployment(
    {
      name: 'lenses-hq',
      namespace: p.ns,
      labels: hqLabels,
      // Rolls the pod when the configuration changes (a Secret volume alone does not restart HQ).
      annotations: { 'platform.example.org/config-digest': digest(config) },
      containers: [
        {
          name: 'lenses-hq',
          image: IMAGES.lensesHq,
          args: ['/app/config.yaml'],
          ports: [{ name: 'http', containerPort: HQ_HTTP_PORT }, { name: 'agents', containerPort: HQ_AGENTS_PORT }],
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
      annotations: { 'platform.example.org/config-digest': digest(provisioning) },
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
        service('lenses-hq', p.ns, hqLabels, [{ name: 'http', port: HQ_HTTP_PORT }, { name: 'agents', port: HQ_AGENTS_PORT }]),
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
  };
}
