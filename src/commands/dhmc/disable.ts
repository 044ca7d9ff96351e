import { lazyRun, type CommandDef } from '../types.js';

export const dhmcDisableCommand: CommandDef = {
  path: ['dhmc', 'disable'],
  summary: 'Turn Default Host Management Configuration off (reset the setting), per region',
  options: [],
  examples: ['ssm-perms dhmc disable --region us-east-1,us-east-2 --yes', 'ssm-perms dhmc disable --region all --dry-run'],
  permissions: ['sts:GetCallerIdentity', 'ssm:GetServiceSetting', 'ssm:ResetServiceSetting', 'ec2:DescribeRegions (only with --region all)'],
  run: lazyRun(() => import('./disable.run.js')),
};
