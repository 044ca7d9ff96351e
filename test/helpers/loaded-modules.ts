// Which AWS SDK packages a run of the built CLI loaded: module URLs traced by a loader hook, mapped
// back to their sources through esbuild's metafile (the bundle's chunk names say nothing by themselves).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN, run } from './child.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TRACE = fileURLToPath(new URL('../e2e/fixtures/trace-loads.mjs', import.meta.url));

interface Metafile {
  outputs: Record<string, { inputs: Record<string, unknown> }>;
}

/**
 * The packages (named by the first group of `pattern`, matched on node_modules paths) whose code a
 * run of the built CLI loaded.
 */
export async function packagesLoaded(args: string[], env: Record<string, string>, pattern: RegExp): Promise<{ packages: string[]; code: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'ssm-perms-trace-'));
  const file = join(dir, 'loads.txt');
  const r = await run(process.execPath, ['--import', TRACE, BIN, ...args], { ...env, TRACE_FILE: file });
  const meta = JSON.parse(readFileSync(join(ROOT, 'dist/metafile.json'), 'utf8')) as Metafile;
  const loaded = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  rmSync(dir, { recursive: true, force: true });
  const packages = new Set<string>();
  for (const url of loaded) {
    const direct = pattern.exec(url);
    if (direct) packages.add(direct[1]!);
    if (!url.startsWith('file://')) continue;
    const rel = fileURLToPath(url).slice(ROOT.length);
    for (const input of Object.keys(meta.outputs[rel]?.inputs ?? {})) {
      const m = pattern.exec(input);
      if (m) packages.add(m[1]!);
    }
  }
  return { packages: [...packages].sort(), code: r.code };
}

/** The AWS SDK packages a run loaded. */
export const sdkPackagesLoaded = (args: string[], env: Record<string, string>) => packagesLoaded(args, env, /node_modules\/(@aws-sdk\/[^/]+)/);
