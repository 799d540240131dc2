/**
 * How every platform function serves: the SDK's request handling, with TLS
 * from the certificates Crossplane mounts (see {@link tlsCredentials} for why
 * a client certificate is not required yet), and one thing its `serve()`
 * (0.7.0) does not do:
 *
 * - **Bounded shutdown.** On SIGTERM the SDK waits for every call it has accepted, however
 *   many are queued. Here the server stops accepting, finishes what is in flight for at
 *   most `--shutdown-grace` seconds (default {@link DEFAULT_SHUTDOWN_GRACE_SECONDS}, below
 *   Kubernetes' 30 s `terminationGracePeriodSeconds`), then cancels the rest (the caller
 *   sees UNAVAILABLE/CANCELLED and Crossplane retries) and exits.
 *
 * Flags are the SDK's (`--address`, `--insecure`, `--tls-server-certs-dir`, `--debug`) plus
 * `--shutdown-grace`.
 */
import * as grpc from '@grpc/grpc-js';
import {
  DEFAULT_ADDRESS,
  DEFAULT_TLS_SERVER_CERTS_DIR,
  FunctionRunner,
  fromCompose,
  newGrpcServer,
  type ComposeFunction,
} from '@crossplane-org/function-sdk-typescript';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';

/** Seconds to finish calls in flight after SIGTERM before cancelling them; must stay below 30 (Kubernetes' default grace). */
export const DEFAULT_SHUTDOWN_GRACE_SECONDS = 10;

export interface ServeFlags {
  address: string;
  insecure: boolean;
  tlsServerCertsDir: string;
  debug: boolean;
  shutdownGraceSeconds: number;
}

const USAGE = `Flags:
  --address <host:port>            Address to listen on. Default ${DEFAULT_ADDRESS}.
  --insecure                       Serve without TLS (local development only).
  --tls-server-certs-dir <dir>     Directory with tls.crt, tls.key and ca.crt. Default ${DEFAULT_TLS_SERVER_CERTS_DIR}.
  --shutdown-grace <seconds>       After SIGTERM, finish calls in flight for at most this long. Default ${DEFAULT_SHUTDOWN_GRACE_SECONDS}.
  -d, --debug                      Emit debug logs.`;

export function parseServeFlags(argv: string[]): ServeFlags {
  const { values } = parseArgs({
    args: argv,
    allowPositionals: false,
    options: {
      address: { type: 'string', default: DEFAULT_ADDRESS },
      insecure: { type: 'boolean', default: false },
      'tls-server-certs-dir': { type: 'string', default: DEFAULT_TLS_SERVER_CERTS_DIR },
      'shutdown-grace': { type: 'string', default: String(DEFAULT_SHUTDOWN_GRACE_SECONDS) },
      debug: { type: 'boolean', short: 'd', default: false },
    },
  });
  const grace = Number(values['shutdown-grace']);
  if (!Number.isFinite(grace) || grace < 0 || grace >= 30) throw new TypeError('--shutdown-grace: a number of seconds, 0 or more and below 30');
  return {
    address: values.address,
    insecure: values.insecure,
    tlsServerCertsDir: values['tls-server-certs-dir'],
    debug: values.debug,
    shutdownGraceSeconds: grace,
  };
}

/**
 * Server TLS with the certificate Crossplane mounts (tls.crt, tls.key).
 *
 * Client certificates are not required, as in the SDK's own serve(): the
 * client certificate Crossplane v2.2.1 presents (Secret crossplane-tls-client,
 * made by `crossplane core init`) carries the same subject as the root CA that
 * signs it, and OpenSSL, which Node's TLS uses, takes such a leaf for a
 * self-signed certificate and refuses it ("self-signed certificate", error 18)
 * where Go's crypto/x509 (function-sdk-go) accepts it. Requiring it here made
 * every call from a real Crossplane fail (the local control plane of `make
 * e2e-local` showed it). Verifying Crossplane's certificate needs a check of
 * our own on the peer certificate; until then the server only proves itself.
 */
export function tlsCredentials(dir: string): grpc.ServerCredentials {
  const file = (name: string) => readFileSync(join(dir, name));
  return grpc.ServerCredentials.createSsl(file('ca.crt'), [{ private_key: file('tls.key'), cert_chain: file('tls.crt') }], false);
}

/** Serve a compose function with the flags of the command line; returns the server. */
export function serveFunction(compose: ComposeFunction, name: string, argv = process.argv.slice(2)): grpc.Server {
  let flags: ServeFlags;
  try {
    flags = parseServeFlags(argv);
  } catch (error) {
    process.stderr.write(`${name}: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    process.exit(2);
  }
  const logger = pino({ level: flags.debug ? 'debug' : 'info', formatters: { level: (label) => ({ severity: label.toUpperCase() }) } });
  const server = newGrpcServer(new FunctionRunner(fromCompose(compose), logger), logger);
  const credentials = flags.insecure ? grpc.ServerCredentials.createInsecure() : tlsCredentials(flags.tlsServerCertsDir);
  server.bindAsync(flags.address, credentials, (err) => {
    if (err) {
      logger.error(`server bind error: ${err.message}`);
      process.exit(1);
    }
    logger.info(`${name} listening on ${flags.address} (${flags.insecure ? 'insecure' : 'TLS'})`);
  });

  let stopping = false;
  const log = (write: () => void) => {
    try {
      write();
    } catch {
      // A log that cannot be written must not stop the shutdown.
    }
  };
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    // Arm the deadline first: nothing (not even a failing log write) may keep it from exiting.
    // After the grace, cancel whatever is still queued or running and exit.
    const deadline = setTimeout(() => {
      log(() => logger.warn(`shutdown grace of ${flags.shutdownGraceSeconds} s expired, cancelling the calls still in flight`));
      server.forceShutdown();
      process.exit(0);
    }, flags.shutdownGraceSeconds * 1000);
    log(() => logger.info(`received ${signal}, shutting down`));
    server.tryShutdown((err) => {
      clearTimeout(deadline);
      if (err) {
        logger.error(err, 'error during shutdown');
        process.exit(1);
      }
      logger.info('server shut down');
      process.exit(0);
    });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  return server;
}
