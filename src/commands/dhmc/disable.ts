import { defineCommand } from '../define.js';

/** dhmc disable takes only the global options. */
export type DhmcDisableInput = Record<string, never>;

export const dhmcDisableCommand = defineCommand<DhmcDisableInput>({
  path: ['dhmc', 'disable'],
  summary: 'Turn Default Host Management Configuration off (reset the setting), per region',
  options: [],
  examples: ['ssm-perms dhmc disable --region us-east-1,us-east-2 --yes', 'ssm-perms dhmc disable --region all --dry-run'],
  permissions: ['sts:GetCallerIdentity', 'ssm:GetServiceSetting', 'ssm:ResetServiceSetting', 'ec2:DescribeRegions (only with --region all)'],
  parse: () => ({}),
  load: () => import('./disable.run.js'),
});
