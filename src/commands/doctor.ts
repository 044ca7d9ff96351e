import { defineCommand } from './define.js';
import { parseSelection, selectionOptions, type Selection } from './shared/selection.js';
import { validateInstanceProfileName, validateRoleName, validateWholeNumber } from './shared/validate.js';
import { UsageError } from '../services/errors.js';
import { DEFAULT_PROFILE_NAME } from '../policies/defaults.js';

import type { WatchOptions } from '../services/doctor/watch.js';
import type { FixOptions } from '../services/doctor/fix-plan.js';

export interface DoctorInput extends Selection {
  /** --watch: diagnose again until every instance is managed, or the timeout; null for one diagnosis. */
  watch: WatchOptions | null;
  /** --fix: plan the fixes of what the diagnosis found, ask once, apply, diagnose again; null to only diagnose. */
  fix: FixOptions | null;
}

/** The options that only mean something with --fix. */
const FIX_ONLY = ['strategy', 'profileName', 'requireImdsv2', 'updateAgent'] as const;
const FLAG_OF: Record<(typeof FIX_ONLY)[number], string> = {
  strategy: '--strategy',
  profileName: '--profile-name',
  requireImdsv2: '--require-imdsv2',
  updateAgent: '--update-agent',
};

function parseFix(options: Record<string, unknown>): FixOptions | null {
  if (options.fix !== true) {
    for (const key of FIX_ONLY) {
      if (options[key] !== undefined) throw new UsageError('InvalidOption', `${FLAG_OF[key]} works only with --fix`, 'Add --fix, or leave it out.');
    }
    return null;
  }
  // The Markdown form is the diagnosis, for a ticket; a fix run's result is its changes.
  if (options.output === 'markdown') {
    throw new UsageError(
      'UnsupportedOutput',
      '-o markdown is the diagnosis; --fix prints its plan and changes',
      'Use -o table, text or json with --fix, or run doctor -o markdown without it.',
    );
  }
  const strategy = options.strategy === undefined ? 'profile' : String(options.strategy);
  if (strategy !== 'profile' && strategy !== 'dhmc')
    throw new UsageError(
      'InvalidOption',
      `--strategy ${strategy} is not one of profile, dhmc`,
      'Use --strategy profile (attach an instance profile) or --strategy dhmc (turn DHMC on).',
    );
  // The profile's role is named after it, as profile create names it: both names must be valid.
  const profileName = options.profileName === undefined ? DEFAULT_PROFILE_NAME : validateInstanceProfileName(String(options.profileName), '--profile-name');
  validateRoleName(profileName, '--profile-name (used as the role name)');
  return { strategy, profileName, requireImdsv2: options.requireImdsv2 === true, updateAgent: options.updateAgent === true };
}

/** DHMC can take up to 30 minutes to reach an instance (the guide), hence the default timeout. */
export const DEFAULT_WATCH = { intervalSeconds: 30, timeoutSeconds: 1800 } as const;

export const doctorCommand = defineCommand<DoctorInput>({
  path: ['doctor'],
  summary: 'Explain, for every instance, whether Systems Manager can manage it, and what to run to fix it (read-only; --fix applies the fixes)',
  options: [
    ...selectionOptions('only this instance (repeatable, or comma-separated)', 'only instances with this tag (repeatable: all must match)'),
    { flags: '--watch', description: 'diagnose again until every running instance is managed (or the timeout), saying what changed', kind: 'boolean' },
    { flags: '--interval <seconds>', description: `with --watch: seconds between diagnoses (default ${DEFAULT_WATCH.intervalSeconds})`, kind: 'string' },
    { flags: '--timeout <seconds>', description: `with --watch: give up after this long, exit 6 (default ${DEFAULT_WATCH.timeoutSeconds})`, kind: 'string' },
    {
      flags: '--fix',
      description: 'plan the fixes of what the diagnosis found, ask once, apply them, and diagnose again (with --dry-run: the plan only)',
      kind: 'boolean',
    },
    {
      flags: '--strategy <profile|dhmc>',
      description: 'with --fix, for instances with no identity: attach an instance profile (default), or turn DHMC on',
      kind: 'string',
    },
    {
      flags: '--profile-name <name>',
      description: `with --fix: the instance profile attached, created if missing (default ${DEFAULT_PROFILE_NAME})`,
      kind: 'string',
    },
    {
      flags: '--require-imdsv2',
      description: 'with --fix: also require IMDSv2 where IMDSv1 is allowed (breaks applications that still use IMDSv1)',
      kind: 'boolean',
    },
    { flags: '--update-agent', description: 'with --fix: run AWS-UpdateSSMAgent on managed instances whose agent is too old for DHMC', kind: 'boolean' },
  ],
  examples: [
    'ssm-perms doctor --region us-east-1',
    'ssm-perms doctor --instance-id i-0123456789abcdef0',
    'ssm-perms doctor --region all --json | jq -r \'.instances[] | select(.verdict == "not-ready") | [.instanceId, .reason, .fix] | @tsv\'',
    'ssm-perms doctor --region us-east-1 --tag Env=prod --watch --interval 60',
    'ssm-perms doctor --region us-east-1 --fix --dry-run',
    'ssm-perms doctor --region us-east-1 --fix --yes --watch',
  ],
  permissions: [
    'sts:GetCallerIdentity',
    'ec2:DescribeInstances, ec2:DescribeIamInstanceProfileAssociations, ec2:DescribeRouteTables, ec2:DescribeVpcEndpoints, ec2:DescribeSecurityGroups, ec2:DescribeNetworkInterfaces (the addresses of VPC endpoints)',
    'ssm:DescribeInstanceInformation, ssm:GetServiceSetting, ssm:ListAssociations',
    'iam:GetInstanceProfile, iam:GetRole, iam:ListAttachedRolePolicies, iam:GetPolicy, iam:GetPolicyVersion, iam:ListRolePolicies, iam:GetRolePolicy',
    'ec2:DescribeRegions (only with --region all)',
    'with --fix, what each fix needs: an instance profile - iam:CreateRole, iam:AttachRolePolicy, iam:CreateInstanceProfile, iam:AddRoleToInstanceProfile, iam:PassRole, ec2:AssociateIamInstanceProfile; a role lacking permissions - iam:AttachRolePolicy; DHMC - iam:CreateRole, iam:AttachRolePolicy, ssm:UpdateServiceSetting, iam:PassRole; IMDS - ec2:ModifyInstanceMetadataOptions; endpoints - ec2:DescribeVpcs, ec2:DescribeVpcAttribute, ec2:ModifyVpcAttribute, ec2:DescribeSubnets, ec2:DescribeVpcEndpointServices, ec2:CreateVpcEndpoint, ec2:ModifyVpcEndpoint, ec2:CreateSecurityGroup, ec2:AuthorizeSecurityGroupIngress; outbound 443 - ec2:AuthorizeSecurityGroupEgress; --update-agent - ssm:SendCommand',
  ],
  markdown: true,
  parse: (options) => {
    const watch = options.watch === true;
    for (const flag of ['interval', 'timeout'] as const) {
      if (options[flag] !== undefined && !watch) throw new UsageError('InvalidOption', `--${flag} works only with --watch`, 'Add --watch, or leave it out.');
    }
    const fix = parseFix(options);
    return {
      ...parseSelection(options),
      fix,
      watch: watch
        ? {
            intervalSeconds:
              options.interval === undefined ? DEFAULT_WATCH.intervalSeconds : validateWholeNumber(String(options.interval), '--interval', 5, 3600),
            timeoutSeconds:
              options.timeout === undefined ? DEFAULT_WATCH.timeoutSeconds : validateWholeNumber(String(options.timeout), '--timeout', 10, 86_400),
          }
        : null,
    };
  },
  load: () => import('./doctor.run.js'),
});
