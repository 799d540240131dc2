/**
 * The one command line a function process is started with (harness/servers.ts):
 * `make serve`, the conformance tests, bench, fuzz and the local control plane
 * all build it here, and the control plane's fault helpers read its flags back
 * (faults.ts: --address, --tls-server-certs-dir).
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { FUNCTIONS } from '../../functions/catalog.js';
import { functionCommand } from '../../harness/servers.js';
import { ROOT } from '../../harness/tools.js';

describe('functionCommand', () => {
  it('a function of the catalog by name: its main.ts under tsx, insecure without certificates', () => {
    for (const fn of FUNCTIONS) {
      expect(functionCommand({ entry: fn.name, port: fn.devPort })).toEqual([
        process.execPath,
        ['--import', 'tsx', join(ROOT, 'functions', fn.name, 'main.ts'), '--address', `localhost:${fn.devPort}`, '--insecure'],
      ]);
    }
  });

  it('a bundle runs as it is, with mutual TLS from a certificates directory, node flags first and extra flags last', () => {
    expect(functionCommand({ entry: '/b/main.mjs', port: 1, host: '127.0.0.1', tlsCertsDir: '/certs', nodeFlags: ['--trace-gc'], args: ['--shutdown-grace', '1'] })).toEqual([
      process.execPath,
      ['--trace-gc', '/b/main.mjs', '--address', '127.0.0.1:1', '--tls-server-certs-dir', '/certs', '--shutdown-grace', '1'],
    ]);
  });

  it('any other .ts entry point runs under tsx, after the node flags', () => {
    expect(functionCommand({ entry: '/x/floor.ts', port: 2, nodeFlags: ['--max-semi-space-size=4'] })[1]).toEqual([
      '--max-semi-space-size=4',
      '--import',
      'tsx',
      '/x/floor.ts',
      '--address',
      'localhost:2',
      '--insecure',
    ]);
  });
});
