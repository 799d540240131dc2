/**
 * An API of the platform: the claim a team writes, the composite Crossplane
 * keeps, and the schema both share. Everything generated about an API (XRD,
 * Composition, KubeVela parameter block, reference docs) and the function's
 * request validation read this one object.
 */
import type { TSchema } from '@sinclair/typebox';
import { PLATFORM, apiVersion } from './platform.js';
import type { CrossFieldRule } from './schema/types.js';
import { specValidator } from './schema/validate.js';

export interface ApiDefinition<Spec> {
  /** Claim kind, e.g. EventDrivenService. */
  claimKind: string;
  claimPlural: string;
  /** Composite kind, e.g. XEventDrivenService. */
  compositeKind: string;
  compositePlural: string;
  /** One paragraph for the XRD, the docs and the KubeVela definition. */
  description: string;
  spec: TSchema;
  status: TSchema;
  rules: CrossFieldRule<Spec>[];
  /** Function (folder under functions/) that composes this API. */
  functionName: string;
  /** Extra `kubectl get` columns, JSONPath into the claim. */
  printerColumns?: { name: string; type: 'string' | 'integer' | 'boolean'; jsonPath: string }[];
}

export function defineApi<Spec>(def: ApiDefinition<Spec>) {
  return {
    ...def,
    apiVersion,
    group: PLATFORM.group,
    xrdName: `${def.compositePlural}.${PLATFORM.group}`,
    validateSpec: specValidator<Spec>(def.spec, def.rules),
  };
}

export type PlatformApi<Spec> = ReturnType<typeof defineApi<Spec>>;
