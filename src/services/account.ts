// Who the credentials belong to: the account id that goes into every ARN the tool builds.
import type { ServiceEnv } from './env.js';
import { translateAwsError } from './aws/translate-error.js';

export interface CallerIdentity {
  account: string;
  arn: string;
}

export async function callerIdentity(env: ServiceEnv, region: string): Promise<CallerIdentity> {
  try {
    const sts = await env.clients.sts(region);
    const out = await sts.getCallerIdentity({});
    return { account: out.Account ?? '', arn: out.Arn ?? '' };
  } catch (e) {
    throw translateAwsError(e, { service: 'sts', operation: 'GetCallerIdentity', region });
  }
}
