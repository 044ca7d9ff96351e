// Default names the commands share, so a fix printed by one command names what another creates.
export { DHMC_DEFAULT_ROLE_NAME, DHMC_DEFAULT_ROLE_PATH } from './dhmc-setting.js';

/** The instance profile (and role) `profile create` makes when no --name is given. */
export const DEFAULT_PROFILE_NAME = 'SSMInstanceProfile';

/** The hybrid-node service role `hybrid-role create` makes when no --role-name is given. */
export const DEFAULT_HYBRID_ROLE_NAME = 'SSMServiceRole';
