import { diagnoseFleet } from '../services/doctor/diagnose.js';
import { renderDoctor } from '../output/doctor.js';
import { failuresExitCode } from '../output/changes.js';
import { resolveScope } from './scope.js';
import type { CommandDef } from './types.js';
import { validateInstanceId } from './validate.js';
import { readTags } from './profile/policy-set.js';

export const doctorCommand: CommandDef = {
  path: ['doctor'],
  summary: 'Explain, for every instance, whether Systems Manager can manage it, and what to run to fix it (read-only)',
  options: [
    { flags: '--instance-id <id>', description: 'only this instance (repeatable, or comma-separated)', kind: 'repeatable' },
    { flags: '--tag <key=value>', description: 'only instances with this tag (repeatable: all must match)', kind: 'repeatable' },
  ],
  examples: [
    'ssm-perms doctor --region us-east-1',
    'ssm-perms doctor --instance-id i-0123456789abcdef0',
    "ssm-perms doctor --region all --json | jq -r '.instances[] | select(.verdict == \"not-ready\") | [.instanceId, .reason, .fix] | @tsv'",
  ],
  permissions: [
    'sts:GetCallerIdentity',
    'ec2:DescribeInstances, ec2:DescribeIamInstanceProfileAssociations, ec2:DescribeRouteTables, ec2:DescribeVpcEndpoints, ec2:DescribeSecurityGroups',
    'ssm:DescribeInstanceInformation, ssm:GetServiceSetting, ssm:ListAssociations',
    'iam:GetInstanceProfile, iam:GetRole, iam:ListAttachedRolePolicies, iam:GetPolicy, iam:GetPolicyVersion, iam:ListRolePolicies, iam:GetRolePolicy',
    'ec2:DescribeRegions (only with --region all)',
  ],
  async run(opts, ctx) {
    const instanceIds = [...new Set(((opts.instanceId as string[] | undefined) ?? []).flatMap((x) => x.split(',')).map((x) => validateInstanceId(x.trim())))];
    const tags = readTags(opts);
    const scope = await resolveScope(ctx);
    const report = await diagnoseFleet(ctx.services, {
      partition: scope.partition,
      account: scope.account,
      regions: scope.regions,
      iamRegion: scope.home,
      instanceIds,
      tags,
      onRegionDone: (done, total) => {
        ctx.services.progress({ kind: 'progress', message: `doctor: read ${done} of ${total} region${total === 1 ? '' : 's'}`, done: done === total });
      },
    });
    const regionFailures = report.regions.filter((r) => !r.ok).map((r) => r.error?.code);
    const missing = instanceIds.filter((id) => !report.instances.some((i) => i.instanceId === id));
    const warnings = missing.length ? [`not found (or terminated) in ${scope.regions.join(', ')}: ${missing.join(', ')}`] : [];
    const exitCode = regionFailures.length ? failuresExitCode(regionFailures) : report.summary.notReady > 0 ? 6 : 0;
    return { data: report, text: (s) => renderDoctor(report, s), exitCode, warnings };
  },
};
