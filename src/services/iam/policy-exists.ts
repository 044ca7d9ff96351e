// Every managed policy a command is asked to attach must exist before anything changes: a typo in a
// --policy-arn would otherwise be found only at AttachRolePolicy, after the role was created, and
// waited on as if IAM were still propagating it.
import { PreconditionError } from '../errors.js';
import type { IamApi } from '../aws/clients.js';
import { sdkErrorCode, translateAwsError } from '../aws/translate-error.js';

/** Throws PolicyNotFound (exit 6) naming every policy of `arns` that IAM does not know. */
export async function requirePoliciesExist(iam: IamApi, arns: readonly string[]): Promise<void> {
  const missing: string[] = [];
  for (const arn of new Set(arns)) {
    try {
      await iam.getPolicy({ PolicyArn: arn });
    } catch (e) {
      if (sdkErrorCode(e) === 'NoSuchEntity') missing.push(arn);
      else throw translateAwsError(e, { service: 'iam', operation: 'GetPolicy', region: null });
    }
  }
  if (missing.length) {
    throw new PreconditionError(
      'PolicyNotFound',
      `${missing.length === 1 ? 'policy' : 'policies'} ${missing.join(', ')} ${missing.length === 1 ? 'does' : 'do'} not exist; nothing was changed`,
      'Check the ARN (account, path and name; AWS managed policies are arn:PARTITION:iam::aws:policy/NAME), or create the policy first.',
    );
  }
}
