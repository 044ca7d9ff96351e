import { defineCommand, stringList } from '../define.js';
import { dhmcRoleChoice, roleOptions, type DhmcRoleChoice } from '../shared/dhmc-role-options.js';
import { validatePolicyArn } from '../shared/validate.js';

export interface DhmcEnableInput extends DhmcRoleChoice {
  createRole: boolean;
  /** --policy-arn values, each checked against the ARN rule (the partition is checked once regions are known). */
  extraPolicyArns: string[];
}

export const dhmcEnableCommand = defineCommand<DhmcEnableInput>({
  path: ['dhmc', 'enable'],
  summary: 'Turn Default Host Management Configuration on, creating or validating its role',
  options: [
    ...roleOptions,
    { flags: '--no-create-role', description: 'fail (exit 6) if the role does not exist instead of creating it', kind: 'negatable' },
    {
      flags: '--policy-arn <arn>',
      description: 'also attach this policy to the DHMC role (repeat the option for each; commas do not separate ARNs)',
      kind: 'repeatable',
    },
  ],
  examples: [
    'ssm-perms dhmc enable --region us-east-1,us-east-2',
    'ssm-perms dhmc enable --region all --dry-run',
    'ssm-perms dhmc enable --region eu-west-1 --role-name MyDhmcRole --no-create-role --yes',
    'ssm-perms dhmc enable --region us-east-2 --json | jq \'.changes[] | select(.status == "failed")\'',
  ],
  permissions: [
    'sts:GetCallerIdentity',
    'ssm:GetServiceSetting',
    'ssm:UpdateServiceSetting',
    'iam:GetRole',
    'iam:ListAttachedRolePolicies',
    'iam:GetPolicy (each policy to attach is checked to exist before any change)',
    'iam:PassRole (on the role, to ssm.amazonaws.com)',
    'iam:CreateRole, iam:AttachRolePolicy (only when they have something to do)',
    'iam:GetPolicy, iam:GetPolicyVersion, iam:ListRolePolicies, iam:GetRolePolicy (only to check a custom role)',
    'ec2:DescribeRegions (only with --region all)',
  ],
  parse: (options) => ({
    ...dhmcRoleChoice(options),
    createRole: options.createRole !== false,
    extraPolicyArns: stringList(options.policyArn).map((a) => validatePolicyArn(a, null)),
  }),
  load: () => import('./enable.run.js'),
});
