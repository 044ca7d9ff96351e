// Runs our evaluator and the oracle on generated cases and reports every disagreement with what is
// needed to replay it: the seed, the case index, the policies, the request and both answers.
import { evaluate } from '../../../../../src/policies/iam/index.js';
import { asDelivered, generateCase } from './generator.js';
import { oracleDecision } from './oracle.js';
import { Random } from './random.js';

export interface Disagreement {
  seed: number;
  index: number;
  report: string;
}

export async function runDifferential(seed: number, cases: number, stopAfter = 5): Promise<{ disagreements: Disagreement[]; counts: Record<string, number> }> {
  const r = new Random(seed);
  const disagreements: Disagreement[] = [];
  const counts: Record<string, number> = {};
  for (let index = 0; index < cases && disagreements.length < stopAfter; index++) {
    const c = generateCase(r);
    const delivered = { identity: c.identity.map((p) => asDelivered(r, p)), boundary: c.boundary?.map((p) => asDelivered(r, p)) ?? null };
    const ours = evaluate(delivered, c.request);
    const theirs = await oracleDecision(c);
    counts[ours.decision] = (counts[ours.decision] ?? 0) + 1;
    if (typeof theirs !== 'string' || theirs !== ours.decision) {
      disagreements.push({
        seed,
        index,
        report: [
          `seed ${seed}, case #${index}`,
          `identity policies: ${JSON.stringify(c.identity, null, 1)}`,
          `permissions boundary: ${JSON.stringify(c.boundary, null, 1)}`,
          `request: ${JSON.stringify(c.request, null, 1)}`,
          `ours: ${JSON.stringify(ours)}`,
          `oracle: ${JSON.stringify(theirs)}`,
        ].join('\n'),
      });
    }
  }
  return { disagreements, counts };
}
