/**
 * What a restarted function does on its first call: the realtime-platform
 * function's Lenses HQ admin hash (bcrypt, cost 10, more CPU than the rest of
 * a cold start) is taken from the observed configuration when it was made with
 * this password's salt, and checked after the response
 * (functions/realtime-platform/components/lenses.ts). Each test loads the
 * function afresh (vi.resetModules), as a new process would, with no hash cached.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import bcrypt from 'bcryptjs';
import type { ComposeFunction, RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { convergedRequest } from '../../harness/request.js';
import { run } from '../support/request.js';

const freshCompose = async (): Promise<ComposeFunction> => {
  vi.resetModules();
  return ((await import('../../functions/realtime-platform/function.js')) as { compose: ComposeFunction }).compose;
};

const HQ_CONFIG = 'lenses-hq-config';
const configOf = (req: RunFunctionRequest) => {
  const data = (req.observed!.resources[HQ_CONFIG].resource as { data: Record<string, string> }).data;
  return Buffer.from(data['config.yaml'], 'base64').toString('utf8');
};
const withConfig = (req: RunFunctionRequest, config: string): RunFunctionRequest => {
  const observed = structuredClone(req.observed!);
  (observed.resources[HQ_CONFIG].resource as { data: Record<string, string> }).data['config.yaml'] = Buffer.from(config).toString('base64');
  return { ...req, observed };
};
const hashIn = (config: string) => /\$2a\$10\$[./A-Za-z0-9]{53}/.exec(config)![0];

afterEach(() => vi.restoreAllMocks());

describe('the first converged call of a restarted realtime-platform function', () => {
  it('answers without bcrypt, with the same output, and checks the observed hash after the response', async () => {
    const req = await convergedRequest('realtime-platform', await freshCompose());
    // What the function answered before this change: the hash computed by bcrypt.
    const expected = JSON.stringify(await run(await freshCompose(), withConfig(req, configOf(req).replace(hashIn(configOf(req)), 'not-a-hash'))));

    const compose = await freshCompose();
    const hashSync = vi.spyOn(bcrypt, 'hashSync');
    const first = await run(compose, req);
    expect(hashSync).not.toHaveBeenCalled();
    expect(JSON.stringify(first)).toBe(expected);
    // The check runs after the call (a timer), once.
    await vi.waitFor(() => expect(hashSync).toHaveBeenCalledTimes(1), { timeout: 30_000, interval: 50 });
    expect(JSON.stringify(await run(compose, req))).toBe(expected);
    expect(hashSync).toHaveBeenCalledTimes(1);
  });

  it('a hash edited by hand with the right salt is answered once, then replaced by the computed one', async () => {
    const req = await convergedRequest('realtime-platform', await freshCompose());
    const genuine = hashIn(configOf(req));
    const forged = genuine.slice(0, 29) + 'A'.repeat(31);
    const tampered = withConfig(req, configOf(req).replace(genuine, forged));

    const compose = await freshCompose();
    const hashSync = vi.spyOn(bcrypt, 'hashSync');
    const configIn = async () => {
      const rsp = await run(compose, tampered);
      const data = (rsp.desired!.resources[HQ_CONFIG].resource as { data: Record<string, string> }).data;
      return Buffer.from(data['config.yaml'], 'base64').toString('utf8');
    };
    expect(await configIn()).toContain(forged);
    await vi.waitFor(() => expect(hashSync).toHaveBeenCalledTimes(1), { timeout: 30_000, interval: 50 });
    const next = await configIn();
    expect(next).toContain(genuine);
    expect(next).not.toContain(forged);
  });

  it('a hash made with another salt (another password) is not taken: bcrypt runs in the call', async () => {
    const req = await convergedRequest('realtime-platform', await freshCompose());
    const genuine = hashIn(configOf(req));
    const otherSalt = '$2a$10$' + 'B'.repeat(22) + genuine.slice(29);
    const compose = await freshCompose();
    const hashSync = vi.spyOn(bcrypt, 'hashSync');
    const rsp = await run(compose, withConfig(req, configOf(req).replace(genuine, otherSalt)));
    expect(hashSync).toHaveBeenCalledTimes(1);
    const data = (rsp.desired!.resources[HQ_CONFIG].resource as { data: Record<string, string> }).data;
    expect(Buffer.from(data['config.yaml'], 'base64').toString('utf8')).toContain(genuine);
  });
});

describe('a realtime-platform function serving many claims', () => {
  it("computes each claim's bcrypt hash once, also past 64 claims (each call recomputed it there: CPU per call rose 40x)", async () => {
    const converging = await freshCompose();
    const requests: RunFunctionRequest[] = [];
    for (let i = 0; i < 80; i++) {
      const name = `rt-${i}`;
      requests.push(await convergedRequest('realtime-platform', converging, 'claim.yaml', (c) => ({ ...c, metadata: { name, namespace: `ns-${name}` }, spec: { ...(c.spec as object), name } })));
    }
    const compose = await freshCompose();
    const hashSync = vi.spyOn(bcrypt, 'hashSync');
    vi.useFakeTimers();
    try {
      // A restart: every hash comes from the observed configuration and is checked once, later.
      for (const req of requests) await run(compose, req);
      expect(hashSync).not.toHaveBeenCalled();
      vi.runAllTimers();
      expect(hashSync).toHaveBeenCalledTimes(requests.length);
      // The steady state: Crossplane calls every claim again; nothing is hashed again.
      for (const req of requests) await run(compose, req);
      vi.runAllTimers();
      expect(hashSync).toHaveBeenCalledTimes(requests.length);
    } finally {
      vi.useRealTimers();
    }
  }, 600_000);
});
