import { dhmcStatus } from '../../services/dhmc/status.js';
import { renderDhmcStatus } from '../../output/dhmc-status.js';
import { failuresExitCode } from '../../output/changes.js';
import { resolveScope } from '../scope.js';
import type { CommandDef } from '../types.js';

export const dhmcStatusCommand: CommandDef = {
  path: ['dhmc', 'status'],
  summary: 'Show whether Default Host Management Configuration is on, and with which role, per region',
  options: [],
  examples: [
    'ssm-perms dhmc status --region us-east-1,us-east-2',
    "ssm-perms dhmc status --region all --json | jq -r '.regions[] | select(.enabled | not) | .region'",
  ],
  permissions: ['sts:GetCallerIdentity', 'ssm:GetServiceSetting', 'ec2:DescribeRegions (only with --region all)'],
  async run(_opts, ctx) {
    const scope = await resolveScope(ctx);
    const regions = await dhmcStatus(ctx.services, scope, scope.regions);
    const data = { account: scope.account, regions };
    return {
      data,
      text: (style) => renderDhmcStatus(regions, style),
      exitCode: failuresExitCode(regions.filter((r) => r.error).map((r) => r.error!.code)),
      warnings: regions.filter((r) => r.error?.hint).map((r) => `${r.region}: ${r.error!.hint}`),
    };
  },
};
