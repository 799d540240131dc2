/**
 * The Mosquitto configuration and password file the functions write, loaded
 * by a real broker (Debian's mosquitto, installed by `make tools`) on
 * loopback: the right password connects, a wrong one and anonymous do not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mosquittoConf, passwordFile, MQTT_PORT } from '../../functions/lib/mosquitto.js';
import { waitForPort } from '../../harness/servers.js';

const MOSQUITTO = process.env.MOSQUITTO ?? '/usr/sbin/mosquitto';
const PUB = process.env.MOSQUITTO_PUB ?? '/usr/bin/mosquitto_pub';
const PORT = 18830;
let broker: ChildProcess | undefined;

beforeAll(async () => {
  for (const bin of [MOSQUITTO, PUB]) {
    if (!existsSync(bin)) throw new Error(`${bin} not found: run \`make debian-packages\` (Debian's mosquitto and mosquitto-clients)`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'mosquitto-'));
  // Run as root, mosquitto drops to its own user: let it read and write here.
  chmodSync(dir, 0o777);
  writeFileSync(
    join(dir, 'passwords'),
    passwordFile([
      { username: 'platform', password: 'platform-secret-1' },
      { username: 'device1', password: 'device-secret-2' },
    ]),
    { mode: 0o644 },
  );
  // The generated configuration, pointed at a loopback test port and this folder.
  const conf = mosquittoConf({ websockets: false, persistence: true })
    .replace(`listener ${MQTT_PORT}`, `listener ${PORT} 127.0.0.1`)
    .replace('/mosquitto/auth/passwords', join(dir, 'passwords'))
    .replace('/mosquitto/data/', `${dir}/`);
  writeFileSync(join(dir, 'mosquitto.conf'), conf, { mode: 0o644 });
  broker = spawn(MOSQUITTO, ['-c', join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
  await waitForPort(PORT);
});
afterAll(() => broker?.kill('SIGTERM'));

function publish(args: string[]) {
  return spawnSync(PUB, ['-h', '127.0.0.1', '-p', String(PORT), '-t', 'health/device_data', '-m', '{"deviceId":"d1"}', ...args], { encoding: 'utf8', timeout: 10_000 });
}

describe('mosquitto accepts the generated password file', () => {
  it('lets each user in with its password', () => {
    expect(publish(['-u', 'device1', '-P', 'device-secret-2']).status).toBe(0);
    expect(publish(['-u', 'platform', '-P', 'platform-secret-1']).status).toBe(0);
  });

  it('refuses a wrong password and anonymous clients', () => {
    const wrong = publish(['-u', 'device1', '-P', 'nope']);
    expect(wrong.status).not.toBe(0);
    expect(wrong.stderr).toMatch(/not authori[sz]ed/i);
    expect(publish([]).status).not.toBe(0);
  });
});
