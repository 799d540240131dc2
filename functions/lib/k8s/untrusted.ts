/**
 * Observed and required resources come from the cluster and anyone with write
 * access to it: they are not validated by this function's schema. Before
 * compose logic reads them, the parts every function reads through the shared
 * helpers are brought to the shapes `KubeObject` promises, dropping what does
 * not fit (a `status.conditions` that is not a list, a null condition, Secret
 * data that is not a string, metadata that is not an object). The functions
 * then treat a wrong-shaped field as absent instead of failing on it.
 */
import type { KubeObject } from './objects.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Only the entries whose values are strings. */
function stringMap(v: unknown): Record<string, string> | undefined {
  if (!isObject(v)) return undefined;
  return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

function strings<T extends Json>(obj: T, keys: string[]): T {
  for (const k of keys) if (k in obj && typeof obj[k] !== 'string') delete obj[k];
  return obj;
}

function numbers<T extends Json>(obj: T, keys: string[]): T {
  for (const k of keys) if (k in obj && (typeof obj[k] !== 'number' || !Number.isFinite(obj[k]))) delete obj[k];
  return obj;
}

function metadata(v: unknown): KubeObject['metadata'] | undefined {
  if (!isObject(v)) return undefined;
  const m = numbers(strings({ ...v }, ['name', 'namespace']), ['generation']);
  for (const k of ['labels', 'annotations'] as const) {
    const map = stringMap(m[k]);
    if (map) m[k] = map;
    else delete m[k];
  }
  return m as KubeObject['metadata'];
}

function status(v: unknown): KubeObject['status'] | undefined {
  if (!isObject(v)) return undefined;
  const s = numbers({ ...v }, ['observedGeneration', 'replicas', 'readyReplicas', 'availableReplicas', 'updatedReplicas']);
  if ('conditions' in s) {
    if (Array.isArray(s.conditions)) {
      s.conditions = s.conditions
        .filter(isObject)
        .map((c) => strings({ ...c }, ['type', 'status', 'reason', 'message']))
        .filter((c) => typeof c.type === 'string');
    } else {
      delete s.conditions;
    }
  }
  return s as KubeObject['status'];
}

/**
 * A resource as compose logic may read it, or undefined when it is not an
 * object at all (then it counts as not observed).
 */
export function untrustedObject(v: unknown): KubeObject | undefined {
  if (!isObject(v)) return undefined;
  const o: Json = strings({ ...v }, ['apiVersion', 'kind', 'type']);
  for (const [k, fix] of [
    ['metadata', metadata],
    ['status', status],
  ] as const) {
    if (!(k in o)) continue;
    const fixed = fix(o[k]);
    if (fixed) o[k] = fixed;
    else delete o[k];
  }
  if ('data' in o) {
    const data = stringMap(o.data);
    if (data) o.data = data;
    else delete o.data;
  }
  if ('spec' in o && !isObject(o.spec)) delete o.spec;
  return o as KubeObject;
}
