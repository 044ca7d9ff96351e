// Every leaf command, in help order. Command modules are small (options, help, run) and import no
// SDK code, so registering all of them costs nothing at start-up.
import type { CommandDef } from '../commands/types.js';
import { dhmcStatusCommand } from '../commands/dhmc/status.js';
import { dhmcEnableCommand } from '../commands/dhmc/enable.js';
import { dhmcDisableCommand } from '../commands/dhmc/disable.js';
import { adminPolicyGenerateCommand } from '../commands/admin-policy/generate.js';
import { profileCreateCommand } from '../commands/profile/create.js';
import { profileUpdateCommand } from '../commands/profile/update.js';
import { profileAttachCommand } from '../commands/profile/attach.js';
import { s3PolicyGenerateCommand } from '../commands/s3-policy/generate.js';
import { hybridRoleCreateCommand } from '../commands/hybrid-role/create.js';
import { doctorCommand } from '../commands/doctor.js';
import { endpointsCreateCommand } from '../commands/endpoints/create.js';

export const COMMANDS: readonly CommandDef[] = [
  dhmcStatusCommand,
  dhmcEnableCommand,
  dhmcDisableCommand,
  adminPolicyGenerateCommand,
  profileCreateCommand,
  profileUpdateCommand,
  profileAttachCommand,
  s3PolicyGenerateCommand,
  hybridRoleCreateCommand,
  doctorCommand,
  endpointsCreateCommand,
];

export const GROUPS: Record<string, string> = {
  dhmc: 'Default Host Management Configuration: account-level permissions for every EC2 instance in a region',
  'admin-policy': 'IAM policies for the administrators who manage Systems Manager permissions',
  profile: 'Instance profiles: per-instance permissions for Systems Manager (the alternative to DHMC)',
  's3-policy': 'The custom S3 policy for instances behind VPC endpoints or writing to your buckets',
  'hybrid-role': 'The service role for hybrid and multicloud (non-EC2) nodes',
  endpoints: 'VPC endpoints: a private way to Systems Manager for instances without internet access',
};
