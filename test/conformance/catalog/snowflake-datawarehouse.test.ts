/**
 * snowflake-datawarehouse (synth/kubevela/catalog/snowflake-datawarehouse.ts),
 * evaluated with the real cue v0.9.2; its outputs validated against
 * provider-terraform's CRDs of the pinned release (test/upstream/crds/).
 */
import { describe, expect, it } from 'vitest';
import { healthOf } from '../../../harness/cue.js';
import { definition } from '../../../harness/oam.js';
import { component, cond, CRDS, expectValid, rejected } from '../../support/catalog.js';
import { PARAMS } from '../../support/catalog-params.js';

describe('snowflake-datawarehouse', () => {
  const MIN = PARAMS['snowflake-datawarehouse'].min;

  it('minimal: one inline Workspace, parameters as variables, admin key pair from env, the Secret {component}-snowflake-secret', () => {
    const out = component('snowflake-datawarehouse', MIN);
    expect(out.output).toMatchObject({
      apiVersion: 'tf.m.upbound.io/v1beta1',
      kind: 'Workspace',
      metadata: { name: 'my-comp' },
      spec: { providerConfigRef: { kind: 'ClusterProviderConfig', name: 'default' }, writeConnectionSecretToRef: { name: 'my-comp-snowflake-secret' } },
    });
    const fp = out.output.spec.forProvider;
    expect(fp.source).toBe('Inline');
    expect(fp.inlineFormat).toBe('HCL');
    expect(fp.varmap).toEqual({
      warehouse: { name: 'HEALTH_DATA_WH', size: 'XSMALL', auto_suspend: 60, max_cluster_count: 1 },
      database: 'HEALTH_DATA',
      schema: 'PUBLIC',
      data_retention_days: 1,
      user: 'HEALTH_DATA_SVC',
      account_url: 'acme-analytics.snowflakecomputing.com:443',
    });
    expect(fp.env).toEqual([
      { name: 'SNOWFLAKE_ORGANIZATION_NAME', value: 'acme' },
      { name: 'SNOWFLAKE_ACCOUNT_NAME', value: 'analytics' },
      { name: 'SNOWFLAKE_AUTHENTICATOR', value: 'SNOWFLAKE_JWT' },
      { name: 'SNOWFLAKE_ROLE', value: 'ACCOUNTADMIN' },
      { name: 'SNOWFLAKE_USER', secretKeyRef: { name: 'snowflake-admin', key: 'SNOWFLAKE_USER' } },
      { name: 'SNOWFLAKE_PRIVATE_KEY', secretKeyRef: { name: 'snowflake-admin', key: 'SNOWFLAKE_PRIVATE_KEY' } },
    ]);
    expectValid(CRDS.terraform, [out.output]);
  });

  it("the module declares every variable the varmap sets and outputs every key the realtime platform's Snowflake sink reads", () => {
    const fp = component('snowflake-datawarehouse', MIN).output.spec.forProvider;
    const module = fp.module as string;
    const declared = [...module.matchAll(/^variable "([a-z_]+)"/gm)].map((m) => m[1]).sort();
    expect(declared).toEqual(Object.keys(fp.varmap).sort());
    const outputs = [...module.matchAll(/^output "([A-Z_]+)"/gm)].map((m) => m[1]);
    // functions/realtime-platform/components/pipeline.ts reads these five keys.
    for (const k of ['SNOWFLAKE_URL', 'SNOWFLAKE_USER', 'SNOWFLAKE_PRIVATE_KEY', 'SNOWFLAKE_DATABASE', 'SNOWFLAKE_SCHEMA']) expect(outputs).toContain(k);
    expect(module).toMatch(/output "SNOWFLAKE_PRIVATE_KEY" \{\n\s+value\s+= local\.private_key\n\s+sensitive = true/);
    expect(module).toContain('version = "2.20.0"');
  });

  it('full: names, sizes, retention, Secret, admin Secret and role, provider config', () => {
    const out = component('snowflake-datawarehouse', PARAMS['snowflake-datawarehouse'].full[0]);
    const fp = out.output.spec.forProvider;
    expect(fp.varmap).toMatchObject({ warehouse: { name: 'STREAM_WH', size: 'MEDIUM', auto_suspend: 300, max_cluster_count: 3 }, schema: 'RAW', data_retention_days: 7, user: 'KAFKA_SINK' });
    expect(out.output.spec.writeConnectionSecretToRef).toEqual({ name: 'health-snowflake' });
    expect(out.output.spec.providerConfigRef).toEqual({ kind: 'ProviderConfig', name: 'tf' });
    expect(fp.env).toContainEqual({ name: 'SNOWFLAKE_ROLE', value: 'SYSADMIN' });
    expect(fp.env).toContainEqual({ name: 'SNOWFLAKE_USER', secretKeyRef: { name: 'sf-admin', key: 'SNOWFLAKE_USER' } });
    expectValid(CRDS.terraform, [out.output]);
  });

  it.each([
    ['no account', { organization: 'a', database: 'd' }],
    ['a database name with a dot (refused by the provider)', { ...MIN, database: 'a.b' }],
    ['an unknown warehouse size', { ...MIN, warehouse: { size: 'HUGE' } }],
    ['auto-suspend under a minute', { ...MIN, warehouse: { autoSuspend: 10 } }],
  ])('rejects %s', (_l, params) => {
    expect(rejected('snowflake-datawarehouse', params)).not.toBe('');
  });

  it("healthy when the Workspace is Ready; otherwise provider-terraform's reason", () => {
    const def = definition('component', 'snowflake-datawarehouse');
    const live = { spec: { writeConnectionSecretToRef: { name: 'x-snowflake-secret' } }, status: { conditions: [cond('Ready', 'True')] } };
    expect(healthOf(def, live).isHealth).toEqual({ ok: true, value: true });
    expect(healthOf(def, live).message).toEqual({ ok: true, value: 'applied; credentials in Secret x-snowflake-secret' });
    expect(healthOf(def, { status: { conditions: [cond('Ready', 'False', 'terraform apply failed')] } }).message).toEqual({ ok: true, value: 'not ready: terraform apply failed' });
    expect(healthOf(def, {}).isHealth).toEqual({ ok: true, value: false });
  });
});
