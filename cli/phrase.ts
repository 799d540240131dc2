/**
 * The seed's chat grammar (`/microservice create NAME python with database
 * iot true`), as data: bare words and keywords with values, each setting
 * fields of an intent. One engine reads every command's grammar, so every
 * command rejects the same way: an unknown word, a bad value or two words
 * that set one field differently each get an error that names the word and
 * lists what is accepted. Nothing is guessed.
 */

/** One field a word sets, e.g. ['language', 'python']. */
export type Assignment = readonly [field: string, value: unknown];

export interface FreeValue {
  /** What the value is, for help and errors, e.g. `<image>`. */
  what: string;
  /** The value, or an error message saying what is accepted. */
  parse(word: string): { value: unknown } | { error: string };
  field: string;
}

export interface Keyword {
  /** Help line. */
  help: string;
  /** The words accepted after the keyword and what each sets... */
  values?: Record<string, Assignment[]>;
  /** ...or a free value (a name, an image, a port). */
  free?: FreeValue;
}

export interface Grammar {
  /** `microservice create`, for messages. */
  command: string;
  /** Words that stand alone, e.g. `python` or `fastapi`. */
  words: Record<string, { help: string; sets: Assignment[] }>;
  keywords: Record<string, Keyword>;
}

/** A phrase the grammar does not accept; `word` is the offending word. */
export class PhraseError extends Error {
  constructor(
    readonly word: string,
    message: string,
  ) {
    super(message);
  }
}

/** Everything the grammar accepts at the start of an option, for error messages. */
export function acceptedWords(g: Grammar): string[] {
  return [...Object.keys(g.words), ...Object.entries(g.keywords).map(([k, kw]) => `${k} ${kw.free ? kw.free.what : `<${Object.keys(kw.values ?? {}).join('|')}>`}`)];
}

/** Where a field got its value: the words that set it, for contradiction messages. */
interface Setting {
  value: unknown;
  phrase: string;
}

/** Fields set by the phrase; a field set twice to different values is an error. */
export type Intent = Map<string, unknown>;

export function parsePhrase(g: Grammar, words: string[]): Intent {
  const set = new Map<string, Setting>();
  const assign = (phrase: string, word: string, sets: readonly Assignment[]) => {
    for (const [field, value] of sets) {
      const before = set.get(field);
      if (before && before.value !== value) {
        throw new PhraseError(word, `"${phrase}" contradicts "${before.phrase}": both set ${field} (${String(before.value)} vs ${String(value)}); keep one of them`);
      }
      set.set(field, { value, phrase });
    }
  };
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    const key = word.toLowerCase();
    const bare = Object.hasOwn(g.words, key) ? g.words[key] : undefined;
    if (bare) {
      assign(word, word, bare.sets);
      continue;
    }
    const kw = Object.hasOwn(g.keywords, key) ? g.keywords[key] : undefined;
    if (!kw) {
      throw new PhraseError(word, `unknown word "${word}" in ${g.command}; accepted: ${acceptedWords(g).join(', ')}`);
    }
    const accepted = kw.free ? kw.free.what : Object.keys(kw.values ?? {}).join(', ');
    const next = words[i + 1];
    if (next === undefined) throw new PhraseError(word, `"${word}" needs a value after it: ${accepted}`);
    i++;
    if (kw.free) {
      const r = kw.free.parse(next);
      if ('error' in r) throw new PhraseError(next, `"${word} ${next}": ${r.error}`);
      assign(`${word} ${next}`, next, [[kw.free.field, r.value]]);
    } else {
      const values = kw.values ?? {};
      const v = values[next.toLowerCase()];
      if (!Object.hasOwn(values, next.toLowerCase()) || !v) {
        throw new PhraseError(next, `"${word} ${next}": "${next}" is not accepted after "${word}"; accepted: ${accepted}`);
      }
      assign(`${word} ${next}`, next, v);
    }
  }
  return new Map([...set].map(([k, s]) => [k, s.value]));
}

/** The grammar as help text: one line per word and keyword. */
export function grammarHelp(g: Grammar): string {
  const rows: [string, string][] = [
    ...Object.entries(g.words).map(([w, d]): [string, string] => [w, d.help]),
    ...Object.entries(g.keywords).map(([k, kw]): [string, string] => [`${k} ${kw.free ? kw.free.what : Object.keys(kw.values ?? {}).join('|')}`, kw.help]),
  ];
  const width = Math.max(...rows.map(([w]) => w.length));
  return rows.map(([w, h]) => `  ${w.padEnd(width)}  ${h}`).join('\n');
}

/** A free value that must match a pattern (a Kubernetes name, a repository). */
export function patternValue(field: string, what: string, pattern: string, maxLength: number): FreeValue {
  const re = new RegExp(pattern);
  return {
    field,
    what,
    parse: (w) => (re.test(w) && w.length <= maxLength ? { value: w } : { error: `${what} must match ${pattern} and have at most ${maxLength} characters` }),
  };
}
