/**
 * Building blocks for API schemas. Schemas are TypeBox objects, so one
 * declaration gives both the JSON schema and the TypeScript type.
 *
 * Convention: a field with a `default` is declared *without* Type.Optional.
 * Its static type is then the resolved value a function sees after defaults
 * are applied, while the emitted OpenAPI drops it from `required` (see
 * openapi.ts), so users may leave it out.
 */
import { Type, type TSchema, type TUnsafe, type SchemaOptions } from '@sinclair/typebox';

export { Type, type Static, type TSchema, type TObject } from '@sinclair/typebox';

/** A string restricted to a fixed set of values (`enum`, as Kubernetes wants it). */
export function StringEnum<const T extends readonly string[]>(values: T, options: SchemaOptions = {}): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ ...options, type: 'string', enum: [...values] });
}

/** A string-to-string map (labels, annotations, environment). */
export function StringMap(options: SchemaOptions = {}): TSchema {
  return Type.Record(Type.String(), Type.String(), options);
}

/**
 * A rule that spans several fields. Written once, it becomes an
 * `x-kubernetes-validations` CEL rule in the XRD (the API server enforces it)
 * and a TypeScript check in the function (`crossplane render` and direct XR
 * use enforce it there). `cel` and `holds` must say the same thing; the unit
 * tests of each API exercise both sides of every rule.
 */
export interface CrossFieldRule<Spec> {
  /** Dotted path below `spec` of the object the rule is attached to ('' = spec). */
  at: string;
  /** CEL, evaluated with `self` bound to the object at `at`. */
  cel: string;
  /** The message both the API server and the function report. */
  message: string;
  /** Field named in the function's Fatal result. */
  field: string;
  holds: (spec: Spec) => boolean;
}

/** Requests and limits of one container, as flat parameters with defaults. */
export function ContainerResources(defaults: { cpu: string; memory: string; cpuLimit: string; memoryLimit: string }) {
  return Type.Object(
    {
      cpu: Type.String({ default: defaults.cpu, description: 'CPU request.' }),
      memory: Type.String({ default: defaults.memory, description: 'Memory request.' }),
      cpuLimit: Type.String({ default: defaults.cpuLimit, description: 'CPU limit.' }),
      memoryLimit: Type.String({ default: defaults.memoryLimit, description: 'Memory limit.' }),
    },
    { default: {}, description: 'Requests and limits.' },
  );
}
