// Differential fuzzing of the IAM evaluator (src/policies/iam) against the independent engine
// @cloud-copilot/iam-simulate: npm run fuzz:iam -- --cases 50000 --seed 7
// Also hides context keys and checks that every definite answer survives any value they could take.
// Bundles the TypeScript harness of test/unit/policies/iam/fuzz with esbuild (dependencies stay
// external), runs it, prints every disagreement with its seed and case index, and exits 1 if any.
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  if (i === -1) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`--${name} needs a whole number`);
    process.exit(2);
  }
  return value;
}

const cases = option('cases', 10_000);
const seed = option('seed', Date.now() % 2 ** 31);
// Inside node_modules so that the bundle's bare imports resolve to this repository's packages.
const cache = new URL('../node_modules/.cache/', import.meta.url).pathname;
mkdirSync(cache, { recursive: true });
const dir = mkdtempSync(join(cache, 'fuzz-iam-'));
try {
  const outfile = join(dir, 'differential.mjs');
  await build({
    entryPoints: [new URL('../test/unit/policies/iam/fuzz/differential.ts', import.meta.url).pathname],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  const { runDifferential, runHiddenKeys } = await import(pathToFileURL(outfile).href);
  let failed = false;
  // Every case against the oracle; then a fifth as many with keys hidden, checking that a definite
  // answer holds whatever the hidden keys turn out to be.
  for (const [label, run, n] of [
    ['cases agree', runDifferential, cases],
    ['hidden-key cases are sound', runHiddenKeys, Math.ceil(cases / 5)],
  ]) {
    const started = Date.now();
    const { disagreements, counts } = await run(seed, n, 20);
    for (const d of disagreements) console.log(`${d.report}\n`);
    const summary = Object.entries(counts)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    console.log(
      `seed ${seed}: ${disagreements.length ? `${disagreements.length} disagreement(s) (stopped at 20)` : `${n} ${label}`} (${summary}) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    failed ||= disagreements.length > 0;
  }
  process.exitCode = failed ? 1 : 0;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
