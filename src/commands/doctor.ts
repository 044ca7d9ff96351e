import { defineCommand } from './define.js';
import { parseSelection, selectionOptions, type Selection } from './shared/selection.js';

export type DoctorInput = Selection;

export const doctorCommand = defineCommand<DoctorInput>({
  path: ['doctor'],
  summary: 'Explain, for every instance, whether Systems Manager can manage it, and what to run to fix it (read-only)',
  options: selectionOptions('only this instance (repeatable, or comma-separated)', 'only instances with this tag (repeatable: all must match)'),
  examples: [
    'ssm-perms doctor --region us-east-1',
    'ssm-perms doctor --instance-id i-0123456789abcdef0',
    'ssm-perms doctor --region all --json | jq -r \'.instances[] | select(.verdict == "not-ready") | [.instanceId, .reason, .fix] | @tsv\'',
  ],
  permissions: [
    'sts:GetCallerIdentity',
    'ec2:DescribeInstances, ec2:DescribeIamInstanceProfileAssociations, ec2:DescribeRouteTables, ec2:DescribeVpcEndpoints, ec2:DescribeSecurityGroups, ec2:DescribeNetworkInterfaces (the addresses of VPC endpoints)',
    'ssm:DescribeInstanceInformation, ssm:GetServiceSetting, ssm:ListAssociations',
    'iam:GetInstanceProfile, iam:GetRole, iam:ListAttachedRolePolicies, iam:GetPolicy, iam:GetPolicyVersion, iam:ListRolePolicies, iam:GetRolePolicy',
    'ec2:DescribeRegions (only with --region all)',
  ],
  markdown: true,
  parse: parseSelection,
  load: () => import('./doctor.run.js'),
});
