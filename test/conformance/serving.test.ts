/**
 * How the functions serve in a cluster: bundled (what the image runs), with
 * mutual TLS from the certificates Crossplane mounts (tls.crt, tls.key, ca.crt:
 * a call needs a client certificate issued by the CA in ca.crt, such as
 * Crossplane v2.2.1's, which OpenSSL alone would refuse; functions/lib/mtls.ts
 * says why), and stopping gracefully on SIGTERM with requests in flight,
 * within a bounded grace.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as grpc from '@grpc/grpc-js';
import type { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { functionClient, runFunction } from '../../harness/grpc.js';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { KubeObject } from '../../functions/lib/k8s/objects.js';
import { requestFor } from '../support/request.js';
import { launchFunction } from '../../harness/servers.js';
import { ROOT } from '../../harness/tools.js';
import { bundleAll, bundlePath } from '../../harness/bundle.js';
import { issueLeaf, makeCa } from '../support/crossplane-pki.js';

const BUILD = join(ROOT, '.build/build');
let certs = '';

function sh(cmd: string, args: string[], cwd: string): void {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
}

beforeAll(async () => {
  // The bundled functions, as the Dockerfile builds them (harness/bundle.ts).
  rmSync(BUILD, { recursive: true, force: true });
  await bundleAll(BUILD);
  // Crossplane's root CA and client certificate as `crossplane core init`
  // makes them (test/support/crossplane-pki.ts: the client certificate has the
  // CA's subject and no key identifiers), and the function's server
  // certificate for localhost signed by that CA, as the runtime gets it.
  certs = mkdtempSync(join(tmpdir(), 'tls-'));
  const ca = makeCa(certs, 'ca');
  issueLeaf(certs, 'client', ca);
  writeFileSync(join(certs, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  sh('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'tls.key', '-out', 'tls.csr', '-subj', '/CN=localhost'], certs);
  sh('openssl', ['x509', '-req', '-in', 'tls.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'tls.crt', '-days', '1', '-extfile', 'san.ext'], certs);
  // The callers to refuse: one with the same kind of certificate from another
  // CA with the very same subject (only the signature tells them apart), one
  // whose certificate expired (explicit past dates, no waiting), one whose
  // certificate is for servers only.
  issueLeaf(certs, 'other-ca-client', makeCa(certs, 'other-ca'));
  issueLeaf(certs, 'expired-client', ca, { notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2020-01-02T00:00:00Z') });
  issueLeaf(certs, 'server-only', ca, { extendedKeyUsage: 'serverAuth' });
  // A bound for a hang, not a race: compiling on a busy 2-core machine can take minutes.
}, 600_000);
afterAll(() => {
  rmSync(BUILD, { recursive: true, force: true });
  if (certs) rmSync(certs, { recursive: true, force: true });
});

/** Start a bundled function (or a .ts entry point) with TLS on `port`; its stdout (pino's JSON logs) and stderr are collected. */
async function startTls(fn: string, port: number, extraArgs: string[] = []) {
  const entry = fn.endsWith('.ts') ? fn : bundlePath(fn, BUILD);
  return launchFunction({ entry, port, host: '127.0.0.1', tlsCertsDir: certs, args: extraArgs }, { output: 'all' });
}

const call = (client: grpc.Client, req: RunFunctionRequest) => runFunction(client, req);

const pem = (name: string) => readFileSync(join(certs, name));
/** Client credentials trusting the function's CA, presenting `name`.crt/.key when given (as Crossplane does). */
const clientTls = (name?: string) => (name ? grpc.credentials.createSsl(pem('ca.crt'), pem(`${name}.key`), pem(`${name}.crt`)) : grpc.credentials.createSsl(pem('ca.crt')));

const example = (path: string) => requestFor(parse(readFileSync(join(ROOT, path), 'utf8')) as KubeObject);

describe('mutual TLS with the certificates Crossplane mounts', () => {
  let server: Awaited<ReturnType<typeof startTls>>;
  beforeAll(async () => {
    server = await startTls('event-driven-service', 19461);
  });
  afterAll(() => {
    server.child.kill('SIGTERM');
  });
  const claim = 'examples/event-driven-service/claim.yaml';
  const refused = (reason: string) => ({ code: grpc.status.UNAUTHENTICATED, details: `client certificate refused: ${reason}` });

  it("precondition: OpenSSL itself refuses the certificate like Crossplane v2.2.1's as self-signed (error 18)", () => {
    const r = spawnSync('openssl', ['verify', '-CAfile', 'ca.crt', 'client.crt'], { cwd: certs, encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toContain('error 18 at 0 depth lookup: self-signed certificate');
  });

  it("a client presenting a certificate like Crossplane v2.2.1's (the CA's subject, no key identifiers) gets a response", async () => {
    const client = functionClient('localhost:19461', clientTls('client'));
    const rsp = await call(client, example(claim));
    expect(Object.keys(rsp.desired?.resources ?? {}).sort()).toEqual(['deployment', 'scaledobject', 'service', 'serviceaccount']);
    client.close();
  });

  it('the server refuses a client that presents no certificate: UNAUTHENTICATED, nothing composed', async () => {
    const client = functionClient('localhost:19461', clientTls());
    await expect(call(client, example(claim))).rejects.toMatchObject(refused('no client certificate'));
    client.close();
    expect(server.logs()).toContain('client certificate refused (no client certificate)');
  });

  it('the server refuses a certificate from another CA with the same subject', async () => {
    const client = functionClient('localhost:19461', clientTls('other-ca-client'));
    await expect(call(client, example(claim))).rejects.toMatchObject(refused('not issued by a CA in ca.crt'));
    client.close();
  });

  it('the server refuses an expired certificate from the CA', async () => {
    const client = functionClient('localhost:19461', clientTls('expired-client'));
    await expect(call(client, example(claim))).rejects.toMatchObject(refused('expired'));
    client.close();
  });

  it('the server refuses a certificate from the CA whose extendedKeyUsage is serverAuth only', async () => {
    const client = functionClient('localhost:19461', clientTls('server-only'));
    await expect(call(client, example(claim))).rejects.toMatchObject(refused('extendedKeyUsage does not allow clientAuth'));
    client.close();
  });

  it('a client without the CA is refused (the client does not trust the server)', async () => {
    const client = functionClient('localhost:19461', grpc.credentials.createSsl());
    await expect(call(client, example(claim))).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE });
    client.close();
  });

  it('a plaintext client is refused', async () => {
    const client = functionClient('localhost:19461', grpc.credentials.createInsecure());
    await expect(call(client, example(claim))).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE });
    client.close();
  });

  it('a refused call never reaches the function', async () => {
    // The stuck fixture logs every call it starts and never answers one: a
    // refused call ends at once and starts nothing; an accepted one starts.
    const stuck = await startTls(join(ROOT, 'test/fixtures/stuck-function.ts'), 19464);
    try {
      const anonymous = functionClient('localhost:19464', clientTls());
      await expect(call(anonymous, example(claim))).rejects.toMatchObject(refused('no client certificate'));
      anonymous.close();
      expect(stuck.logs()).not.toContain('call started');
      const crossplane = functionClient('localhost:19464', clientTls('client'));
      void call(crossplane, example(claim)).catch(() => undefined);
      while (!stuck.logs().includes('call started')) await new Promise((r) => setTimeout(r, 20));
      crossplane.close();
    } finally {
      stuck.child.kill('SIGKILL');
    }
  }, 60_000);
});

describe('graceful shutdown on SIGTERM', () => {
  it('finishes the requests in flight, then exits 0 and accepts no more', async () => {
    // The longest grace allowed: this test is about finishing, not about the
    // cut-off (tested below), and a busy machine must not make it fail.
    const { child, logs } = await startTls('event-driven-service', 19462, ['--shutdown-grace', '29']);
    const client = functionClient('localhost:19462', clientTls('client'));
    const req = example('examples/event-driven-service/claim.yaml');
    await call(client, req); // connected and warm
    // No clock: the signal goes as soon as the first of 40 calls is answered,
    // so the other 39 are in flight then, whatever the machine's speed.
    let signalled = false;
    let afterSignal = 0;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const calls = Array.from({ length: 40 }, () =>
      call(client, req).then((r) => {
        if (signalled) afterSignal++;
        else {
          signalled = true;
          child.kill('SIGTERM');
        }
        return r;
      }),
    );
    const results = await Promise.allSettled(calls);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    // They were still running when the signal came, and completed.
    expect(afterSignal).toBe(39);
    expect(await exited).toBe(0);
    expect(logs()).toContain('received SIGTERM, shutting down');
    expect(logs()).toContain('server shut down');
    client.close();
    const late = functionClient('localhost:19462', clientTls('client'));
    await expect(call(late, req)).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE });
    late.close();
  });
});

describe('shutdown under a backlog that never drains', () => {
  it('cancels what is still in flight after the grace and exits 0', async () => {
    // Calls that never finish: without a bounded grace the process would wait
    // for them forever (this test would then time out, not race a clock).
    const { child, logs } = await startTls(join(ROOT, 'test/fixtures/stuck-function.ts'), 19463, ['--shutdown-grace', '1']);
    const client = functionClient('localhost:19463', clientTls('client'));
    const calls = Array.from({ length: 5 }, () => runFunction(client, example('examples/event-driven-service/claim.yaml'), 120_000));
    const settled = Promise.allSettled(calls);
    while ((logs().match(/call started/g) ?? []).length < 5) await new Promise((r) => setTimeout(r, 20));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const results = await settled;
    expect(results.map((r) => r.status)).toEqual(Array(5).fill('rejected'));
    expect(logs()).toContain('shutdown grace of 1 s expired');
    client.close();
  }, 60_000);

  it('refuses a grace of 30 s or more (Kubernetes would kill the pod first)', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'test/fixtures/stuck-function.ts'), '--shutdown-grace', '30'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--shutdown-grace: a number of seconds, 0 or more and below 30');
  });
});
