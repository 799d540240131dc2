/**
 * Images of the platform, pinned. The PRD names `latest` for several; a
 * platform must not change versions under its users, so each is a fixed tag.
 */
import { IMAGE_REFS } from '../lib/pins.js';

/** The tags and where each was checked: functions/lib/pins.ts. */
export const IMAGES = {
  postgres: IMAGE_REFS.postgres,
  kafka: IMAGE_REFS.fastDataDev,
  kafkaTools: IMAGE_REFS.kafkaTools,
  lensesHq: IMAGE_REFS.lensesHq,
  lensesAgent: IMAGE_REFS.lensesAgent,
  mosquitto: IMAGE_REFS.mosquitto,
  metabase: IMAGE_REFS.metabase,
  grafana: IMAGE_REFS.grafana,
  mysql: IMAGE_REFS.mysql,
  mongodb: IMAGE_REFS.mongodb,
  curl: IMAGE_REFS.curl,
} as const;

/**
 * Numeric users of the tool images: they declare named users (curl_user,
 * appuser), which the kubelet cannot check against runAsNonRoot, so pods
 * name the uid explicitly.
 */
export const IMAGE_UIDS: Partial<Record<string, number>> = { [IMAGES.curl]: 100, [IMAGES.kafkaTools]: 1000 };

type Profile = 'small' | 'medium' | 'large';
type Res = { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } };
const r = (rc: string, rm: string, lc: string, lm: string): Res => ({ requests: { cpu: rc, memory: rm }, limits: { cpu: lc, memory: lm } });

/** Requests and limits per component and profile (spec.resources). */
export const RESOURCES: Record<string, Record<Profile, Res>> = {
  postgres: { small: r('100m', '256Mi', '500m', '512Mi'), medium: r('250m', '512Mi', '1', '1Gi'), large: r('500m', '1Gi', '2', '2Gi') },
  kafka: { small: r('500m', '2Gi', '2', '3Gi'), medium: r('1', '3Gi', '2', '4Gi'), large: r('2', '4Gi', '4', '8Gi') },
  lensesHq: { small: r('100m', '256Mi', '500m', '512Mi'), medium: r('250m', '512Mi', '1', '1Gi'), large: r('500m', '1Gi', '2', '2Gi') },
  // The agent's heap (LENSES_HEAP_OPTS) is sized to fit under its limit.
  lensesAgent: { small: r('250m', '1Gi', '1', '1536Mi'), medium: r('500m', '2Gi', '2', '2Gi'), large: r('1', '3Gi', '4', '4Gi') },
  mosquitto: { small: r('50m', '64Mi', '250m', '128Mi'), medium: r('100m', '128Mi', '500m', '256Mi'), large: r('250m', '256Mi', '1', '512Mi') },
  metabase: { small: r('250m', '1Gi', '1', '1536Mi'), medium: r('500m', '1536Mi', '2', '2Gi'), large: r('1', '2Gi', '4', '4Gi') },
  grafana: { small: r('100m', '128Mi', '500m', '256Mi'), medium: r('250m', '256Mi', '1', '512Mi'), large: r('500m', '512Mi', '2', '1Gi') },
  appDatabase: { small: r('100m', '256Mi', '500m', '512Mi'), medium: r('250m', '512Mi', '1', '1Gi'), large: r('500m', '1Gi', '2', '2Gi') },
  job: { small: r('10m', '64Mi', '500m', '256Mi'), medium: r('10m', '64Mi', '500m', '256Mi'), large: r('10m', '64Mi', '500m', '256Mi') },
};

/** Java heap of the Lenses Agent per profile, inside its memory limit. */
export const AGENT_HEAP: Record<Profile, string> = { small: '-Xmx1g -Xms512m', medium: '-Xmx1536m -Xms512m', large: '-Xmx3g -Xms1g' };

/** Kafka tools image heap: the CLIs need little. */
export const TOOLS_HEAP = '-Xmx128m';
