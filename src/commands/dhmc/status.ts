import { defineCommand } from '../define.js';

export interface DhmcStatusInput {
  check: boolean;
}

export const dhmcStatusCommand = defineCommand<DhmcStatusInput>({
  path: ['dhmc', 'status'],
  summary: 'Show whether Default Host Management Configuration is on, and with which role, per region',
  options: [
    {
      flags: '--check',
      description: 'also validate the DHMC role and preview the fleet (IMDS, agent version, shadowing profiles); exit 6 on a failed check',
      kind: 'boolean',
    },
  ],
  examples: [
    'ssm-perms dhmc status --region us-east-1,us-east-2',
    "ssm-perms dhmc status --region all --json | jq -r '.regions[] | select(.enabled == false) | .region'",
  ],
  permissions: [
    'sts:GetCallerIdentity',
    'ssm:GetServiceSetting',
    'ec2:DescribeRegions (only with --region all)',
    'with --check: the read permissions of doctor (ec2:DescribeInstances, ssm:DescribeInstanceInformation, iam:GetRole...)',
  ],
  parse: (options) => ({ check: options.check === true }),
  load: () => import('./status.run.js'),
});
