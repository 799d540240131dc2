/**
 * The connection Secrets a realtime platform publishes in its claim's
 * namespace, `{platform}-{kind}-secret`. The realtime-platform function
 * writes them; the application function and the `webservice` definition
 * point apps at them. MQTT and Lenses exist only when those parts are on, so
 * consumers reference them as optional.
 */
export const REALTIME_SECRET_KINDS = ['mqtt', 'kafka', 'db', 'metabase', 'lenses'] as const;
export type RealtimeSecretKind = (typeof REALTIME_SECRET_KINDS)[number];

export function realtimeSecretName(platform: string, kind: RealtimeSecretKind): string {
  return `${platform}-${kind}-secret`;
}

export function realtimeSecretNames(platform: string): string[] {
  return REALTIME_SECRET_KINDS.map((k) => realtimeSecretName(platform, k));
}
