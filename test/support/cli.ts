/** Running the `platform` CLI in-process and reading what it printed. */
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../functions/lib/k8s/objects.js';
import { main } from '../../cli/main.js';

export async function platform(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

/** A Slack line as the seed writes it (`/microservice create …`), run as argv. */
export const slack = (line: string) => platform(...line.trim().split(/\s+/));

export const docsOf = (yaml: string): KubeObject[] => parseAllDocuments(yaml).map((d) => d.toJS() as KubeObject);

/**
 * Every Slack example of the seed (000_*.txt, "Slack Commands" and "Quick
 * Reference"), verbatim, with what it must give: the webservice component's
 * language/framework/database/cache and, for `iot true`, the realtime
 * platform. Checked by hand against the seed's option list: `python`/`fastapi`
 * → python with FastAPI, `java`/`springboot` → Java with Spring Boot, `with
 * database`/`with postgresql`/`database postgres` → PostgreSQL, `with
 * cache`/`with redis` → Redis, no language → python (fastapi).
 */
export const SEED_EXAMPLES: { line: string; name: string; language: string; framework: string; database?: 'postgres'; cache?: 'redis'; iot?: true }[] = [
  { line: '/microservice create order-service', name: 'order-service', language: 'python', framework: 'fastapi' },
  { line: '/microservice create user-api python', name: 'user-api', language: 'python', framework: 'fastapi' },
  { line: '/microservice create payment-service python with database', name: 'payment-service', language: 'python', framework: 'fastapi', database: 'postgres' },
  { line: '/microservice create inventory-service java with redis', name: 'inventory-service', language: 'java', framework: 'springboot', cache: 'redis' },
  {
    line: '/microservice create notification-service python with database with cache',
    name: 'notification-service',
    language: 'python',
    framework: 'fastapi',
    database: 'postgres',
    cache: 'redis',
  },
  {
    line: '/microservice create sensor-platform language python database postgres iot true',
    name: 'sensor-platform',
    language: 'python',
    framework: 'fastapi',
    database: 'postgres',
    iot: true,
  },
  { line: '/microservice create analytics-stream python with database iot true', name: 'analytics-stream', language: 'python', framework: 'fastapi', database: 'postgres', iot: true },
  {
    line: '/microservice create warehouse-service java springboot with postgresql with redis',
    name: 'warehouse-service',
    language: 'java',
    framework: 'springboot',
    database: 'postgres',
    cache: 'redis',
  },
  { line: '/service create finance-api python fastapi with database', name: 'finance-api', language: 'python', framework: 'fastapi', database: 'postgres' },
  {
    line: '/microservice create sensor-data-processor language python database postgres iot true',
    name: 'sensor-data-processor',
    language: 'python',
    framework: 'fastapi',
    database: 'postgres',
    iot: true,
  },
  { line: '/microservice create my-service python', name: 'my-service', language: 'python', framework: 'fastapi' },
  { line: '/microservice create api-service python with database', name: 'api-service', language: 'python', framework: 'fastapi', database: 'postgres' },
  {
    line: '/microservice create iot-processor language python database postgres iot true',
    name: 'iot-processor',
    language: 'python',
    framework: 'fastapi',
    database: 'postgres',
    iot: true,
  },
  { line: '/microservice create enterprise-api java with database with cache', name: 'enterprise-api', language: 'java', framework: 'springboot', database: 'postgres', cache: 'redis' },
];
