/**
 * The client-certificate rules of functions/lib/mtls.ts, on certificates made
 * by openssl the way Crossplane v2.2.1 makes its own
 * (test/support/crossplane-pki.ts), at fixed instants (no clock). The served
 * behaviour (UNAUTHENTICATED, nothing composed) is test/conformance/serving.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clientCertificateRefusal, parseCertificates } from '../../functions/lib/mtls.js';
import { parseServeFlags } from '../../functions/lib/serve.js';
import { issueLeaf, makeCa, type Pair } from '../support/crossplane-pki.js';

let dir = '';
let ca: Pair;
let other: Pair;
const x509 = (pair: Pair) => new X509Certificate(readFileSync(pair.cert));
// The validity window of every leaf below, and instants inside and around it.
const notBefore = new Date('2030-01-01T00:00:00Z');
const notAfter = new Date('2030-01-31T00:00:00Z');
const inside = new Date('2030-01-15T00:00:00Z');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mtls-'));
  ca = makeCa(dir, 'ca');
  other = makeCa(dir, 'other-ca');
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('clientCertificateRefusal', () => {
  it("accepts a certificate like Crossplane v2.2.1's (the CA's subject, no key identifiers) within its validity", () => {
    const crossplane = x509(issueLeaf(dir, 'crossplane', ca, { notBefore, notAfter }));
    // What makes OpenSSL take it for self-signed, and what checkIssued must still accept.
    expect(crossplane.subject).toBe(crossplane.issuer);
    expect(crossplane.subject).toBe(x509(ca).subject);
    expect(crossplane.checkIssued(x509(ca))).toBe(true);
    expect(clientCertificateRefusal(crossplane, [x509(ca)], inside)).toBeUndefined();
    // Its first and last second count.
    expect(clientCertificateRefusal(crossplane, [x509(ca)], notBefore)).toBeUndefined();
    expect(clientCertificateRefusal(crossplane, [x509(ca)], notAfter)).toBeUndefined();
  });

  it('refuses it outside its validity period', () => {
    const crossplane = x509(issueLeaf(dir, 'dated', ca, { notBefore, notAfter }));
    expect(clientCertificateRefusal(crossplane, [x509(ca)], new Date(notBefore.getTime() - 1000))).toBe('not valid yet');
    expect(clientCertificateRefusal(crossplane, [x509(ca)], new Date(notAfter.getTime() + 1000))).toBe('expired');
  });

  it('refuses no certificate, a certificate from another CA with the same subject, the CA itself, and a serverAuth-only one', () => {
    expect(clientCertificateRefusal(undefined, [x509(ca)], inside)).toBe('no client certificate');
    const impostor = x509(issueLeaf(dir, 'impostor', other, { notBefore, notAfter }));
    // Same names as the real one: only the signature tells them apart.
    expect(impostor.checkIssued(x509(ca))).toBe(true);
    expect(clientCertificateRefusal(impostor, [x509(ca)], inside)).toBe('not issued by a CA in ca.crt');
    expect(clientCertificateRefusal(x509(ca), [x509(ca)], inside)).toBe('a CA certificate is not a client certificate');
    const server = x509(issueLeaf(dir, 'server', ca, { notBefore, notAfter, extendedKeyUsage: 'serverAuth' }));
    expect(clientCertificateRefusal(server, [x509(ca)], inside)).toBe('extendedKeyUsage does not allow clientAuth');
  });

  it('reads every CA of a ca.crt bundle and accepts a certificate from any of them', () => {
    const bundle = parseCertificates(readFileSync(other.cert, 'utf8') + readFileSync(ca.cert, 'utf8'));
    expect(bundle.map((c) => c.fingerprint256)).toEqual([x509(other).fingerprint256, x509(ca).fingerprint256]);
    const crossplane = x509(issueLeaf(dir, 'bundled', ca, { notBefore, notAfter }));
    expect(clientCertificateRefusal(crossplane, bundle, inside)).toBeUndefined();
    expect(clientCertificateRefusal(crossplane, bundle.slice(0, 1), inside)).toBe('not issued by a CA in ca.crt');
  });
});

describe('the address node:tls listens on', () => {
  it('is host:port or [ipv6]:port with TLS; --insecure leaves it to grpc-js', () => {
    expect(parseServeFlags([]).listen).toEqual({ host: '0.0.0.0', port: 9443 });
    expect(parseServeFlags(['--address', 'localhost:19461']).listen).toEqual({ host: 'localhost', port: 19461 });
    expect(parseServeFlags(['--address', '[::]:9443']).listen).toEqual({ host: '::', port: 9443 });
    expect(() => parseServeFlags(['--address', 'unix:/tmp/fn.sock'])).toThrow('--address: host:port or [ipv6]:port with TLS');
    expect(() => parseServeFlags(['--address', 'localhost:70000'])).toThrow('--address: host:port or [ipv6]:port with TLS');
    const insecure = parseServeFlags(['--insecure', '--address', 'unix:/tmp/fn.sock']);
    expect(insecure).toMatchObject({ insecure: true, address: 'unix:/tmp/fn.sock' });
    expect(insecure.listen).toBeUndefined();
  });
});
