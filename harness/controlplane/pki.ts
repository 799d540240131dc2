/**
 * The control plane's certificates, made with openssl: a CA, the API
 * server's serving certificate, client certificates (admin, the controller
 * manager) and the service-account key pair. Also serving certificates
 * signed by another CA (Crossplane's root CA, for the functions).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface KeyPair {
  cert: string;
  key: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

export function makeCa(dir: string, name: string, cn: string): KeyPair {
  const pair = { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${cn}`, '-keyout', pair.key, '-out', pair.cert], dir);
  return pair;
}

export interface CertSpec {
  cn: string;
  /** Organisation: Kubernetes reads it as the user's group. */
  o?: string;
  /** subjectAltName entries, e.g. DNS:localhost, IP:127.0.0.1. */
  sans?: string[];
  usage: 'server' | 'client';
}

/** A key and certificate signed by the given CA (its files, PEM). */
export function issue(dir: string, name: string, ca: KeyPair, spec: CertSpec): KeyPair {
  const pair = { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
  const csr = join(dir, `${name}.csr`);
  const ext = join(dir, `${name}.ext`);
  writeFileSync(
    ext,
    [
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      `extendedKeyUsage=${spec.usage === 'server' ? 'serverAuth' : 'clientAuth'}`,
      ...(spec.sans?.length ? [`subjectAltName=${spec.sans.join(',')}`] : []),
    ].join('\n') + '\n',
  );
  const subject = `/CN=${spec.cn}${spec.o ? `/O=${spec.o}` : ''}`;
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', subject, '-keyout', pair.key, '-out', csr], dir);
  openssl(['x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial', '-days', '2', '-extfile', ext, '-out', pair.cert], dir);
  return pair;
}

/** The service-account token signing key pair. */
export function serviceAccountKeys(dir: string): { key: string; pub: string } {
  const key = join(dir, 'sa.key');
  const pub = join(dir, 'sa.pub');
  openssl(['genrsa', '-out', key, '2048'], dir);
  openssl(['rsa', '-in', key, '-pubout', '-out', pub], dir);
  return { key, pub };
}
