// Credentials of a role in another account, as the SDK's own providers make them: fromTemporaryCredentials
// (@aws-sdk/credential-providers) calls sts:AssumeRole with the caller's credentials, and @smithy/core's
// memoizeIdentityProvider keeps the answer and asks again once it is within five minutes of its expiry
// (EXPIRATION_MS = 300_000, isIdentityExpired), so a run longer than the session (one hour by default,
// "DurationSeconds ... defaults to one hour", https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html)
// keeps working. One provider per role, shared by every client of that account: one AssumeRole call,
// not one per client and region.
import type { AwsCredentialIdentity } from '@aws-sdk/types';

export interface AssumeRoleParams {
  /** arn:<partition>:iam::<account>:role<path><name> */
  roleArn: string;
  /** RoleSessionName: shows in the member account's CloudTrail as the session's name. */
  sessionName: string;
  /** ExternalId, when the role's trust policy requires one (sts:ExternalId condition). */
  externalId?: string | undefined;
  /** The region whose STS endpoint is called (the run's home region). */
  region: string;
}

export interface StsClientSetup {
  /** The configuration of the STS client that calls AssumeRole (profile, endpoint, request handler, retries). */
  config: Record<string, unknown>;
  /** A plugin for that client (the --debug call log), or none. */
  plugin: { applyToStack(stack: never): void } | undefined;
}

export type CredentialProvider = (options?: { forceRefresh?: boolean }) => Promise<AwsCredentialIdentity>;

/** A memoized provider of the role's credentials; nothing is loaded or called before its first use. */
export function assumedRoleProvider(params: AssumeRoleParams, setup: () => Promise<StsClientSetup>): CredentialProvider {
  let made: Promise<CredentialProvider> | undefined;
  const make = async (): Promise<CredentialProvider> => {
    const [{ fromTemporaryCredentials }, { memoizeIdentityProvider, isIdentityExpired, doesIdentityRequireRefresh }, sts] = await Promise.all([
      import('@aws-sdk/credential-providers'),
      import('@smithy/core'),
      setup(),
    ]);
    const base = fromTemporaryCredentials({
      params: {
        RoleArn: params.roleArn,
        RoleSessionName: params.sessionName,
        ...(params.externalId === undefined ? {} : { ExternalId: params.externalId }),
      },
      // The caller's credentials come from this configuration (its profile or explicit credentials),
      // which is also where the member clients' own settings come from.
      clientConfig: sts.config,
      ...(sts.plugin ? { clientPlugins: [sts.plugin as never] } : {}),
    });
    return memoizeIdentityProvider(base, isIdentityExpired, doesIdentityRequireRefresh) as CredentialProvider;
  };
  return async (options) => {
    made ??= make();
    return (await made)(options);
  };
}
