// Our IAM evaluator against an independent engine (@cloud-copilot/iam-simulate) on seeded random
// identity policies, permissions boundaries and requests: every operator family, IfExists, set
// operators, Null, NotAction, NotResource, ARN wildcards, policy variables, Allow and Deny across several
// policies, documents as objects, JSON and URL-encoded text. Shapes where the oracle departs from AWS's
// documentation are left out of the generator; fuzz/generator.ts lists them with the pages they cite.
// `npm run fuzz:iam -- --cases N --seed S` runs the same comparison at length.
import { describe, expect, it } from 'vitest';
import { runDifferential, runHiddenKeys } from './fuzz/differential.js';

// Mutation testing runs these once per mutant of the evaluator: `npm run mutation` sets a smaller
// sample (SSM_PERMS_DIFFERENTIAL_CASES), and the generator's coverage floors scale with it.
const CASES = Number(process.env.SSM_PERMS_DIFFERENTIAL_CASES ?? 5000);
const scale = CASES / 5000;

describe('IAM evaluator vs. the independent engine', () => {
  it(`agrees on ${CASES} generated cases (seed 20260501)`, async () => {
    const { disagreements, counts } = await runDifferential(20260501, CASES);
    expect(disagreements.map((d) => d.report).join('\n\n')).toBe('');
    // The generator must reach every outcome, or agreement would mean little.
    expect(counts.allowed).toBeGreaterThan(300 * scale);
    expect(counts.denied).toBeGreaterThan(300 * scale);
    expect(counts['not-allowed']).toBeGreaterThan(300 * scale);
  }, 60_000);

  it(`never gives a definite answer that some value of an unknown key would change (${Math.round(800 * scale)} cases)`, async () => {
    const { disagreements, counts } = await runHiddenKeys(20260501, Math.round(800 * scale));
    expect(disagreements.map((d) => d.report).join('\n\n')).toBe('');
    expect(counts.uncertain).toBeGreaterThan(30 * scale);
    expect(counts.definite).toBeGreaterThan(300 * scale);
  }, 60_000);
});
