/**
 * Certificates made with openssl the way Crossplane v2.2.1 makes its own
 * (internal/initializer/tls.go and cert_generator.go of
 * github.com/crossplane/crossplane/v2@v2.2.1; functions/lib/mtls.ts has the
 * facts): a root CA and a client certificate with the CA's subject and no key
 * identifiers. Also the impostors the functions must refuse.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Crossplane's `pkixName`, for the CA and every certificate it signs. */
export const CROSSPLANE_SUBJECT = '/C=Earth/ST=Earth/L=Earth/O=Crossplane/CN=Crossplane';

export interface Pair {
  cert: string;
  key: string;
}

export function openssl(args: string[], cwd: string): string {
  return execFileSync('openssl', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

const write = (dir: string, name: string, lines: string[]) => {
  writeFileSync(join(dir, name), lines.join('\n') + '\n');
  return join(dir, name);
};

/**
 * One openssl configuration for every command: Go writes each name attribute
 * as a PrintableString and allows a 5-letter country ("Earth"); openssl's
 * string table (`stbl_section`) and `string_mask = nombstr` make it do the same.
 */
const CONFIG = [
  'openssl_conf = init',
  '[init]',
  'stbl_section = stbl',
  '[stbl]',
  'countryName = min:1,max:64,mask:PRINTABLESTRING,flags:nomask',
  '[req]',
  'distinguished_name = dn',
  'string_mask = nombstr',
  '[dn]',
];

/** openssl's time format for -startdate/-enddate (UTC, seconds). */
const asn1Time = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:T]/g, '')
    .replace(/\.\d+Z$/, 'Z');

/**
 * A root CA as Crossplane's (Secret crossplane-root-ca): serial 2022, the given
 * subject as subject and issuer, CA:TRUE and keyUsage keyCertSign+cRLSign
 * (both critical), a subjectKeyIdentifier (Go adds one to a CA), no
 * authorityKeyIdentifier, SAN DNS:crossplane-root-ca.
 */
export function makeCa(dir: string, name: string, subject = CROSSPLANE_SUBJECT): Pair {
  mkdirSync(dir, { recursive: true });
  const pair = { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
  const config = write(dir, `${name}.cnf`, [
    ...CONFIG,
    '[ext]',
    'basicConstraints = critical,CA:TRUE',
    'keyUsage = critical,keyCertSign,cRLSign',
    'subjectKeyIdentifier = hash',
    'authorityKeyIdentifier = none',
    'subjectAltName = DNS:crossplane-root-ca',
  ]);
  openssl(
    ['req', '-x509', '-config', config, '-newkey', 'rsa:2048', '-nodes', '-keyout', pair.key, '-out', pair.cert, '-extensions', 'ext', '-subj', subject, '-set_serial', '2022', '-days', '2'],
    dir,
  );
  return pair;
}

export interface LeafSpec {
  /** Default: Crossplane's subject, the same as its CA's. */
  subject?: string;
  /** Default clientAuth, as Crossplane's. */
  extendedKeyUsage?: string;
  /** subjectAltName; default DNS:crossplane.crossplane-system (service account crossplane in crossplane-system). */
  subjectAltName?: string;
  /** Default: from an hour ago to a day from now. */
  notBefore?: Date;
  notAfter?: Date;
}

/**
 * A client certificate as Crossplane's (Secret crossplane-tls-client), signed by
 * `ca`: serial 2022, keyUsage digitalSignature+keyEncipherment+dataEncipherment
 * and CA:FALSE (both critical), extendedKeyUsage clientAuth, SAN
 * DNS:crossplane.crossplane-system, and neither subjectKeyIdentifier nor
 * authorityKeyIdentifier. Signed with `openssl ca` for explicit dates (an
 * expired certificate without waiting for one to expire).
 */
export function issueLeaf(dir: string, name: string, ca: Pair, spec: LeafSpec = {}): Pair {
  const pair = { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
  const db = join(dir, `${name}.db`);
  mkdirSync(db, { recursive: true });
  writeFileSync(join(db, 'index'), '');
  writeFileSync(join(db, 'serial'), '07E6\n'); // 2022
  const config = write(dir, `${name}.cnf`, [
    ...CONFIG,
    '[ca]',
    'default_ca = signer',
    '[signer]',
    `database = ${join(db, 'index')}`,
    `new_certs_dir = ${db}`,
    `serial = ${join(db, 'serial')}`,
    'default_md = sha256',
    'policy = any',
    'unique_subject = no',
    'copy_extensions = none',
    '[any]',
    'commonName = optional',
  ]);
  const ext = write(dir, `${name}.ext`, [
    'basicConstraints = critical,CA:FALSE',
    'keyUsage = critical,digitalSignature,keyEncipherment,dataEncipherment',
    `extendedKeyUsage = ${spec.extendedKeyUsage ?? 'clientAuth'}`,
    `subjectAltName = ${spec.subjectAltName ?? 'DNS:crossplane.crossplane-system'}`,
    'subjectKeyIdentifier = none',
    'authorityKeyIdentifier = none',
  ]);
  const csr = join(dir, `${name}.csr`);
  openssl(['req', '-new', '-config', config, '-newkey', 'rsa:2048', '-nodes', '-keyout', pair.key, '-out', csr, '-subj', spec.subject ?? CROSSPLANE_SUBJECT], dir);
  const notBefore = spec.notBefore ?? new Date(Date.now() - 3600_000);
  const notAfter = spec.notAfter ?? new Date(Date.now() + 86400_000);
  openssl(
    [
      'ca',
      '-batch',
      '-notext',
      '-preserveDN',
      '-config',
      config,
      '-cert',
      ca.cert,
      '-keyfile',
      ca.key,
      '-in',
      csr,
      '-out',
      pair.cert,
      '-extfile',
      ext,
      '-startdate',
      asn1Time(notBefore),
      '-enddate',
      asn1Time(notAfter),
    ],
    dir,
  );
  return pair;
}
