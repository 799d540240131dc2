import { describe, expect, it } from 'vitest';
import { Type, StringEnum, StringMap } from '../../functions/lib/schema/types.js';
import { toOpenApi } from '../../functions/lib/schema/openapi.js';
import { cueParameter } from '../../functions/lib/schema/cue.js';
import { specValidator } from '../../functions/lib/schema/validate.js';
import { fieldTable } from '../../functions/lib/schema/docs.js';

const Spec = Type.Object({
  name: Type.String({ minLength: 1, description: 'Name.' }),
  tier: StringEnum(['a', 'b'], { default: 'a', description: 'Tier.' }),
  limits: Type.Object({ max: Type.Integer({ minimum: 1, default: 3 }) }, { default: {} }),
  labels: Type.Optional(StringMap()),
  tags: Type.Optional(Type.Array(Type.String())),
});
type Spec = { name: string; tier: 'a' | 'b'; limits: { max: number }; labels?: Record<string, string>; tags?: string[] };

describe('toOpenApi', () => {
  const out = toOpenApi(Spec);
  it('keeps only fields without a default in required', () => {
    expect(out.required).toEqual(['name']);
    expect(out.properties!.limits.required).toBeUndefined();
  });
  it("writes the fields' defaults into an object's default (kube-apiserver checks CEL rules against the default as written)", () => {
    expect(out.properties!.limits.default).toEqual({ max: 3 });
  });
  it('emits maps as additionalProperties (structural schema), not patternProperties', () => {
    expect(out.properties!.labels).toEqual({ type: 'object', additionalProperties: { type: 'string' } });
  });
  it('attaches cross-field rules as x-kubernetes-validations', () => {
    const withRule = toOpenApi<Spec>(Spec, [{ at: 'limits', cel: 'self.max < 10', message: 'too many', field: 'spec.limits.max', holds: (s) => s.limits.max < 10 }]);
    expect(withRule.properties!.limits['x-kubernetes-validations']).toEqual([{ rule: 'self.max < 10', message: 'too many', fieldPath: '.max' }]);
  });
  it('has no TypeBox symbols or functions left', () => {
    expect(JSON.stringify(out)).not.toContain('Symbol');
    expect(Object.getOwnPropertySymbols(out)).toEqual([]);
  });
});

describe('cueParameter', () => {
  it('writes KubeVela conventions: usage comments, defaults, optional fields', () => {
    // Checked by hand against KubeVela's conventions, and evaluated by cue in
    // the conformance suite through the generated definitions.
    expect(cueParameter(toOpenApi(Spec))).toBe(
      [
        'parameter: {',
        '\t// +usage=Name.',
        '\tname: string & strings.MinRunes(1)',
        '\t// +usage=Tier.',
        '\ttier: *"a" | "b"',
        '\tlimits: {',
        '\t\tmax: *3 | int & >=1',
        '\t}',
        '\tlabels?: {[string]: string}',
        '\ttags?: [...string]',
        '}',
      ].join('\n'),
    );
  });
});

describe('specValidator', () => {
  const validate = specValidator<Spec>(Spec, [{ at: 'limits', cel: 'self.max < 10', message: 'max must be below 10', field: 'spec.limits.max', holds: (s) => s.limits.max < 10 }]);
  it('applies defaults, including inside a defaulted object', () => {
    const r = validate({ name: 'x' });
    expect(r).toEqual({ ok: true, value: { name: 'x', tier: 'a', limits: { max: 3 } } });
  });
  it('drops unknown fields, as the API server prunes them, but keeps map entries', () => {
    const r = validate({ name: 'x', surprise: 1, limits: { max: 2, extra: true }, labels: { a: 'b' } });
    expect(r).toEqual({ ok: true, value: { name: 'x', tier: 'a', limits: { max: 2 }, labels: { a: 'b' } } });
  });

  it('does not change its input', () => {
    const input = { name: 'x' };
    validate(input);
    expect(input).toEqual({ name: 'x' });
  });
  it('names every broken field and its rule', () => {
    const r = validate({ tier: 'c', limits: { max: 0 }, tags: [1] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual(
      expect.arrayContaining([
        { field: 'spec.name', rule: 'is required' },
        { field: 'spec.tier', rule: 'must be one of a, b' },
        { field: 'spec.limits.max', rule: 'must be >= 1' },
        { field: 'spec.tags[0]', rule: 'must be of type string' },
      ]),
    );
  });
  it('checks cross-field rules after the schema', () => {
    expect(validate({ name: 'x', limits: { max: 12 } })).toEqual({
      ok: false,
      errors: [{ field: 'spec.limits.max', rule: 'max must be below 10' }],
    });
  });
  it('never echoes the offending value', () => {
    const r = validate({ name: 'x', tier: 'hunter2-secret' });
    expect(JSON.stringify(r)).not.toContain('hunter2');
  });
});

describe('fieldTable', () => {
  it('lists nested fields with type, required, default', () => {
    const table = fieldTable(toOpenApi(Spec), 'spec.');
    expect(table).toContain('| `spec.name` | string | yes |  | Name. |');
    expect(table).toContain('| `spec.tier` | `a` \\| `b` |  | `"a"` | Tier. |');
    expect(table).toContain('| `spec.limits.max` | integer |  | `3` | (>= 1) |');
  });
});
