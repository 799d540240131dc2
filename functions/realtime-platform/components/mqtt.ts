/**
 * Eclipse Mosquitto with authentication, persistence and WebSockets, when
 * IoT is on. Users: the generated `platform` user (the source connector and
 * {name}-mqtt-secret) and spec.mqttUsers, whose passwords come from Secrets.
 */
import { MOSQUITTO_UID, MQTT_PORT, MQTT_WEBSOCKET_PORT, mosquittoConf, passwordFile, withKeptLines } from '../../lib/mosquitto.js';
import { configDigest, describeRef, secretData, secretObject, type SecretKeyRef } from '../../lib/secrets.js';
import { configMap, service, statefulSet } from '../../lib/k8s/workloads.js';
import { restrictedPodSecurity } from '../../lib/k8s/security.js';
import { keptMessage, labels, readiness, res, resources, type Component, type Platform } from '../context.js';
import { IMAGES } from '../images.js';
import { MQTT_PLATFORM_USER } from '../names.js';

/**
 * Users whose passwords are known now, the password-file lines kept for users
 * whose Secret is missing now but who were composed before (their line in the
 * observed file: the password itself cannot be read back), and the Secrets
 * still awaited.
 */
export function mqttUsers(p: Platform): { users: { username: string; password: string }[]; keptLines: string[]; kept: SecretKeyRef[]; missing: string[] } {
  const users = [{ username: MQTT_PLATFORM_USER, password: p.passwords.MQTT_PLATFORM_PASSWORD }];
  const composed = (secretData(p.observed['mosquitto-passwords']).passwords ?? '').split('\n');
  const keptLines: string[] = [];
  const kept: SecretKeyRef[] = [];
  const missing: string[] = [];
  for (const u of p.spec.mqttUsers ?? []) {
    const password = u.password ?? (u.passwordSecretRef && p.secret(u.passwordSecretRef));
    const line = composed.find((l) => l.startsWith(`${u.username}:`));
    if (password) users.push({ username: u.username, password });
    else if (line) {
      keptLines.push(line);
      kept.push(u.passwordSecretRef!);
    } else missing.push(`${describeRef(u.passwordSecretRef!)} (user ${u.username})`);
  }
  return { users, keptLines, kept, missing };
}

export function mqtt(p: Platform): Component | undefined {
  if (!p.iot) return undefined;
  const l = labels(p, 'mqtt');
  const { users, keptLines, kept, missing } = mqttUsers(p);
  const passwords = withKeptLines(passwordFile(users), keptLines);
  const conf = mosquittoConf({ websockets: p.spec.mqtt.websockets, persistence: true });
  const ports = [{ name: 'mqtt', port: MQTT_PORT }, ...(p.spec.mqtt.websockets ? [{ name: 'websockets', port: MQTT_WEBSOCKET_PORT }] : [])];
  const sts = statefulSet(
    {
      name: 'mqtt',
      namespace: p.ns,
      labels: l,
      // Restart on a changed user list or config: mosquitto reads both at start.
      annotations: { 'platform.example.org/config-digest': configDigest(conf, passwords) },
      podSecurity: restrictedPodSecurity({ runAsUser: MOSQUITTO_UID, runAsGroup: MOSQUITTO_UID, fsGroup: MOSQUITTO_UID }),
      containers: [
        {
          name: 'mosquitto',
          image: IMAGES.mosquitto,
          command: ['mosquitto', '-c', '/mosquitto/config/mosquitto.conf'],
          ports: ports.map((x) => ({ name: x.name, containerPort: x.port })),
          readinessProbe: { tcpSocket: { port: MQTT_PORT }, periodSeconds: 5 },
          livenessProbe: { tcpSocket: { port: MQTT_PORT }, initialDelaySeconds: 15, periodSeconds: 20 },
          resources: resources(p, 'mosquitto'),
          volumeMounts: [
            { name: 'config', mountPath: '/mosquitto/config', readOnly: true },
            { name: 'auth', mountPath: '/mosquitto/auth', readOnly: true },
            { name: 'data', mountPath: '/mosquitto/data' },
          ],
        },
      ],
      volumes: [
        { name: 'config', configMap: { name: 'mosquitto-config' } },
        { name: 'auth', secret: { secretName: 'mosquitto-passwords', defaultMode: 0o440 } },
      ],
    },
    [{ name: 'data', size: '1Gi' }],
  );
  return {
    resources: {
      'mosquitto-config': res(p, 'mosquitto-config', configMap('mosquitto-config', p.ns, l, { 'mosquitto.conf': conf }), readiness.exists),
      'mosquitto-passwords': res(p, 'mosquitto-passwords', secretObject('mosquitto-passwords', p.ns, { passwords }, l), readiness.exists),
      mqtt: res(p, 'mqtt', sts, readiness.statefulSet),
      'mqtt-service': res(p, 'mqtt-service', service('mqtt', p.ns, l, ports), readiness.exists),
    },
    waiting: [...(missing.length ? [`mqtt users wait for ${missing.join(', ')}`] : []), ...(kept.length ? [keptMessage('mqtt', kept)] : [])].join('; ') || undefined,
  };
}
