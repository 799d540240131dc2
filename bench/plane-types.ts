/** What bench/plane.ts records per level, and bench/plane-report.ts reads. */
export interface Sample {
  /** Seconds since the start of the apply. */
  t: number;
  load1: number;
  cpuMs: Record<string, number>;
  rssMiB: Record<string, number>;
  /** RunFunction requests Crossplane has sent, per function (catalog name). */
  calls: Record<string, number>;
  etcdKeys: number;
  synced: Record<string, number>;
  ready: Record<string, number>;
}

export interface LevelResult {
  eds: number;
  realtime: number;
  /** Seconds the apply of all claims took (kubectl, server-side, in chunks of 50). */
  appliedSeconds?: number;
  /** Seconds from the start of the apply until every composite of the kind was Synced (undefined: not within the timeout). */
  syncedSeconds: Record<string, number | undefined>;
  readySeconds: Record<string, number | undefined>;
  firstWindow: [number, number];
  steadyWindow: [number, number];
  samples: Sample[];
}
