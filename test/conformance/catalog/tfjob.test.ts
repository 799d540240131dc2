/**
 * tfjob (synth/kubevela/catalog/tfjob.ts), evaluated with the real cue v0.9.2;
 * its outputs validated against the training-operator CRDs of the pinned
 * release (test/upstream/crds/, `crossplane beta validate`).
 */
import { describe, expect, it } from 'vitest';
import { healthOf } from '../../../harness/cue.js';
import { definition } from '../../../harness/oam.js';
import { component, cond, CRDS, errs, expectValid, rejected, validateAgainst } from '../../support/catalog.js';
import { PARAMS } from '../../support/catalog-params.js';

describe('tfjob', () => {
  const FULL = PARAMS.tfjob.full[0] as { nodeSelector: object };

  it('minimal: one Worker, container "tensorflow" on tfjob-port, restricted, requests and limits, OnFailure, cleanPodPolicy Running', () => {
    const out = component('tfjob', { image: 'tf:2.16' });
    expect(out.output).toMatchObject({ apiVersion: 'kubeflow.org/v1', kind: 'TFJob', metadata: { name: 'my-comp' }, spec: { runPolicy: { cleanPodPolicy: 'Running' } } });
    expect(Object.keys(out.output.spec.tfReplicaSpecs)).toEqual(['Worker']);
    const worker = out.output.spec.tfReplicaSpecs.Worker;
    expect(worker).toMatchObject({ replicas: 1, restartPolicy: 'OnFailure' });
    const pod = worker.template.spec;
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod).not.toHaveProperty('tolerations');
    expect(pod).not.toHaveProperty('nodeSelector');
    const c = pod.containers[0];
    expect(c).toMatchObject({ name: 'tensorflow', image: 'tf:2.16', ports: [{ name: 'tfjob-port', containerPort: 2222 }] });
    expect(c.resources).toEqual({ requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '2', memory: '4Gi' } });
    expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(worker.template.metadata.labels).toEqual({ 'app.oam.dev/name': 'shop', 'app.oam.dev/component': 'my-comp' });
    expect(errs('tfjob', { image: 'x' })).toEqual([]);
    expectValid(CRDS.tfjob, [out.output]);
  });

  it('full: Chief, Workers with GPUs and their toleration, PS without GPUs, env, three kinds of volume, run policy', () => {
    const out = component('tfjob', FULL);
    const specs = out.output.spec.tfReplicaSpecs;
    expect(Object.keys(specs).sort()).toEqual(['Chief', 'PS', 'Worker']);
    expect([specs.Chief.replicas, specs.Worker.replicas, specs.PS.replicas]).toEqual([1, 3, 2]);
    const gpu = specs.Worker.template.spec;
    expect(gpu.containers[0].resources).toEqual({ requests: { cpu: '1', memory: '2Gi', 'nvidia.com/gpu': '2' }, limits: { cpu: '2', memory: '4Gi', 'nvidia.com/gpu': '2' } });
    expect(gpu.tolerations).toEqual([
      { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'dedicated', operator: 'Equal', value: 'ml', effect: 'NoSchedule' },
    ]);
    expect(gpu.nodeSelector).toEqual(FULL.nodeSelector);
    expect(specs.Chief.template.spec.containers[0].resources.limits['nvidia.com/gpu']).toBe('2');
    expect(specs.PS.template.spec.containers[0].resources.limits).toEqual({ cpu: '2', memory: '4Gi' });
    const c = gpu.containers[0];
    expect(c.command).toEqual(['python', 'train.py']);
    expect(c.args).toEqual(['--epochs=3']);
    expect(c.env).toEqual([
      { name: 'A', value: 'b' },
      { name: 'K', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
    ]);
    expect(c.volumeMounts).toEqual([
      { name: 'data', mountPath: '/data', readOnly: true },
      { name: 'cfg', mountPath: '/cfg', readOnly: false },
      { name: 'creds', mountPath: '/creds', readOnly: false },
    ]);
    expect(gpu.volumes).toEqual([
      { name: 'data', persistentVolumeClaim: { claimName: 'datasets', readOnly: true } },
      { name: 'cfg', configMap: { name: 'train-cfg' } },
      { name: 'creds', secret: { secretName: 'train-creds' } },
    ]);
    expect(specs.Worker.restartPolicy).toBe('ExitCode');
    expect(out.output.spec.runPolicy).toEqual({ cleanPodPolicy: 'All', backoffLimit: 2, activeDeadlineSeconds: 3600, ttlSecondsAfterFinished: 600 });
    expect(errs('tfjob', FULL)).toEqual([]);
    expectValid(CRDS.tfjob, [out.output]);
  });

  it('distributed without chief or parameter servers (collective strategies): Workers only', () => {
    const specs = component('tfjob', { image: 'x', mode: 'distributed', chief: false, parameterServers: 0, workers: 4 }).output.spec.tfReplicaSpecs;
    expect(Object.keys(specs)).toEqual(['Worker']);
    expect(specs.Worker.replicas).toBe(4);
  });

  it.each([
    ['an env entry with both value and secret', { image: 'x', env: [{ name: 'A', value: 'v', secret: { name: 's', key: 'k' } }] }, 'env A: set exactly one of value and secret'],
    ['an env entry with neither', { image: 'x', env: [{ name: 'A' }] }, 'env A: set exactly one of value and secret'],
    ['a volume without a source', { image: 'x', volumes: [{ name: 'v', mountPath: '/v' }] }, 'volumes v: set exactly one of pvc, configMap and secret'],
    ['a volume with two sources', { image: 'x', volumes: [{ name: 'v', mountPath: '/v', pvc: 'p', secret: 's' }] }, 'volumes v: set exactly one of pvc, configMap and secret'],
  ])('reports %s in errs', (_l, params, message) => {
    expect(errs('tfjob', params)).toEqual([message]);
  });

  it.each([
    ['no image', {}],
    ['an unknown restart policy', { image: 'x', restartPolicy: 'Sometimes' }],
    ['an unknown clean-pod policy', { image: 'x', cleanPodPolicy: 'Finished' }],
    ['zero workers', { image: 'x', workers: 0 }],
    ['root', { image: 'x', runAsUser: 0 }],
  ])('rejects %s', (_l, params) => {
    expect(rejected('tfjob', params)).not.toBe('');
  });

  it('an output the CRD refuses is refused by the validation (the check can fail)', () => {
    const out = component('tfjob', { image: 'x' });
    const broken = { ...out.output, spec: { ...out.output.spec, tfReplicaSpecs: { Worker: { ...out.output.spec.tfReplicaSpecs.Worker, replicas: 'one' } } } };
    expect(validateAgainst(CRDS.tfjob, [broken]).code).not.toBe(0);
  });

  it('health from the TFJob conditions: running and succeeded are healthy, failed and pending are not', () => {
    const def = definition('component', 'tfjob');
    const of = (conditions?: object[]) => healthOf(def, conditions ? { status: { conditions } } : {});
    expect(of(undefined).isHealth).toEqual({ ok: true, value: false });
    expect(of(undefined).message).toEqual({ ok: true, value: 'waiting for the training operator to start the job' });
    expect(of([cond('Created', 'True')]).isHealth).toEqual({ ok: true, value: false });
    expect(of([cond('Created', 'True'), cond('Running', 'True')]).isHealth).toEqual({ ok: true, value: true });
    expect(of([cond('Created', 'True'), cond('Running', 'True')]).message).toEqual({ ok: true, value: 'training running' });
    const done = [cond('Created', 'True'), cond('Running', 'False'), cond('Succeeded', 'True')];
    expect(of(done).isHealth).toEqual({ ok: true, value: true });
    expect(of(done).message).toEqual({ ok: true, value: 'training succeeded' });
    const failed = [cond('Created', 'True'), cond('Running', 'False'), cond('Failed', 'True', 'TFJob my-comp has failed because 1 Worker replica(s) failed.')];
    expect(of(failed).isHealth).toEqual({ ok: true, value: false });
    expect(of(failed).message).toEqual({ ok: true, value: 'training failed: TFJob my-comp has failed because 1 Worker replica(s) failed.' });
    expect(of([cond('Running', 'True'), cond('Failed', 'True')]).isHealth).toEqual({ ok: true, value: false });
  });
});
