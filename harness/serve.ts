/** `make serve`: run every function locally until interrupted. */
import { FUNCTIONS } from '../functions/catalog.js';
import { startFunction } from './servers.js';

const children = await Promise.all(FUNCTIONS.map((fn) => startFunction(fn)));
for (const fn of FUNCTIONS) console.log(`${fn.name}: insecure gRPC on localhost:${fn.devPort}`);
console.log('examples/functions.yaml points crossplane render at these; Ctrl-C stops them.');
const stop = () => {
  children.forEach((c) => c.kill('SIGTERM'));
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
