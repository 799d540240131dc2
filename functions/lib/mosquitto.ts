/**
 * Eclipse Mosquitto configuration, shared by every API that runs a broker
 * (realtime-platform, iot-broker): mosquitto.conf and the password file in
 * mosquitto's own hashed format.
 */
import { createHash, pbkdf2Sync } from 'node:crypto';
import { IMAGE_REFS } from './pins.js';
import { memoize } from './memo.js';

export const MQTT_PORT = 1883;
/** Eclipse Mosquitto, pinned; it runs as its own user, uid/gid 1883, which satisfies `restricted`. */
export const MOSQUITTO_IMAGE = IMAGE_REFS.mosquitto;
export const MOSQUITTO_UID = 1883;
export const MQTT_WEBSOCKET_PORT = 9001;

export interface MosquittoOptions {
  websockets: boolean;
  persistence: boolean;
}

/** A line of mosquitto.conf and the option it depends on, if any. */
export interface ConfLine {
  line: string;
  when?: 'websockets' | 'persistence' | 'no-persistence';
}

/**
 * Every line mosquitto.conf can have: authenticated listeners, persistence
 * under /mosquitto/data, logs to stdout. The functions filter it with
 * mosquittoConf; the iot-broker KubeVela definition turns the conditions into
 * CUE, so both write the same configuration.
 */
export const MOSQUITTO_CONF_LINES: ConfLine[] = [
  { line: 'per_listener_settings false' },
  { line: 'allow_anonymous false' },
  { line: 'password_file /mosquitto/auth/passwords' },
  { line: `listener ${MQTT_PORT}` },
  { line: 'protocol mqtt' },
  { line: `listener ${MQTT_WEBSOCKET_PORT}`, when: 'websockets' },
  { line: 'protocol websockets', when: 'websockets' },
  { line: 'persistence true', when: 'persistence' },
  { line: 'persistence_location /mosquitto/data/', when: 'persistence' },
  { line: 'persistence false', when: 'no-persistence' },
  { line: 'log_dest stdout' },
  { line: 'log_type error' },
  { line: 'log_type warning' },
  { line: 'log_type notice' },
];

/** mosquitto.conf for the given options. */
export function mosquittoConf(opts: MosquittoOptions): string {
  const holds = (when: ConfLine['when']) =>
    when === undefined || (when === 'websockets' && opts.websockets) || (when === 'persistence' && opts.persistence) || (when === 'no-persistence' && !opts.persistence);
  return (
    MOSQUITTO_CONF_LINES.filter((l) => holds(l.when))
      .map((l) => l.line)
      .join('\n') + '\n'
  );
}

/**
 * Turns a file of `user:password` lines (mode 0600, writable) into
 * mosquitto's hashed password file in place, with the broker's own tool.
 * The iot-broker definition runs it in an init container, from a Secret
 * whose keys are user names and values their passwords.
 */
export const HASH_PASSWORDS_SCRIPT = [
  'set -eu',
  'umask 077',
  ': > "$PASSWORD_FILE"',
  'for f in "$CREDENTIALS_DIR"/*; do printf \'%s:%s\\n\' "$(basename "$f")" "$(cat "$f")" >> "$PASSWORD_FILE"; done',
  'mosquitto_passwd -U "$PASSWORD_FILE"',
].join('\n');

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

/** The password file; PBKDF2 is deliberately slow, so each distinct user list is hashed once (memo.ts). */
export const passwordFile = memoize(function passwordFile(users: { username: string; password: string }[]): string {
  return (
    [...users]
      .sort((a, b) => a.username.localeCompare(b.username))
      .map((u) => passwordLine(u.username, u.password))
      .join('\n') + '\n'
  );
});

/**
 * A password file with more lines: those of users whose password cannot be
 * read now, kept from the file composed before (the realtime platform keeps a
 * user whose password Secret was deleted, components/mqtt.ts). Sorted by user
 * as passwordFile sorts, so the file is the same as before.
 */
export function withKeptLines(file: string, lines: string[]): string {
  if (lines.length === 0) return file;
  const user = (line: string) => line.slice(0, line.indexOf(':'));
  return [...file.split('\n').filter(Boolean), ...lines].sort((a, b) => user(a).localeCompare(user(b))).join('\n') + '\n';
}
