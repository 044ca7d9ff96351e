// Runs our evaluator and the oracle on generated cases and reports every disagreement with what is
// needed to replay it: the seed, the case index, the policies, the request and both answers.
import { evaluate, type ContextValue } from '../../../../../src/policies/iam/index.js';
import { asDelivered, generateCase, requestValues } from './generator.js';
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

/**
 * Three-valued soundness: hide one or two keys of a generated case (neither known nor absent). When our
 * answer is still definite, the oracle must give that same answer for every way of filling them in
 * (absent, or any value of the pool); "not-allowed" may also be "denied" there, as a possible Deny with no
 * Allow is reported as not allowed. An "uncertain" answer is never wrong, only sometimes imprecise:
 * `imprecise` counts the uncertain answers whose completions all agree.
 */
export async function runHiddenKeys(seed: number, cases: number, stopAfter = 5): Promise<{ disagreements: Disagreement[]; counts: Record<string, number> }> {
  const r = new Random(seed ^ 0x5eed5eed);
  const disagreements: Disagreement[] = [];
  const counts: Record<string, number> = { definite: 0, uncertain: 0, imprecise: 0 };
  for (let index = 0; index < cases && disagreements.length < stopAfter; index++) {
    const c = generateCase(r);
    // Hide keys the policies mention, or hiding changes nothing.
    const text = JSON.stringify([c.identity, c.boundary]).toLowerCase();
    const all = [...Object.keys(c.request.known), ...(c.request.absent ?? [])];
    const mentioned = all.filter((k) => text.includes(k.toLowerCase()));
    const keys = mentioned.length ? mentioned : all;
    const hidden = [...new Set([r.pick(keys), r.pick(keys)])];
    const known = Object.fromEntries(Object.entries(c.request.known).filter(([k]) => !hidden.includes(k)));
    const absent = (c.request.absent ?? []).filter((k) => !hidden.includes(k));
    const ours = evaluate({ identity: c.identity, boundary: c.boundary }, { ...c.request, known, absent });

    // Every completion: each hidden key absent or holding one of its pool values.
    let completions: Record<string, ContextValue>[] = [{}];
    for (const key of hidden) {
      completions = completions.flatMap((done) => [done, ...requestValues(key).map((v) => ({ ...done, [key]: v }))]);
    }
    const answers = new Map<string, Record<string, ContextValue>>();
    for (const filled of completions) {
      const theirs = await oracleDecision({ ...c, request: { ...c.request, known: { ...known, ...filled }, absent } });
      const answer = typeof theirs === 'string' ? theirs : `error ${theirs.error}`;
      if (!answers.has(answer)) answers.set(answer, filled);
    }
    if (ours.decision === 'uncertain') {
      counts.uncertain = (counts.uncertain ?? 0) + 1;
      if (answers.size === 1) counts.imprecise = (counts.imprecise ?? 0) + 1;
      continue;
    }
    counts.definite = (counts.definite ?? 0) + 1;
    // "not-allowed" with a possible Deny and no Allow stands for "denied or not allowed": both refuse.
    const fits = (answer: string) => answer === ours.decision || (ours.decision === 'not-allowed' && answer === 'denied');
    const wrong = [...answers].find(([answer]) => !fits(answer));
    if (wrong) {
      disagreements.push({
        seed,
        index,
        report: [
          `seed ${seed}, hidden-keys case #${index}: hidden ${hidden.join(', ')}`,
          `identity policies: ${JSON.stringify(c.identity, null, 1)}`,
          `permissions boundary: ${JSON.stringify(c.boundary, null, 1)}`,
          `request: ${JSON.stringify({ ...c.request, known, absent }, null, 1)}`,
          `ours: ${JSON.stringify(ours)}`,
          `oracle: ${wrong[0]} when ${JSON.stringify(wrong[1])} (absent where not listed)`,
        ].join('\n'),
      });
    }
  }
  return { disagreements, counts };
}
