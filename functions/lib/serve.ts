/**
 * How every platform function serves: the SDK's request handling, and two
 * things its `serve()` (0.7.0) does not do:
 *
 * - **Mutual TLS.** With the certificates Crossplane mounts (tls.crt, tls.key,
 *   ca.crt), a call is served only when the caller presents a client certificate
 *   issued by a CA in ca.crt, as Crossplane does; anyone else gets
 *   UNAUTHENTICATED. The SDK's serve() does not ask for a client certificate at
 *   all, and Node's TLS cannot be left to check it: it refuses Crossplane
 *   v2.2.1's certificate as self-signed (OpenSSL error 18). functions/lib/mtls.ts
 *   says why and what is checked instead.
 * - **Bounded shutdown.** On SIGTERM the SDK waits for every call it has accepted, however
 *   many are queued. Here the server stops accepting, finishes what is in flight for at
 *   most `--shutdown-grace` seconds (default {@link DEFAULT_SHUTDOWN_GRACE_SECONDS}, below
 *   Kubernetes' 30 s `terminationGracePeriodSeconds`), then cancels the rest (the caller
 *   sees UNAVAILABLE/CANCELLED and Crossplane retries) and exits.
 *
 * Flags are the SDK's (`--address`, `--insecure`, `--tls-server-certs-dir`, `--debug`) plus
 * `--shutdown-grace` and `--help` (prints them and exits 0, after the whole function has
 * loaded: the image's build runs it to fill Node's compile cache, see the Dockerfile).
 */
import * as grpc from '@grpc/grpc-js';
import { DEFAULT_ADDRESS, DEFAULT_TLS_SERVER_CERTS_DIR, FunctionRunner, fromCompose, newGrpcServer, type ComposeFunction } from '@crossplane-org/function-sdk-typescript';
import type { Server as TlsServer } from 'node:tls';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { listenMutualTls } from './mtls.js';

/** Seconds to finish calls in flight after SIGTERM before cancelling them; must stay below 30 (Kubernetes' default grace). */
export const DEFAULT_SHUTDOWN_GRACE_SECONDS = 10;

export interface ServeFlags {
  address: string;
  /** `address` split for node:tls (TLS only): grpc-js's other forms (unix:, dns:) are refused there. */
  listen?: { host: string; port: number };
  insecure: boolean;
  tlsServerCertsDir: string;
  debug: boolean;
  shutdownGraceSeconds: number;
  /** `--help`/`-h`: print the flags and exit 0 instead of serving. */
  help: boolean;
}

export const USAGE = `Flags:
  --address <host:port>            Address to listen on. Default ${DEFAULT_ADDRESS}.
  --insecure                       Serve without TLS and without client certificates (local development only).
  --tls-server-certs-dir <dir>     Directory with tls.crt, tls.key and ca.crt (the CA of the client certificates). Default ${DEFAULT_TLS_SERVER_CERTS_DIR}.
  --shutdown-grace <seconds>       After SIGTERM, finish calls in flight for at most this long. Default ${DEFAULT_SHUTDOWN_GRACE_SECONDS}.
  -d, --debug                      Emit debug logs.
  -h, --help                       Print these flags and exit.`;

/**
 * `host:port` or `[ipv6]:port`, as node:net listens on (a name such as
 * localhost is bound at the one address it resolves to first, where grpc-js
 * binds every address).
 */
function hostPort(address: string): { host: string; port: number } {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(address);
  const port = Number(match?.[3]);
  if (!match || port > 65535) throw new TypeError(`--address: host:port or [ipv6]:port with TLS, got ${JSON.stringify(address.slice(0, 100))}`);
  return { host: match[1] ?? match[2] ?? '', port };
}

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
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const grace = Number(values['shutdown-grace']);
  if (!Number.isFinite(grace) || grace < 0 || grace >= 30) throw new TypeError('--shutdown-grace: a number of seconds, 0 or more and below 30');
  return {
    address: values.address,
    ...(values.insecure ? {} : { listen: hostPort(values.address) }),
    insecure: values.insecure,
    tlsServerCertsDir: values['tls-server-certs-dir'],
    debug: values.debug,
    shutdownGraceSeconds: grace,
    help: values.help,
  };
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
  if (flags.help) {
    process.stdout.write(`${name}: a Crossplane composition function (gRPC RunFunction).\n${USAGE}\n`);
    process.exit(0);
  }
  const logger = pino({ level: flags.debug ? 'debug' : 'info', formatters: { level: (label) => ({ severity: label.toUpperCase() }) } });
  const server = newGrpcServer(new FunctionRunner(fromCompose(compose), logger), logger);
  const listening = (how: string) => logger.info(`${name} listening on ${flags.address} (${how})`);
  const bindFailed = (err: Error) => {
    logger.error(`cannot serve: ${err.message}`);
    process.exit(1);
  };
  // With TLS the connections come in through node:tls (functions/lib/mtls.ts): on
  // shutdown it must stop accepting too, and the calls in flight are done only
  // when its connections have closed (grpc-js's tryShutdown does not wait for
  // connections it did not accept itself).
  let tlsServer: TlsServer | undefined;
  if (flags.listen === undefined) {
    server.bindAsync(flags.address, grpc.ServerCredentials.createInsecure(), (err) => (err ? bindFailed(err) : listening('insecure')));
  } else {
    listenMutualTls(server, flags.listen.host, flags.listen.port, flags.tlsServerCertsDir, logger).then((listener) => {
      tlsServer = listener;
      listening('mutual TLS');
    }, bindFailed);
  }

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
    const connectionsClosed = new Promise<void>((resolve) => (tlsServer ? tlsServer.close(() => resolve()) : resolve()));
    server.tryShutdown(
      (err) =>
        void connectionsClosed.then(() => {
          clearTimeout(deadline);
          if (err) {
            logger.error(err, 'error during shutdown');
            process.exit(1);
          }
          logger.info('server shut down');
          process.exit(0);
        }),
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  return server;
}
