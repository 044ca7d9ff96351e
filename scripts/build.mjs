// Bundles src/cli/main.ts into dist/ as ESM with code splitting: each AWS SDK client lands in its own
// chunk, loaded by import() only when a command first needs it, so --help and offline generators
// never parse the SDK.
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { literalSchemaKeys } from './literal-schema-keys.mjs';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
// commander loads node:child_process when it starts (for executable subcommands, which this CLI does
// not use): ~5 ms of every start-up. Give it a stand-in that loads the real module on first use.
const deferChildProcess = {
  name: 'defer-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      args.importer.includes('node_modules/commander/') ? { path: 'deferred-child-process', namespace: 'ssm-perms' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'ssm-perms' }, () => ({
      loader: 'js',
      contents: "let real; const load = () => (real ??= require('node:child_process')); module.exports = new Proxy({}, { get: (_, key) => load()[key] });",
    }));
  },
};

// Only the SDK shapes of the commands sent are kept: see scripts/literal-schema-keys.mjs.
const prunableSchemas = {
  name: 'prunable-sdk-schemas',
  setup(b) {
    b.onLoad({ filter: /[\\/]@aws-sdk[\\/]client-[\w-]+[\\/]dist-es[\\/]schemas[\\/]schemas_\d+\.js$/ }, async (args) => ({
      contents: literalSchemaKeys(await readFile(args.path, 'utf8')).contents,
      loader: 'js',
    }));
  },
};

const result = await build({
  plugins: [deferChildProcess, prunableSchemas],
  metafile: true,
  entryPoints: { main: 'src/cli/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // The SDK's ESM builds (dist-es) tree-shake far better than its CJS builds.
  mainFields: ['module', 'main'],
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: 'linked',
  legalComments: 'none',
  minify: true,
  logLevel: 'warning',
  define: { __SSM_PERMS_VERSION__: JSON.stringify(version) },
  // CJS dependencies bundled into ESM call require(); give them one, created on first use so the
  // chunks on the start-up path do not pay for it.
  banner: {
    js: "import { createRequire as __ssmPermsCreateRequire } from 'node:module'; function require(id) { return (require.real ??= __ssmPermsCreateRequire(import.meta.url))(id); }",
  },
});

// Which output chunk holds which sources: the start-up tests use it to prove that --help and the
// offline generators load no AWS SDK code. Not shipped (see "files" in package.json).
writeFileSync(new URL('../dist/metafile.json', import.meta.url), JSON.stringify(result.metafile));
