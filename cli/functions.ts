/**
 * The compose function of each entry of functions/catalog.ts, for running
 * them in-process (render, doctor). Static imports: bundlers and vitest do
 * not follow a computed import path.
 */
import type { ComposeFunction } from '@crossplane-org/function-sdk-typescript';
import { compose as application } from '../functions/application/function.js';
import { compose as eventDrivenService } from '../functions/event-driven-service/function.js';
import { compose as realtimePlatform } from '../functions/realtime-platform/function.js';
import { compose as vcluster } from '../functions/vcluster/function.js';

const COMPOSE: Record<string, ComposeFunction> = {
  application,
  'event-driven-service': eventDrivenService,
  'realtime-platform': realtimePlatform,
  vcluster,
};

export function composeOf(functionName: string): ComposeFunction {
  const fn = COMPOSE[functionName];
  if (!fn) throw new Error(`cli/functions.ts has no compose function for ${functionName}: add it there`);
  return fn;
}
