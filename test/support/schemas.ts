/**
 * Validation of emitted objects against the upstream schema of their kind at
 * the pinned version (functions/lib/pins.ts): the CRD files of the pinned
 * releases and Kubernetes' own OpenAPI v3 documents, committed under
 * test/upstream/ (test/upstream/extract.sh says how each was taken), plus
 * this repository's XRDs for its own claims and Crossplane's CRDs from the
 * validate cache `make tools` seeds.
 *
 * Stricter than a structural check by design, like the API server with
 * `fieldValidation=Strict`: an object fails on a field its schema does not
 * declare (unless the schema preserves unknown fields), on a wrong type, and
 * on an apiVersion the release does not serve.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';
import { ROOT } from '../../harness/tools.js';

type Schema = Record<string, unknown>;
const UPSTREAM = join(ROOT, 'test/upstream');

/**
 * OpenAPI (CRD or Kubernetes) → JSON Schema ajv enforces: objects that list
 * properties are closed unless they preserve unknown fields; int-or-string
 * accepts both; embedded resources keep their type metadata.
 */
function strict(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(strict);
  if (!s || typeof s !== 'object') return s;
  const src = s as Schema;
  const out: Schema = {};
  for (const [k, v] of Object.entries(src)) {
    if (k === 'properties' || k === 'patternProperties' || k === '$defs') {
      out[k] = Object.fromEntries(Object.entries(v as Schema).map(([n, x]) => [n, strict(x)]));
    } else if (k === 'default' || k === 'example' || k === 'enum') {
      out[k] = v;
    } else {
      out[k] = strict(v);
    }
  }
  if (src['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (src['x-kubernetes-embedded-resource'] === true && out.properties) {
    out.properties = { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, ...(out.properties as Schema) };
  }
  if (out.properties && out.additionalProperties === undefined && src['x-kubernetes-preserve-unknown-fields'] !== true) {
    out.additionalProperties = false;
  }
  return out;
}

interface Entry {
  /** Where the schema came from (file, release). */
  source: string;
  served: boolean;
  validate: ValidateFunction;
}

export interface Verdict {
  /** `group/version/Kind` */
  key: string;
  /** Empty when the object is valid. */
  errors: string[];
  source?: string;
}

const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, discriminator: false });
// OpenAPI's `nullable` (Kubernetes documents use it): accept null where it is set.
function nullable(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(nullable);
  if (!s || typeof s !== 'object') return s;
  const out = Object.fromEntries(Object.entries(s as Schema).map(([k, v]) => [k, k === 'enum' || k === 'default' ? v : nullable(v)]));
  if (out.nullable === true) {
    const rest = { ...out };
    delete rest.nullable;
    return { anyOf: [{ type: 'null' }, rest] };
  }
  return out;
}

const K8S_ID = 'https://kubernetes.io/openapi-v3-subset';
const gvk = (apiVersion: string, kind: string) => `${apiVersion}/${kind}`;

export class SchemaRegistry {
  private readonly entries = new Map<string, Entry>();
  private readonly objectMeta: Schema;
  private readonly k8s: { kinds: Record<string, string>; schemas: Record<string, Schema>; source: string };

  constructor() {
    this.k8s = JSON.parse(readFileSync(join(UPSTREAM, 'kubernetes-1.35.4-openapi-subset.json'), 'utf8'));
    const components = { schemas: Object.fromEntries(Object.entries(this.k8s.schemas).map(([k, v]) => [k, nullable(strict(v))])) };
    // One document, referenced by every kind (compiled once).
    if (!ajv.getSchema(K8S_ID)) ajv.addSchema({ $id: K8S_ID, components }, K8S_ID);
    for (const [key, id] of Object.entries(this.k8s.kinds)) {
      const validate = ajv.compile({ $ref: `${K8S_ID}#/components/schemas/${id}` });
      this.entries.set(key, { source: this.k8s.source, served: true, validate });
    }
    this.objectMeta = { $ref: `${K8S_ID}#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta` };
    // One file per CRD set, or a folder per release (named after it, SOURCES.md says where from).
    for (const f of readdirSync(join(UPSTREAM, 'crds'), { recursive: true, encoding: 'utf8' }).sort()) {
      if (f.endsWith('.yaml')) this.addCrds(join(UPSTREAM, 'crds', f), `test/upstream/crds/${f}`);
    }
  }

  /** Every CRD (or XRD) document of a file. */
  addCrds(file: string, source: string): void {
    for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
      const crd = doc.toJS() as { kind?: string; spec?: CrdSpec } | null;
      if (!crd?.spec?.versions) continue;
      if (crd.kind === 'CustomResourceDefinition') this.addVersions(crd.spec.group, crd.spec.names.kind, crd.spec.versions, source);
      if (crd.kind === 'CompositeResourceDefinition') {
        this.addVersions(crd.spec.group, crd.spec.names.kind, crd.spec.versions.map(withCrossplaneFields), source);
        if (crd.spec.claimNames) this.addVersions(crd.spec.group, crd.spec.claimNames.kind, crd.spec.versions.map(withCrossplaneFields), source);
      }
    }
  }

  private addVersions(group: string, kind: string, versions: CrdVersion[], source: string): void {
    for (const v of versions) {
      const root = strict(v.schema?.openAPIV3Schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }) as Schema;
      // The API server validates metadata as ObjectMeta whatever the CRD says;
      // apiVersion and kind are always allowed.
      const properties = { ...((root.properties as Schema) ?? {}), apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: this.objectMeta };
      const validate = ajv.compile(nullable({ ...root, properties }) as Schema);
      this.entries.set(gvk(`${group}/${v.name}`, kind), { source, served: v.served !== false, validate });
    }
  }

  /** Kinds this registry knows, for the uncovered list. */
  knows(apiVersion: string, kind: string): boolean {
    return this.entries.has(gvk(apiVersion, kind));
  }

  /** Validate one object; `undefined` when no schema covers its kind. */
  check(obj: { apiVersion?: unknown; kind?: unknown }): Verdict | undefined {
    const key = gvk(String(obj.apiVersion), String(obj.kind));
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (!e.served) return { key, errors: [`${obj.apiVersion} is not served for ${obj.kind} (${e.source})`], source: e.source };
    const ok = e.validate(obj);
    const errors = ok
      ? []
      : (e.validate.errors ?? []).map(
          (x) => `${x.instancePath || '/'} ${x.message}${x.keyword === 'additionalProperties' ? `: ${(x.params as { additionalProperty: string }).additionalProperty}` : ''}`,
        );
    // anyOf/oneOf failures repeat the same cause; keep each once.
    return { key, errors: [...new Set(errors)], source: e.source };
  }
}

/**
 * The fields Crossplane adds to the CRDs it generates from an XRD
 * (crossplane/crossplane internal/xcrd/schemas.go@v2.2.1: composition
 * references, claim/resource references, connection secret, conditions),
 * so an XR or claim carrying them is valid; their own shapes are
 * Crossplane's to check.
 */
const CROSSPLANE_SPEC = [
  'claimRef',
  'compositionRef',
  'compositionSelector',
  'compositionRevisionRef',
  'compositionRevisionSelector',
  'compositionUpdatePolicy',
  'resourceRefs',
  'writeConnectionSecretToRef',
  'publishConnectionDetailsTo',
  'environmentConfigRefs',
  'crossplane',
];
const CROSSPLANE_STATUS = ['conditions', 'connectionDetails', 'claimConditionTypes', 'crossplane'];
function withCrossplaneFields(v: CrdVersion): CrdVersion {
  const root = structuredClone(v.schema?.openAPIV3Schema ?? {}) as { properties?: Record<string, { properties?: Schema }> };
  const open = (names: string[]) => Object.fromEntries(names.map((n) => [n, { 'x-kubernetes-preserve-unknown-fields': true }]));
  for (const [field, names] of [
    ['spec', CROSSPLANE_SPEC],
    ['status', CROSSPLANE_STATUS],
  ] as const) {
    const p = root.properties?.[field];
    if (p) p.properties = { ...open(names), ...(p.properties ?? {}) };
  }
  return { ...v, schema: { openAPIV3Schema: root as Schema } };
}

interface CrdVersion {
  name: string;
  served?: boolean;
  schema?: { openAPIV3Schema?: Schema };
}
interface CrdSpec {
  group: string;
  names: { kind: string };
  claimNames?: { kind: string };
  versions: CrdVersion[];
}

/** This repository's XRDs (its own claims and composites) and Crossplane's CRDs from the validate cache. */
export function platformRegistry(): SchemaRegistry {
  const r = new SchemaRegistry();
  for (const f of readdirSync(join(ROOT, 'xrds'))) r.addCrds(join(ROOT, 'xrds', f), `xrds/${f}`);
  const cache = join(ROOT, '.build/validate-cache/xpkg.crossplane.io/crossplane');
  if (existsSync(cache)) {
    for (const d of readdirSync(cache)) r.addCrds(join(cache, d, 'package.yaml'), `crossplane/crossplane cluster/crds@${d.split('@')[1]}`);
  }
  return r;
}
