// Entering a member account: sts:AssumeRole into the organization's access role there, with the caller's
// credentials. The caller's own account needs no role: its clients are the caller's.
import { roleArn } from '../../policies/arn.js';
import type { ClientFactory } from '../aws/clients.js';
import { translateAwsError } from '../aws/translate-error.js';
import { AccessDeniedError, isSsmPermsError, type SsmPermsError } from '../errors.js';

export interface OrgRole {
  partition: string;
  /** The region whose STS endpoint is called. */
  region: string;
  roleName: string;
  rolePath: string;
  sessionName: string;
  externalId: string | undefined;
}

/** The role's ARN in `account`. */
export function orgRoleArn(role: OrgRole, account: string): string {
  return roleArn(role.partition, account, role.rolePath, role.roleName);
}

/**
 * The clients of `account`: the caller's own when it is the caller's account, else those of the org role
 * there, assumed now (unless `lazily`: then on the first call, for commands that may call nothing).
 * A refusal names the role and says what to check; it fails this account only.
 */
export async function enterAccount(base: ClientFactory, role: OrgRole, account: string, callerAccount: string | null, lazily = false): Promise<ClientFactory> {
  if (account === callerAccount) return base;
  const arn = orgRoleArn(role, account);
  const assumed = base.assumeRole({ roleArn: arn, sessionName: role.sessionName, externalId: role.externalId, region: role.region });
  if (lazily) return assumed.clients;
  try {
    await assumed.enter();
  } catch (e) {
    throw enterError(translateAwsError(e, { service: 'sts', operation: 'AssumeRole', region: role.region }), arn, role);
  }
  return assumed.clients;
}

/**
 * What a refused AssumeRole means here. Both policies must allow it - the caller's identity policy
 * (sts:AssumeRole on the role) and the role's trust policy (its Principal) - and a role that does not
 * exist is refused the same way, with AccessDenied ("Cross account resource access in IAM",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies-cross-account-resource-access.html).
 */
function enterError(e: SsmPermsError, arn: string, role: OrgRole): SsmPermsError {
  if (!isSsmPermsError(e) || !(e instanceof AccessDeniedError)) return e;
  const externalId = role.externalId === undefined ? '' : ' (and its sts:ExternalId condition matches --external-id)';
  return new AccessDeniedError(
    e.code,
    `could not enter the account: sts:AssumeRole on ${arn} was refused: ${e.message.replace(/^access denied to [^:]+:[^:]+(?: in [\w-]+)?: /, '')}`,
    `Check that the role exists in that account, that its trust policy lets your identity assume it${externalId}, and that your identity may call sts:AssumeRole on it; or name another role with --org-role${role.roleName === 'AWSControlTowerExecution' ? '' : ' (Control Tower accounts: AWSControlTowerExecution)'}.`,
    'sts:AssumeRole',
    { cause: e },
  );
}
