/**
 * The catalog as a whole: every definition is generated, documented and
 * encodable, the ones that output a claim share one health policy, and
 * KubeVela's conventions hold for every definition (issue 11).
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CATALOG } from '../../../synth/kubevela/catalog/index.js';
import { loadDefinition, parameterOpenApi } from '../../../harness/cue.js';
import { FUNCTIONS } from '../../../functions/catalog.js';
import { CLAIM_HEALTH_POLICY } from '../../../synth/kubevela/claim.js';
import { honourDisableHealthCheck } from '../../../synth/kubevela/definitions.js';
import { definition, renderComponent } from '../../../harness/oam.js';
import { ROOT } from '../../../harness/tools.js';

describe('catalog: every definition is generated, documented and encodable', () => {
  it.each(CATALOG.map((e) => [e.name, e.kind] as const))('%s (%s)', (name, kind) => {
    const folder = { ComponentDefinition: 'components', TraitDefinition: 'traits', PolicyDefinition: 'policies' }[kind];
    expect(existsSync(join(ROOT, 'definitions', folder, `${name}.yaml`))).toBe(true);
    expect(existsSync(join(ROOT, 'docs/reference', `${name}.md`))).toBe(true);
    const def = definition(({ ComponentDefinition: 'component', TraitDefinition: 'trait', PolicyDefinition: 'policy' } as const)[kind], name);
    const openapi = parameterOpenApi(def);
    expect(openapi.ok, openapi.ok ? '' : openapi.error).toBe(true);
  });

  it('every definition that outputs a claim shares one health policy and the status convention', () => {
    const claimKinds = FUNCTIONS.flatMap((f) => f.apis).map((a) => a.claimKind);
    const emitters = readdirSync(join(ROOT, 'definitions/components')).filter((f) => {
      const def = loadDefinition(join(ROOT, 'definitions/components', f));
      // The main output (not outputs.*) is the claim.
      return claimKinds.some((k) => new RegExp(`^output: \\{\\n\\tapiVersion: [^\\n]*\\n\\tkind:\\s+"${k}"`, 'm').test(def.template));
    });
    expect(emitters.sort()).toEqual(['application-infrastructure.yaml', 'event-driven-service.yaml', 'realtime-platform.yaml', 'vcluster.yaml']);
    for (const f of emitters) {
      const def = loadDefinition(join(ROOT, 'definitions/components', f));
      expect(def.healthPolicy, f).toBe(honourDisableHealthCheck(CLAIM_HEALTH_POLICY));
      expect(def.customStatus, f).toMatch(/"waiting for the [A-Za-z]+ to become Ready",\n\]\[0\]\n$/);
    }
  });

  // That every reference page is reached from the README by links: test/unit/docs.test.ts.
});

describe('KubeVela conventions (issue 11)', () => {
  const traitDefs = CATALOG.filter((e) => e.kind === 'TraitDefinition').map((e) => [e.name, definition('trait', e.name)] as const);

  it.each(traitDefs)('trait %s reports user errors in errs, never as a forced CUE conflict', (_name, def) => {
    expect(def.template).toContain('errs: [for m in _errs {m}]');
    expect(def.template).not.toMatch(/" & true/);
  });

  it('a trait\'s errs is what KubeVela shows the user, not "conflicting values"', () => {
    const base = { name: 'w', type: 'knative-webservice', properties: { image: 'a:1' } };
    expect(() => renderComponent({ ...base, traits: [{ type: 'autoscaler', properties: { min: 5, max: 2 } }] })).toThrow(/^component w: min must not exceed max$/);
  });

  it("the image and port of knative-webservice have vela-core's short flags (i, p) after their usage", () => {
    const template = definition('component', 'knative-webservice').template;
    const lines = (/^parameter: \{[\s\S]*?^\}/m.exec(template)?.[0] ?? '').split('\n').map((l) => l.trim());
    for (const [field, short] of [
      ['image', 'i'],
      ['port', 'p'],
    ]) {
      const at = lines.findIndex((l) => l.startsWith(`${field}:`));
      expect(lines[at - 1]).toBe(`// +short=${short}`);
      expect(lines[at - 2]).toMatch(/^\/\/ \+usage=\S/);
    }
  });

  it('every parameter of every definition has a +usage comment', () => {
    for (const dir of ['components', 'traits', 'policies']) {
      for (const f of readdirSync(join(ROOT, 'definitions', dir))) {
        const block = /^parameter: \{[\s\S]*?^\}/m.exec(loadDefinition(join(ROOT, 'definitions', dir, f)).template)?.[0] ?? '';
        const lines = block.split('\n').slice(1, -1);
        lines.forEach((line, i) => {
          if (/^\s*("[^"]+"|[A-Za-z_][A-Za-z0-9_]*)\??:/.test(line)) {
            const above = lines
              .slice(0, i)
              .reverse()
              .find((l) => !/^\s*\/\/ \+short=/.test(l));
            expect(above, `${dir}/${f}: ${line.trim()}`).toMatch(/^\s*\/\/ \+usage=\S/);
          }
        });
      }
    }
  });

  it('no definition takes the name of a vela-core 1.10 built-in, so the built-ins stay as they are for every team', () => {
    // vela-core v1.10.9 charts/vela-core/templates/defwithtemplate/ (metadata.name of each file;
    // the Go module proxy serves v1.10.9, not v1.10.3).
    const BUILT_IN = {
      components: ['cron-task', 'daemon', 'k8s-objects', 'raw', 'ref-objects', 'statefulset', 'task', 'webservice', 'worker'],
      traits: [
        'affinity',
        'annotations',
        'command',
        'configmap',
        'container-image',
        'container-ports',
        'cpuscaler',
        'env',
        'expose',
        'gateway',
        'hostalias',
        'hpa',
        'ingress',
        'ingress-1-20',
        'init-container',
        'json-merge-patch',
        'json-patch',
        'k8s-update-strategy',
        'labels',
        'lifecycle',
        'nocalhost',
        'node-affinity',
        'podsecuritycontext',
        'pure-ingress',
        'pvc',
        'resource',
        'scaler',
        'securitycontext',
        'service-account',
        'service-binding',
        'sidecar',
        'startup-probe',
        'storage',
        'topologyspreadconstraints',
        'volumes',
      ],
      policies: ['apply-once', 'envbinding', 'garbage-collect', 'override', 'read-only', 'replication', 'resource-update', 'shared-resource', 'take-over', 'topology'],
    };
    for (const [dir, names] of Object.entries(BUILT_IN)) {
      const ours = readdirSync(join(ROOT, 'definitions', dir)).map((f) => f.replace(/\.yaml$/, ''));
      expect(
        ours.filter((n) => names.includes(n)),
        dir,
      ).toEqual([]);
    }
  });
});
