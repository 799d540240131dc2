/**
 * KubeVela's controller on the plane: vela-core (cmd/core of
 * github.com/oam-dev/kubevela v1.10.9, tools/vela) with its CRDs, its built-in
 * definitions and this repository's definitions/, so OAM Applications are
 * rendered, applied and health-checked by the engine that does it in a
 * cluster. Files come from the pinned module (`make controlplane-tools`
 * copies charts/vela-core/crds and templates/defwithtemplate, the definition
 * namespace resolved to vela-system, the `deploy` workflow step included).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../tools.js';
import type { Kubectl } from './kubectl.js';
import { pinnedVersion } from './pins.js';
import { freePort, startProcess, type Proc, until } from './processes.js';

/** The definition namespace: vela-core's default `--system-definition-namespace` (cmd/core/app/options/options.go). */
export const VELA_NS = 'vela-system';

export function velaFiles(): string {
  const dir = join(ROOT, '.build/vela-core', pinnedVersion('vela', 'github.com/oam-dev/kubevela'));
  if (!existsSync(join(dir, '.done'))) throw new Error(`${dir} is missing: run \`make controlplane-tools\``);
  return dir;
}

const yamlIn = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => join(dir, f));

/** vela-core's CRDs (Application, the definitions, ResourceTracker, ...); the caller waits for them to be Established. */
export async function applyVelaCrds(kubectl: Kubectl): Promise<void> {
  // Server-side: some of them are larger than kubectl's client-side annotation allows.
  await kubectl.applyFiles(yamlIn(join(velaFiles(), 'crds')));
}

type Definition = { kind: string; metadata: { name: string }; status?: { latestRevision?: { name?: string } } };

/**
 * The built-in definitions and ours in vela-system, then vela-core; resolves
 * once vela-core answers /readyz and has made a DefinitionRevision for each
 * of our definitions (status.latestRevision): from then on it renders them.
 */
export async function startVela(state: string, bin: string, kubeconfig: string, kubectl: Kubectl, step: (m: string) => void): Promise<Proc> {
  await kubectl.apply([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: VELA_NS } }]);
  const builtIns = yamlIn(join(velaFiles(), 'definitions'));
  const ours = yamlIn(join(ROOT, 'definitions'));
  await kubectl.applyFiles([...builtIns, ...ours]);
  step(`${builtIns.length} built-in and ${ours.length} platform definitions applied in ${VELA_NS}`);

  const [metrics, health] = [await freePort(), await freePort()];
  const proc = startProcess(
    'vela-core',
    join(bin, 'vela-core'),
    [
      '--kubeconfig',
      kubeconfig,
      // No admission webhook here (nothing would serve its certificate to the
      // API server); definitions are validated by vela-core when it renders.
      '--use-webhook=false',
      '--enable-leader-election=false',
      '--metrics-addr',
      `127.0.0.1:${metrics}`,
      '--health-addr',
      `127.0.0.1:${health}`,
      // vela-core re-checks an unhealthy Application on a backoff of 2^n x 0.05 s
      // capped at this many seconds (github.com/kubevela/workflow
      // pkg/executor/workflow.go getBackoffWaitTime; default 60, the flag is in
      // cmd/core/app/options/options.go), not on its components' changes: a
      // claim Ready at 20 s shows in the Application at ~51 s by default. 10 s
      // bounds that lag for the suite's timings at a few status reads per
      // unhealthy Application and minute.
      '--max-workflow-wait-backoff-time=10',
    ],
    { dir: state, env: { KUBECONFIG: kubeconfig } },
  );

  const names = ours.map((f) => {
    const d = parse(readFileSync(f, 'utf8')) as Definition;
    return `${d.kind}/${d.metadata.name}`;
  });
  let waiting: string[] = [];
  await Promise.race([
    proc.exited,
    until(
      'vela-core /readyz and a DefinitionRevision for each platform definition',
      async () => {
        const ready = await fetch(`http://127.0.0.1:${health}/readyz`).then(
          (r) => r.ok,
          () => false,
        );
        const live = await kubectl.list<Definition>(['-n', VELA_NS, 'componentdefinitions,traitdefinitions,policydefinitions']);
        waiting = names.filter((n) => !live.some((d) => `${d.kind}/${d.metadata.name}` === n && d.status?.latestRevision?.name));
        return ready && waiting.length === 0;
      },
      180_000,
      1_000,
    ),
  ]).catch((e: Error) => {
    throw new Error(`${e.message}; without a revision: ${waiting.join(', ')}`);
  });
  step('vela-core ready (definitions revisioned)');
  return proc;
}

/** The Application status fields the suite reads (core.oam.dev/v1beta1, apis/core.oam.dev/common/types.go). */
export interface AppStatus {
  status?: string;
  services?: {
    name: string;
    healthy?: boolean;
    message?: string;
    traits?: { type: string; healthy?: boolean; message?: string }[];
  }[];
  workflow?: { finished?: boolean; message?: string; steps?: { name: string; phase?: string; message?: string; reason?: string }[] };
}

/**
 * Is the Application running with every component and trait healthy? The
 * reason when not, in vela-core's own words (phase, component and trait
 * messages, the workflow step's message).
 */
export function appHealth(status: AppStatus | undefined, components: string[]): { ok: boolean; why: string } {
  const why: string[] = [];
  if (status?.status !== 'running') why.push(`phase ${status?.status ?? 'unset'}`);
  for (const name of components) {
    const s = status?.services?.find((x) => x.name === name);
    if (!s) why.push(`${name}: no status yet`);
    else if (!s.healthy) why.push(`${name}: ${s.message || 'unhealthy'}`);
    for (const t of s?.traits ?? []) if (!t.healthy) why.push(`${name} trait ${t.type}: ${t.message || 'unhealthy'}`);
  }
  for (const st of status?.workflow?.steps ?? []) if (st.phase !== 'succeeded' && st.message) why.push(`step ${st.name} ${st.phase}: ${st.message}`);
  return { ok: why.length === 0, why: why.join('; ') };
}
