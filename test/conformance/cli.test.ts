/**
 * The `platform` CLI's OAM path with the real `cue` (KubeVela 1.10's): the
 * Application each seed Slack example gives is rendered through the
 * generated definitions, and the claims they emit through the functions.
 */
import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../cli/graph.js';
import { parseDocuments, render } from '../../cli/render.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeObject } from '../../functions/lib/k8s/objects.js';
import { ROOT } from '../../harness/tools.js';
import { docsOf, platform, SEED_EXAMPLES, slack } from '../support/cli.js';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('platform render: the seed Slack examples through KubeVela and the functions', () => {
  it.each(SEED_EXAMPLES)('$line', async (ex) => {
    const created = await slack(`${ex.line} -n health`);
    expect(created.code).toBe(0);
    const r = await render(docsOf(created.out));
    expect(r.results.filter((x) => x.severity === 'fatal')).toEqual([]);
    const objects = r.nodes.map((n) => n.object) as (KubeObject & Any)[];
    const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata?.name === name);

    // webservice → a Knative Service in the Application's namespace, with the app's Secrets.
    const ksvc = find('Service', ex.name)!;
    expect(ksvc.apiVersion).toBe('serving.knative.dev/v1');
    expect(ksvc.metadata?.namespace).toBe('health');
    const container = ksvc.spec.template.spec.containers[0];
    expect(container.image).toBe(`ghcr.io/example-org/${ex.name}:latest`);
    const envFrom = (container.envFrom as { secretRef: { name: string } }[]).map((e) => e.secretRef.name);
    expect(envFrom.includes(`${ex.name}-db-secret`)).toBe(ex.database === 'postgres');
    expect(envFrom.includes(`${ex.name}-cache-secret`)).toBe(ex.cache === 'redis');
    expect(envFrom.includes(`${ex.name}-stream-kafka-secret`)).toBe(ex.iot === true);

    // … and the ApplicationClaim (oam-driven: the function writes nothing back to GitOps).
    const claim = find('ApplicationClaim', ex.name)!;
    expect(claim.metadata?.annotations).toEqual({ 'webservice.oam.dev/source': 'oam-driven' });
    expect(claim.spec).toMatchObject({ name: ex.name, language: ex.language, framework: ex.framework });
    const repo = objects.find((o) => o.kind === 'Repository')!;
    expect(repo.spec.forProvider.template[0].repository).toBe(`template-${ex.language}-${ex.framework}`);
    expect(objects.some((o) => o.kind === 'RepositoryFile')).toBe(false);
    expect(find('StatefulSet', `${ex.name}-db`) !== undefined).toBe(ex.database === 'postgres');
    expect(find('StatefulSet', `${ex.name}-cache`) !== undefined).toBe(ex.cache === 'redis');
    // iot true → the realtime platform, whose Secrets the service reads.
    expect(find('RealtimePlatformClaim', `${ex.name}-stream`) !== undefined).toBe(ex.iot === true);
    expect(find('Namespace', `${ex.name}-stream-realtime`) !== undefined).toBe(ex.iot === true);
    if (ex.iot) {
      const g = buildGraph(r);
      const id = (name: string, kind: string) => g.nodes.find((n) => n.name === name && n.kinds.includes(kind))!.id;
      expect(g.edges).toContainEqual({ from: id(`${ex.name}-stream-kafka-secret`, 'Secret'), to: id(ex.name, 'Service.serving.knative.dev'), label: 'env' });
    }
  });

  it('vcluster create renders through the vcluster definition and function', async () => {
    const created = await platform('vcluster', 'create', 'team-env', 'medium', 'with', 'argocd', '-n', 'team-a');
    const r = await render(docsOf(created.out));
    expect(r.results).toEqual([]);
    const kinds = r.nodes.map((n) => `${n.object.kind}/${n.object.metadata?.name}`);
    expect(kinds).toEqual(expect.arrayContaining(['VClusterEnvironmentClaim/team-env', 'HelmRelease/vcluster', 'HelmRelease/argocd']));
  });

  it('graph of the seed OAM example (realtime health platform): Application → claims → composites, grouped by namespace', async () => {
    const file = 'examples/oam/realtime-health-platform.yaml';
    const r = await render(parseDocuments(readFileSync(join(ROOT, file), 'utf8'), file), parseDocuments(readFileSync(join(ROOT, 'examples/realtime-platform/required.yaml'), 'utf8'), 'required'));
    const g = buildGraph(r);
    const named = (id: string) => (id.startsWith('namespace:') ? id : g.nodes.find((n) => n.id === id)!.name);
    const edges = g.edges.map((e) => `${named(e.from)} -${e.label}-> ${named(e.to)}`);
    expect(edges).toEqual(
      expect.arrayContaining([
        'health-platform -renders-> health-pipeline',
        'health-pipeline -binds-> health-pipeline-' +
          r.nodes
            .find((n) => n.object.kind === 'XRealtimePlatform')!
            .object.metadata!.name!.split('-')
            .at(-1),
      ]),
    );
    expect(edges).toContain(
      'health-pipeline-' +
        r.nodes
          .find((n) => n.object.kind === 'XRealtimePlatform')!
          .object.metadata!.name!.split('-')
          .at(-1) +
        ' -composes-> namespace:health-data-realtime',
    );
    expect(new Set(g.nodes.map((n) => n.namespace ?? ''))).toEqual(new Set(['', 'health', 'health-data-realtime']));
    const result = await platform('graph', join(ROOT, file), '--format', 'svg', '-e', join(ROOT, 'examples/realtime-platform/required.yaml'));
    expect(result.code).toBe(0);
    expect(result.out).toContain('namespace health-data-realtime');
  });
});
