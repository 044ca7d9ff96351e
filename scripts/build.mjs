// Bundles src/cli/main.ts into dist/ as ESM with code splitting: each AWS SDK client lands in its own
// chunk, loaded by import() only when a command first needs it, so --help and offline generators
// never parse the SDK.
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
const result = await build({
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
  logLevel: 'warning',
  define: { __SSM_PERMS_VERSION__: JSON.stringify(version) },
  // CJS dependencies bundled into ESM call require(); give them one.
  banner: { js: "import { createRequire as __ssmPermsCreateRequire } from 'node:module'; const require = __ssmPermsCreateRequire(import.meta.url);" },
});

// Which output chunk holds which sources: the start-up tests use it to prove that --help and the
// offline generators load no AWS SDK code. Not shipped (see "files" in package.json).
writeFileSync(new URL('../dist/metafile.json', import.meta.url), JSON.stringify(result.metafile));
