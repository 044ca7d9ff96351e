// --role-name / --role-path, shared by the commands that name the DHMC role.
import { DHMC_DEFAULT_ROLE_NAME, DHMC_DEFAULT_ROLE_PATH } from '../../policies/dhmc-setting.js';
import type { OptionDef } from '../types.js';
import type { RawOptions } from '../define.js';
import { validatePath, validateRoleName } from './validate.js';

/** How errors name DHMC (the partition gate). */
export const DHMC_FEATURE = 'Default Host Management Configuration';

export const roleOptions: OptionDef[] = [
  { flags: '--role-name <name>', description: `the DHMC role (default ${DHMC_DEFAULT_ROLE_NAME})`, kind: 'string' },
  { flags: '--role-path <path>', description: `the role's IAM path (default ${DHMC_DEFAULT_ROLE_PATH})`, kind: 'string' },
];

export interface DhmcRoleChoice {
  roleName: string;
  rolePath: string;
  rolePathGiven: boolean;
  isDefaultRole: boolean;
}

/** --role-name / --role-path, validated. */
export function dhmcRoleChoice(opts: RawOptions): DhmcRoleChoice {
  const name = opts.roleName === undefined ? DHMC_DEFAULT_ROLE_NAME : validateRoleName(String(opts.roleName));
  const pathGiven = opts.rolePath !== undefined;
  const path = pathGiven ? validatePath(String(opts.rolePath)) : DHMC_DEFAULT_ROLE_PATH;
  return { roleName: name, rolePath: path, rolePathGiven: pathGiven, isDefaultRole: name === DHMC_DEFAULT_ROLE_NAME };
}
