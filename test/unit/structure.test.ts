// The layers of the source tree, checked on its imports: dependencies point one way
// (cli -> commands -> services -> policies; output renders and is a leaf), and no module imports
// itself back through a cycle. Type-only imports carry no code and are free to cross.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Each module's runtime imports (and re-exports) of other modules of src/, relative to src/. */
function graph(): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const file of files(SRC)) {
    const text = readFileSync(file, 'utf8');
    const deps: string[] = [];
    for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?from\s+'(\.[^']+)\.js';/gms)) {
      if (m[1]) continue;
      deps.push(relative(SRC, normalize(join(dirname(file), `${m[2]}.ts`))));
    }
    g.set(relative(SRC, file), deps);
  }
  return g;
}

const layer = (path: string) => path.split('/')[0]!;
// What each layer may import at run time (itself included).
const ALLOWED: Record<string, string[]> = {
  policies: ['policies'],
  output: ['output', 'policies'],
  services: ['services', 'policies'],
  commands: ['commands', 'services', 'policies', 'output'],
  cli: ['cli', 'commands', 'services', 'policies', 'output'],
};

describe('source structure', () => {
  const g = graph();

  it('has the five layers and nothing else at the top of src/', () => {
    expect([...new Set([...g.keys()].map(layer))].sort()).toEqual(['cli', 'commands', 'output', 'policies', 'services']);
  });

  it('imports only downwards: no layer imports code from a layer above it', () => {
    const upward = [...g].flatMap(([from, deps]) => deps.filter((to) => !ALLOWED[layer(from)]!.includes(layer(to))).map((to) => `${from} -> ${to}`));
    expect(upward).toEqual([]);
  });

  it('has no import cycle', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (n: string) => {
      state.set(n, 'open');
      stack.push(n);
      for (const m of g.get(n) ?? []) {
        if (state.get(m) === 'open') cycles.push([...stack.slice(stack.indexOf(m)), m].join(' -> '));
        else if (!state.has(m)) visit(m);
      }
      stack.pop();
      state.set(n, 'done');
    };
    for (const n of g.keys()) if (!state.has(n)) visit(n);
    expect(cycles).toEqual([]);
  });

  it('keeps raw option bags out of command implementations: only definitions and shared/ parse options', () => {
    const offenders = [...g.keys()].filter(
      (f) => f.startsWith('commands/') && f.endsWith('.run.ts') && /Record<string, unknown>|RawOptions|as string\[\]/.test(readFileSync(join(SRC, f), 'utf8')),
    );
    expect(offenders).toEqual([]);
  });

  it('names exit codes: no bare number as an exit code outside the ExitCode table', () => {
    const bare = /\b(?:exitCode|code)\s*(?:===|!==|==|!=|:|=)\s*\d|\bexit\(\s*\d|\bexitCode\s*=\s*\d/;
    const offenders = [...g.keys()]
      .filter((f) => f !== 'services/errors.ts')
      .flatMap((f) =>
        readFileSync(join(SRC, f), 'utf8')
          .split('\n')
          .map((line, i) => ({ where: `${f}:${i + 1}`, line }))
          .filter(({ line }) => bare.test(line) && !line.trimStart().startsWith('//') && !line.trimStart().startsWith('*')),
      );
    expect(offenders).toEqual([]);
  });
});
