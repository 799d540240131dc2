/**
 * Source detection: who created the claim decides whether the function
 * writes the app's OAM Application into the GitOps repository.
 *
 * - api-driven (Slack, API; the default): the claim is the origin, so the
 *   function writes the OAM Application and ArgoCD/KubeVela take it from there.
 * - analyzer-driven (automated OAM analysis): the same.
 * - oam-driven: the claim was rendered by KubeVela from an OAM Application
 *   that is already in the GitOps repository. Writing it back would change
 *   the repository, ArgoCD would sync, KubeVela would render the claim again:
 *   a loop. So the step is skipped.
 */
import { SpecError } from '../lib/function/compose.js';
import type { KubeObject } from '../lib/k8s/objects.js';
import { DEFAULT_SOURCE, SOURCE_ANNOTATION, SOURCES, type Source } from './api.js';

export function sourceOf(xr: KubeObject): Source {
  const value = xr.metadata?.annotations?.[SOURCE_ANNOTATION];
  if (value === undefined) return DEFAULT_SOURCE;
  if ((SOURCES as readonly string[]).includes(value)) return value as Source;
  // The value itself is not echoed: messages never carry user values.
  throw new SpecError(`metadata.annotations[${SOURCE_ANNOTATION}]: must be one of ${SOURCES.join(', ')}`);
}

/** Whether the function writes the OAM Application for a claim of this source. */
export function writesGitops(source: Source): boolean {
  return source !== 'oam-driven';
}
