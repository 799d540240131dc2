/**
 * The claims the chaos tests put on the plane: the repository's example
 * claims (with the operator Secrets their required.yaml provides), and for
 * the long run copies of the EventDrivenService and RealtimePlatform examples
 * under other names, so many claims of one function are live at once.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../functions/lib/k8s/objects.js';
import { ROOT } from '../../harness/tools.js';
import type { ClaimRef } from './state.js';

export interface ClaimSet {
  claims: KubeObject[];
  /** Objects the claims need first (operator Secrets; an OAM Application the application claim reads). */
  required: KubeObject[];
}

const read = (file: string) => parse(readFileSync(join(ROOT, file), 'utf8')) as KubeObject;
const requiredOf = (file: string): KubeObject[] => {
  const r = join(ROOT, dirname(file), 'required.yaml');
  return existsSync(r) ? parseAllDocuments(readFileSync(r, 'utf8')).map((d) => d.toJSON() as KubeObject) : [];
};

/** Example claims by file, with their required objects. */
export function examples(files: string[]): ClaimSet {
  const required = new Map<string, KubeObject>();
  for (const f of files) for (const r of requiredOf(f)) required.set(`${r.kind}/${r.metadata!.namespace}/${r.metadata!.name}`, r);
  return { claims: files.map(read), required: [...required.values()] };
}

const pad = (i: number) => String(i).padStart(2, '0');

/**
 * `count` EventDrivenServices like examples/event-driven-service/claim.yaml, in
 * namespace `namespace`, each with its own copy of the Secret the example's
 * spec.secretName names (required.yaml): the worker cannot start without it.
 */
export function eventDrivenServices(count: number, namespace = 'chaos-eds'): ClaimSet {
  const file = 'examples/event-driven-service/claim.yaml';
  const base = read(file);
  const [secret] = requiredOf(file).filter((r) => r.kind === 'Secret' && r.metadata?.name === (base.spec as { secretName?: string }).secretName);
  if (!secret) throw new Error(`${file}: its required.yaml has no Secret spec.secretName names`);
  const names = Array.from({ length: count }, (_, i) => `worker-${pad(i + 1)}`);
  return {
    claims: names.map((name, i) => {
      const spec = structuredClone(base.spec) as { nats: { stream: string; consumer: string }; secretName?: string };
      spec.nats.stream = `STREAM_${pad(i + 1)}`;
      spec.nats.consumer = `${name}-consumers`;
      spec.secretName = `${name}-config`;
      return { ...base, metadata: { name, namespace }, spec } as KubeObject;
    }),
    required: names.map((name) => ({ ...secret, metadata: { name: `${name}-config`, namespace } }) as KubeObject),
  };
}

/**
 * `count` RealtimePlatformClaims like examples/realtime-platform/claim.yaml
 * (Lenses, MQTT with a device user, PostgreSQL), each `rt-NN` with its own
 * platform namespace, all in namespace `namespace` with the operator Secrets
 * of the example's required.yaml.
 */
export function realtimePlatforms(count: number, namespace = 'chaos-rt'): ClaimSet {
  const file = 'examples/realtime-platform/claim.yaml';
  const base = read(file);
  const required = requiredOf(file).map((r) => ({ ...r, metadata: { ...r.metadata, namespace } }));
  return {
    claims: Array.from({ length: count }, (_, i) => {
      const name = `rt-${pad(i + 1)}`;
      return { ...base, metadata: { name, namespace }, spec: { ...(base.spec as object), name } } as KubeObject;
    }),
    required,
  };
}

export function merge(...sets: ClaimSet[]): ClaimSet {
  return { claims: sets.flatMap((s) => s.claims), required: sets.flatMap((s) => s.required) };
}

export const refOf = (c: KubeObject): ClaimRef => ({ apiVersion: c.apiVersion!, kind: c.kind!, namespace: c.metadata!.namespace!, name: c.metadata!.name! });
