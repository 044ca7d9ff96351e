import { lazyRun, type CommandDef } from '../types.js';

export const profileAttachCommand: CommandDef = {
  path: ['profile', 'attach'],
  summary: 'Attach an instance profile to instances chosen by id and/or tag (replacing another only with --replace)',
  options: [
    { flags: '--name <profile>', description: 'the instance profile to attach (required)', kind: 'string' },
    { flags: '--instance-id <id>', description: 'an instance (repeatable, or comma-separated)', kind: 'repeatable' },
    { flags: '--tag <key=value>', description: 'instances with this tag (repeatable: all must match)', kind: 'repeatable' },
    { flags: '--replace', description: 'replace another instance profile (asks for consent, or --yes)', kind: 'boolean' },
    { flags: '--wait', description: 'wait until each association is `associated` (up to --wait-timeout)', kind: 'boolean' },
    { flags: '--concurrency <n>', description: 'instances changed at once (default 8)', kind: 'string' },
  ],
  examples: [
    'ssm-perms profile attach --name SSMInstanceProfile --instance-id i-0123456789abcdef0',
    'ssm-perms profile attach --name SSMInstanceProfile --tag Env=prod --region us-east-1,us-east-2 --dry-run',
    'ssm-perms profile attach --name SSMInstanceProfile --tag Env=prod --replace --yes --wait',
    'ssm-perms profile attach --name SSMInstanceProfile --tag Env=prod --json | jq -r \'.instances[] | select(.status == "failed") | "\\(.instanceId) \\(.error.message)"\'',
  ],
  permissions: [
    'sts:GetCallerIdentity',
    'iam:GetInstanceProfile, iam:GetRole, iam:ListAttachedRolePolicies (and iam:GetPolicy, iam:GetPolicyVersion, iam:ListRolePolicies, iam:GetRolePolicy to check a custom role)',
    'ec2:DescribeInstances, ec2:DescribeIamInstanceProfileAssociations',
    "ec2:AssociateIamInstanceProfile, iam:PassRole (on the profile's role)",
    'ec2:ReplaceIamInstanceProfileAssociation, ec2:DisassociateIamInstanceProfile (with --replace)',
  ],
  run: lazyRun(() => import('./attach.run.js')),
};
