/**
 * README and docs/: every relative link resolves (file, folder or heading
 * anchor), every page under docs/ can be reached from the README, and the
 * generated files are exactly those `.gitattributes` marks
 * `linguist-generated` (issue 24). Wording is free to change; links are not.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ROOT } from '../../harness/tools.js';

/** Every Markdown file under docs/ (generated reference pages included), repository-relative. */
function docsPages(dir = 'docs'): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? docsPages(join(dir, e.name)) : e.name.endsWith('.md') ? [join(dir, e.name)] : []));
}

/** The text outside fenced code blocks. */
function withoutFences(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
}

/** The text outside fenced code blocks and inline code, where Markdown links live. */
function prose(markdown: string): string {
  return withoutFences(markdown).replace(/`[^`\n]*`/g, '');
}

/** Targets of inline links and images: [text](target) or [text](target "title"). */
function linkTargets(markdown: string): string[] {
  return [...prose(markdown).matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]);
}

/**
 * The anchors GitHub gives a page's headings (github-slugger's rule: the
 * rendered text lower-cased, characters other than letters, marks, numbers,
 * `_`, `-` and spaces dropped, spaces turned into `-`; a repeated slug gets
 * `-1`, `-2`, …).
 */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const [, heading] of withoutFences(markdown)
    .replace(/`([^`\n]*)`/g, '$1')
    .matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const text = heading
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/<[^>]+>/g, '')
      .replace(/(\*\*|__|\*)/g, '');
    const base = text
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}_\- ]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** What is wrong with one link of `from` (repository-relative), or undefined when it resolves. */
function brokenLink(from: string, target: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return undefined; // https:, mailto:: not ours to check offline
  const [path, anchor] = target.split('#', 2) as [string, string | undefined];
  const file = path === '' ? join(ROOT, from) : resolve(ROOT, dirname(from), decodeURI(path));
  if (relative(ROOT, file).startsWith('..')) return `${target}: outside the repository`;
  if (!existsSync(file)) return `${target}: no such file`;
  if (anchor === undefined) return undefined;
  if (statSync(file).isDirectory() || !file.endsWith('.md')) return `${target}: an anchor into something that is not a Markdown page`;
  return anchors(readFileSync(file, 'utf8')).has(decodeURIComponent(anchor)) ? undefined : `${target}: no heading with this anchor in ${relative(ROOT, file)}`;
}

describe('README and docs/ links', () => {
  const pages = ['README.md', ...docsPages()];

  it.each(pages)('every relative link of %s resolves', (page) => {
    const broken = linkTargets(readFileSync(join(ROOT, page), 'utf8'))
      .map((t) => brokenLink(page, t))
      .filter((b) => b !== undefined);
    expect(broken, `${page}: broken links`).toEqual([]);
  });

  it('every page under docs/ is reached from the README by following links', () => {
    const reached = new Set<string>();
    const queue = ['README.md'];
    while (queue.length > 0) {
      const page = queue.shift()!;
      if (reached.has(page)) continue;
      reached.add(page);
      for (const t of linkTargets(readFileSync(join(ROOT, page), 'utf8'))) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(t)) continue;
        const file = relative(ROOT, resolve(ROOT, dirname(page), decodeURI(t.split('#')[0] || page)));
        if (file.endsWith('.md') && existsSync(join(ROOT, file))) queue.push(file);
      }
    }
    expect(docsPages().filter((p) => !reached.has(p))).toEqual([]);
  });

  it('checks what it claims to (a broken file, anchor and folder are found; good ones pass)', () => {
    expect(linkTargets('[a](docs/x.md#y) `[b](c.md)` ![i](p.svg)\n```\n[d](e.md)\n```\n[t](u.md "title")')).toEqual(['docs/x.md#y', 'p.svg', 'u.md']);
    expect([...anchors('# A `make up` / `make down`\n## A b\n## A b\n```\n# not a heading\n```')]).toEqual(['a-make-up--make-down', 'a-b', 'a-b-1']);
    expect(brokenLink('README.md', 'docs/no-such-page.md')).toMatch(/no such file/);
    expect(brokenLink('README.md', 'docs/toolchain.md#no-such-heading')).toMatch(/no heading/);
    expect(brokenLink('docs/cli.md', 'reference/')).toBeUndefined();
    expect(brokenLink('docs/cli.md', '../README.md#two-commands')).toBeUndefined();
    expect(brokenLink('docs/cli.md', '../../outside.md')).toMatch(/outside/);
  });
});

describe('generated files are marked', () => {
  const HEADERS = ['# generated by make synth, do not edit', '<!-- generated by make synth, do not edit -->', '// generated by cdk8s'];

  it('.gitattributes marks linguist-generated exactly the files that carry the generated header', () => {
    const files = spawnSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' })
      .stdout.split('\0')
      .filter((f) => f && !f.startsWith('test/upstream/'));
    expect(files.length).toBeGreaterThan(100);
    const attr = spawnSync('git', ['check-attr', '-z', '--stdin', 'linguist-generated'], { cwd: ROOT, input: files.join('\0'), encoding: 'utf8' });
    expect(attr.status, attr.stderr).toBe(0);
    const parts = attr.stdout.split('\0'); // path, attribute, value, …
    const marked = new Set<string>();
    for (let i = 0; i + 2 < parts.length; i += 3) if (parts[i + 2] === 'true') marked.add(parts[i]);
    const generated = files.filter((f) => existsSync(join(ROOT, f)) && HEADERS.includes(readFileSync(join(ROOT, f), 'utf8').split('\n', 1)[0]));
    expect(generated.length).toBeGreaterThan(50);
    expect(
      generated.filter((f) => !marked.has(f)),
      'generated but not marked in .gitattributes',
    ).toEqual([]);
    expect(
      [...marked].filter((f) => !generated.includes(f)),
      'marked in .gitattributes but not generated',
    ).toEqual([]);
  });
});
