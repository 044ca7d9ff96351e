// A light install: the runtime is bundled into dist/, so the packed tarball needs nothing from the
// registry. Packed here, installed offline into an empty prefix, it must bring no node_modules but its
// own, stay under 3 MB, and work: --help, and a command against the emulator.
import { execFile } from 'node:child_process';
import { builtinModules } from 'node:module';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../helpers/child.js';
import { emulatorSuite } from '../helpers/emulator-suite.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const suite = emulatorSuite({ resetEach: false });
let dir: string;
let prefix: string;
let installed: string;

function npm(args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('npm', args, { cwd, env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false' } }, (err, stdout, stderr) =>
      err ? reject(new Error(`npm ${args.join(' ')} failed: ${stderr}`)) : resolve(stdout),
    );
  });
}

/** Bytes under a directory (file sizes, as `du --apparent-size` counts them). */
function size(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.size;
  return readdirSync(path).reduce((sum, name) => sum + size(join(path, name)), 0);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ssm-perms-pack-'));
  prefix = join(dir, 'prefix');
  // --ignore-scripts: pack the dist/ already built (prepare would rebuild it under the other e2e files' feet).
  const tarball = (await npm(['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], ROOT)).trim().split('\n').pop()!;
  // --offline: a tarball without dependencies needs nothing from the registry, and gets nothing.
  await npm(['install', '--offline', '--no-save', '--prefix', prefix, join(dir, tarball)], dir);
  installed = join(prefix, 'node_modules', 'ssm-perms');
}, 120_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the packed tarball, installed', () => {
  it('declares no dependencies: everything that runs is bundled in dist/', () => {
    const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.optionalDependencies ?? {}).toEqual({});
    expect(pkg.peerDependencies ?? {}).toEqual({});
  });

  it('brings no node_modules but its own, and takes under 3 MB', () => {
    const modules = readdirSync(join(prefix, 'node_modules')).filter((n) => !n.startsWith('.'));
    expect(modules).toEqual(['ssm-perms']);
    expect(size(join(prefix, 'node_modules'))).toBeLessThan(3 * 1024 * 1024);
  });

  it('its bundle imports nothing but Node built-ins (and kerberos, which only Negotiate proxy auth would ask for, and this tool never does)', () => {
    // esbuild's metafile of this very build lists every import it left out of the bundle ("external").
    const meta = JSON.parse(readFileSync(join(ROOT, 'dist/metafile.json'), 'utf8')) as {
      outputs: Record<string, { imports: { path: string; external?: boolean }[] }>;
    };
    const shipped = ['main.js', ...readdirSync(join(installed, 'dist', 'chunks')).map((f) => `chunks/${f}`)].filter((f) => f.endsWith('.js'));
    expect(shipped.every((f) => meta.outputs[`dist/${f}`])).toBe(true);
    const builtins = new Set(builtinModules);
    const bare = new Set<string>();
    for (const f of shipped) {
      for (const i of meta.outputs[`dist/${f}`]!.imports) {
        if (i.external && !i.path.startsWith('node:') && !builtins.has(i.path)) bare.add(i.path);
      }
    }
    expect([...bare].sort()).toEqual(['kerberos']);
  });

  it('runs --help from the installed bin', async () => {
    const r = await run(join(prefix, 'node_modules', '.bin', 'ssm-perms'), ['--help'], { PATH: process.env.PATH ?? '' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Usage: ssm-perms /);
  });

  it('runs a command against the emulator from the installed bin', async () => {
    const r = await run(join(prefix, 'node_modules', '.bin', 'ssm-perms'), ['dhmc', 'status', '--json'], suite.env);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ account: '123456789012', regions: [{ region: 'us-east-1', enabled: false }] });
  });
});
