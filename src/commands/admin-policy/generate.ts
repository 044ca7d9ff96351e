import { defineCommand } from '../define.js';
import { dhmcRoleChoice, roleOptions, type DhmcRoleChoice } from '../shared/dhmc-role-options.js';
import { validateAccountId } from '../shared/validate.js';
import { UsageError } from '../../services/errors.js';
import { asksAllRegions } from '../shared/scope-options.js';
import { combinedAdminPolicy } from './combined.js';

export interface AdminPolicyInput extends DhmcRoleChoice {
  /** The account the policy is for; unset: the caller's, from sts:GetCallerIdentity. */
  account: string | undefined;
  withRoleSetup: boolean;
  /** With --accounts: one policy for every account instead of one each. */
  combined: boolean;
}

export const adminPolicyGenerateCommand = defineCommand<AdminPolicyInput>({
  path: ['admin-policy', 'generate'],
  summary: 'Print the least-privilege IAM policy for administrators who turn DHMC on (offline with --account)',
  options: [
    { flags: '--account <id>', description: "the 12-digit account id (default: the caller's, from sts:GetCallerIdentity)", kind: 'string' },
    ...roleOptions,
    { flags: '--with-role-setup', description: 'also allow creating the DHMC role and attaching only its policy (what dhmc enable does)', kind: 'boolean' },
    { flags: '--combined', description: "with --accounts: one policy naming every account's settings, instead of one policy per account", kind: 'boolean' },
  ],
  examples: [
    'ssm-perms admin-policy generate --account 111122223333 --region us-east-2 > dhmc-admin.json',
    'ssm-perms admin-policy generate --region us-east-1,eu-west-1 --with-role-setup',
    'ssm-perms admin-policy generate --accounts ou-ab12-cdef3456 --combined --region us-east-1 > dhmc-admin-org.json',
  ],
  permissions: ['none with --account (offline)', 'sts:GetCallerIdentity otherwise', 'ec2:DescribeRegions (only with --region all)'],
  parse: (options) => {
    if (options.account !== undefined && options.accounts !== undefined) {
      throw new UsageError(
        'InvalidOption',
        '--account and --accounts cannot be given together',
        'With --accounts, each policy is for the account it is made in.',
      );
    }
    if (options.combined === true && options.accounts === undefined) {
      throw new UsageError('InvalidOption', '--combined works only with --accounts', 'Add --accounts (account ids, an OU id, the root id, or all).');
    }
    return {
      ...dhmcRoleChoice(options),
      account: options.account === undefined ? undefined : validateAccountId(String(options.account)),
      withRoleSetup: options.withRoleSetup === true,
      combined: options.combined === true,
    };
  },
  load: () => import('./generate.run.js'),
  // Across accounts the policy needs each account's id, not its credentials: no account is entered -
  // unless --region all, whose regions are those each account has enabled (ec2:DescribeRegions there).
  offline: (options) => !asksAllRegions(options),
  combines: (options) => options.combined === true,
  combineAccounts: (runs) => combinedAdminPolicy(runs.map((r) => r.outcome)),
});
