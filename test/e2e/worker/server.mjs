// The e2e worker: answers the EventDrivenService probes (/health, /ready) on 8080.
import { createServer } from 'node:http';

createServer((req, res) => {
  const ok = req.url === '/health' || req.url === '/ready';
  res.writeHead(ok ? 200 : 404, { 'content-type': 'text/plain' });
  res.end(ok ? 'ok\n' : 'not found\n');
}).listen(8080);
process.on('SIGTERM', () => process.exit(0));
