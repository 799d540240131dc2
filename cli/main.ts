/**
 * `platform`: the seed's Slack commands offline, what a claim will create,
 * the picture of it, and a health check of a cluster. `main` takes argv and
 * an output sink and returns the exit code, so tests run it in-process.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import type { KubeObject } from '../functions/lib/k8s/objects.js';
import { create, CREATE, type CreateCommand } from './create.js';
import { writeToRepository } from './gitops.js';
import { buildGraph, toMermaid } from './graph.js';
import { toSvg } from './svg.js';
import { grammarHelp, PhraseError } from './phrase.js';
import { parseDocuments, render } from './render.js';
import { redact, summaryLine } from './summary.js';
import type { Io } from './io.js';

/** Exit codes: 0 done, 1 the input is wrong or a check failed, 2 usage. */
export class UsageError extends Error {}

const HELP = `platform: the platform's chat commands, renders and health check, offline

Usage:
  platform microservice create NAME [options…]   an OAM Application (or claims) for a service (alias: service)
  platform appcontainer create NAME [options…]   an app container: a repository with its database and cache
  platform vcluster create NAME [options…]       a virtual cluster environment
  platform render FILE                           what a claim or OAM Application creates, computed in-process
  platform graph FILE [--format mermaid|svg]     the resource graph of that, grouped by namespace
  platform doctor [--context NAME]               check a cluster has what the platform needs

Run \`platform COMMAND help\` for the options of a command.
A leading slash is accepted, so a Slack line works as it is: platform /microservice create my-service python
`;

const CREATE_FLAGS = `Flags:
  --claim             write the claims the Slack server creates (guided path) instead of an OAM Application
  -n, --namespace NS  namespace of the Application or claims (default: default)
  --out DIR           write into a GitOps repository checkout instead of stdout`;

const CREATE_HELP: Record<CreateCommand, string> = {
  microservice: `platform microservice create NAME [options…]   (alias: platform service create)

The seed's Slack command. Options are words, in any order:
${grammarHelp(CREATE.microservice.grammar)}

Without a language the service is python with fastapi (the seed's first language).
Writes an OAM Application with a webservice component (KubeVela renders the Knative
Service and an ApplicationClaim for its repository, database and cache), plus a
realtime-platform component with iot true.

Examples:
  platform microservice create order-service
  platform microservice create payment-service python with database
  platform microservice create sensor-platform language python database postgres iot true
  platform service create finance-api python fastapi with database

${CREATE_FLAGS}
`,
  appcontainer: `platform appcontainer create NAME [options…]

An app container: a repository several services share, created from the language's
template, with its database and cache (an application-infrastructure component).
Put services in it with \`platform microservice create SERVICE … appcontainer NAME\`.
Options:
${grammarHelp(CREATE.appcontainer.grammar)}

${CREATE_FLAGS}
`,
  vcluster: `platform vcluster create NAME [options…]

A vCluster environment (VClusterEnvironmentClaim through the vcluster component).
Options:
${grammarHelp(CREATE.vcluster.grammar)}

Example: platform vcluster create team-env medium with istio with knative

${CREATE_FLAGS}
`,
};

const RENDER_HELP = `platform render FILE [--required FILE] [--summary] [--show-secrets]

Computes what the claims and OAM Applications in FILE create, in-process: claims go through
their composition function (as Crossplane calls it), OAM Applications through the generated
KubeVela definitions with cue, and the claims they emit through the functions. Prints each
object as YAML under a one-line summary; Secret values are redacted unless --show-secrets.

  --required FILE   objects the functions may read (operator Secrets, a live Application),
                    like \`crossplane render -e\`; other documents in FILE count too
  --summary         only the summary lines
`;

const GRAPH_HELP = `platform graph FILE [--format mermaid|svg] [--required FILE] [--expand] [-o FILE]

The resource graph of \`platform render FILE\`: objects grouped by namespace, edges for what
references what (Secrets → workloads, Services → the workloads they select, claim → composite
→ composed objects). Objects of one namespace sharing a name are one node; --expand shows
every object. Mermaid renders on the Git host; svg is a picture file.
`;

const DOCTOR_HELP = `platform doctor [--context NAME] [--kubeconfig FILE]

Checks a cluster (your kubeconfig's current context unless --context) has what the platform
needs: Crossplane and this repository's functions healthy, XRDs Established and Offered,
Compositions, KubeVela definitions, the operators' CRDs (KEDA, Flux, Knative, Istio, External
Secrets, KubeVela, the GitHub provider), and the Secrets the claims in the cluster refer to.
Prints a table with ✓/✗ and the fix for each ✗; exit code 0 only when every check passes.
`;

function yamlDocs(docs: KubeObject[]): string {
  return docs.map((d) => stringify(d)).join('---\n');
}

async function createCommand(command: CreateCommand, args: string[], io: Io): Promise<number> {
  if (args[0] === 'help' || args.includes('--help') || args.includes('-h') || args.length === 0) {
    io.out(CREATE_HELP[command]);
    return args.length === 0 ? 2 : 0;
  }
  if (args[0] !== 'create') throw new UsageError(`unknown ${command} command "${args[0]}": use \`platform ${command} create NAME [options…]\` or \`platform ${command} help\``);
  const { values, positionals } = parseArgs({
    args: args.slice(1),
    options: { claim: { type: 'boolean' }, namespace: { type: 'string', short: 'n' }, out: { type: 'string' } },
    allowPositionals: true,
  });
  const docs = create(command, positionals, { namespace: values.namespace ?? 'default', claim: values.claim ?? false });
  if (values.out) {
    for (const p of writeToRepository(values.out, docs)) io.out(`wrote ${p}\n`);
  } else {
    io.out(yamlDocs(docs));
  }
  return 0;
}

function readDocs(file: string): KubeObject[] {
  return parseDocuments(readFileSync(file, 'utf8'), file);
}

async function renderCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { required: { type: 'string', short: 'e' }, summary: { type: 'boolean' }, 'show-secrets': { type: 'boolean' } },
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new UsageError(`render takes one FILE\n\n${RENDER_HELP}`);
  const r = await render(readDocs(positionals[0]), values.required ? readDocs(values.required) : []);
  const blocks = r.nodes.map((n) => {
    const line = `# ${summaryLine(n.object, n.origin)}`;
    if (values.summary) return line.slice(2) + '\n';
    return `${line}\n${stringify(values['show-secrets'] ? n.object : redact(n.object))}`;
  });
  io.out(values.summary ? blocks.join('') : blocks.join('---\n'));
  for (const res of r.results) io.err(`${res.severity}: ${res.about}: ${res.message}\n`);
  return r.results.some((res) => res.severity === 'fatal') ? 1 : 0;
}

async function graphCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      format: { type: 'string', default: 'mermaid' },
      required: { type: 'string', short: 'e' },
      expand: { type: 'boolean' },
      output: { type: 'string', short: 'o' },
    },
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new UsageError(`graph takes one FILE\n\n${GRAPH_HELP}`);
  if (values.format !== 'mermaid' && values.format !== 'svg') throw new UsageError(`--format must be mermaid or svg, not ${values.format}`);
  const r = await render(readDocs(positionals[0]), values.required ? readDocs(values.required) : []);
  const g = buildGraph(r, { expand: values.expand });
  const text = values.format === 'svg' ? toSvg(g) : toMermaid(g);
  if (values.output) writeFileSync(values.output, text);
  else io.out(text);
  for (const res of r.results) io.err(`${res.severity}: ${res.about}: ${res.message}\n`);
  return r.results.some((res) => res.severity === 'fatal') ? 1 : 0;
}

async function doctorCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({ args, options: { context: { type: 'string' }, kubeconfig: { type: 'string' } } });
  const { doctor } = await import('./doctor.js');
  const { kubeClient } = await import('./kube.js');
  return doctor(kubeClient({ context: values.context, kubeconfig: values.kubeconfig }), io);
}

const HELPS: Record<string, string> = { render: RENDER_HELP, graph: GRAPH_HELP, doctor: DOCTOR_HELP };

export async function main(argv: string[], io: Io): Promise<number> {
  const [first, ...rest] = argv;
  const command = first?.replace(/^\//, '');
  try {
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      io.out(HELP);
      return command === undefined ? 2 : 0;
    }
    if (HELPS[command] && (rest[0] === 'help' || rest.includes('--help') || rest.includes('-h'))) {
      io.out(HELPS[command]);
      return 0;
    }
    switch (command) {
      case 'microservice':
      case 'service':
        return await createCommand('microservice', rest, io);
      case 'appcontainer':
      case 'vcluster':
        return await createCommand(command, rest, io);
      case 'render':
        return await renderCommand(rest, io);
      case 'graph':
        return await graphCommand(rest, io);
      case 'doctor':
        return await doctorCommand(rest, io);
      default:
        throw new UsageError(`unknown command "${first}"\n\n${HELP}`);
    }
  } catch (err) {
    if (err instanceof PhraseError) {
      io.err(`error: ${err.message}\n`);
      return 1;
    }
    const code = (err as { code?: unknown }).code;
    if (err instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      io.err(`error: ${(err as Error).message}\n`);
      return 2;
    }
    io.err(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
