// admin-policy generate --accounts ... --combined: one policy for administrators who work in every
// selected account - each statement of the per-account policies, with the Resource lists of all of them.
// The statements are the same in every account (same actions, conditions and Sids); only the ARNs,
// which name the account, differ, so merging Resource lists statement by statement keeps each grant as
// narrow as in the per-account policies.
import type { PolicyDocument, PolicyStatement } from '../../policies/trust.js';
import { ExitCode } from '../../services/errors.js';
import { MANAGED_POLICY_MAX_CHARS, policySize } from '../../policies/s3-policy.js';
import type { Outcome } from '../types.js';

export function combinedAdminPolicy(outcomes: readonly Outcome[]): Outcome {
  const docs = outcomes.map((o) => o.data as PolicyDocument);
  const first = docs[0]!;
  const Statement: PolicyStatement[] = first.Statement.map((s, i) => {
    const resources = docs.flatMap((d) => {
      const r = d.Statement[i]?.Resource;
      return Array.isArray(r) ? r : r === undefined ? [] : [r];
    });
    return { ...s, Resource: [...new Set(resources)] };
  });
  const policy: PolicyDocument = { Version: first.Version, Statement };
  const size = policySize(policy);
  // Many accounts times many regions can outgrow what IAM stores as one managed policy.
  const tooLarge =
    size > MANAGED_POLICY_MAX_CHARS
      ? [
          `the combined policy is ${size} characters, over IAM's limit of ${MANAGED_POLICY_MAX_CHARS} for a managed policy (white space not counted): combine fewer accounts (one OU at a time) or regions per policy`,
        ]
      : [];
  return {
    data: policy,
    text: () => JSON.stringify(policy, null, 2) + '\n',
    document: true,
    exitCode: ExitCode.Ok,
    warnings: [...new Set(outcomes.flatMap((o) => o.warnings ?? [])), ...tooLarge],
  };
}
