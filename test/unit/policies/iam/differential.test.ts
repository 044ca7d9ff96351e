// Our IAM evaluator against an independent engine (@cloud-copilot/iam-simulate) on seeded random
// policies, boundaries and requests. `npm run fuzz:iam -- --cases N --seed S` runs the same comparison
// at length.
import { describe, expect, it } from 'vitest';
import { runDifferential } from './fuzz/differential.js';

describe('IAM evaluator vs. the independent engine', () => {
  it('agrees on 2,500 generated cases (seed 20260501)', async () => {
    const { disagreements, counts } = await runDifferential(20260501, 2500);
    expect(disagreements.map((d) => d.report).join('\n\n')).toBe('');
    // The generator must exercise every outcome, or agreement means little.
    expect(counts.allowed).toBeGreaterThan(100);
    expect(counts.denied).toBeGreaterThan(100);
    expect(counts['not-allowed']).toBeGreaterThan(100);
  }, 60_000);
});
