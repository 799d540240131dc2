/**
 * The Dockerfile's recipe, read as Docker reads it, and run here without
 * Docker: every stage in a directory of its own, COPY as copies, each RUN,
 * CMD and ENTRYPOINT as the process the image would run (test/conformance/
 * dockerfile.test.ts). What cannot be reproduced is the base images, so each
 * base the Dockerfile may use says what it provides (BASES); a new base is an
 * error until it is described here.
 *
 * Parsing follows the Dockerfile reference (docs.docker.com/reference/
 * dockerfile): `\` continues a line, `#` starts a comment line, JSON arrays
 * are the exec form (run without a shell), anything else the shell form
 * (`/bin/sh -c`), `${VAR}` and `$VAR` expand ARG and ENV values in FROM, COPY,
 * WORKDIR, ENV and USER (not in RUN, whose shell expands them).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Instruction {
  keyword: string;
  /** The text after the keyword, continuation lines joined. */
  text: string;
  /** Line number of the keyword (1-based). */
  line: number;
  /** Exec form (a JSON array), when the text is one. */
  exec?: string[];
}

export interface Stage {
  from: string;
  name?: string;
  instructions: Instruction[];
}

export interface Dockerfile {
  /** ARGs before the first FROM, with their defaults. */
  globalArgs: Record<string, string | undefined>;
  stages: Stage[];
}

function execForm(text: string): string[] | undefined {
  if (!text.startsWith('[')) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined;
  } catch {
    return undefined; // Docker runs an invalid JSON array in the shell form, too.
  }
}

/** The instructions of a Dockerfile, grouped by stage. */
export function parseDockerfile(text: string): Dockerfile {
  const instructions: Instruction[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const first = lines[i].trim();
    if (first === '' || first.startsWith('#')) continue;
    const line = i + 1;
    let joined = lines[i];
    while (/\\\s*$/.test(joined) && i + 1 < lines.length) {
      i++;
      // Comment lines inside a continued instruction are dropped (Docker does the same).
      if (lines[i].trim().startsWith('#')) continue;
      joined = joined.replace(/\\\s*$/, ' ') + lines[i].trim();
    }
    const m = /^\s*([A-Za-z]+)\s+(.*)$/.exec(joined);
    if (!m) throw new Error(`Dockerfile line ${line}: not an instruction: ${joined}`);
    const body = m[2].trim();
    instructions.push({ keyword: m[1].toUpperCase(), text: body, line, exec: execForm(body) });
  }
  const df: Dockerfile = { globalArgs: {}, stages: [] };
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.text);
      if (!m) throw new Error(`Dockerfile line ${ins.line}: FROM image [AS name]`);
      df.stages.push({ from: m[1], name: m[2], instructions: [] });
    } else if (df.stages.length === 0) {
      if (ins.keyword !== 'ARG') throw new Error(`Dockerfile line ${ins.line}: only ARG may come before the first FROM`);
      const [k, v] = splitAssignment(ins.text);
      df.globalArgs[k] = v;
    } else {
      df.stages.at(-1)!.instructions.push(ins);
    }
  }
  return df;
}

/** `NAME=value` or `NAME` (ARG), `NAME=value` or `NAME value` (ENV: the legacy form). */
export function splitAssignment(text: string): [string, string | undefined] {
  const eq = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(text);
  if (eq) return [eq[1], unquote(eq[2])];
  const sp = /^([A-Za-z_][A-Za-z0-9_]*)(?:\s+(.*))?$/.exec(text);
  if (!sp) throw new Error(`not an assignment: ${text}`);
  return [sp[1], sp[2] === undefined ? undefined : unquote(sp[2])];
}

const unquote = (s: string) => /^"(.*)"$/.exec(s)?.[1] ?? s;

/** `${VAR}` and `$VAR` from vars; an unset variable expands to nothing, as in Docker. */
export function expand(text: string, vars: Record<string, string | undefined>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_, a: string | undefined, b: string | undefined) => vars[a ?? b!] ?? '');
}

export function readDockerfile(root: string): Dockerfile {
  return parseDockerfile(readFileSync(join(root, 'Dockerfile'), 'utf8'));
}

/** .dockerignore's patterns (top-level names and simple globs are all this repository uses). */
export function dockerignore(root: string): string[] {
  return readFileSync(join(root, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}
