// Whether a named profile exists, checked before the first AWS call so `--profile nosuch` says so
// instead of "no region given" or a credentials error.
//
// The rule is botocore's (the AWS CLI's): a profile named by --profile or AWS_PROFILE - `default`
// included - must exist, or the command fails with ProfileNotFound, "The config profile (NAME) could
// not be found" (botocore/session.py get_scoped_config; botocore/exceptions.py ProfileNotFound). A
// profile exists when it has a section in the config file (`[profile NAME]`, or `[default]`) or in the
// credentials file (`[NAME]`): botocore adds the credentials file's profile names to the config's "so
// that we can validate the user is not referring to a nonexistent profile" (session.py full_config).
// Without a name, nothing is checked (the SDK's default chain needs no profile).
//
// The files are read as the JS SDK reads them (@smithy/core/config loadSharedConfigFiles: the config
// file from AWS_CONFIG_FILE else ~/.aws/config, the credentials file from AWS_SHARED_CREDENTIALS_FILE
// else ~/.aws/credentials, a missing or unreadable file counting as empty), so this check and the SDK
// never disagree on which files hold the profiles.
import { ConfigError } from '../errors.js';

export interface ProfileSource {
  /** --profile, if given. */
  flag: string | undefined;
  /** The environment the SDK will read: AWS_PROFILE, AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE. */
  env: Readonly<Record<string, string | undefined>>;
}

/** The profile asked for and where the name came from, or null when none was named. */
export function namedProfile(source: ProfileSource): { name: string; from: string } | null {
  if (source.flag) return { name: source.flag, from: '--profile' };
  if (source.env.AWS_PROFILE) return { name: source.env.AWS_PROFILE, from: 'AWS_PROFILE' };
  return null;
}

/** Throws ConfigError ProfileNotFound (exit 3) when a named profile is in neither file. */
export async function requireProfile(source: ProfileSource): Promise<void> {
  const named = namedProfile(source);
  if (!named) return;
  // Loaded only when a profile is named and AWS is about to be called: the offline commands never get here.
  const { loadSharedConfigFiles } = await import('@smithy/core/config');
  const files = await loadSharedConfigFiles({
    ...(source.env.AWS_CONFIG_FILE ? { configFilepath: source.env.AWS_CONFIG_FILE } : {}),
    ...(source.env.AWS_SHARED_CREDENTIALS_FILE ? { filepath: source.env.AWS_SHARED_CREDENTIALS_FILE } : {}),
    ignoreCache: true,
  });
  if (Object.hasOwn(files.configFile, named.name) || Object.hasOwn(files.credentialsFile, named.name)) return;
  const where = [
    `${source.env.AWS_CONFIG_FILE ? 'AWS_CONFIG_FILE' : '~/.aws/config'} ([profile ${named.name}])`,
    `${source.env.AWS_SHARED_CREDENTIALS_FILE ? 'AWS_SHARED_CREDENTIALS_FILE' : '~/.aws/credentials'} ([${named.name}])`,
  ];
  throw new ConfigError(
    'ProfileNotFound',
    `the config profile (${named.name}) could not be found`,
    `The profile named by ${named.from} is in neither ${where.join(' nor ')}. List the profiles with: aws configure list-profiles; then fix ${named.from}, or add the profile (aws configure --profile ${named.name}).`,
  );
}
