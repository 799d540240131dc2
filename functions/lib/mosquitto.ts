/**
 * Eclipse Mosquitto configuration, shared by every API that runs a broker
 * (realtime-platform, iot-broker): mosquitto.conf and the password file in
 * mosquitto's own hashed format.
 */
import { createHash, pbkdf2Sync } from 'node:crypto';

export const MQTT_PORT = 1883;
export const MQTT_WEBSOCKET_PORT = 9001;

export interface MosquittoOptions {
  websockets: boolean;
  persistence: boolean;
}

/** mosquitto.conf: authenticated listeners, persistence under /mosquitto/data, logs to stdout. */
export function mosquittoConf(opts: MosquittoOptions): string {
  return [
    'per_listener_settings false',
    'allow_anonymous false',
    'password_file /mosquitto/auth/passwords',
    `listener ${MQTT_PORT}`,
    'protocol mqtt',
    ...(opts.websockets ? [`listener ${MQTT_WEBSOCKET_PORT}`, 'protocol websockets'] : []),
    ...(opts.persistence ? ['persistence true', 'persistence_location /mosquitto/data/'] : ['persistence false']),
    'log_dest stdout',
    'log_type error',
    'log_type warning',
    'log_type notice',
    '',
  ].join('\n');
}

/**
 * One password-file line as `mosquitto_passwd` writes it since 2.0:
 * `user:$7$<iterations>$<base64 salt>$<base64 PBKDF2-HMAC-SHA512>` (101
 * iterations, 12-byte salt, 64-byte hash). The salt is derived from the user
 * and password instead of drawn at random so the file, and so the composed
 * Secret, is the same on every reconcile; it stays unique per credential.
 */
export function passwordLine(username: string, password: string): string {
  const iterations = 101;
  const salt = createHash('sha256').update(`mosquitto-salt\u0000${username}\u0000${password}`).digest().subarray(0, 12);
  const hash = pbkdf2Sync(password, salt, iterations, 64, 'sha512');
  return `${username}:$7$${iterations}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export function passwordFile(users: { username: string; password: string }[]): string {
  return [...users].sort((a, b) => a.username.localeCompare(b.username)).map((u) => passwordLine(u.username, u.password)).join('\n') + '\n';
}
