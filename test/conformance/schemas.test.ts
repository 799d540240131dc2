/**
 * Every object the platform emits, validated against the upstream schema of
 * its kind at the version the cluster runs (functions/lib/pins.ts): what each
 * function composes for every example claim and for each option on and off
 * (first call, requirements answered, steady state), the OAM Application the
 * application function writes into Git, the XR status each function writes,
 * what every KubeVela definition outputs for a minimal and a full parameter
 * set and for the example Applications (trait patches applied to the
 * component they patch), and the generated install/ objects.
 *
 * A field the schema does not declare, a wrong type or an apiVersion the
 * release does not serve fails the test. Kinds no schema covers must be in
 * UNCOVERED (and docs/conventions.md says why); the per-kind count is printed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import type { ComposeFunction } from '@crossplane-org/function-sdk-typescript';
import { FUNCTIONS } from '../../functions/catalog.js';
import type { KubeObject } from '../../functions/lib/k8s/objects.js';
import { claimToXr } from '../../harness/claims.js';
import { vcontext } from '../../harness/cue.js';
import { definition, evaluate, renderApplication } from '../../harness/oam.js';
import { ROOT } from '../../harness/tools.js';
import { answer, desired, fatals, requestFor, run } from '../support/request.js';
import { platformRegistry } from '../support/schemas.js';
import { PARAMS } from '../support/catalog-params.js';

type Obj = Record<string, unknown>;
const registry = platformRegistry();
const counts = new Map<string, number>();
const uncoveredSeen = new Map<string, string>();

/**
 * Kinds no kept schema covers, and why. docs/conventions.md lists the same
 * ("Upstream truth: pins and schema validation", "Not covered, and why").
 */
export const UNCOVERED: Record<string, string> = {};

function check(where: string, obj: Obj): void {
  const verdict = registry.check(obj);
  const key = `${String(obj.apiVersion)}/${String(obj.kind)}`;
  if (!verdict) {
    uncoveredSeen.set(key, where);
    return;
  }
  expect(verdict.errors, `${where}: ${key} against ${verdict.source}`).toEqual([]);
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

const readDocs = (file: string): Obj[] =>
  parseAllDocuments(readFileSync(join(ROOT, file), 'utf8'))
    .map((d) => d.toJS() as Obj)
    .filter((d) => d && d.kind);

afterAll(() => {
  const rows = [...counts.entries()].sort(([a], [b]) => a.localeCompare(b));
  const total = rows.reduce((n, [, c]) => n + c, 0);
  console.log(`objects validated against upstream schemas, per kind (${total} in all):\n${rows.map(([k, c]) => `  ${String(c).padStart(4)}  ${k}`).join('\n')}`);
  if (uncoveredSeen.size) console.log(`kinds without a schema: ${[...uncoveredSeen.keys()].join(', ')}`);
});

// ---------------------------------------------------------------------------
// Composition functions

/** Everything one claim makes the function emit: first call, requirements answered, steady state. */
async function emitted(fn: ComposeFunction, claim: KubeObject, cluster: KubeObject[]): Promise<{ name: string; obj: Obj }[]> {
  const first = await run(fn, requestFor(claim));
  expect(fatals(first), 'the variant itself must be valid').toEqual([]);
  const required = answer(first, cluster);
  const second = await run(fn, requestFor(claim, {}, required));
  const steady = await run(fn, requestFor(claim, desired(second), required));
  const out: { name: string; obj: Obj }[] = [];
  for (const [stage, rsp] of [
    ['first', first],
    ['required', second],
    ['steady', steady],
  ] as const) {
    for (const [name, obj] of Object.entries(desired(rsp))) out.push({ name: `${stage}/${name}`, obj: obj as Obj });
    const status = (rsp.desired?.composite?.resource as Obj | undefined)?.status;
    if (status) out.push({ name: `${stage}/xr-status`, obj: { ...claimToXr(claim), status } });
  }
  return out;
}

const set = (claim: KubeObject, path: string, value: unknown): KubeObject => {
  const c = structuredClone(claim) as Obj;
  const keys = ['spec', ...path.split('.')];
  let o = c;
  for (const k of keys.slice(0, -1)) o = (o[k] ??= {}) as Obj;
  if (value === undefined) delete o[keys.at(-1)!];
  else o[keys.at(-1)!] = value;
  return c as KubeObject;
};

/** Per function of the catalog: options on and off, applied to examples/<function>/claim.yaml. */
const VARIANTS: Record<string, [string, unknown][]> = {
  'event-driven-service': [
    ['initContainer', undefined],
    ['secretName', undefined],
    ['imagePullSecrets', undefined],
    ['size', 'large'],
    ['nats.useHttps', true],
    ['nats.monitoringEndpoint', 'nats-mon.nats.svc:8222'],
  ],
  'realtime-platform': [
    ['database', 'mysql'],
    ['database', 'mongodb'],
    ['visualization', 'grafana'],
    ['iot', false],
    ['mqtt.websockets', false],
    ['lenses.enabled', false],
    ['ingress.enabled', false],
    ['snowflake', { enabled: true, credentialsSecret: 'snowflake' }],
    ['resources', 'large'],
    ['kafka.replicas', 1],
    ['mqttUsers', undefined],
  ],
  application: [
    ['cache', 'none'],
    ['database', 'none'],
    ['realtime', undefined],
    ['appContainer', undefined],
    ['framework', undefined],
  ],
  vcluster: [
    ['features.argocd', true],
    ['networking.isolation', false],
    ['networking.exposeApi', true],
    ['size', 'large'],
    ['kubernetes.version', '1.29'],
  ],
};

describe('functions: every composed object against its upstream schema', () => {
  it('every function of the catalog has its options listed here', () => {
    expect(Object.keys(VARIANTS).sort()).toEqual(FUNCTIONS.map((f) => f.name).sort());
  });

  for (const { name: fnName, load } of FUNCTIONS) {
    const folder = `examples/${fnName}`;
    const files = readdirSync(join(ROOT, folder));
    const cluster = files.includes('required.yaml') ? (readDocs(join(folder, 'required.yaml')) as KubeObject[]) : [];
    const claims = files.filter((f) => /^claim.*\.yaml$/.test(f)).map((f) => [f, readDocs(join(folder, f))[0] as KubeObject] as const);
    const base = claims.find(([f]) => f === 'claim.yaml')![1];
    const cases: [string, KubeObject][] = [
      ...claims.map(([f, claim]) => [f, claim] as [string, KubeObject]),
      ...(VARIANTS[fnName] ?? []).map(([path, value]) => [`claim.yaml with ${path}=${JSON.stringify(value)}`, set(base, path, value)] as [string, KubeObject]),
    ];
    it.each(cases)(`${fnName}: %s`, async (_label, claim) => {
      const objs = await emitted((await load()).compose, claim, cluster);
      expect(objs.length).toBeGreaterThan(0);
      for (const { name, obj } of objs) {
        check(`${fnName} ${name}`, obj);
        // The OAM Application the application function commits to Git.
        if (obj.kind === 'RepositoryFile') {
          const content = ((obj.spec as Obj).forProvider as Obj).content as string;
          check(`${fnName} ${name} content`, parse(content) as Obj);
        }
      }
    });
  }
});

// ---------------------------------------------------------------------------
// KubeVela definitions (real cue)

/** A valid Knative Service and Deployment for traits to patch. */
const KNATIVE = {
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Service',
  metadata: { name: 'my-comp' },
  spec: { template: { spec: { containers: [{ name: 'my-comp', image: 'example/app:1.0' }] } } },
};
const DEPLOYMENT = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'my-comp' },
  spec: {
    selector: { matchLabels: { app: 'my-comp' } },
    template: { metadata: { labels: { app: 'my-comp' } }, spec: { containers: [{ name: 'my-comp', image: 'example/app:1.0' }] } },
  },
};

/**
 * A trait patch applied the way KubeVela's patchKey merge does for these
 * definitions: objects merge, lists of named items merge by name, other
 * lists are replaced.
 */
function applyPatch(base: unknown, patch: unknown): unknown {
  if (Array.isArray(base) && Array.isArray(patch)) {
    if (![...base, ...patch].every((x) => x && typeof x === 'object' && 'name' in x)) return patch;
    const out = base.map((b) => structuredClone(b) as Obj);
    for (const p of patch as Obj[]) {
      const i = out.findIndex((b) => b.name === p.name);
      if (i >= 0) out[i] = applyPatch(out[i], p) as Obj;
      else out.push(p);
    }
    return out;
  }
  if (base && patch && typeof base === 'object' && typeof patch === 'object' && !Array.isArray(base)) {
    const out = { ...(base as Obj) };
    for (const [k, v] of Object.entries(patch as Obj)) out[k] = k in out ? applyPatch(out[k], v) : v;
    return out;
  }
  return patch;
}

function checkRendered(where: string, r: { output?: Obj; outputs: Record<string, Obj> }): number {
  let n = 0;
  if (r.output) {
    check(`${where} output`, r.output);
    n++;
  }
  for (const [name, o] of Object.entries(r.outputs)) {
    check(`${where} outputs.${name}`, o);
    n++;
  }
  return n;
}

describe('KubeVela definitions: every object the CUE templates output against its upstream schema', () => {
  it('covers every generated definition', () => {
    const generated = ['components', 'traits', 'policies'].flatMap((d) => readdirSync(join(ROOT, 'definitions', d)).map((f) => f.replace(/\.yaml$/, '')));
    expect(Object.keys(PARAMS).sort()).toEqual(generated.sort());
  });

  const cases = Object.entries(PARAMS).flatMap(([type, p]) => [[type, 'min', p.min] as const, ...p.full.map((f, i) => [type, `full${i || ''}`, f] as const)]);
  it.each(cases)('%s %s', (type, _label, params) => {
    const p = PARAMS[type];
    const ctx = vcontext('my-comp', 'team-a', 'shop');
    if (p.kind === 'trait') {
      // A trait patches or adds to the component it is attached to: try it on both workload kinds it supports.
      let rendered = 0;
      for (const base of [KNATIVE, DEPLOYMENT]) {
        let r;
        try {
          r = evaluate(definition('trait', type), params, ctx, base);
        } catch {
          continue; // the trait refuses this workload kind (its own rule)
        }
        rendered += checkRendered(`trait ${type} on ${base.kind}`, r) + 1;
        check(`trait ${type} patch on ${base.kind}`, applyPatch(base, r.patch ?? {}) as Obj);
      }
      expect(rendered).toBeGreaterThan(0);
      return;
    }
    const r = evaluate(definition(p.kind, type), params, ctx);
    expect(checkRendered(`${p.kind} ${type}`, r)).toBeGreaterThan(0);
  });

  it.each(readdirSync(join(ROOT, 'examples/oam')))('example Application %s: components, trait outputs and patches, policies', (file) => {
    const app = renderApplication(join('examples/oam', file));
    // KubeVela's render (harness/oam.ts): the workload with every trait's patch applied, and every auxiliary object.
    for (const c of app.components) checkRendered(`${file} ${c.name} with its traits`, c);
    for (const p of app.policies) checkRendered(`${file} policy ${p.name}`, p);
  });
});

// ---------------------------------------------------------------------------
// Generated install objects

describe('install/: the objects the GitOps bootstrap applies before the APIs', () => {
  it.each(readdirSync(join(ROOT, 'install')))('%s', (file) => {
    const docs = readDocs(join('install', file));
    expect(docs.length).toBeGreaterThan(0);
    for (const d of docs) check(`install/${file}`, d);
  });
});

describe('coverage', () => {
  it('a kind without a schema is listed with its reason', () => {
    for (const [key, where] of uncoveredSeen) expect(UNCOVERED, `${key} (from ${where}) has no schema and is not listed`).toHaveProperty([key]);
  });
});
