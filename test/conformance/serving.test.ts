/**
 * How the functions serve in a cluster: bundled (what the image runs), with
 * the mTLS certificates Crossplane mounts (tls.crt, tls.key, ca.crt), and
 * stopping gracefully on SIGTERM with requests in flight.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as grpc from '@grpc/grpc-js';
import type { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { functionClient, runFunction } from '../../tooling/grpc.js';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { KubeObject } from '../../functions/lib/k8s/objects.js';
import { requestFor } from '../support/request.js';
import { waitForPort } from '../../tooling/servers.js';
import { ROOT } from '../../tooling/tools.js';
import { bundleAll, bundlePath } from '../../tooling/bundle.js';

const BUILD = join(ROOT, '.tools/build');
let certs = '';

function sh(cmd: string, args: string[], cwd: string): void {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
}

beforeAll(async () => {
  // The bundled functions, as the Dockerfile builds them (tooling/bundle.ts).
  rmSync(BUILD, { recursive: true, force: true });
  await bundleAll(BUILD);
  // A CA and a server certificate for localhost, as Crossplane generates them.
  certs = mkdtempSync(join(tmpdir(), 'tls-'));
  writeFileSync(join(certs, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  sh('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=test-ca'], certs);
  sh('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'tls.key', '-out', 'tls.csr', '-subj', '/CN=localhost'], certs);
  sh('openssl', ['x509', '-req', '-in', 'tls.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'tls.crt', '-days', '1', '-extfile', 'san.ext'], certs);
}, 120_000);
afterAll(() => rmSync(BUILD, { recursive: true, force: true }));

/** Start a bundled function with TLS on `port`; its stdout (pino's JSON logs) is collected. */
async function startTls(fn: string, port: number) {
  const child = spawn(process.execPath, [bundlePath(fn, BUILD), '--address', `127.0.0.1:${port}`, '--tls-server-certs-dir', certs], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let logs = '';
  child.stdout.on('data', (d) => { logs += String(d); });
  child.stderr.on('data', (d) => { logs += String(d); });
  await waitForPort(port);
  return { child, logs: () => logs };
}

const call = (client: grpc.Client, req: RunFunctionRequest) => runFunction(client, req);

const example = (path: string) => requestFor(parse(readFileSync(join(ROOT, path), 'utf8')) as KubeObject);

describe('TLS with the certificates Crossplane mounts', () => {
  let server: Awaited<ReturnType<typeof startTls>>;
  beforeAll(async () => { server = await startTls('event-driven-service', 19461); });
  afterAll(() => { server.child.kill('SIGTERM'); });

  it('a client that trusts the CA gets a response', async () => {
    const client = functionClient('localhost:19461', grpc.credentials.createSsl(readFileSync(join(certs, 'ca.crt'))));
    const rsp = await call(client, example('examples/event-driven-service/claim.yaml'));
    expect(Object.keys(rsp.desired?.resources ?? {}).sort()).toEqual(['deployment', 'scaledobject', 'service', 'serviceaccount']);
    client.close();
  });

  it('a client without the CA is refused (the certificate does not verify)', async () => {
    const client = functionClient('localhost:19461', grpc.credentials.createSsl());
    await expect(call(client, example('examples/event-driven-service/claim.yaml'))).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE });
    client.close();
  });

  it('a plaintext client is refused', async () => {
    const client = functionClient('localhost:19461', grpc.credentials.createInsecure());
    await expect(call(client, example('examples/event-driven-service/claim.yaml'))).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE });
    client.close();
  });
});

describe('graceful shutdown on SIGTERM', () => {
  it('finishes the requests in flight, then exits 0 and accepts no more', async () => {
    const { child, logs } = await startTls('realtime-platform', 19462);
    const client = functionClient('localhost:19462', grpc.credentials.createSsl(readFileSync(join(certs, 'ca.crt'))));
    const req = example('examples/realtime-platform/claim.yaml');
    await call(client, req); // connected and warm
    const finished: number[] = [];
    const calls = Array.from({ length: 40 }, () => call(client, req).then((r) => { finished.push(Date.now()); return r; }));
    await new Promise((r) => setTimeout(r, 15));
    const signalled = Date.now();
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    const results = await Promise.allSettled(calls);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    // Some of them were still running when the signal came, and completed.
    expect(finished.filter((t) => t > signalled).length).toBeGreaterThan(0);
    expect(await exited).toBe(0);
    expect(logs()).toContain('received SIGTERM, shutting down');
    expect(logs()).toContain('server shut down');
    client.close();
    const late = functionClient('localhost:19462', grpc.credentials.createSsl(readFileSync(join(certs, 'ca.crt'))));
    await expect(call(late, req)).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE });
    late.close();
  });
});
