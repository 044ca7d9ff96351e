// The AWS side of a run across accounts (--accounts), in-process: AWS Organizations (the listings
// selectAccounts makes) and the STS client that @aws-sdk/credential-providers' fromTemporaryCredentials
// sends AssumeRole with - the one of @aws-sdk/nested-clients/sts (credential-providers dist-es/loadSts.js),
// not @aws-sdk/client-sts's, so aws-mocks.ts's `sts` never sees AssumeRole.
//
// Each member account's credentials carry its id in the access key (AKIA<id>), and the caller's come from
// the environment (AKIACALLER), so an answer can be made per account: `accountOf(getClient())` resolves
// the client's credentials as the SDK would before signing.
import {
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  OrganizationsClient,
  type Account,
} from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { AssumeRoleCommand, STSClient as AssumeRoleStsClient } from '@aws-sdk/nested-clients/sts';
import { mockClient } from 'aws-sdk-client-mock';
import { vi } from 'vitest';
import { ACCOUNT, sts } from './aws-mocks.js';

export const org = mockClient(OrganizationsClient);
export const roleSts = mockClient(AssumeRoleStsClient);

const CALLER_KEY = 'AKIACALLER';

/** The account a member role's ARN names (arn:aws:iam::<id>:role/...). */
export const accountOfArn = (arn: string): string => /^arn:[\w-]+:iam::(\d{12}):role\//.exec(arn)?.[1] ?? '';

/** AssumeRole's answer for `roleArn`: credentials whose key names the account, valid `validMs` from now. */
export function assumed(roleArn: string, validMs = 3_600_000) {
  const account = accountOfArn(roleArn);
  return {
    Credentials: { AccessKeyId: `AKIA${account}`, SecretAccessKey: 'secret', SessionToken: `token-${account}`, Expiration: new Date(Date.now() + validMs) },
    AssumedRoleUser: { Arn: `arn:aws:sts::${account}:assumed-role/r/s`, AssumedRoleId: 'AROA:s' },
  };
}

/**
 * Every mock emptied; AssumeRole succeeds in every account (an hour's credentials), and GetCallerIdentity
 * names the account whose credentials ask (as it does in AWS); the caller's own credentials come from the
 * environment, so a caller client resolves them without a network lookup. After resetAws().
 */
export function resetOrg(): void {
  org.reset();
  roleSts.reset();
  roleSts.on(AssumeRoleCommand).callsFake((input: { RoleArn: string }) => assumed(input.RoleArn));
  sts.on(GetCallerIdentityCommand).callsFake(async (_input: unknown, getClient: () => unknown) => {
    const id = await accountOf(getClient());
    return {
      Account: id,
      Arn: id === ACCOUNT ? `arn:aws:iam::${ACCOUNT}:user/admin` : `arn:aws:sts::${id}:assumed-role/OrganizationAccountAccessRole/ssm-perms`,
    };
  });
  vi.stubEnv('AWS_ACCESS_KEY_ID', CALLER_KEY);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'caller-secret');
  vi.stubEnv('AWS_SESSION_TOKEN', undefined);
  vi.stubEnv('AWS_PROFILE', undefined);
}

interface WithCredentials {
  config: { credentials?: (options?: unknown) => Promise<{ accessKeyId: string }> };
}

/** The account whose credentials `client` signs with: a member's (AKIA<id>) or the caller's (ACCOUNT). */
export async function accountOf(client: unknown): Promise<string> {
  const resolve = (client as WithCredentials).config.credentials;
  const key = resolve ? (await resolve()).accessKeyId : CALLER_KEY;
  return key === CALLER_KEY ? ACCOUNT : key.replace(/^AKIA/, '');
}

/** The AssumeRole calls sent, as their inputs. */
export const assumeRoleInputs = (): { RoleArn?: string; RoleSessionName?: string; ExternalId?: string }[] =>
  roleSts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input);

export const account = (Id: string, Name: string, State = 'ACTIVE'): Account => ({ Id, Name, State: State as Account['State'] });

/** An organization as the listings answer it: each parent's accounts and child OUs, one page each. */
export function organization(tree: Record<string, { accounts?: Account[]; units?: string[] }>): void {
  const every = Object.values(tree).flatMap((p) => p.accounts ?? []);
  org.on(ListAccountsCommand).resolves({ Accounts: every });
  for (const [parent, { accounts = [], units = [] }] of Object.entries(tree)) {
    org.on(ListAccountsForParentCommand, { ParentId: parent }).resolves({ Accounts: accounts });
    org.on(ListOrganizationalUnitsForParentCommand, { ParentId: parent }).resolves({ OrganizationalUnits: units.map((Id) => ({ Id })) });
  }
}
