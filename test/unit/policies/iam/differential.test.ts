// Our IAM evaluator against an independent engine (@cloud-copilot/iam-simulate) on seeded random
// identity policies, permissions boundaries and requests: every operator family, IfExists, set
// operators, Null, NotAction, NotResource, ARN wildcards, policy variables, Allow and Deny across several
// policies, documents as objects, JSON and URL-encoded text. Shapes where the oracle departs from AWS's
// documentation are left out of the generator; fuzz/generator.ts lists them with the pages they cite.
// `npm run fuzz:iam -- --cases N --seed S` runs the same comparison at length.
import { describe, expect, it } from 'vitest';
import { runDifferential, runHiddenKeys } from './fuzz/differential.js';

describe('IAM evaluator vs. the independent engine', () => {
  it('agrees on 5,000 generated cases (seed 20260501)', async () => {
    const { disagreements, counts } = await runDifferential(20260501, 5000);
    expect(disagreements.map((d) => d.report).join('\n\n')).toBe('');
    // The generator must reach every outcome, or agreement would mean little.
    expect(counts.allowed).toBeGreaterThan(300);
    expect(counts.denied).toBeGreaterThan(300);
    expect(counts['not-allowed']).toBeGreaterThan(300);
  }, 60_000);

  it('never gives a definite answer that some value of an unknown key would change (800 cases)', async () => {
    const { disagreements, counts } = await runHiddenKeys(20260501, 800);
    expect(disagreements.map((d) => d.report).join('\n\n')).toBe('');
    expect(counts.uncertain).toBeGreaterThan(30);
    expect(counts.definite).toBeGreaterThan(300);
  }, 60_000);
});
