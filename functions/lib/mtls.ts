/**
 * Mutual TLS between Crossplane and a function: the function proves itself with
 * the server certificate Crossplane mounts (tls.crt, tls.key) and serves only a
 * caller whose client certificate was issued by a CA in ca.crt. Everyone else
 * gets UNAUTHENTICATED on every call.
 *
 * **Why OpenSSL's own check of the client certificate is not used.** Crossplane
 * v2.2.1's client certificate (Secret `crossplane-tls-client`, written by
 * `crossplane core init`) is made in internal/initializer/tls.go
 * (ensureClientCertificate) and cert_generator.go of
 * github.com/crossplane/crossplane/v2@v2.2.1:
 *   - subject `C=Earth, ST=Earth, L=Earth, O=Crossplane, CN=Crossplane`
 *     (`pkixName`), the SAME subject as the root CA (Secret `crossplane-root-ca`)
 *     that signs it, so its issuer equals its subject;
 *   - keyUsage digitalSignature, keyEncipherment, dataEncipherment;
 *     extendedKeyUsage clientAuth; basicConstraints CA:FALSE; a SAN
 *     `<service account>.<namespace>` (cmd/crossplane/core/init.go); 10 years;
 *   - no subjectKeyIdentifier (Go's x509.CreateCertificate makes one only for a
 *     CA) and no authorityKeyIdentifier (Go copies the parent's subject key id
 *     only when issuer and subject differ): crypto/x509/x509.go,
 *     CreateCertificate, read in Go 1.26.8; the Secret `crossplane core init`
 *     writes on the local control plane has exactly these extensions.
 * OpenSSL, which Node's TLS uses (Node 26.12.1 bundles OpenSSL 3.5), flags a
 * certificate as self-signed when its issuer name equals its subject name and
 * its authorityKeyIdentifier, if any, does not contradict that
 * (openssl/openssl crypto/x509/v3_purp.c, ossl_x509v3_cache_extensions:
 * EXFLAG_SI, then EXFLAG_SS when X509_check_akid passes, which it does without
 * the extension). A self-signed leaf that is not itself trusted fails with
 * error 18 ("self-signed certificate"; `openssl verify` says so for such a
 * certificate, test/conformance/serving.test.ts checks it first). Go's
 * crypto/x509 (and so function-sdk-go) finds the CA by name and checks the
 * signature. Requiring the client certificate in Node's TLS
 * (`rejectUnauthorized`) therefore refuses every call from a real Crossplane
 * (it did on the local control plane of `make e2e-local`).
 *
 * **What is verified instead.** The TLS layer requests the client certificate
 * but accepts the handshake whatever OpenSSL thinks of it; then
 * {@link clientCertificateRefusal} checks the certificate the connection
 * presented with node:crypto's X509Certificate: present; not a CA; issued by a
 * CA in ca.crt (issuer name and key usage match, `checkIssued`, and the
 * signature verifies with that CA's public key); and, when it has an
 * extendedKeyUsage, allowed for clientAuth (once per connection: none of that
 * changes while it is open); and within its validity period (on every call). The chain must
 * be one step (ca.crt holds the issuing CA), as Crossplane's is. Not checked:
 * revocation (Crossplane publishes none) and the keyUsage bits (node:crypto does
 * not expose them).
 *
 * **How.** grpc-js 1.14.7's own TLS server hides the TLS socket from the call
 * (`getAuthContext()` returns the peer certificate only when OpenSSL accepted
 * it: build/src/server-interceptors.js, BaseServerInterceptingCall), so this
 * module terminates TLS itself with node:tls and hands each connection to the
 * gRPC server through its public `createConnectionInjector` (build/src/server.js;
 * the injected connections' sessions are the server's own, so `tryShutdown` and
 * `forceShutdown` close them as before). A server interceptor
 * (`createServerCredentialsWithInterceptors`, build/src/server-credentials.js)
 * finds the connection of each call by its remote address and port
 * (`getConnectionInfo()`) and ends the call with UNAUTHENTICATED unless the
 * certificate passes.
 */
import * as grpc from '@grpc/grpc-js';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type Server as TlsServer, type TLSSocket } from 'node:tls';
import type { Logger } from 'pino';

/** id-kp-clientAuth and anyExtendedKeyUsage (RFC 5280, 4.2.1.12). */
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const ANY_EXTENDED_KEY_USAGE = '2.5.29.37.0';

/** Every certificate of a PEM bundle (ca.crt may hold more than one CA). */
export function parseCertificates(pem: string): X509Certificate[] {
  return (pem.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? []).map((block) => new X509Certificate(block));
}

function issuedBy(peer: X509Certificate, ca: X509Certificate): boolean {
  try {
    return ca.ca && peer.checkIssued(ca) && peer.verify(ca.publicKey);
  } catch {
    // A key type the CA's key cannot verify (say, an Ed25519 signature): not issued by it.
    return false;
  }
}

/**
 * What about `peer` cannot change while its connection is open (present; not
 * a CA; issued by a CA in ca.crt; allowed for clientAuth): a short reason
 * naming no certificate content, or undefined. Checked once per connection.
 */
function connectionRefusal(peer: X509Certificate | undefined, cas: readonly X509Certificate[]): string | undefined {
  if (peer === undefined) return 'no client certificate';
  if (peer.ca) return 'a CA certificate is not a client certificate';
  if (!cas.some((ca) => issuedBy(peer, ca))) return 'not issued by a CA in ca.crt';
  // node:crypto calls the extendedKeyUsage OIDs `keyUsage`; undefined when the extension is absent.
  const eku = peer.keyUsage as string[] | undefined;
  if (eku !== undefined && !eku.includes(CLIENT_AUTH) && !eku.includes(ANY_EXTENDED_KEY_USAGE)) return 'extendedKeyUsage does not allow clientAuth';
  return undefined;
}

/** The certificate's validity period at `now`: checked on every call, since a connection can outlive it. */
function validityRefusal(peer: X509Certificate, now: Date): string | undefined {
  if (now < peer.validFromDate) return 'not valid yet';
  if (now > peer.validToDate) return 'expired';
  return undefined;
}

/**
 * Why `peer` may not call at `now` (a short reason, naming no certificate
 * content), or undefined when it may: see the module comment for each rule.
 */
export function clientCertificateRefusal(peer: X509Certificate | undefined, cas: readonly X509Certificate[], now: Date): string | undefined {
  return connectionRefusal(peer, cas) ?? validityRefusal(peer!, now);
}

const connectionKey = (address: string | undefined, port: number | undefined) => `${address ?? ''} ${port ?? ''}`;

/**
 * Listen on host:port with TLS from `dir` (tls.crt, tls.key, ca.crt) and serve
 * `server`'s services to callers whose client certificate passes
 * {@link clientCertificateRefusal}. Resolves with the TLS server once it
 * listens (close it to stop accepting connections); rejects on a listen error.
 */
export async function listenMutualTls(server: grpc.Server, host: string, port: number, dir: string, logger: Logger): Promise<TlsServer> {
  const file = (name: string) => readFileSync(join(dir, name));
  const caPem = file('ca.crt');
  const cas = parseCertificates(caPem.toString('utf8')).filter((ca) => ca.ca);
  if (cas.length === 0) throw new Error(`${join(dir, 'ca.crt')}: no CA certificate`);

  // The certificate each open connection presented and what was found about it
  // once (the signature check is the costly part), by remote address and port
  // (unique among the open TCP connections to one listener).
  type Peer = { cert: X509Certificate | undefined; refusal: string | undefined };
  const peers = new Map<string, Peer>();
  const refusal = (info: grpc.ServerInterceptingCallInterface) => {
    const { remoteAddress, remotePort } = info.getConnectionInfo();
    const peer = peers.get(connectionKey(remoteAddress, remotePort));
    if (peer === undefined) return 'unknown connection';
    return peer.refusal ?? validityRefusal(peer.cert!, new Date());
  };
  const authenticate: grpc.ServerInterceptor = (_method, call) =>
    new grpc.ServerInterceptingCall(call, {
      start: (next) =>
        next(
          new grpc.ServerListenerBuilder()
            .withOnReceiveMetadata((metadata, forward) => {
              const reason = refusal(call);
              // The handler never starts for a refused call: nothing is composed.
              if (reason === undefined) forward(metadata);
              else call.sendStatus({ code: grpc.status.UNAUTHENTICATED, details: `client certificate refused: ${reason}` });
            })
            .build(),
        ),
    });
  // TLS is already terminated here, so the gRPC side of the connection is plaintext HTTP/2.
  const injector = server.createConnectionInjector(grpc.experimental.createServerCredentialsWithInterceptors(grpc.ServerCredentials.createInsecure(), [authenticate]));

  const tlsServer = createServer({
    key: file('tls.key'),
    cert: file('tls.crt'),
    ca: caPem,
    // Ask for the client certificate, but let the handshake finish whatever
    // OpenSSL thinks of it (error 18 above); the interceptor decides.
    requestCert: true,
    rejectUnauthorized: false,
    // gRPC is HTTP/2; grpc-go (Crossplane) insists on negotiating h2.
    ALPNProtocols: ['h2'],
  });
  tlsServer.on('secureConnection', (socket: TLSSocket) => {
    // A peer resetting the connection must not be an unhandled 'error' (grpc-js does the same, nodejs/node#35824).
    socket.on('error', (error) => logger.debug(`TLS connection error: ${error.message}`));
    const cert = socket.getPeerX509Certificate();
    const key = connectionKey(socket.remoteAddress, socket.remotePort);
    const entry: Peer = { cert, refusal: connectionRefusal(cert, cas) };
    peers.set(key, entry);
    socket.once('close', () => {
      if (peers.get(key) === entry) peers.delete(key);
    });
    const reason = entry.refusal ?? validityRefusal(cert!, new Date());
    // Once per connection, not per call; the subject only (cut short: the peer chose it), never the certificate.
    const subject = cert ? `, subject ${cert.subject.replaceAll('\n', ', ').slice(0, 200)}` : '';
    if (reason !== undefined) logger.warn(`client certificate refused (${reason}): connection from ${socket.remoteAddress ?? 'unknown'}${subject}`);
    injector.injectConnection(socket);
  });
  // A client that does not trust our certificate, speaks plaintext or has no h2: its handshake fails, nothing else.
  tlsServer.on('tlsClientError', (error) => logger.debug(`TLS handshake failed: ${error.message}`));
  return new Promise((resolve, reject) => {
    tlsServer.once('error', reject);
    tlsServer.listen({ host, port }, () => {
      tlsServer.off('error', reject);
      tlsServer.on('error', (error) => logger.error(`TLS server error: ${error.message}`));
      resolve(tlsServer);
    });
  });
}
