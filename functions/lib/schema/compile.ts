/**
 * Turning an OpenAPI schema into an ajv validator. Under tsx (development,
 * tests, `make serve`) this compiles on first use. The function bundles
 * replace this module with the same validators compiled at build time
 * (harness/bundle.ts, ajv's standalone code), so a function neither loads
 * ajv's compiler nor spends its start compiling schemas (≈ 100 ms of the
 * realtime-platform function's start, most of it ajv compiling its meta-schema).
 */
import { Ajv, type Options, type ValidateFunction } from 'ajv';
import { SHORT } from './walk.js';

/** Validation as the API server does it: every error, schema defaults applied, unknown fields pruned. */
export function newAjv(extra: Options = {}): Ajv {
  const ajv = new Ajv({ allErrors: true, useDefaults: true, removeAdditional: true, strict: true, ...extra });
  ajv.addVocabulary(['x-kubernetes-validations', 'x-kubernetes-preserve-unknown-fields', SHORT]);
  return ajv;
}

let ajv: Ajv | undefined;

export function compileSchema(schema: object): ValidateFunction {
  return (ajv ??= newAjv()).compile(schema);
}
