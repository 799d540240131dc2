/** Versions pinned in tools/<dir>/go.mod, read the way the Makefile reads them. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../tools.js';

export function pinnedVersion(dir: string, module: string): string {
  const mod = readFileSync(join(ROOT, 'tools', dir, 'go.mod'), 'utf8');
  const m = new RegExp(`^(?:require\\s+|\\s+)${module.replaceAll('.', '\\.')} (v[0-9][^\\s]*)`, 'm').exec(mod);
  if (!m) throw new Error(`tools/${dir}/go.mod does not require ${module}`);
  return m[1];
}
