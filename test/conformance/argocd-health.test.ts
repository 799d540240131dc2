/**
 * The ArgoCD health checks of gitops/argocd/argocd-cm.yaml, run by a real Lua
 * 5.1 interpreter (ArgoCD runs gopher-lua, a Lua 5.1) against live-looking
 * objects: claims and composites, KubeVela Applications, ArgoCD Applications.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parse } from 'yaml';
import { FUNCTIONS } from '../../functions/catalog.js';
import { ROOT } from '../../tooling/tools.js';

const LUA = process.env.LUA ?? '/usr/bin/lua5.1';
const cm = parse(readFileSync(join(ROOT, 'gitops/argocd/argocd-cm.yaml'), 'utf8')) as { data: Record<string, string> };

/** A JSON value as a Lua table constructor. */
function lua(v: unknown): string {
  if (v === null || v === undefined) return 'nil';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `{${v.map(lua).join(', ')}}`;
  return `{${Object.entries(v as object).map(([k, x]) => `[${JSON.stringify(k)}] = ${lua(x)}`).join(', ')}}`;
}

function health(key: string, obj: object): { status: string; message: string } {
  if (!existsSync(LUA)) throw new Error(`${LUA} not found: run \`make tools\` (it installs Debian's lua5.1)`);
  const script = cm.data[key];
  if (!script) throw new Error(`argocd-cm has no ${key}`);
  const program = `local function check(obj)\n${script}\nend\nlocal hs = check(${lua(obj)})\nio.write(hs.status, "\\t", hs.message or "")\n`;
  const r = spawnSync(LUA, ['-'], { input: program, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  const [status, message] = r.stdout.split('\t');
  return { status, message };
}

const conditions = (...c: object[]) => ({ status: { conditions: c } });

describe('ArgoCD health of claims and composites', () => {
  const kinds = FUNCTIONS.flatMap((f) => f.apis).flatMap((a) => [`${a.group}_${a.claimKind}`, `${a.group}_${a.compositeKind}`]);

  it('has a check for every claim and composite kind of the platform', () => {
    expect(kinds).toHaveLength(8);
    for (const k of kinds) expect(cm.data).toHaveProperty(`resource.customizations.health.${k}`);
  });

  it.each(kinds)('%s: new → Progressing, Ready → Healthy, not synced → Degraded', (kind) => {
    const key = `resource.customizations.health.${kind}`;
    expect(health(key, {})).toEqual({ status: 'Progressing', message: 'waiting for the Ready condition' });
    expect(health(key, conditions({ type: 'Synced', status: 'True' }, { type: 'Ready', status: 'False', reason: 'Creating', message: 'waiting for deployment' }))).toEqual({ status: 'Progressing', message: 'waiting for deployment' });
    expect(health(key, conditions({ type: 'Synced', status: 'True' }, { type: 'Ready', status: 'True', reason: 'Available' }))).toEqual({ status: 'Healthy', message: 'Ready' });
    expect(health(key, conditions({ type: 'Synced', status: 'False', reason: 'ReconcileError', message: 'cannot compose resources' }, { type: 'Ready', status: 'True' }))).toEqual({ status: 'Degraded', message: 'cannot compose resources' });
  });
});

describe('ArgoCD health of KubeVela and ArgoCD Applications', () => {
  const oam = 'resource.customizations.health.core.oam.dev_Application';
  it.each([
    [{}, 'Progressing', 'rendering'],
    [{ status: { status: 'runningWorkflow' } }, 'Progressing', 'runningWorkflow'],
    [{ status: { status: 'running' } }, 'Healthy', 'running'],
    [{ status: { status: 'workflowFailed' } }, 'Degraded', 'workflowFailed'],
    // Applied, but a component or trait reports unhealthy (vela-core ApplicationUnhealthy).
    [{ status: { status: 'unhealthy' } }, 'Degraded', 'unhealthy'],
    [{ status: { status: 'workflowTerminated' } }, 'Degraded', 'workflowTerminated'],
    [{ status: { status: 'workflowSuspending' } }, 'Suspended', 'workflowSuspending'],
  ])('KubeVela Application %j → %s', (obj, status, message) => {
    expect(health(oam, obj)).toEqual({ status, message });
  });

  it('an ArgoCD Application reports its own health, so waves wait for each other', () => {
    const key = 'resource.customizations.health.argoproj.io_Application';
    expect(health(key, { status: { health: { status: 'Healthy' } } })).toEqual({ status: 'Healthy', message: '' });
    expect(health(key, { status: { health: { status: 'Degraded', message: 'sync failed' } } })).toEqual({ status: 'Degraded', message: 'sync failed' });
    expect(health(key, {})).toEqual({ status: 'Progressing', message: '' });
  });
});

describe('the app-of-apps', () => {
  const apps = readFileSync(join(ROOT, 'gitops/apps/platform.yaml'), 'utf8').split(/^---$/m).map((d) => parse(d) as { metadata: { name: string; annotations: Record<string, string> }; spec: { source: { path?: string }; syncPolicy: { syncOptions: string[] } } });

  it('installs in order: controllers, packages, APIs, compositions, definitions, samples', () => {
    const order = apps.map((a) => [a.metadata.name, Number(a.metadata.annotations['argocd.argoproj.io/sync-wave'])] as const);
    expect(order).toEqual([
      ['crossplane', -4], ['kubevela', -4], ['flux', -4], ['keda', -4],
      ['platform-packages', -3], ['platform-apis', -2], ['platform-compositions', -1], ['platform-definitions', 0],
      ['sample-claims', 1], ['sample-applications', 2],
    ]);
  });

  it('every path it deploys exists, and XRD-backed samples skip the dry run', () => {
    for (const a of apps) if (a.spec.source.path) expect(existsSync(join(ROOT, a.spec.source.path)), a.spec.source.path).toBe(true);
    for (const name of ['sample-claims', 'sample-applications', 'platform-packages']) {
      expect(apps.find((a) => a.metadata.name === name)!.spec.syncPolicy.syncOptions).toContain('SkipDryRunOnMissingResource=true');
    }
  });
});
