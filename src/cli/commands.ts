// Every leaf command, in help order. Command modules are small (options, help, run) and import no
// SDK code, so registering all of them costs nothing at start-up.
import type { CommandDef } from '../commands/types.js';
import { dhmcStatusCommand } from '../commands/dhmc/status.js';
import { dhmcEnableCommand } from '../commands/dhmc/enable.js';
import { dhmcDisableCommand } from '../commands/dhmc/disable.js';
import { adminPolicyGenerateCommand } from '../commands/admin-policy/generate.js';

export const COMMANDS: readonly CommandDef[] = [
  dhmcStatusCommand,
  dhmcEnableCommand,
  dhmcDisableCommand,
  adminPolicyGenerateCommand,
];

export const GROUPS: Record<string, string> = {
  dhmc: 'Default Host Management Configuration: account-level permissions for every EC2 instance in a region',
  'admin-policy': 'IAM policies for the administrators who manage Systems Manager permissions',
};
