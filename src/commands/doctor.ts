import { defineCommand } from './define.js';
import { parseSelection, selectionOptions, type Selection } from './shared/selection.js';
import { validateWholeNumber } from './shared/validate.js';
import { UsageError } from '../services/errors.js';

import type { WatchOptions } from '../services/doctor/watch.js';

export interface DoctorInput extends Selection {
  /** --watch: diagnose again until every instance is managed, or the timeout; null for one diagnosis. */
  watch: WatchOptions | null;
}

/** DHMC can take up to 30 minutes to reach an instance (the guide), hence the default timeout. */
export const DEFAULT_WATCH = { intervalSeconds: 30, timeoutSeconds: 1800 } as const;

export const doctorCommand = defineCommand<DoctorInput>({
  path: ['doctor'],
  summary: 'Explain, for every instance, whether Systems Manager can manage it, and what to run to fix it (read-only)',
  options: [
    ...selectionOptions('only this instance (repeatable, or comma-separated)', 'only instances with this tag (repeatable: all must match)'),
    { flags: '--watch', description: 'diagnose again until every running instance is managed (or the timeout), saying what changed', kind: 'boolean' },
    { flags: '--interval <seconds>', description: `with --watch: seconds between diagnoses (default ${DEFAULT_WATCH.intervalSeconds})`, kind: 'string' },
    { flags: '--timeout <seconds>', description: `with --watch: give up after this long, exit 6 (default ${DEFAULT_WATCH.timeoutSeconds})`, kind: 'string' },
  ],
  examples: [
    'ssm-perms doctor --region us-east-1',
    'ssm-perms doctor --instance-id i-0123456789abcdef0',
    'ssm-perms doctor --region all --json | jq -r \'.instances[] | select(.verdict == "not-ready") | [.instanceId, .reason, .fix] | @tsv\'',
    'ssm-perms doctor --region us-east-1 --tag Env=prod --watch --interval 60',
  ],
  permissions: [
    'sts:GetCallerIdentity',
    'ec2:DescribeInstances, ec2:DescribeIamInstanceProfileAssociations, ec2:DescribeRouteTables, ec2:DescribeVpcEndpoints, ec2:DescribeSecurityGroups, ec2:DescribeNetworkInterfaces (the addresses of VPC endpoints)',
    'ssm:DescribeInstanceInformation, ssm:GetServiceSetting, ssm:ListAssociations',
    'iam:GetInstanceProfile, iam:GetRole, iam:ListAttachedRolePolicies, iam:GetPolicy, iam:GetPolicyVersion, iam:ListRolePolicies, iam:GetRolePolicy',
    'ec2:DescribeRegions (only with --region all)',
  ],
  markdown: true,
  parse: (options) => {
    const watch = options.watch === true;
    for (const flag of ['interval', 'timeout'] as const) {
      if (options[flag] !== undefined && !watch) throw new UsageError('InvalidOption', `--${flag} works only with --watch`, 'Add --watch, or leave it out.');
    }
    return {
      ...parseSelection(options),
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
