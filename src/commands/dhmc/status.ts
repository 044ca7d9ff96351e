import { dhmcStatus } from '../../services/dhmc/status.js';
import { dhmcCheck } from '../../services/dhmc/check.js';
import { renderDhmcChecks, renderDhmcStatus } from '../../output/dhmc-status.js';
import { failuresExitCode } from '../../output/changes.js';
import { resolveScope } from '../scope.js';
import type { CommandDef } from '../types.js';

export const dhmcStatusCommand: CommandDef = {
  path: ['dhmc', 'status'],
  summary: 'Show whether Default Host Management Configuration is on, and with which role, per region',
  options: [{ flags: '--check', description: 'also validate the DHMC role and preview the fleet (IMDS, agent version, shadowing profiles); exit 6 on a failed check', kind: 'boolean' }],
  examples: [
    'ssm-perms dhmc status --region us-east-1,us-east-2',
    "ssm-perms dhmc status --region all --json | jq -r '.regions[] | select(.enabled | not) | .region'",
  ],
  permissions: [
    'sts:GetCallerIdentity',
    'ssm:GetServiceSetting',
    'ec2:DescribeRegions (only with --region all)',
    'with --check: the read permissions of doctor (ec2:DescribeInstances, ssm:DescribeInstanceInformation, iam:GetRole...)',
  ],
  async run(opts, ctx) {
    const scope = await resolveScope(ctx);
    const regions = await dhmcStatus(ctx.services, scope, scope.regions);
    const warnings = regions.filter((r) => r.error?.hint).map((r) => `${r.region}: ${r.error!.hint}`);
    const readFailures = failuresExitCode(regions.filter((r) => r.error).map((r) => r.error!.code));
    if (opts.check !== true) {
      return { data: { account: scope.account, regions }, text: (style) => renderDhmcStatus(regions, style), exitCode: readFailures, warnings };
    }
    const checks = await dhmcCheck(ctx.services, { ...scope, iamRegion: scope.home }, scope.regions);
    const withChecks = regions.map((r) => {
      const c = checks.find((x) => x.region === r.region);
      return { ...r, checks: c?.checks ?? [], fleet: c?.fleet ?? null };
    });
    const failed = checks.some((c) => c.checks.some((x) => x.status === 'fail'));
    return {
      data: { account: scope.account, regions: withChecks },
      text: (style) => renderDhmcStatus(regions, style) + renderDhmcChecks(checks, style),
      exitCode: readFailures || (failed ? 6 : 0),
      warnings,
    };
  },
};
