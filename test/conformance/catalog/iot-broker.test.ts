/**
 * iot-broker (synth/kubevela/catalog/iot-broker.ts), evaluated with the real
 * cue v0.9.2, and its configuration loaded by a real mosquitto.
 */
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { healthOf } from '../../../harness/cue.js';
import { definition } from '../../../harness/oam.js';
import { waitForPort } from '../../../harness/servers.js';
import { component, fails } from '../../support/catalog.js';

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
    expect(pod.containers[0].ports).toEqual([
      { name: 'mqtt', containerPort: 1883 },
      { name: 'websockets', containerPort: 9001 },
    ]);
    expect(pod.volumes).toContainEqual({ name: 'credentials', secret: { secretName: 'broker-users' } });
    expect(out.outputs.service.spec).toMatchObject({
      type: 'ClusterIP',
      ports: [
        { name: 'mqtt', port: 1883, targetPort: 1883 },
        { name: 'websockets', port: 9001, targetPort: 9001 },
      ],
    });
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

  it("a real mosquitto loads the rendered configuration and the init script's password file", async () => {
    const MOSQUITTO = process.env.MOSQUITTO ?? '/usr/sbin/mosquitto';
    const PUB = process.env.MOSQUITTO_PUB ?? '/usr/bin/mosquitto_pub';
    const PASSWD = '/usr/bin/mosquitto_passwd';
    for (const bin of [MOSQUITTO, PUB, PASSWD]) if (!existsSync(bin)) throw new Error(`${bin} not found: run \`make debian-packages\``);
    const out = component('iot-broker', { auth: { secretName: 'u' }, websockets: false });
    const init = out.output.spec.template.spec.initContainers[0];
    const dir = mkdtempSync(join(tmpdir(), 'iot-broker-'));
    chmodSync(dir, 0o777);
    mkdirSync(join(dir, 'credentials'));
    writeFileSync(join(dir, 'credentials', 'sensor-1'), 'first-secret');
    writeFileSync(join(dir, 'credentials', 'gateway'), 'second-secret');
    // The init container's script, with its environment pointed here.
    const r = spawnSync(init.command[0], init.command.slice(1), {
      env: { PATH: process.env.PATH, CREDENTIALS_DIR: join(dir, 'credentials'), PASSWORD_FILE: join(dir, 'passwords') },
      encoding: 'utf8',
    });
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
