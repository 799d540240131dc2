/**
 * The kwok Stages of harness/controlplane/stages/, checked without a plane:
 * kwok's own loader and Stage code (tools/kwok/stagecheck) and kwok's Stage
 * CRD accept every file; every kind our outputs contain has a Stage or a
 * reason not to; and the objects the examples render reach, through kwok's
 * lifecycle code, the status their readers wait for (the functions' readiness
 * checks and the definitions' health policies, evaluated by vela-core's code)
 * without a Stage matching its own result again.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseDocuments, render, type Node } from '../../cli/render.js';
import { conditionTrue, type KubeObject } from '../../functions/lib/k8s/objects.js';
import { healthOf } from '../../harness/cue.js';
import { NOT_STAGED, kindKey, outputKinds, planeCrds, stageFiles, stages } from '../../harness/controlplane/stages.js';
import { definition, renderApplicationObject, type AppFile } from '../../harness/oam.js';
import { ROOT, runTool, validate } from '../../harness/tools.js';

type Obj = KubeObject & { status?: Record<string, unknown> };
interface Checked {
  stages: string[];
  object: Obj;
  created: Obj[];
  events: { type: string; reason: string; message: string }[];
  rematch?: string;
  error?: string;
}

/** Run kwok's Stage code (tools/kwok/stagecheck) on objects. */
function stagecheck(objects: unknown[], files = stageFiles()): Checked[] {
  const r = runTool('kwok-stagecheck', files, JSON.stringify(objects));
  if (r.code !== 0) throw new Error(`stagecheck: ${r.stderr}`);
  return JSON.parse(r.stdout) as Checked[];
}

const staged = new Set(stages().map((s) => kindKey(s.apiVersion, s.kind)));
const isStaged = (o: KubeObject) => staged.has(kindKey(o.apiVersion!, o.kind!));

/** What the API server adds to a created object, which the Stages read. */
const asCreated = (o: KubeObject, i: number): Record<string, unknown> => ({
  ...o,
  metadata: { namespace: 'default', ...o.metadata, generation: 1, uid: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}` },
});

const EXAMPLES = join(ROOT, 'examples');
/** Every OAM example and example claim, rendered in-process (cli/render.ts) with its folder's required Secrets. */
async function renderedExamples(): Promise<{ file: string; nodes: Node[] }[]> {
  const files = readdirSync(join(EXAMPLES, 'oam')).map((f) => join(EXAMPLES, 'oam', f));
  for (const dir of readdirSync(EXAMPLES, { withFileTypes: true }).filter((d) => d.isDirectory() && d.name !== 'oam')) {
    files.push(
      ...readdirSync(join(EXAMPLES, dir.name))
        .filter((f) => /^claim.*\.yaml$/.test(f))
        .map((f) => join(EXAMPLES, dir.name, f)),
    );
  }
  const out = [];
  for (const file of files.sort()) {
    const required = join(file, '..', 'required.yaml');
    const docs = parseDocuments(readFileSync(file, 'utf8'), file);
    const r = await render(docs, existsSync(required) ? parseDocuments(readFileSync(required, 'utf8'), required) : []);
    out.push({ file: file.slice(ROOT.length + 1), nodes: r.nodes });
  }
  return out;
}

describe('kwok Stages (harness/controlplane/stages)', () => {
  it("every file holds only kwok v1alpha1 Stages, read by kwok's own loader (unknown fields refused)", () => {
    expect(stageFiles().length).toBeGreaterThan(0);
    expect(stagecheck([])).toEqual([]);
    // The check itself refuses what kwok would silently drop.
    const dir = mkdtempSync(join(tmpdir(), 'stages-'));
    try {
      const bad = join(dir, 'bad.yaml');
      writeFileSync(bad, readFileSync(join(ROOT, 'harness/controlplane/stages/keda.yaml'), 'utf8').replace('  steps:', '  stepz:'));
      const r = runTool('kwok-stagecheck', [bad], '[]');
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('unknown field "stepz"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("every Stage validates against kwok's Stage CRD (sigs.k8s.io/kwok v0.8.0 kustomize/crd/bases)", () => {
    const mod = spawnSync('go', ['list', '-m', '-f', '{{.Dir}}', 'sigs.k8s.io/kwok'], { cwd: join(ROOT, 'tools/kwok'), encoding: 'utf8' });
    expect(mod.status, mod.stderr).toBe(0);
    const crd = join(mod.stdout.trim(), 'kustomize/crd/bases/kwok.x-k8s.io_stages.yaml');
    const docs = stageFiles().flatMap((f) => parseDocuments(readFileSync(f, 'utf8'), f));
    const r = validate([crd], docs.map((d) => stringify(d)).join('---\n'));
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`Total ${docs.length} resources: 0 missing schemas, ${docs.length} success cases, 0 failure cases`);
    const misspelt = validate([crd], stringify({ ...docs[0], spec: { ...(docs[0].spec as object), stepz: [] } }));
    expect(misspelt.stdout).toContain('unknown field: "stepz"');
  });

  it('every kind our outputs contain has a Stage, or a reason in NOT_STAGED', () => {
    const kinds = outputKinds();
    const missing = [...kinds.keys()].filter((k) => !staged.has(k) && !(k in NOT_STAGED));
    expect(missing.map((k) => `${k} (from ${[...new Set(kinds.get(k))].join(', ')}): no kwok Stage and no reason in NOT_STAGED`)).toEqual([]);
    expect([...staged].filter((k) => k in NOT_STAGED)).toEqual([]);
    // No stale entries: each Stage and each reason is about a kind we output.
    expect([...staged, ...Object.keys(NOT_STAGED)].filter((k) => !kinds.has(k))).toEqual([]);
  });

  it("every Stage's resourceRef is served by a CRD the plane installs (kwok refuses to start otherwise)", () => {
    const crds = planeCrds();
    for (const s of stages()) {
      const [group, version] = s.apiVersion.split('/');
      const crd = crds.find((c) => c.group === group && c.kind === s.kind);
      expect(crd?.versions, `${s.name}: ${s.kind}.${group} in test/upstream/crds`).toContain(version);
    }
    expect(new Set(stages().map((s) => s.name)).size).toBe(stages().length);
  });

  it("the examples' objects of staged kinds reach the status their readers wait for, once, through kwok's Stage code", async () => {
    const objects = (await renderedExamples()).flatMap((e) => e.nodes.map((n) => ({ file: e.file, object: n.object }))).filter((x) => isStaged(x.object));
    const results = stagecheck(objects.map((x, i) => asCreated(x.object, i)));
    const seen = new Set<string>();
    results.forEach((r, i) => {
      const what = `${objects[i].file}: ${kindKey(r.object.apiVersion!, r.object.kind!)} ${r.object.metadata?.name}`;
      seen.add(kindKey(r.object.apiVersion!, r.object.kind!));
      expect(r.error, what).toBeUndefined();
      expect(r.rematch, `${what}: a Stage matches its own result`).toBeUndefined();
      expect(r.stages, what).toHaveLength(1);
      // TFJobs report Running; everything else a Ready condition, which the functions' readiness checks read.
      expect(conditionTrue(r.object, r.object.kind === 'TFJob' ? 'Running' : 'Ready'), what).toBe(true);
    });
    // Every Stage was exercised by some example.
    expect([...staged].filter((k) => !seen.has(k) && k !== 'HelmRepository.source.toolkit.fluxcd.io')).toEqual([]);
  });

  it('the Secrets the Stages create are what External Secrets and provider-terraform write, with no real value', () => {
    const app = (file: string) => renderApplicationObject(parseDocuments(readFileSync(join(EXAMPLES, 'oam', file), 'utf8'), file)[0] as unknown as AppFile);
    const externalSecret = app('event-driven-microservices.yaml').components.find((c) => c.type === 'neon-postgres')!.output as KubeObject;
    const [synced] = stagecheck([asCreated(externalSecret, 1)]);
    const spec = externalSecret.spec as { target: { name: string; template: { data: Record<string, string> } } };
    expect(synced.created).toHaveLength(1);
    const secret = synced.created[0] as Obj & { data: Record<string, string> };
    expect(secret.metadata).toMatchObject({
      name: spec.target.name,
      namespace: 'default',
      labels: { 'reconcile.external-secrets.io/managed': 'true' },
      ownerReferences: [{ apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', name: externalSecret.metadata!.name, controller: true, blockOwnerDeletion: true }],
    });
    const data = Object.fromEntries(Object.entries(secret.data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));
    expect(Object.keys(data).sort()).toEqual(Object.keys(spec.target.template.data).sort());
    expect(data.DATABASE_PASSWORD).toBe('simulated-password');
    expect(data.DATABASE_URL).toMatch(/^postgresql:\/\/simulated-user:simulated-password@simulated-host:simulated-port\/orders\?sslmode=require$/);
    expect(synced.events).toEqual([{ type: 'Normal', reason: 'Created', message: 'secret created' }]);
    expect(synced.object.status).toMatchObject({ binding: { name: spec.target.name }, conditions: [{ type: 'Ready', status: 'True', reason: 'SecretSynced', message: 'secret synced' }] });

    const workspace = app('ml-analytics-pipeline.yaml').components.find((c) => c.type === 'snowflake-datawarehouse')!.output as KubeObject;
    const [applied] = stagecheck([asCreated(workspace, 2)]);
    const conn = applied.created[0] as Obj & { data: Record<string, string>; type: string };
    expect(conn.type).toBe('connection.crossplane.io/v1alpha1');
    // The keys the realtime platform's Snowflake sink reads (functions/realtime-platform/components/pipeline.ts).
    expect(Object.keys(conn.data).sort()).toEqual(['SNOWFLAKE_DATABASE', 'SNOWFLAKE_PRIVATE_KEY', 'SNOWFLAKE_ROLE', 'SNOWFLAKE_SCHEMA', 'SNOWFLAKE_URL', 'SNOWFLAKE_USER', 'SNOWFLAKE_WAREHOUSE']);
    expect(Buffer.from(conn.data.SNOWFLAKE_PRIVATE_KEY, 'base64').toString()).toBe('simulated-private-key');
    const outputs = (applied.object.status as { atProvider: { outputs: Record<string, string> } }).atProvider.outputs;
    for (const [k, v] of Object.entries(outputs)) expect(Buffer.from(conn.data[k], 'base64').toString(), k).toBe(v);
  });

  it("the OAM components whose objects are staged are healthy by their own health policy (vela-core's code)", () => {
    const checked: string[] = [];
    for (const f of readdirSync(join(EXAMPLES, 'oam'))) {
      const app = parseDocuments(readFileSync(join(EXAMPLES, 'oam', f), 'utf8'), f)[0] as unknown as AppFile & { spec: { components: { name: string; properties?: unknown }[] } };
      for (const c of renderApplicationObject(app).components) {
        if (!c.output || !isStaged(c.output as KubeObject)) continue;
        // The component's own outputs (not its traits'), staged where a Stage exists.
        const own = Object.entries(c.outputs).filter(([k]) => c.outputFrom[k] === c.type);
        const all = [c.output, ...own.map(([, o]) => o)] as KubeObject[];
        const results = stagecheck(all.map((o, i) => asCreated(o, i)));
        const output = results[0].object;
        const outputs = Object.fromEntries(own.map(([k], i) => [k, results[i + 1].object]));
        const properties = app.spec.components.find((x) => x.name === c.name)?.properties ?? {};
        const before = healthOf(definition('component', c.type), c.output, Object.fromEntries(own), properties);
        const after = healthOf(definition('component', c.type), output, outputs, properties);
        expect(before.isHealth, `${f} ${c.name} (${c.type}) before its Stages`).toEqual({ ok: true, value: false });
        expect(after.isHealth, `${f} ${c.name} (${c.type}): ${JSON.stringify(after.message)}`).toEqual({ ok: true, value: true });
        checked.push(c.type);
      }
    }
    expect(new Set(checked)).toEqual(
      new Set(['auth0-idp', 'aws-apigateway', 'kafka', 'karpenter-nodepool', 'knative-webservice', 'mongodb', 'neon-postgres', 'rasa-chatbot', 'redis', 'snowflake-datawarehouse', 'tfjob']),
    );
  });
});
