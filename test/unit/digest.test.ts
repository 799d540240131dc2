/**
 * Config digests in pod-template annotations must read as the same string in
 * every YAML dialect the platform's output passes through: Go's (crossplane
 * render, kubectl: YAML 1.1, prints `12e45678` unquoted as a string) and YAML
 * 1.2 readers (the `yaml` package here, which reads it as an overflowing float,
 * Infinity, and writes it back as `.inf`).
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configDigest, digest } from '../../functions/lib/secrets.js';

/** The first input whose bare digest is digits, an e and digits. */
function numericLooking(): string {
  for (let i = 0; i < 1_000_000; i++) if (/^[0-9]+e[0-9]+$/.test(digest(`input-${i}`))) return `input-${i}`;
  throw new Error('no input in a million has a digest of the form <digits>e<digits>');
}

describe('config digests', () => {
  it('a bare digest can read as a number in YAML 1.2; the annotation value reads as itself in YAML 1.2 and 1.1', () => {
    const input = numericLooking();
    expect(typeof parse(digest(input))).toBe('number');
    const value = configDigest(input);
    expect(parse(value)).toBe(value);
    expect(parse(value, { version: '1.1' })).toBe(value);
  });
});
