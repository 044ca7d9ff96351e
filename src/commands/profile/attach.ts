import { UsageError } from '../../services/errors.js';
import { defineCommand, type RawOptions } from '../define.js';
import { parseSelection, selectionOptions, type Selection } from '../shared/selection.js';
import { validateInstanceProfileName, validateWholeNumber } from '../shared/validate.js';

export interface ProfileAttachInput extends Selection {
  profileName: string;
  replace: boolean;
  wait: boolean;
  concurrency: number;
}

function parse(options: RawOptions): ProfileAttachInput {
  if (options.name === undefined)
    throw new UsageError('MissingOption', 'profile attach needs --name PROFILE', 'Create one first with: ssm-perms profile create');
  const profileName = validateInstanceProfileName(String(options.name));
  const selection = parseSelection(options);
  if (selection.instanceIds.length === 0 && selection.tags.length === 0) {
    throw new UsageError(
      'MissingOption',
      'profile attach needs --instance-id ID and/or --tag KEY=VALUE to choose instances',
      'It never targets every instance implicitly.',
    );
  }
  const concurrency = validateWholeNumber(options.concurrency === undefined ? '8' : String(options.concurrency), '--concurrency', 1, 64);
  return { ...selection, profileName, concurrency, replace: options.replace === true, wait: options.wait === true };
}

export const profileAttachCommand = defineCommand<ProfileAttachInput>({
  path: ['profile', 'attach'],
  summary: 'Attach an instance profile to instances chosen by id and/or tag (replacing another only with --replace)',
  options: [
    { flags: '--name <profile>', description: 'the instance profile to attach (required)', kind: 'string' },
    ...selectionOptions('an instance (repeatable, or comma-separated)', 'instances with this tag (repeatable: all must match)'),
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
  parse,
  load: () => import('./attach.run.js'),
});
