/**
 * Images several functions run, pinned: a platform must not change versions
 * under its users. Function-specific images live beside each function.
 */
export const SHARED_IMAGES = {
  postgres: 'postgres:16.4',
  redis: 'redis:7.4.1',
} as const;

/**
 * The official postgres, redis, mysql and mongo images create their server
 * user as uid/gid 999; running as it satisfies the `restricted` profile.
 */
export const OFFICIAL_DB_UID = 999;
