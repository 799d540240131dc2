import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../functions/lib/k8s/objects.js';
import { ROOT } from '../../harness/tools.js';

export function docs(text: string): KubeObject[] {
  return parseAllDocuments(text)
    .map((d) => d.toJSON() as KubeObject)
    .filter((d) => d !== null);
}

export function readYaml(path: string): KubeObject {
  return parse(readFileSync(join(ROOT, path), 'utf8')) as KubeObject;
}
