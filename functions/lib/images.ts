import type { IPodSecurityContext } from 'kubernetes-models/v1';
import { restrictedPodSecurity } from './k8s/security.js';
import { IMAGE_REFS } from './pins.js';

/**
 * Images several functions run, pinned (functions/lib/pins.ts): a platform
 * must not change versions under its users.
 */
export const SHARED_IMAGES = {
  postgres: IMAGE_REFS.postgres,
  redis: IMAGE_REFS.redis,
} as const;

/**
 * The official postgres, redis, mysql and mongo images create their server
 * user as uid/gid 999; running as it satisfies the `restricted` profile.
 */
export const OFFICIAL_DB_UID = 999;

/** The pod security of those servers: `restricted`, as the image's own user. */
export function officialDbPodSecurity(): IPodSecurityContext {
  return restrictedPodSecurity({ runAsUser: OFFICIAL_DB_UID, runAsGroup: OFFICIAL_DB_UID, fsGroup: OFFICIAL_DB_UID });
}
