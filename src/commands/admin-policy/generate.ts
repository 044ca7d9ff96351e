import { defineCommand } from '../define.js';
import { dhmcRoleChoice, roleOptions, type DhmcRoleChoice } from '../shared/dhmc-role-options.js';
import { validateAccountId } from '../shared/validate.js';

export interface AdminPolicyInput extends DhmcRoleChoice {
  /** The account the policy is for; unset: the caller's, from sts:GetCallerIdentity. */
  account: string | undefined;
  withRoleSetup: boolean;
}

export const adminPolicyGenerateCommand = defineCommand<AdminPolicyInput>({
  path: ['admin-policy', 'generate'],
  summary: 'Print the least-privilege IAM policy for administrators who turn DHMC on (offline with --account)',
  options: [
    { flags: '--account <id>', description: "the 12-digit account id (default: the caller's, from sts:GetCallerIdentity)", kind: 'string' },
    ...roleOptions,
    { flags: '--with-role-setup', description: 'also allow creating the DHMC role and attaching only its policy (what dhmc enable does)', kind: 'boolean' },
  ],
  examples: [
    'ssm-perms admin-policy generate --account 111122223333 --region us-east-2 > dhmc-admin.json',
    'ssm-perms admin-policy generate --region us-east-1,eu-west-1 --with-role-setup',
  ],
  permissions: ['none with --account (offline)', 'sts:GetCallerIdentity otherwise', 'ec2:DescribeRegions (only with --region all)'],
  parse: (options) => ({
    ...dhmcRoleChoice(options),
    account: options.account === undefined ? undefined : validateAccountId(String(options.account)),
    withRoleSetup: options.withRoleSetup === true,
  }),
  load: () => import('./generate.run.js'),
});
