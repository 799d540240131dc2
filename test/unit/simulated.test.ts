/**
 * harness/controlplane/simulated.ts: what the plane says about the objects the
 * kwok Stages write, from the objects' managed fields, and never a value.
 */
import { describe, expect, it } from 'vitest';
import { describeSimulated, KWOK_MANAGER, type Live } from '../../harness/controlplane/simulated.js';
import { stages } from '../../harness/controlplane/stages.js';

const SECRET_VALUE = Buffer.from('simulated-password').toString('base64');

describe('simulated.ts', () => {
  it('every Stage names the controller, version and source it stands in for', () => {
    for (const s of stages()) expect(s.simulates, s.name).toMatch(/^\S.* v?[0-9][0-9.]*[^ ]* \(.+\)$/);
  });

  it('says which controller a Stage-written status and a Stage-created Secret stand for, with keys and no values', () => {
    const scaler: Live = {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name: 'orders', namespace: 'shop', managedFields: [{ manager: 'crossplane' }, { manager: KWOK_MANAGER, subresource: 'status' }] },
      status: {
        conditions: [
          { type: 'Ready', status: 'True' },
          { type: 'Active', status: 'False' },
        ],
      },
    };
    expect(describeSimulated(scaler)).toBe(
      'SIMULATED: status of ScaledObject shop/orders (Ready=True, Active=False), as KEDA v2.15.1 (kedacore/keda controllers/keda/scaledobject_controller.go, controllers/keda/hpa.go@v2.15.1) would; kwok Stage keda-scaledobject-ready',
    );
    const secret: Live = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'orders-db-db-secret',
        namespace: 'shop',
        ownerReferences: [{ apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', name: 'orders-db', controller: true }],
        managedFields: [{ manager: KWOK_MANAGER }],
      },
      data: { DATABASE_PASSWORD: SECRET_VALUE, DATABASE_HOST: SECRET_VALUE },
    };
    const line = describeSimulated(secret)!;
    expect(line).toMatch(
      /^SIMULATED: Secret shop\/orders-db-db-secret for ExternalSecret orders-db, keys DATABASE_HOST, DATABASE_PASSWORD \(placeholder values\), as External Secrets Operator v1\.3\.2 .* would; kwok Stage external-secret-synced$/,
    );
    expect(line).not.toContain(SECRET_VALUE);
    expect(line).not.toContain('simulated-password');
  });

  it('says nothing about what kwok did not write', () => {
    expect(describeSimulated({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', managedFields: [{ manager: 'crossplane' }] }, data: { a: SECRET_VALUE } })).toBeUndefined();
    expect(describeSimulated({ apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'x', managedFields: [{ manager: 'keda', subresource: 'status' }] } })).toBeUndefined();
  });
});
