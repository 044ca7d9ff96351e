// Entering a member account: ClientFactory.assumeRole (one memoized fromTemporaryCredentials provider per
// role, shared by every client and region of that account) and enterAccount (the caller's own account
// without a role; a refusal that names the role). Credentials are refreshed once they are within five
// minutes of their expiry (@smithy/core memoizeIdentityProvider, EXPIRATION_MS = 300_000).
//
// aws-sdk-client-mock answers a command without running the SDK's middleware, so nothing would resolve
// the credentials: each fake answer below resolves its client's credentials first, as the SDK's signer
// does before every call (accountOf).
import { GetServiceSettingCommand } from '@aws-sdk/client-ssm';
import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/nested-clients/sts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClientFactory, type CallRecord, type ClientFactory } from '../../../src/services/aws/clients.js';
import { enterAccount, orgRoleArn, type OrgRole } from '../../../src/services/org/enter.js';
import { AccessDeniedError, AwsServiceError } from '../../../src/services/errors.js';
import { awsError } from '../../helpers/aws-errors.js';
import { ACCOUNT, ec2, iam, resetAws, ssm } from '../../helpers/aws-mocks.js';
import { accountOf, assumed, assumeRoleInputs, resetOrg, roleSts } from '../../helpers/org-mocks.js';

const MEMBER = '444455556666';
const OTHER = '777788889999';
const ROLE_ARN = `arn:aws:iam::${MEMBER}:role/OrganizationAccountAccessRole`;
const params = (roleArn = ROLE_ARN, externalId?: string) => ({ roleArn, sessionName: 'ssm-perms', externalId, region: 'us-east-1' });
const MINUTE = 60_000;

/** Every SSM, IAM and EC2 call answered after its client's credentials are resolved; the accounts seen. */
function answerPerAccount(): string[] {
  const seen: string[] = [];
  const record = async (getClient: () => unknown) => void seen.push(await accountOf(getClient()));
  ssm.on(GetServiceSettingCommand).callsFake(async (_i, getClient) => (await record(getClient), { ServiceSetting: {} }));
  iam.on(GetRoleCommand).callsFake(async (_i, getClient) => (await record(getClient), { Role: undefined }));
  ec2.on(DescribeRegionsCommand).callsFake(async (_i, getClient) => (await record(getClient), { Regions: [] }));
  return seen;
}

/** A call in each of several clients and regions of `clients`. */
async function callEverywhere(clients: ClientFactory): Promise<void> {
  await Promise.all([
    clients.ssm('us-east-1').then((c) => c.getServiceSetting({ SettingId: 'x' })),
    clients.ssm('eu-west-1').then((c) => c.getServiceSetting({ SettingId: 'x' })),
    clients.ssm('ap-southeast-2').then((c) => c.getServiceSetting({ SettingId: 'x' })),
    clients.iam('us-east-1').then((c) => c.getRole({ RoleName: 'R' })),
    clients.ec2('us-west-2').then((c) => c.describeRegions({})),
  ]);
}

beforeEach(() => {
  resetAws();
  resetOrg();
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

describe('ClientFactory.assumeRole', () => {
  it('makes one AssumeRole for every client and region of the account, and signs their calls with its credentials', async () => {
    const seen = answerPerAccount();
    const role = createClientFactory({}).assumeRole(params());
    await role.enter();
    await callEverywhere(role.clients);
    await callEverywhere(role.clients);
    expect(seen).toEqual(Array(10).fill(MEMBER));
    expect(assumeRoleInputs()).toEqual([{ RoleArn: ROLE_ARN, RoleSessionName: 'ssm-perms' }]);
  });

  it('assumes nothing before the first call (a command that calls nothing costs no AssumeRole)', async () => {
    const seen = answerPerAccount();
    const role = createClientFactory({}).assumeRole(params());
    expect(roleSts.calls()).toHaveLength(0);
    await callEverywhere(role.clients);
    expect(seen).toHaveLength(5);
    expect(roleSts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
  });

  it('gives the same role the same clients, and another account its own AssumeRole', async () => {
    const seen = answerPerAccount();
    const base = createClientFactory({});
    expect(base.assumeRole(params())).toBe(base.assumeRole(params()));
    const other = base.assumeRole(params(`arn:aws:iam::${OTHER}:role/OrganizationAccountAccessRole`));
    await Promise.all([callEverywhere(base.assumeRole(params()).clients), callEverywhere(other.clients)]);
    expect(seen.filter((a) => a === MEMBER)).toHaveLength(5);
    expect(seen.filter((a) => a === OTHER)).toHaveLength(5);
    expect(assumeRoleInputs().map((i) => i.RoleArn)).toEqual(expect.arrayContaining([ROLE_ARN, `arn:aws:iam::${OTHER}:role/OrganizationAccountAccessRole`]));
    expect(assumeRoleInputs()).toHaveLength(2);
  });

  it('sends ExternalId and RoleSessionName as given, from the STS endpoint of the region given', async () => {
    const role = createClientFactory({}).assumeRole({ ...params(ROLE_ARN, 'Ext-id:1/2@x'), sessionName: 'ops.jane@example.com', region: 'eu-central-1' });
    await role.enter();
    expect(assumeRoleInputs()).toEqual([{ RoleArn: ROLE_ARN, RoleSessionName: 'ops.jane@example.com', ExternalId: 'Ext-id:1/2@x' }]);
    const sts = roleSts.commandCalls(AssumeRoleCommand)[0]!.thisValue as { config: { region(): Promise<string> } };
    expect(await sts.config.region()).toBe('eu-central-1');
  });

  describe('credentials refresh', () => {
    /** An hour's credentials from now on each AssumeRole, under a clock the test moves. */
    function hourLong(): void {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(new Date('2026-11-28T10:00:00Z'));
      roleSts.on(AssumeRoleCommand).callsFake((input: { RoleArn: string }) => assumed(input.RoleArn, 60 * MINUTE));
    }

    async function refreshesNearExpiry(factory: ClientFactory): Promise<void> {
      const seen = answerPerAccount();
      const role = factory.assumeRole(params());
      await role.enter();
      vi.setSystemTime(new Date('2026-11-28T10:54:00Z'));
      await callEverywhere(role.clients);
      // Six minutes left: the credentials are still used as they are.
      expect(roleSts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
      vi.setSystemTime(new Date('2026-11-28T10:56:00Z'));
      await callEverywhere(role.clients);
      // Four minutes left: one AssumeRole for all the clients, whose calls go on in the member account.
      expect(roleSts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
      vi.setSystemTime(new Date('2026-11-28T12:30:00Z'));
      await callEverywhere(role.clients);
      expect(roleSts.commandCalls(AssumeRoleCommand)).toHaveLength(3);
      expect(seen).toEqual(Array(15).fill(MEMBER));
    }

    it('asks again when the credentials are within five minutes of their expiry, once for all the clients', async () => {
      hourLong();
      await refreshesNearExpiry(createClientFactory({}));
    });

    // The CLI's factory always has onCall (src/cli/context.ts, for --debug and the call counts), so this
    // is how a real run refreshes. fromTemporaryCredentials applies `clientPlugins` to its STS client on
    // every call, not once (credential-providers dist-es/fromTemporaryCredentials.base.js:
    // `stsClient.middlewareStack.use(plugin)` after `if (!stsClient)`), and the call-log plugin adds a
    // middleware named ssmPermsCallLog: unless it may override itself, the second AssumeRole fails with
    // "Duplicate middleware name" (fixed in 4a5be11, found by this test).
    it('asks again near expiry with the call log on, as the CLI makes its factory', async () => {
      hourLong();
      const calls: CallRecord[] = [];
      await refreshesNearExpiry(createClientFactory({ onCall: (c) => calls.push(c) }));
    });

    it('a failed AssumeRole is asked again on the next use, not remembered', async () => {
      roleSts
        .on(AssumeRoleCommand)
        .rejectsOnce(awsError('Throttling', 'Rate exceeded', 400))
        .callsFake((input: { RoleArn: string }) => assumed(input.RoleArn));
      const role = createClientFactory({}).assumeRole(params());
      await expect(role.enter()).rejects.toMatchObject({ name: 'Throttling' });
      await role.enter();
      expect(roleSts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
    });
  });

  it('Ctrl-C abandons an AssumeRole that does not answer', async () => {
    const interrupt = new AbortController();
    // Ctrl-C once AssumeRole is on its way (so no call of this test lands in the next one's history).
    roleSts.on(AssumeRoleCommand).callsFake(() => {
      interrupt.abort(new Error('interrupted'));
      return new Promise(() => undefined);
    });
    const role = createClientFactory({ signal: interrupt.signal }).assumeRole(params());
    await expect(role.enter()).rejects.toMatchObject({ name: 'AbortError' });
    expect(roleSts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
  });
});

describe('enterAccount', () => {
  const role: OrgRole = {
    partition: 'aws',
    region: 'us-east-1',
    roleName: 'OrganizationAccountAccessRole',
    rolePath: '/',
    sessionName: 'ssm-perms',
    externalId: undefined,
  };

  it("uses the caller's own clients in the caller's account: no AssumeRole", async () => {
    const base = createClientFactory({});
    expect(await enterAccount(base, role, ACCOUNT, ACCOUNT)).toBe(base);
    expect(roleSts.calls()).toHaveLength(0);
  });

  it('assumes the org role in another account now, at its path, in the partition given', async () => {
    const base = createClientFactory({});
    const custom = { ...role, partition: 'aws-cn', region: 'cn-north-1', roleName: 'AWSControlTowerExecution', rolePath: '/ct/ops/' };
    expect(orgRoleArn(custom, MEMBER)).toBe(`arn:aws-cn:iam::${MEMBER}:role/ct/ops/AWSControlTowerExecution`);
    const clients = await enterAccount(base, custom, MEMBER, ACCOUNT);
    expect(clients).not.toBe(base);
    expect(assumeRoleInputs()).toEqual([{ RoleArn: `arn:aws-cn:iam::${MEMBER}:role/ct/ops/AWSControlTowerExecution`, RoleSessionName: 'ssm-perms' }]);
  });

  it('lazily: hands over the clients without calling AssumeRole', async () => {
    await enterAccount(createClientFactory({}), role, MEMBER, null, true);
    expect(roleSts.calls()).toHaveLength(0);
  });

  it('a refused AssumeRole fails with the role ARN and a hint about its trust policy and --org-role', async () => {
    roleSts
      .on(AssumeRoleCommand)
      .rejects(awsError('AccessDenied', `User: arn:aws:iam::${ACCOUNT}:user/admin is not authorized to perform: sts:AssumeRole on resource: ${ROLE_ARN}`, 403));
    const err = await enterAccount(createClientFactory({}), role, MEMBER, ACCOUNT).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AccessDeniedError);
    const e = err as AccessDeniedError;
    expect(e.exitCode).toBe(4);
    expect(e.message).toBe(
      `could not enter the account: sts:AssumeRole on ${ROLE_ARN} was refused: User: arn:aws:iam::${ACCOUNT}:user/admin is not authorized to perform: sts:AssumeRole on resource: ${ROLE_ARN}`,
    );
    expect(e.info.hint).toContain('its trust policy lets your identity assume it, and');
    expect(e.info.hint).toContain('--org-role (Control Tower accounts: AWSControlTowerExecution)');
    expect(e.info.hint).not.toContain('--external-id');
  });

  it('with --external-id the hint also says to check the sts:ExternalId condition', async () => {
    roleSts.on(AssumeRoleCommand).rejects(awsError('AccessDenied', 'not authorized', 403));
    const err = await enterAccount(createClientFactory({}), { ...role, externalId: 'abc' }, MEMBER, ACCOUNT).catch((e: unknown) => e);
    expect((err as AccessDeniedError).info.hint).toContain('its sts:ExternalId condition matches --external-id');
    expect(assumeRoleInputs()[0]).toMatchObject({ ExternalId: 'abc' });
  });

  it('another failure (STS not enabled in the region) passes through as an AWS error, not as a denial', async () => {
    roleSts.on(AssumeRoleCommand).rejects(awsError('RegionDisabledException', 'STS is not activated in this region for account', 403));
    const err = await enterAccount(createClientFactory({}), role, MEMBER, ACCOUNT).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AwsServiceError);
    expect(err).not.toBeInstanceOf(AccessDeniedError);
    expect((err as Error).message).toContain('sts:AssumeRole');
  });
});
