/**
 * The realtime platform: a namespace `{name}-realtime` with every component,
 * the connection Secrets, and the status that says what is ready and what is
 * still missing. Operator Secrets (Lenses license and agent key, API token,
 * MQTT user passwords, Snowflake credentials) are requested through the
 * function's requirements and read on the next call.
 */
import type { ResourceSelector } from '@crossplane-org/function-sdk-typescript';
import type { ComposeInput, ComposeOutput, DesiredResource } from '../lib/function/compose.js';
import { requirementName, secretRequirement, type SecretKeyRef } from '../lib/secrets.js';
import type { RealtimePlatformSpec } from './api.js';
import { labels, platformOf, readiness, res, type Component, type Platform } from './context.js';
import { endpoints } from './names.js';
import { appDatabase } from './components/app-database.js';
import { connectionSecrets, secretKinds, secretName } from './components/connection-secrets.js';
import { dashboard } from './components/dashboard.js';
import { kafka } from './components/kafka.js';
import { lenses } from './components/lenses.js';
import { mqtt } from './components/mqtt.js';
import { networking } from './components/networking.js';
import { pipeline } from './components/pipeline.js';
import { postgres } from './components/postgres.js';

function namespace(p: Platform): Component {
  return {
    resources: {
      namespace: res(
        p,
        'namespace',
        {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: {
            name: p.ns,
            labels: {
              ...labels(p, 'namespace'),
              // fast-data-dev needs root (see components/kafka.ts), which `baseline`
              // allows; everything else is built for `restricted`, and the API
              // server warns about any pod that is not.
              'pod-security.kubernetes.io/enforce': 'baseline',
              'pod-security.kubernetes.io/warn': 'restricted',
              'pod-security.kubernetes.io/audit': 'restricted',
            },
          },
        },
        readiness.exists,
      ),
    },
  };
}

/** Every operator Secret the spec refers to. */
export function referencedSecrets(spec: RealtimePlatformSpec): SecretKeyRef[] {
  const refs: (SecretKeyRef | undefined)[] = [
    ...(spec.lenses.enabled ? [spec.lenses.licenseSecretRef, spec.lenses.agentKeySecretRef, spec.lenses.apiTokenSecretRef] : []),
    ...(spec.iot && spec.mqtt.enabled ? (spec.mqttUsers ?? []).map((u) => u.passwordSecretRef) : []),
    ...(spec.snowflake.enabled && spec.snowflake.credentialsSecret ? [{ name: spec.snowflake.credentialsSecret, key: 'SNOWFLAKE_URL' }] : []),
  ];
  return refs.filter((r): r is SecretKeyRef => r !== undefined);
}

export function composeRealtimePlatform({ spec, claim, observed, required }: ComposeInput<RealtimePlatformSpec>): ComposeOutput {
  const p = platformOf(spec, claim.namespace, observed, required);
  const components: Record<string, Component | undefined> = {
    namespace: namespace(p),
    postgres: postgres(p),
    kafka: kafka(p),
    'app-db': appDatabase(p),
    lenses: lenses(p),
    mqtt: mqtt(p),
    [spec.visualization]: dashboard(p),
    pipeline: pipeline(p),
    networking: networking(p),
    secrets: connectionSecrets(p),
  };
  const resources: Record<string, DesiredResource> = {};
  const componentReady: Record<string, boolean> = {};
  const waiting: string[] = [];
  for (const [name, c] of Object.entries(components)) {
    if (!c) continue;
    Object.assign(resources, c.resources);
    componentReady[name] = Object.values(c.resources).every((r) => r.ready !== false) && !c.waiting;
    if (c.waiting) waiting.push(c.waiting);
  }
  const notReady = Object.entries(componentReady)
    .filter(([, ok]) => !ok)
    .map(([n]) => n);
  const ready = notReady.length === 0;

  const requirements: Record<string, ResourceSelector> = { ...p.passwordRequirements };
  for (const ref of referencedSecrets(spec)) requirements[requirementName(ref, claim.namespace)] = secretRequirement(ref, claim.namespace);

  const warnings = (spec.mqttUsers ?? [])
    .filter((u) => u.password !== undefined)
    .map((u) => `spec.mqttUsers: user ${u.username} has its password in clear text in the claim; move it to a Secret and use passwordSecretRef`);

  // status.secrets uses the PRD's field names; `database` is the db Secret.
  const statusField = { mqtt: 'mqtt', kafka: 'kafka', db: 'database', metabase: 'metabase', lenses: 'lenses' } as const;
  const secrets = Object.fromEntries(secretKinds(p).map((kind) => [statusField[kind], secretName(p, kind)]));
  return {
    resources,
    ready,
    warnings,
    requirements,
    status: {
      ready,
      message: ready ? 'platform ready' : [`waiting for: ${notReady.join(', ')}`, ...waiting].join('; '),
      namespace: p.ns,
      components: componentReady,
      secrets,
      endpoints: endpoints(p),
    },
  };
}
