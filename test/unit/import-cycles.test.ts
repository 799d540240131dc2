/**
 * The structure has no import cycle (issue 24): every module can be read, and
 * tested, without the ones that import it. The graph is the repository's own
 * (test/support/import-graph.ts); type-only and dynamic imports count.
 */
import { describe, expect, it } from 'vitest';
import { importCycles, importGraph } from '../support/import-graph.js';
import { ROOT } from '../../harness/tools.js';

const graph = importGraph(ROOT);

describe('imports', () => {
  it('the check sees the repository: functions, CLI, synth, harness and tests', () => {
    for (const file of ['functions/realtime-platform/compose.ts', 'cli/main.ts', 'synth/main.ts', 'harness/serve.ts', 'test/unit/import-cycles.test.ts']) {
      expect(graph.has(file), file).toBe(true);
    }
    expect(graph.get('cli/main.ts')).toContain('cli/doctor.ts'); // a dynamic import('./doctor.js') counts
  });

  it('the check finds a cycle, a type-only one included, and names it in import order', () => {
    const g = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts', 'd.ts']],
      ['d.ts', []],
      ['e.ts', ['e.ts']],
    ]);
    expect(importCycles(g)).toEqual([
      ['a.ts', 'b.ts', 'c.ts', 'a.ts'],
      ['e.ts', 'e.ts'],
    ]);
    expect(
      importCycles(
        new Map([
          ['a.ts', ['b.ts']],
          ['b.ts', []],
        ]),
      ),
    ).toEqual([]);
  });

  it('has no import cycle', () => {
    const cycles = importCycles(graph).map((c) => c.join(' → '));
    expect(cycles, `import cycles:\n${cycles.join('\n')}`).toEqual([]);
  });

  it('realtime-platform components import no other component: what one tells another is in names.ts beside context.ts', () => {
    const components = [...graph.keys()].filter((f) => f.startsWith('functions/realtime-platform/components/'));
    expect(components.length).toBeGreaterThan(5);
    for (const file of components) {
      expect(
        graph.get(file)!.filter((f) => f.startsWith('functions/realtime-platform/components/')),
        file,
      ).toEqual([]);
    }
  });
});
