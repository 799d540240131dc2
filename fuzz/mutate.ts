/**
 * Mutated RunFunctionRequests, from a seeded generator: wrong types, huge
 * strings, deep nesting, unicode, garbage observed/desired/required state and
 * function input, a foreign XR kind, lost resources. Shared by `make fuzz`
 * (over gRPC, with random bytes too) and the fixed-seed slice in `make test`
 * (test/unit/fuzz.test.ts).
 *
 * Each mutation says what a correct function must do with it: `invalid` when
 * the spec (or input) is invalid by construction (a declared field of the
 * wrong type, a string over its limit, a value outside an enum or pattern), so
 * rendering it is a bug; `fatal` when any response but a Fatal is a bug (an XR
 * of another kind). Everything else must be tolerated or refused with a Fatal
 * naming a field; never an internal error.
 */
import type { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import type { TSchema } from '@sinclair/typebox';
import { toOpenApi } from '../functions/lib/schema/openapi.js';
import type { SchemaNode } from '../functions/lib/schema/walk.js';

/** mulberry32: a small, fast, seedable PRNG (deterministic slices in tests). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const int = (r: Rand, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

export const HUGE = 'x'.repeat(1 << 20);
const UNICODE = [
  'ünïcödé-名前-🚀',
  '\u202eevil\u202c',
  'zero\u200bwidth',
  'nul\u0000byte',
  'line\nbreak',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  '\ud83d\ude00'.repeat(300),
  '../../etc/passwd',
  '${jndi:ldap://x}',
  "'; DROP TABLE x; --",
  '{{ .Values }}',
  '\\',
  '"',
  '',
];

/** A value of no particular shape. */
export function garbage(r: Rand, depth = 0): unknown {
  switch (int(r, 0, depth > 2 ? 6 : 9)) {
    case 0:
      return null;
    case 1:
      return pick(r, [0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER, NaN]);
    case 2:
      return r() < 0.5;
    case 3:
      return pick(r, UNICODE);
    case 4:
      return r() < 0.1 ? HUGE : 'x'.repeat(int(r, 1, 5000));
    case 5:
      return String.fromCharCode(...Array.from({ length: int(r, 1, 64) }, () => int(r, 1, 0xd7ff)));
    case 6:
      return [];
    case 7:
      return Array.from({ length: int(r, 1, 4) }, () => garbage(r, depth + 1));
    case 8:
      return Object.fromEntries(Array.from({ length: int(r, 1, 4) }, (_, i) => [pick(r, ['type', 'status', 'conditions', 'data', 'name', `k${i}`]), garbage(r, depth + 1)]));
    default:
      return nested(deepLevels(r));
  }
}

/** Garbage that is still an object: what a protobuf Struct (a resource, an input) can carry at its top. */
export function garbageObject(r: Rand): Record<string, unknown> {
  const g = garbage(r);
  return typeof g === 'object' && g !== null && !Array.isArray(g) ? (g as Record<string, unknown>) : { value: g };
}

/** Nesting depth: mostly what protobuf decodes, sometimes beyond its recursion limit (the server must refuse, not fall over). */
const deepLevels = (r: Rand) => (r() < 0.15 ? int(r, 100, 400) : int(r, 5, 40));

/** A protobuf Resource message around an object (what the encoder needs). */
const resourceOf = (resource: Record<string, unknown> | undefined) => ({ resource, connectionDetails: {}, ready: 0 });

/** `{a: [{a: ... }]}` `depth` levels deep. */
export function nested(depth: number): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = i % 2 ? { a: v } : [v];
  return v;
}

/** A value the schema node cannot accept. */
function wrongFor(r: Rand, node: SchemaNode): unknown {
  if (node.enum) return pick(r, ['not-in-enum', 42, null, HUGE]);
  switch (node.type) {
    case 'string':
      return pick(r, [42, true, null, [], { a: 1 }, HUGE, 'x'.repeat((node.maxLength ?? 0) + 1)]);
    case 'integer':
      return pick(r, ['7', 1.5, true, null, [], {}]);
    case 'number':
      return pick(r, ['7', true, null, [], {}]);
    case 'boolean':
      return pick(r, ['true', 1, null, [], {}]);
    case 'array':
      return pick(r, ['x', 1, {}, null]);
    default:
      return pick(r, ['x', 1, [], null, true]);
  }
}

interface Field {
  path: string[];
  node: SchemaNode;
}

/**
 * Whether a schema node refuses a string, checked here independently of the
 * function's validator: type, enum, length in code points, pattern.
 */
export function stringRefused(node: SchemaNode, value: string): boolean {
  if (node.enum) return !node.enum.includes(value);
  if (node.type !== 'string') return true;
  const length = [...value].length;
  if (node.maxLength !== undefined && length > node.maxLength) return true;
  if (node.minLength !== undefined && length < node.minLength) return true;
  return node.pattern !== undefined && !new RegExp(node.pattern, 'u').test(value);
}

/** Every declared field below a schema (object properties; array items as index 0). */
export function fieldsOf(node: SchemaNode, path: string[] = [], out: Field[] = []): Field[] {
  for (const [k, child] of Object.entries(node.properties ?? {})) {
    out.push({ path: [...path, k], node: child });
    fieldsOf(child, [...path, k], out);
    if (child.items) {
      out.push({ path: [...path, k, '0'], node: child.items });
      fieldsOf(child.items, [...path, k, '0'], out);
    }
  }
  return out;
}

const fieldCache = new WeakMap<TSchema, Field[]>();
function fieldsCached(schema: TSchema): Field[] {
  let fields = fieldCache.get(schema);
  if (!fields) fieldCache.set(schema, (fields = fieldsOf(toOpenApi(schema))));
  return fields;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Set `value` at `path` below `root`, creating objects (or one-element arrays for index 0) on the way. */
function setAt(root: Json, path: string[], value: unknown): void {
  let node: Json | unknown[] = root;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i];
    const nextIsIndex = path[i + 1] === '0';
    const current: unknown = Array.isArray(node) ? node[Number(key)] : node[key];
    let next: Json | unknown[];
    if (nextIsIndex) next = Array.isArray(current) && current.length > 0 ? current : [{}];
    else next = isObject(current) ? current : {};
    if (Array.isArray(node)) node[Number(key)] = next;
    else node[key] = next;
    node = next;
  }
  const last = path[path.length - 1];
  if (Array.isArray(node)) node[Number(last)] = value;
  else node[last] = value;
}

/** A random existing path inside a JSON value (objects and arrays), at least one level deep. */
function somePath(r: Rand, root: unknown): string[] {
  const path: string[] = [];
  let node = root;
  while (isObject(node) || Array.isArray(node)) {
    const keys = Array.isArray(node) ? node.map((_, i) => String(i)) : Object.keys(node);
    if (keys.length === 0 || (path.length > 0 && r() < 0.3)) break;
    const k = pick(r, keys);
    path.push(k);
    node = Array.isArray(node) ? node[Number(k)] : (node as Json)[k];
  }
  return path;
}

export interface Target {
  /** Function name (folder under functions/). */
  fn: string;
  spec: TSchema;
  /** Schema of the function's input, when it takes one. */
  input?: TSchema;
}

export interface Mutated {
  req: RunFunctionRequest;
  /** What was done, for the report: `kind:detail`. */
  mutations: string[];
  /** The spec or input is invalid by construction: rendering it is a bug. */
  invalid: boolean;
  /** Anything but a Fatal result is a bug. */
  fatal: boolean;
}

const KINDS = [
  'spec-wrong-type',
  'spec-huge',
  'spec-unicode',
  'spec-deep',
  'spec-unknown',
  'xr-garbage',
  'xr-kind',
  'observed-garbage',
  'observed-conditions',
  'observed-data',
  'observed-drop',
  'required-garbage',
  'desired-garbage',
  'input-garbage',
  'context-garbage',
] as const;

/** One to three mutations of a copy of `base`. */
export function mutate(r: Rand, base: RunFunctionRequest, target: Target): Mutated {
  const req = structuredClone(base) as RunFunctionRequest & Json;
  const out: Mutated = { req, mutations: [], invalid: false, fatal: false };
  const specFields = fieldsCached(target.spec);
  const xr = req.observed?.composite?.resource as Json | undefined;
  const spec = (xr && isObject(xr.spec) ? xr.spec : {}) as Json;
  if (xr) xr.spec = spec;
  const observed = (req.observed?.resources ?? {}) as Record<string, { resource?: unknown }>;
  const required = (req.requiredResources ?? {}) as Record<string, { items?: { resource?: unknown }[] }>;
  // Spec paths written, each with whether its value is invalid: a later write at
  // the same path or above it replaces an earlier invalid value.
  const writes: { path: string[]; invalid: boolean }[] = [];
  const write = (path: string[], value: unknown, invalid: boolean) => {
    setAt(spec, path, value);
    writes.push({ path, invalid });
  };
  const n = int(r, 1, 3);
  for (let i = 0; i < n; i++) {
    const kind = pick(r, KINDS);
    const field = pick(r, specFields);
    switch (kind) {
      case 'spec-wrong-type':
        write(field.path, wrongFor(r, field.node), true);
        break;
      case 'spec-huge':
        // Every string is bounded below 1 MiB; any other type refuses a string.
        write(field.path, HUGE, true);
        break;
      case 'spec-unicode': {
        const value = pick(
          r,
          UNICODE.filter((u) => u !== ''),
        );
        write(field.path, value, stringRefused(field.node, value));
        break;
      }
      case 'spec-deep': {
        const value = nested(deepLevels(r));
        // An object field accepts nested objects (unknown fields are pruned), not a list.
        write(field.path, value, field.node.type !== 'object' || Array.isArray(value));
        break;
      }
      case 'spec-unknown':
        write([...field.path.slice(0, -1), `unknown${i}`], garbage(r), false);
        break;
      case 'xr-garbage':
        if (xr)
          setAt(
            xr,
            pick(r, [
              ['metadata'],
              ['metadata', 'labels'],
              ['metadata', 'annotations'],
              ['metadata', 'labels', 'crossplane.io/claim-namespace'],
              ['spec', 'claimRef'],
              ['spec', 'claimRef', 'namespace'],
              ['status'],
            ]),
            garbage(r),
          );
        break;
      case 'xr-kind':
        if (xr) {
          Object.assign(
            xr,
            pick(r, [
              { apiVersion: 'v1', kind: 'Pod' },
              { apiVersion: 'platform.example.org/v1alpha1', kind: 'XSomethingElse' },
              { apiVersion: 42, kind: null },
            ]),
          );
          out.fatal = true;
        }
        break;
      case 'observed-garbage': {
        const names = Object.keys(observed);
        if (names.length === 0) break;
        const name = pick(r, names);
        if (r() < 0.2) observed[name] = resourceOf(garbageObject(r));
        else {
          const path = somePath(r, observed[name].resource);
          if (path.length > 0) setAt(observed[name].resource as Json, path, garbage(r));
        }
        break;
      }
      case 'observed-conditions': {
        const names = Object.keys(observed);
        if (names.length === 0) break;
        const res = observed[pick(r, names)].resource;
        if (isObject(res))
          res.status = pick(r, [{ conditions: 'x' }, { conditions: [null] }, { conditions: [{ type: 5, status: {} }] }, { conditions: {} }, null, 'x', { readyReplicas: '1', replicas: [] }]);
        break;
      }
      case 'observed-data': {
        const names = Object.keys(observed);
        if (names.length === 0) break;
        const res = observed[pick(r, names)].resource;
        if (isObject(res)) res.data = pick(r, [{ a: 5 }, { DATABASE_PASSWORD: null }, 'x', [], { POSTGRES_PASSWORD: { nested: 1 } }, { k: '!!not base64!!' }]);
        break;
      }
      case 'observed-drop':
        for (const name of Object.keys(observed)) if (r() < 0.5) delete observed[name];
        break;
      case 'required-garbage': {
        const names = Object.keys(required);
        if (names.length === 0) break;
        const name = pick(r, names);
        required[name] = pick(r, [
          { items: [] },
          { items: [resourceOf(undefined)] },
          { items: [resourceOf(garbageObject(r))] },
          { items: [resourceOf({ apiVersion: 'core.oam.dev/v1beta1', kind: 'Application', metadata: { name: 'x' }, spec: { components: pick(r, ['x', [null], [{ name: 5 }], {}]) } })] },
          { items: [resourceOf({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' }, data: garbage(r) })] },
        ]) as { items?: { resource?: unknown }[] };
        break;
      }
      case 'desired-garbage':
        setAt(req as Json, ['desired', 'resources', `garbage${i}`], resourceOf(garbageObject(r)));
        break;
      case 'input-garbage':
        if (target.input) {
          const f = pick(r, fieldsCached(target.input));
          const input = isObject(req.input) ? req.input : {};
          setAt(input, f.path, wrongFor(r, f.node));
          (req as Json).input = input;
          out.invalid = true;
        } else {
          (req as Json).input = garbageObject(r);
        }
        break;
      case 'context-garbage':
        (req as Json).context = { [pick(r, ['apiextensions.crossplane.io/environment', 'x'])]: garbage(r) };
        break;
    }
    out.mutations.push(`${kind}${kind.startsWith('spec') ? `:${field.path.join('.')}` : ''}`);
  }
  const under = (path: string[], prefix: string[]) => prefix.length <= path.length && prefix.every((k, i) => path[i] === k);
  // (Conservative: a later write below an invalid value may replace it too.)
  if (writes.some((w, i) => w.invalid && !writes.slice(i + 1).some((later) => under(w.path, later.path) || under(later.path, w.path)))) out.invalid = true;
  return out;
}
