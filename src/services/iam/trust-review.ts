// What hybrid-role create does with an existing role whose trust lets ssm.amazonaws.com in, judged
// against the regions asked (src/policies/hybrid-trust.ts). Design section 5: adding is free, replacing
// what someone else wrote needs consent, so
// - this tool's own trust for fewer regions is widened (iam:UpdateAssumeRolePolicy with the same
//   statement naming every region it named plus the new ones: nothing is taken away);
// - any other trust that leaves regions out is refused (exit 6) with the command that keeps it and adds
//   the statement for the missing regions: whether to change someone's trust is theirs to decide.
import type { HybridTrustReview } from '../../policies/hybrid-trust.js';
import type { PolicyDocument } from '../../policies/trust.js';
import { updateTrustCommand } from '../../policies/trust-merge.js';
import { PreconditionError } from '../errors.js';
import { planned, type Step } from '../steps.js';

/** Adds the widening step to `steps`, throws for a trust that is not ours, and returns the warnings. */
export function reviewedTrust(
  review: HybridTrustReview,
  roleName: string,
  roleArn: string,
  service: string,
  update: (document: string) => Promise<unknown>,
  steps: Step[],
): string[] {
  switch (review.kind) {
    case 'covered':
      return [];
    case 'unsure':
      return [
        `role ${roleName} trusts ${service} under conditions that could not be judged for ${review.regions.join(', ')}; make sure they allow activations there.`,
      ];
    case 'widen': {
      const document: PolicyDocument = review.document;
      steps.push({
        change: planned({
          region: null,
          action: 'update',
          resource: roleArn,
          operation: 'iam:UpdateAssumeRolePolicy',
          details: { addedRegions: review.missing.join(',') },
        }),
        run: async () => {
          await update(JSON.stringify(document));
        },
      });
      return [];
    }
    case 'uncovered':
      throw new PreconditionError(
        'RoleTrustMissesRegions',
        `role ${roleName} trusts ${service} but not for activations in ${review.missing.join(', ')} (its aws:SourceArn condition leaves them out); its trust policy was not written by ssm-perms, so it is not changed`,
        // The command on a line of its own, so that it can be pasted (the printer fits it as a command).
        `Add the missing regions, keeping the current trust (or choose another role name):\n${updateTrustCommand(roleName, review.fix)}`,
      );
  }
}
