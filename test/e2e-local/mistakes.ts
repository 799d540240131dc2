/**
 * One operator mistake per stack: an example claim applied with one of the
 * Secrets it needs left out, in a namespace of its own (and with its own
 * names, so it never meets the example itself). Status must name the Secret
 * and the claim field that points at it; creating the Secret heals it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../functions/lib/k8s/objects.js';
import { ROOT } from '../../harness/tools.js';

export interface Mistake {
  label: string;
  claim: KubeObject;
  /** What the operator did create (the example's other required objects). */
  present: KubeObject[];
  /** The Secret the operator forgot; creating it heals the claim. */
  missing: KubeObject;
  /** Words status must contain while it is missing: the Secret's name and the field. */
  says: string[];
  /** Whether the stack composes Secrets of its own (generated passwords) whose bytes must survive the fix. */
  composesSecrets: boolean;
}

function mistake(file: string, missing: string, field: string, name: string, namespace: string, label: string, composesSecrets: boolean): Mistake {
  const claim = parse(readFileSync(join(ROOT, file), 'utf8')) as KubeObject & { spec: Record<string, unknown> };
  claim.metadata = { ...claim.metadata, name, namespace };
  // spec.name names what a stack creates (a realtime platform's Namespace, an app's repository).
  if (typeof claim.spec.name === 'string') claim.spec.name = name;
  const requiredFile = join(ROOT, dirname(file), 'required.yaml');
  const required = existsSync(requiredFile) ? parseAllDocuments(readFileSync(requiredFile, 'utf8')).map((d) => d.toJSON() as KubeObject) : [];
  const moved = required.map((o) => ({ ...o, metadata: { ...o.metadata, namespace } }));
  const forgotten = moved.find((o) => o.kind === 'Secret' && o.metadata.name === missing);
  if (!forgotten) throw new Error(`${requiredFile} has no Secret ${missing}`);
  return { label, claim, present: moved.filter((o) => o !== forgotten), missing: forgotten, says: [missing, field], composesSecrets };
}

/** Field names from functions/*\/api.ts (spec.lenses.licenseSecretRef, spec.realtime, spec.secretName). */
export const MISTAKES: Mistake[] = [
  mistake('examples/realtime-platform/claim.yaml', 'lenses-license', 'spec.lenses.licenseSecretRef', 'lenses-heal', 'mistake-realtime', 'a realtime platform without the Lenses license Secret', true),
  mistake(
    'examples/application/claim.yaml',
    'health-streaming-kafka-secret',
    'spec.realtime',
    'realtime-heal',
    'mistake-application',
    "an application whose realtime platform's connection Secret is missing",
    true,
  ),
  mistake(
    'examples/event-driven-service/claim.yaml',
    'my-service-config',
    'spec.secretName',
    'secret-heal',
    'mistake-event-driven',
    'an EventDrivenService without the Secret of its NATS settings and credentials',
    false,
  ),
];
