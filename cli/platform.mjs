#!/usr/bin/env node
// The `platform` bin: runs cli/main.ts through tsx's loader (the repository
// ships TypeScript, like `make synth` and the tests run it).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
