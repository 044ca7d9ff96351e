// --accounts in-process: the whole CLI with every account's calls answered by aws-sdk-client-mock, told
// apart by the credentials each client signs with (helpers/org-mocks.ts: a member's key names its account,
// the caller's come from the environment). What a run across accounts promises (design.md, issue 12):
// each account fails alone, consent is asked once for every account before anything is written, --dry-run
// writes nothing, a read-only command runs once, Ctrl-C reports each account as done / partial / not
// attempted with exit 130, the exit code is the worst, the caller's own account needs no role, and
// admin-policy generate needs no account entered at all.
import { ListAccountsCommand, ListAccountsForParentCommand, ListOrganizationalUnitsForParentCommand } from '@aws-sdk/client-organizations';
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  GetInstanceProfileCommand,
  GetPolicyCommand,
  GetRoleCommand,
  ListAttachedRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { DescribeInstanceInformationCommand, GetServiceSettingCommand, ListAssociationsCommand, UpdateServiceSettingCommand } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { AssumeRoleCommand } from '@aws-sdk/nested-clients/sts';
import { DescribeIamInstanceProfileAssociationsCommand, DescribeInstancesCommand, DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ACCOUNT, coreProfile, ec2, iam, resetAws, roleAnswer, ssm, sts } from '../helpers/aws-mocks.js';
import { awsError } from '../helpers/aws-errors.js';
import { cli } from '../helpers/cli-io.js';
import { publicInstance, publicSubnetNetwork } from '../helpers/doctor-fix.js';
import { account, accountOf, accountOfArn, assumed, assumeRoleInputs, org, organization, resetOrg, roleSts } from '../helpers/org-mocks.js';

const B = '444455556666';
const C = '777788889999';
const ROLE = 'AWSSystemsManagerDefaultEC2InstanceManagementRole';
const VALUE = `service-role/${ROLE}`;
const DHMC_POLICY = 'arn:aws:iam::aws:policy/AmazonSSMManagedEC2InstanceDefaultPolicy';
const orgRole = (id: string) => `arn:aws:iam::${id}:role/OrganizationAccountAccessRole`;
const settingArn = (region: string, id: string) => `arn:aws:ssm:${region}:${id}:servicesetting/ssm/managed-instance/default-ec2-instance-management-role`;

/** Each account's DHMC setting value ($None: off), answered to whichever account's client asks. */
function settings(values: Record<string, string>): void {
  ssm.on(GetServiceSettingCommand).callsFake(async (input: { SettingId: string }, getClient) => {
    const id = await accountOf(getClient());
    const value = values[id];
    if (value === undefined) throw new Error(`no setting for ${id}`);
    return { ServiceSetting: { SettingValue: value, Status: value === '$None' ? 'Default' : 'Customized', ARN: input.SettingId } };
  });
}

/** AssumeRole refused (AccessDenied) for the role in `who`, granted in every other account. */
function refuse(who: string): void {
  roleSts
    .on(AssumeRoleCommand)
    .callsFake((input: { RoleArn: string }) =>
      accountOfArn(input.RoleArn) === who
        ? Promise.reject(
            awsError(
              'AccessDenied',
              `User: arn:aws:iam::${ACCOUNT}:user/admin is not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn}`,
              403,
            ),
          )
        : assumed(input.RoleArn),
    );
}

/** dhmc enable's reads of the DHMC role: it exists with its policy, in every account. */
function roleExists(): void {
  iam.on(GetRoleCommand).resolves(roleAnswer(ROLE, 'ssm.amazonaws.com', '/service-role/'));
  iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [{ PolicyArn: DHMC_POLICY }], IsTruncated: false });
  iam.on(GetPolicyCommand).resolves({ Policy: { Arn: DHMC_POLICY, DefaultVersionId: 'v1' } });
}

/** The accounts UpdateServiceSetting was sent in, in order. */
async function updatedIn(): Promise<string[]> {
  return Promise.all(ssm.commandCalls(UpdateServiceSettingCommand).map((c) => accountOf(c.thisValue)));
}

const READ = /^(Get|List|Describe)/;
/** Every call that changes something, in any account, by any client. */
function writes(): string[] {
  return [...ssm.calls(), ...iam.calls(), ...ec2.calls()]
    .map((c) => (c.args[0] as { constructor: { name: string } }).constructor.name.replace(/Command$/, ''))
    .filter((name) => !READ.test(name));
}

function noAwsCallAtAll(): void {
  expect([...ec2.calls(), ...ssm.calls(), ...iam.calls(), ...sts.calls(), ...org.calls(), ...roleSts.calls()]).toEqual([]);
}

interface Entry {
  account: string;
  ok: boolean;
  status: string;
  exitCode: number;
  error: { code: string; message: string; hint: string | null } | null;
  regions?: { region: string; settingArn?: string; settingValue?: string }[];
}
const entries = (stdout: string): Entry[] => (JSON.parse(stdout) as { accounts: Entry[] }).accounts;
const byAccount = (stdout: string) => Object.fromEntries(entries(stdout).map((e) => [e.account, e]));

beforeEach(() => {
  resetAws();
  resetOrg();
});
afterEach(() => vi.unstubAllEnvs());

describe('--accounts: validation', () => {
  it.each([
    [['--accounts', '12345'], 'invalid --accounts "12345": must be a 12-digit account id'],
    [['--accounts', 'ou-ab-cdefgh34'], 'invalid --accounts "ou-ab-cdefgh34"'],
    [['--accounts', 'r-AB12'], 'invalid --accounts "r-AB12"'],
    [['--accounts', `all,${B}`], `invalid --accounts "all,${B}": "all" stands alone`],
    [['--accounts', `${B},,${C}`], `invalid --accounts "${B},,${C}": empty entry in the list`],
    [['--accounts', B, '--exclude-accounts', 'prod'], 'invalid --exclude-accounts "prod": must be a 12-digit AWS account id'],
    [['--accounts', B, '--role-session-name', 'a b'], 'invalid --role-session-name "a b": must be 2-64 of letters'],
    [['--accounts', B, '--external-id', 'x'], 'invalid --external-id "x": must be 2-1224'],
    [['--accounts', B, '--org-role', 'a/b'], 'invalid --org-role "a/b": give the role\'s name, the same in every account'],
    [['--accounts', B, '--org-role', 'a b'], 'invalid --org-role "a b": must be 1-64 characters'],
    [['--accounts', B, '--org-role-path', 'ct'], 'invalid --org-role-path "ct": must start and end with "/"'],
    [['--accounts', B, '--account-concurrency', '0'], 'invalid --account-concurrency "0": must be a whole number from 1 to 64'],
    [['--accounts', B, '--account-concurrency', '65'], 'invalid --account-concurrency "65": must be a whole number from 1 to 64'],
    [['--org-role', 'R'], '--org-role works only with --accounts'],
    [['--exclude-accounts', B], '--exclude-accounts works only with --accounts'],
    [['--account-concurrency', '4'], '--account-concurrency works only with --accounts'],
  ])('%j: exit 2, the value and the rule named, no AWS call', async (flags, message) => {
    const r = await cli(['dhmc', 'status', '--region', 'us-east-1', ...flags]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error: ${message}`);
    expect(r.stdout).toBe('');
    noAwsCallAtAll();
  });

  it('with --json the refusal is one JSON line on stderr', async () => {
    const r = await cli(['dhmc', 'status', '--region', 'us-east-1', '--accounts', '12345', '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr)).toMatchObject({ error: { code: 'InvalidAccounts', message: expect.stringContaining('"12345"') } });
    noAwsCallAtAll();
  });
});

describe('--accounts: entering the accounts', () => {
  it("works in the caller's own account with the caller's credentials, and enters each other one once through the org role", async () => {
    settings({ [ACCOUNT]: '$None', [B]: VALUE, [C]: '$None' });
    const r = await cli(['dhmc', 'status', '--accounts', `${ACCOUNT},${B},${C}`, '--region', 'us-east-1,eu-west-1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(assumeRoleInputs()).toEqual([
      { RoleArn: orgRole(B), RoleSessionName: 'ssm-perms' },
      { RoleArn: orgRole(C), RoleSessionName: 'ssm-perms' },
    ]);
    // Each account's settings were read with that account's clients (the ARN names the account).
    const got = byAccount(r.stdout);
    expect(got[ACCOUNT]!.regions!.map((x) => x.settingArn)).toEqual([settingArn('us-east-1', ACCOUNT), settingArn('eu-west-1', ACCOUNT)]);
    expect(got[B]!.regions!.map((x) => x.settingValue)).toEqual([VALUE, VALUE]);
    expect(got[C]!.regions!.map((x) => x.settingArn)).toEqual([settingArn('us-east-1', C), settingArn('eu-west-1', C)]);
    // Ids given alone: no Organizations call.
    expect(org.calls()).toHaveLength(0);
    // STS names the caller once; the accounts entered are not asked again who they are.
    expect(sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(1);
  });

  it("the SDK's adaptive retry mode is the default with --accounts, and --retry-mode still chooses", async () => {
    const modes: string[] = [];
    ssm.on(GetServiceSettingCommand).callsFake(async (input: { SettingId: string }, getClient) => {
      // The client's resolved setting: a provider, or the value given to its constructor.
      const mode = (getClient() as unknown as { config: { retryMode: string | (() => Promise<string>) } }).config.retryMode;
      modes.push(typeof mode === 'function' ? await mode() : mode);
      return { ServiceSetting: { SettingValue: '$None', Status: 'Default', ARN: input.SettingId } };
    });
    await cli(['dhmc', 'status', '--accounts', `${ACCOUNT},${B}`, '--region', 'us-east-1']);
    await cli(['dhmc', 'status', '--accounts', B, '--region', 'us-east-1', '--retry-mode', 'standard']);
    await cli(['dhmc', 'status', '--region', 'us-east-1']);
    expect(modes).toEqual(['adaptive', 'adaptive', 'standard', 'standard']);
  });

  it('sends --org-role, --org-role-path, --external-id and --role-session-name to AssumeRole as given', async () => {
    settings({ [B]: '$None' });
    const r = await cli([
      'dhmc',
      'status',
      '--accounts',
      B,
      '--region',
      'us-east-1',
      '--org-role',
      'AWSControlTowerExecution',
      '--org-role-path',
      '/ct/',
      '--external-id',
      'ext-123',
      '--role-session-name',
      'jane@ops',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(assumeRoleInputs()).toEqual([{ RoleArn: `arn:aws:iam::${B}:role/ct/AWSControlTowerExecution`, RoleSessionName: 'jane@ops', ExternalId: 'ext-123' }]);
  });

  it("enters the accounts in the home region's partition (aws-cn): the role ARN and the STS region follow it", async () => {
    await cli(['dhmc', 'status', '--accounts', B, '--region', 'cn-north-1', '--json']);
    expect(assumeRoleInputs()).toEqual([{ RoleArn: `arn:aws-cn:iam::${B}:role/OrganizationAccountAccessRole`, RoleSessionName: 'ssm-perms' }]);
    const client = roleSts.commandCalls(AssumeRoleCommand)[0]!.thisValue as unknown as { config: { region(): Promise<string> } };
    expect(await client.config.region()).toBe('cn-north-1');
  });

  it('an account whose role cannot be assumed fails alone, named with the role ARN and a hint: exit 4, the others done', async () => {
    settings({ [ACCOUNT]: '$None', [C]: VALUE });
    refuse(B);
    const r = await cli(['dhmc', 'status', '--accounts', `${ACCOUNT},${B},${C}`, '--region', 'us-east-1', '--json']);
    expect(r.code).toBe(4);
    const got = byAccount(r.stdout);
    expect(got[ACCOUNT]).toMatchObject({ ok: true, status: 'done', exitCode: 0 });
    expect(got[C]).toMatchObject({ ok: true, status: 'done', exitCode: 0 });
    expect(got[B]).toMatchObject({ ok: false, status: 'failed', exitCode: 4, error: { code: 'AccessDenied' } });
    expect(got[B]!.error!.message).toContain(`sts:AssumeRole on ${orgRole(B)} was refused`);
    expect(got[B]!.error!.hint).toContain('trust policy');
    expect(got[B]!.error!.hint).toContain('--org-role');
    expect(JSON.parse(r.stdout).summary).toMatchObject({ accounts: 3, ok: 2, failed: 1 });

    // As text: the failed account under its heading with the error and the hint, the others' results kept.
    const text = await cli(['dhmc', 'status', '--accounts', `${ACCOUNT},${B},${C}`, '--region', 'us-east-1', '--no-color'], { columns: 200 });
    expect(text.code).toBe(4);
    expect(text.stdout).toContain(`account ${B} failed`);
    expect(text.stdout).toContain(orgRole(B));
    expect(text.stdout).toContain('3 accounts: 2 ok, 1 failed');
  });

  it('the exit code is the worst across accounts: a denial in one account (4) and an AWS error in another (5) exit 5', async () => {
    ssm.on(GetServiceSettingCommand).callsFake(async (input: { SettingId: string }, getClient) => {
      const id = await accountOf(getClient());
      if (id === B) throw awsError('AccessDeniedException', 'not authorized to perform: ssm:GetServiceSetting', 400);
      if (id === C) throw awsError('InternalServerError', 'boom', 500);
      return { ServiceSetting: { SettingValue: '$None', Status: 'Default', ARN: input.SettingId } };
    });
    const r = await cli(['dhmc', 'status', '--accounts', `${ACCOUNT},${B}`, '--region', 'us-east-1', '--json', '--max-attempts', '1']);
    expect(r.code).toBe(4);
    expect(entries(r.stdout).map((e) => e.exitCode)).toEqual([0, 4]);
    const worse = await cli(['dhmc', 'status', '--accounts', `${ACCOUNT},${B},${C}`, '--region', 'us-east-1', '--json', '--max-attempts', '1']);
    expect(worse.code).toBe(5);
    expect(entries(worse.stdout).map((e) => e.exitCode)).toEqual([0, 4, 5]);
  });

  it('an OU: its accounts and those of the OUs below, the exclusions left out, a suspended one skipped and said so', async () => {
    organization({
      'ou-ab12-prod0001': { accounts: [account(B, 'prod-1'), account('222233334444', 'old', 'SUSPENDED')], units: ['ou-ab12-prodeu01'] },
      'ou-ab12-prodeu01': { accounts: [account(C, 'prod-eu'), account('555566667777', 'left-out')] },
    });
    settings({ [B]: '$None', [C]: VALUE });
    const r = await cli(['dhmc', 'status', '--accounts', 'ou-ab12-prod0001', '--exclude-accounts', '555566667777', '--region', 'us-east-1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(entries(r.stdout).map((e) => e.account)).toEqual([B, C]);
    expect(JSON.parse(r.stdout).summary.skipped).toEqual([{ account: '222233334444', name: 'old', state: 'SUSPENDED' }]);
    expect(r.stderr).toContain('222233334444 (old) is SUSPENDED');
    expect(org).toHaveReceivedCommandWith(ListAccountsForParentCommand, { ParentId: 'ou-ab12-prodeu01' });
    expect(org).not.toHaveReceivedCommand(ListAccountsCommand);
    expect(assumeRoleInputs().map((i) => i.RoleArn)).toEqual([orgRole(B), orgRole(C)]);
  });
});

describe('--accounts: all, and ids the organization does not list', () => {
  it("all: every ACTIVE account, the management account (the caller's) without a role, the exclusions left out", async () => {
    org
      .on(ListAccountsCommand)
      .resolvesOnce({ Accounts: [account(ACCOUNT, 'management'), account(B, 'prod-1')], NextToken: 'p2' })
      .resolvesOnce({ Accounts: [account(C, 'dev-1'), account('222233334444', 'closing', 'PENDING_CLOSURE')] });
    settings({ [ACCOUNT]: '$None', [B]: '$None' });
    const r = await cli(['dhmc', 'status', '--accounts', 'all', '--exclude-accounts', C, '--region', 'us-east-1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { accounts: { account: string; name: string }[]; summary: { skipped: unknown[] } };
    expect(doc.accounts.map((a) => [a.account, a.name])).toEqual([
      [ACCOUNT, 'management'],
      [B, 'prod-1'],
    ]);
    expect(doc.summary.skipped).toEqual([{ account: '222233334444', name: 'closing', state: 'PENDING_CLOSURE' }]);
    expect(assumeRoleInputs().map((i) => i.RoleArn)).toEqual([orgRole(B)]);
  });

  it('an id beside an OU that the organization does not list: a warning, and it is still tried', async () => {
    organization({ 'ou-ab12-prod0001': { accounts: [account(B, 'prod-1')] } });
    settings({ [B]: '$None', [C]: '$None' });
    const r = await cli(['dhmc', 'status', '--accounts', `ou-ab12-prod0001,${C}`, '--region', 'us-east-1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`${C} is not an account of this organization as Organizations lists it; trying it anyway`);
    expect(entries(r.stdout).map((e) => [e.account, e.status])).toEqual([
      [B, 'done'],
      [C, 'done'],
    ]);
  });

  it('--account-concurrency bounds the accounts worked on at once', async () => {
    const ids = ['100000000001', '100000000002', '100000000003', '100000000004', '100000000005'];
    let inFlight = 0;
    let peak = 0;
    ssm.on(GetServiceSettingCommand).callsFake(async (input: { SettingId: string }) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 20));
      inFlight -= 1;
      return { ServiceSetting: { SettingValue: '$None', Status: 'Default', ARN: input.SettingId } };
    });
    const two = await cli(['dhmc', 'status', '--accounts', ids.join(','), '--region', 'us-east-1', '--account-concurrency', '2', '--json']);
    expect(two.code, two.stderr).toBe(0);
    expect(peak).toBe(2);
    peak = 0;
    const all = await cli(['dhmc', 'status', '--accounts', ids.join(','), '--region', 'us-east-1', '--json']);
    expect(all.code, all.stderr).toBe(0);
    // The default (8) lets all five run side by side.
    expect(peak).toBe(5);
  });
});

describe('--accounts: safety', () => {
  it('a read-only command runs once in each account', async () => {
    settings({ [ACCOUNT]: '$None', [B]: '$None' });
    const r = await cli(['dhmc', 'status', '--accounts', `${ACCOUNT},${B}`, '--region', 'us-east-1,us-east-2']);
    expect(r.code, r.stderr).toBe(0);
    const readIn = await Promise.all(ssm.commandCalls(GetServiceSettingCommand).map((c) => accountOf(c.thisValue)));
    expect(readIn.sort()).toEqual([ACCOUNT, ACCOUNT, B, B]);
  });

  it('consent is asked once for every account, before anything is written: no prompt means exit 2 and no write in any account', async () => {
    roleExists();
    // The caller's account and C would replace another role; B has nothing to replace but would still write.
    settings({ [ACCOUNT]: 'OtherRole', [B]: '$None', [C]: 'service-role/Old' });
    const r = await cli(['dhmc', 'enable', '--accounts', `${ACCOUNT},${B},${C}`, '--region', 'us-east-1']);
    expect(r.code).toBe(2);
    expect(writes()).toEqual([]);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`error: ${ACCOUNT}: not replacing the DHMC role in us-east-1 (now OtherRole) with ${VALUE}; ${C}: not replacing`);
    expect(r.stderr).toContain('without consent; nothing was changed\n');
    expect(r.stderr).toContain('hint: Pass --yes to go ahead in all 3 accounts with changes, or leave those accounts out with --exclude-accounts.');
    // B had nothing to replace: it is not part of the question.
    expect(r.stderr).not.toContain(B);
  });

  it('on a terminal the one question lists each account, and y writes in every account', async () => {
    roleExists();
    settings({ [ACCOUNT]: 'OtherRole', [B]: '$None', [C]: 'service-role/Old' });
    ssm.on(UpdateServiceSettingCommand).resolves({});
    const r = await cli(['dhmc', 'enable', '--accounts', `${ACCOUNT},${B},${C}`, '--region', 'us-east-1', '--no-color'], {
      tty: true,
      input: 'y\n',
      stderrColumns: 400,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.match(/\[y\/N\]/g)).toHaveLength(1);
    expect(r.stderr).toContain(
      [
        'Consent is needed in 2 of the 3 accounts to change:',
        `  ${ACCOUNT}: DHMC already uses another role in us-east-1 (now OtherRole). Replace it with ${VALUE}?`,
        `  ${C}: DHMC already uses another role in us-east-1 (now service-role/Old). Replace it with ${VALUE}?`,
        'Go ahead in all 3 accounts with changes? [y/N]',
      ].join('\n'),
    );
    expect((await updatedIn()).sort()).toEqual([ACCOUNT, B, C].sort());
  });

  it('a no at the question writes nothing anywhere', async () => {
    roleExists();
    settings({ [ACCOUNT]: 'OtherRole', [B]: '$None' });
    const r = await cli(['dhmc', 'enable', '--accounts', `${ACCOUNT},${B}`, '--region', 'us-east-1', '--no-color'], { tty: true, input: 'n\n' });
    expect(r.code).toBe(2);
    expect(r.stderr.match(/\[y\/N\]/g)).toHaveLength(1);
    expect(writes()).toEqual([]);
  });

  it('--yes writes in every account without a question', async () => {
    roleExists();
    settings({ [ACCOUNT]: 'OtherRole', [B]: '$None', [C]: 'service-role/Old' });
    ssm.on(UpdateServiceSettingCommand).resolves({});
    const r = await cli(['dhmc', 'enable', '--accounts', `${ACCOUNT},${B},${C}`, '--region', 'us-east-1', '--yes', '--json'], { tty: true, input: 'n\n' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('[y/N]');
    expect((await updatedIn()).sort()).toEqual([ACCOUNT, B, C].sort());
    expect(entries(r.stdout).every((e) => e.ok)).toBe(true);
  });

  it('nothing to replace anywhere: no question, and the writes are made', async () => {
    roleExists();
    settings({ [ACCOUNT]: '$None', [B]: '$None' });
    ssm.on(UpdateServiceSettingCommand).resolves({});
    const r = await cli(['dhmc', 'enable', '--accounts', `${ACCOUNT},${B}`, '--region', 'us-east-1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect((await updatedIn()).sort()).toEqual([ACCOUNT, B]);
  });

  it('an account whose setting changed since the plan asks a new question there: that account fails (exit 2) unchanged, the others are written', async () => {
    roleExists();
    const reads: Record<string, number> = {};
    ssm.on(GetServiceSettingCommand).callsFake(async (input: { SettingId: string }, getClient) => {
      const id = await accountOf(getClient());
      reads[id] = (reads[id] ?? 0) + 1;
      // B is off when planned; by the second run someone else has set another role there.
      const value = id === B && reads[id] > 1 ? 'SomeoneElsesRole' : '$None';
      return { ServiceSetting: { SettingValue: value, Status: value === '$None' ? 'Default' : 'Customized', ARN: input.SettingId } };
    });
    ssm.on(UpdateServiceSettingCommand).resolves({});
    const r = await cli(['dhmc', 'enable', '--accounts', `${ACCOUNT},${B},${C}`, '--region', 'us-east-1', '--json']);
    // 2 would say nothing was changed; the other accounts were: a partial failure, 5.
    expect(r.code).toBe(5);
    const got = byAccount(r.stdout);
    expect(got[B]).toMatchObject({ ok: false, status: 'failed', exitCode: 2, error: { code: 'ConsentRequired' } });
    expect(got[B]!.error!.message).toContain('this account changed since the plan was shown; nothing more was changed in it');
    expect(got[ACCOUNT]).toMatchObject({ ok: true, status: 'done' });
    expect(got[C]).toMatchObject({ ok: true, status: 'done' });
    expect((await updatedIn()).sort()).toEqual([ACCOUNT, C]);
  });

  it('an account that cannot be entered fails alone in a write too: the others are written, exit 4', async () => {
    roleExists();
    settings({ [ACCOUNT]: '$None', [C]: '$None' });
    ssm.on(UpdateServiceSettingCommand).resolves({});
    roleSts
      .on(AssumeRoleCommand)
      .callsFake((input: { RoleArn: string }) =>
        accountOfArn(input.RoleArn) === B ? Promise.reject(awsError('AccessDenied', 'not authorized', 403)) : assumed(input.RoleArn),
      );
    const r = await cli(['dhmc', 'enable', '--accounts', `${ACCOUNT},${B},${C}`, '--region', 'us-east-1', '--yes', '--json']);
    expect(r.code).toBe(4);
    expect(entries(r.stdout).map((e) => [e.account, e.status])).toEqual([
      [ACCOUNT, 'done'],
      [B, 'failed'],
      [C, 'done'],
    ]);
    expect((await updatedIn()).sort()).toEqual([ACCOUNT, C]);
  });

  it('--dry-run sends no write in any account, and reports each account its plan', async () => {
    iam.on(GetRoleCommand).rejects(awsError('NoSuchEntity', 'not found', 404));
    iam.on(GetPolicyCommand).resolves({ Policy: { Arn: DHMC_POLICY, DefaultVersionId: 'v1' } });
    settings({ [ACCOUNT]: 'OtherRole', [B]: '$None' });
    const r = await cli(['dhmc', 'enable', '--accounts', `${ACCOUNT},${B}`, '--region', 'us-east-1', '--dry-run', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(writes()).toEqual([]);
    expect(iam).not.toHaveReceivedCommand(CreateRoleCommand);
    expect(iam).not.toHaveReceivedCommand(AttachRolePolicyCommand);
    const got = JSON.parse(r.stdout) as { accounts: { account: string; dryRun: boolean; changes: { status: string }[] }[] };
    expect(got.accounts.map((a) => [a.account, a.dryRun, a.changes.every((c) => c.status === 'planned')])).toEqual([
      [ACCOUNT, true, true],
      [B, true, true],
    ]);
  });
});

describe('--accounts: Ctrl-C', () => {
  it('before any account started: every account not attempted, nothing read in them, exit 130', async () => {
    const interrupt = new AbortController();
    settings({ [B]: '$None', [C]: '$None' });
    sts.on(GetCallerIdentityCommand).callsFake(() => {
      interrupt.abort(new Error('interrupted'));
      return { Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/admin` };
    });
    const r = await cli(['dhmc', 'status', '--accounts', `${B},${C}`, '--region', 'us-east-1', '--json'], { signal: interrupt.signal });
    expect(r.code).toBe(130);
    expect(entries(r.stdout).map((e) => [e.account, e.status, e.exitCode])).toEqual([
      [B, 'not-attempted', 130],
      [C, 'not-attempted', 130],
    ]);
    // Nothing is started in them, not even in the background once the run has ended.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(ssm.calls()).toHaveLength(0);
    expect(roleSts.calls()).toHaveLength(0);
  });

  it('while an account runs: that one partial, those not started not attempted, the ones done kept, exit 130', async () => {
    const interrupt = new AbortController();
    ssm.on(GetServiceSettingCommand).callsFake(async (input: { SettingId: string }, getClient) => {
      const id = await accountOf(getClient());
      if (id === B) {
        // Ctrl-C while B's read is in flight: the read is abandoned, as the SDK abandons it.
        interrupt.abort(new Error('interrupted'));
        throw Object.assign(new Error('The operation was aborted'), { name: 'AbortError' });
      }
      return { ServiceSetting: { SettingValue: '$None', Status: 'Default', ARN: input.SettingId } };
    });
    const r = await cli(['dhmc', 'status', '--accounts', `${ACCOUNT},${B},${C}`, '--region', 'us-east-1', '--account-concurrency', '1', '--json'], {
      signal: interrupt.signal,
    });
    expect(r.code).toBe(130);
    expect(entries(r.stdout).map((e) => [e.account, e.status, e.exitCode])).toEqual([
      [ACCOUNT, 'done', 0],
      [B, 'partial', 130],
      [C, 'not-attempted', 130],
    ]);
    expect(JSON.parse(r.stdout).summary).toMatchObject({ accounts: 3, ok: 1, partial: 1, notAttempted: 1 });
    // Words for a command that only reads as well as for one that writes: nothing changed, run it again.
    expect(entries(r.stdout)[1]!.error).toEqual({
      code: 'Interrupted',
      message: 'interrupted while reading: nothing was changed in this account',
      hint: 'Run the command again: it picks up where this run stopped.',
    });
    expect(entries(r.stdout)[2]!.error!.hint).toBe('Run the command again: it picks up where this run stopped.');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(roleSts.calls().map((c) => accountOfArn((c.args[0].input as { RoleArn: string }).RoleArn))).toEqual([B]);
  });

  it('while planning: nothing is written anywhere and no question is asked', async () => {
    const interrupt = new AbortController();
    roleExists();
    ssm.on(GetServiceSettingCommand).callsFake(async (input: { SettingId: string }, getClient) => {
      const id = await accountOf(getClient());
      if (id === B) interrupt.abort(new Error('interrupted'));
      return { ServiceSetting: { SettingValue: 'OtherRole', Status: 'Customized', ARN: input.SettingId } };
    });
    const r = await cli(['dhmc', 'enable', '--accounts', `${ACCOUNT},${B},${C}`, '--region', 'us-east-1', '--account-concurrency', '1', '--json'], {
      signal: interrupt.signal,
      tty: true,
      input: 'y\n',
    });
    expect(r.code).toBe(130);
    expect(r.stderr).not.toContain('[y/N]');
    expect(writes()).toEqual([]);
    // Each account is reported: none was changed, so none counts as attempted.
    expect(entries(r.stdout).map((e) => [e.account, e.status, e.exitCode])).toEqual([
      [ACCOUNT, 'not-attempted', 130],
      [B, 'not-attempted', 130],
      [C, 'not-attempted', 130],
    ]);
  });
});

describe('--accounts: output', () => {
  it('the table: one row per account and region, the account first, then the count', async () => {
    settings({ [ACCOUNT]: '$None', [B]: VALUE });
    const r = await cli(['dhmc', 'status', '--accounts', `${ACCOUNT},${B}`, '--region', 'us-east-1', '--no-color'], { columns: 150 });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^ACCOUNT +REGION +DHMC/);
    expect(lines[1]).toMatch(new RegExp(`^${ACCOUNT} +us-east-1 +off`));
    expect(lines[2]).toMatch(new RegExp(`^${B} +us-east-1 +on +${VALUE} `));
    expect(r.stdout).toMatch(/\n2 accounts: 2 ok, 0 failed\n$/);
  });

  it('-o text: every line begins with the account id', async () => {
    settings({ [ACCOUNT]: '$None', [B]: VALUE });
    const r = await cli(['dhmc', 'status', '--accounts', `${ACCOUNT},${B}`, '--region', 'us-east-1,us-east-2', '-o', 'text']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThanOrEqual(4);
    for (const line of lines) expect(line).toMatch(new RegExp(`^(${ACCOUNT}|${B})\t`));
    expect(lines.filter((l) => l.startsWith(`${B}\t`)).join('\n')).toContain(VALUE);
    // The id begins each line once: the document's own `account` is not printed again after it.
    expect(lines.filter((l) => l === `${ACCOUNT}\t${ACCOUNT}` || l === `${B}\t${B}`)).toEqual([]);
    expect(lines.every((l) => l.startsWith(`${ACCOUNT}\tREGIONS\t`) || l.startsWith(`${B}\tREGIONS\t`))).toBe(true);
  });
});

describe('--accounts: admin-policy generate', () => {
  it('makes one policy per account without any AWS call when the accounts are ids', async () => {
    const r = await cli(['admin-policy', 'generate', '--accounts', `${B},${C}`, '--region', 'us-east-1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout) as { accounts: { account: string; policy: { Statement: { Resource: string[] }[] } }[] };
    expect(got.accounts.map((a) => a.account)).toEqual([B, C]);
    expect(got.accounts[0]!.policy.Statement[0]!.Resource).toEqual([settingArn('us-east-1', B)]);
    expect(got.accounts[1]!.policy.Statement[0]!.Resource).toEqual([settingArn('us-east-1', C)]);
    noAwsCallAtAll();
  });

  it("--combined: one policy whose statements list every account's ARNs, still without any AWS call", async () => {
    const r = await cli(['admin-policy', 'generate', '--accounts', `${B},${C}`, '--combined', '--region', 'us-east-1,eu-west-1']);
    expect(r.code, r.stderr).toBe(0);
    const policy = JSON.parse(r.stdout) as { Statement: { Action: string[]; Resource: string[] }[] };
    expect(policy.Statement[0]!.Resource).toEqual([
      settingArn('us-east-1', B),
      settingArn('eu-west-1', B),
      settingArn('us-east-1', C),
      settingArn('eu-west-1', C),
    ]);
    expect(policy.Statement[1]!.Resource).toEqual([`arn:aws:iam::${B}:role/${VALUE}`, `arn:aws:iam::${C}:role/${VALUE}`]);
    noAwsCallAtAll();
  });

  it('--combined without --accounts, or --account with --accounts, is a usage error', async () => {
    const combined = await cli(['admin-policy', 'generate', '--combined', '--region', 'us-east-1']);
    expect(combined.code).toBe(2);
    expect(combined.stderr).toContain('--combined works only with --accounts');
    const both = await cli(['admin-policy', 'generate', '--account', B, '--accounts', C, '--region', 'us-east-1']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--account and --accounts cannot be given together');
    noAwsCallAtAll();
  });
});

describe('--accounts: what an operator review found', () => {
  it('admin-policy --region all enters each account (its regions are its own): a refused role is named as such, not as ec2:DescribeRegions', async () => {
    refuse(B);
    const r = await cli(['admin-policy', 'generate', '--accounts', B, '--region', 'all', '--json']);
    expect(r.code).toBe(4);
    expect(byAccount(r.stdout)[B]!.error!.message).toContain(`sts:AssumeRole on ${orgRole(B)} was refused`);
    expect(r.stdout).not.toContain('ec2:DescribeRegions');
  });

  it('--combined with an account that gave no result prints no document, and says which account failed (exit 4)', async () => {
    refuse(C);
    ec2.on(DescribeRegionsCommand).resolves({ Regions: [{ RegionName: 'us-east-1', OptInStatus: 'opt-in-not-required' }] });
    const r = await cli(['admin-policy', 'generate', '--accounts', `${B},${C}`, '--region', 'all', '--combined']);
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`error: no combined document: 1 of the accounts gave no result - ${C}: AccessDenied`);
  });

  it('an --exclude-accounts id the selection does not hold is warned about (a typo would leave the account meant in)', async () => {
    settings({ [B]: '$None' });
    const r = await cli(['dhmc', 'status', '--accounts', B, '--exclude-accounts', C, '--region', 'us-east-1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`warning: --exclude-accounts ${C} is not among the accounts --accounts selects`);
  });

  it('accounts that fail alike are one block naming them, the error said once; its ssm-perms hint names them all', async () => {
    roleSts
      .on(AssumeRoleCommand)
      .callsFake((input: { RoleArn: string }) =>
        Promise.reject(
          awsError('AccessDenied', `User: arn:aws:iam::${ACCOUNT}:user/admin is not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn}`, 403),
        ),
      );
    settings({ [ACCOUNT]: '$None' });
    const r = await cli(['dhmc', 'status', '--accounts', `${ACCOUNT},${B},${C}`, '--region', 'us-east-1', '--no-color']);
    expect(r.code).toBe(4);
    expect(r.stdout).toContain(`2 accounts: ${B}, ${C} failed\n`);
    expect(r.stdout.match(/AccessDenied:/g)).toHaveLength(1);
    // The role ARN differs by account: it reads <account> once said of both.
    expect(r.stdout).toContain('arn:aws:iam::<account>:role/OrganizationAccountAccessRole');
    // A hint with an ssm-perms command for the account names every account of the block.
    resetOrg();
    ec2.on(DescribeInstancesCommand).callsFake(async (_input: unknown, getClient) => ({
      Reservations: [{ Instances: [publicInstance(`i-0${(await accountOf(getClient())).slice(0, 16)}`)] }],
    }));
    ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({ IamInstanceProfileAssociations: [] });
    iam.on(GetInstanceProfileCommand).rejects(awsError('NoSuchEntity', 'The instance profile cannot be found'));
    const attach = await cli([
      'profile',
      'attach',
      '--name',
      'P',
      '--tag',
      'Team=ops',
      '--accounts',
      `${B},${C}`,
      '--region',
      'us-east-1',
      '--dry-run',
      '--no-color',
    ]);
    expect(attach.stdout).toContain(`2 accounts: ${B}, ${C} failed\n`);
    expect(attach.stdout).toContain(`ssm-perms profile create --accounts ${B},${C} --name P`);
    // Alone, an account's block keeps its own id.
    resetOrg();
    refuse(C);
    const one = await cli(['dhmc', 'status', '--accounts', `${B},${C}`, '--region', 'us-east-1', '--no-color']);
    expect(one.stdout).toContain(`account ${C} failed\n`);
    expect(one.stdout).toContain(`arn:aws:iam::${C}:role/OrganizationAccountAccessRole`);
  });

  it('plans alike but for their ids are one block (<account> in their ARNs), and one line of the one question', async () => {
    roleExists();
    settings({ [B]: '$None', [C]: '$None' });
    const plan = await cli(['dhmc', 'enable', '--accounts', `${B},${C}`, '--region', 'us-east-1', '--dry-run', '--no-color']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain(`2 accounts: ${B}, ${C}\nPlanned changes (dry run, nothing changed):\n  planned  us-east-1      turn DHMC on`);
    expect(plan.stdout).not.toContain(`account ${B}`);
    // Plans that name their account's own ARNs are alike too: the ARNs read <account>.
    iam.on(GetRoleCommand).rejects(awsError('NoSuchEntity', 'The role cannot be found'));
    iam.on(GetInstanceProfileCommand).rejects(awsError('NoSuchEntity', 'The instance profile cannot be found'));
    const create = await cli(['profile', 'create', '--accounts', `${B},${C}`, '--dry-run', '--no-color']);
    expect(create.code, create.stderr).toBe(0);
    expect(create.stdout).toContain(`2 accounts: ${B}, ${C}\n`);
    expect(create.stdout).toContain('arn:aws:iam::<account>:role/SSMInstanceProfile');
    expect(create.stdout).not.toContain(`arn:aws:iam::${B}:`);
    // Turning DHMC off in both: the same question, once, naming both accounts.
    settings({ [B]: VALUE, [C]: VALUE });
    const off = await cli(['dhmc', 'disable', '--accounts', `${B},${C}`, '--region', 'us-east-1', '--no-color'], { tty: true, input: 'n\n' });
    expect(off.code).toBe(2);
    const question = off.stderr.slice(off.stderr.indexOf('Consent is needed'), off.stderr.indexOf('[y/N]'));
    expect(question).toContain(`${B}, ${C}: `);
    expect(question.match(/turn DHMC off|Turn DHMC off/gi) ?? []).toHaveLength(1);
  });

  it('exclusions that leave no account are a usage error (2); an organization with no active account to list is 3, with where to run from', async () => {
    const r = await cli(['dhmc', 'status', '--accounts', B, '--exclude-accounts', B, '--region', 'us-east-1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: --accounts selects no ACTIVE account once --exclude-accounts is applied');
    org.on(ListAccountsCommand).resolves({ Accounts: [] });
    const none = await cli(['dhmc', 'status', '--accounts', 'all', '--region', 'us-east-1']);
    expect(none.code).toBe(3);
    expect(none.stderr).toContain('error: --accounts selects no ACTIVE account\n');
    expect(none.stderr).toContain('run from the management account, or a delegated administrator');
  });

  it('--org-role given as an ARN or with a path: exit 2 saying to give the name (and the path in --org-role-path), no call', async () => {
    for (const value of ['arn:aws:iam::111122223333:role/X', 'admin/X']) {
      const r = await cli(['dhmc', 'status', '--accounts', B, '--org-role', value, '--region', 'us-east-1']);
      expect(r.code, value).toBe(2);
      expect(r.stderr).toContain(`invalid --org-role "${value}": give the role's name, the same in every account`);
      expect(r.stderr).toContain('--org-role-path');
    }
    noAwsCallAtAll();
  });

  it('an OU the organization does not have: exit 2 naming it, with the commands that list them', async () => {
    org.on(ListAccountsForParentCommand).rejects(awsError('ParentNotFoundException', "You specified parent that doesn't exist.", 400));
    org.on(ListOrganizationalUnitsForParentCommand).rejects(awsError('ParentNotFoundException', "You specified parent that doesn't exist.", 400));
    const r = await cli(['dhmc', 'status', '--accounts', 'ou-ab12-zzzzzzzz', '--region', 'us-east-1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: --accounts ou-ab12-zzzzzzzz: the organization has no such OU');
    expect(r.stderr).toContain('aws organizations list-roots');
  });
});

describe('--accounts: the question at a narrow terminal', () => {
  it('wraps each line at the terminal width, an account line continuing under itself', async () => {
    roleExists();
    settings({ [ACCOUNT]: 'OtherRole', [B]: '$None' });
    const r = await cli(['dhmc', 'enable', '--accounts', `${ACCOUNT},${B}`, '--region', 'us-east-1', '--no-color'], {
      tty: true,
      input: 'n\n',
      stderrColumns: 60,
    });
    expect(r.code).toBe(2);
    const question = r.stderr.slice(r.stderr.indexOf('Consent is needed'), r.stderr.indexOf('[y/N]'));
    const lines = question.split('\n');
    expect(lines.every((l) => l.length <= 60)).toBe(true);
    const at = lines.findIndex((l) => l.startsWith(`  ${ACCOUNT}: DHMC already uses`));
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toMatch(/^ {4}\S/);
    // Nothing lost: the words, and the role name broken only after its "/".
    expect(question.replace(/\s+/g, ' ')).toContain(`${ACCOUNT}: DHMC already uses another role in us-east-1 (now OtherRole). Replace it with service-role/`);
    expect(question).toContain(`${ROLE}?`);
  });
});

describe('--accounts: doctor --instance-id', () => {
  const HELD = 'i-0b0000000000000b1';
  /** HELD runs in account B only (as DescribeInstances filtered by id answers in each account), managed by SSM. */
  function fleet(): void {
    settings({ [ACCOUNT]: '$None', [B]: '$None', [C]: '$None' });
    ec2.on(DescribeInstancesCommand).callsFake(async (input: { Filters?: { Name: string; Values: string[] }[] }, getClient) => {
      const asked = input.Filters?.find((f) => f.Name === 'instance-id')?.Values ?? [];
      const held = (await accountOf(getClient())) === B ? [HELD] : [];
      return { Reservations: [{ Instances: held.filter((id) => asked.includes(id)).map((id) => publicInstance(id)) }] };
    });
    ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({ IamInstanceProfileAssociations: [] });
    publicSubnetNetwork();
    ssm.on(DescribeInstanceInformationCommand).callsFake(async (_input: unknown, getClient) =>
      (await accountOf(getClient())) === B
        ? {
            InstanceInformationList: [
              { InstanceId: HELD, PingStatus: 'Online', AgentVersion: '3.3.1000.0', PlatformType: 'Linux', LastPingDateTime: new Date() },
            ],
          }
        : { InstanceInformationList: [] },
    );
    ssm.on(ListAssociationsCommand).resolves({ Associations: [] });
  }
  /** doctor across `accounts` in us-east-1 with --json, and the options given. */
  const doctorJson = (accounts: string, ...rest: string[]) => ['doctor', ...rest, '--accounts', accounts, '--region', 'us-east-1', '--json'];
  /** No role or instance profile yet: what --fix reads before planning to create them (HELD has none). */
  function noProfileYet(): void {
    iam.on(GetRoleCommand).rejects(awsError('NoSuchEntity', 'The role cannot be found'));
    iam.on(GetInstanceProfileCommand).rejects(awsError('NoSuchEntity', 'The instance profile cannot be found'));
  }
  interface DoctorEntry extends Entry {
    notFound?: string[];
    instances?: { instanceId: string }[];
  }
  const doc = (stdout: string) => JSON.parse(stdout) as { accounts: DoctorEntry[]; summary: { notFound?: string[] } };

  it('an id held by one account is not "not found" because the others lack it: the accounts without it say so quietly', async () => {
    fleet();
    const r = await cli(['doctor', '--accounts', `${ACCOUNT},${B},${C}`, '--instance-id', HELD, '--region', 'us-east-1', '--no-color']);
    // HELD is managed where it is: the run succeeds.
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(HELD);
    expect(r.stdout).not.toContain('not found');
    expect(r.stdout.match(new RegExp(`not in this account \\(us-east-1\\): ${HELD}`, 'g'))).toHaveLength(1);
    // The verdicts of every account added up under the summary, and in the JSON summary.
    expect(r.stdout).toContain('3 accounts: 3 ok, 0 failed\nin all, 1 instance: 1 managed, 0 ready, 0 not ready (3 accounts read)\n');
    const json = await cli(['doctor', '--accounts', `${ACCOUNT},${B},${C}`, '--instance-id', HELD, '--region', 'us-east-1', '--json']);
    const d = doc(json.stdout);
    expect(d.summary.notFound).toEqual([]);
    expect((d.summary as { totals?: Record<string, number> }).totals).toEqual({ total: 1, managed: 1, ready: 0, notReady: 0, stopped: 0, unknown: 0 });
    expect(d.accounts.find((a) => a.account === B)!.instances!.map((i) => i.instanceId)).toEqual([HELD]);
    expect(d.accounts.find((a) => a.account === C)!.notFound).toEqual([HELD]);
  });

  it('an id no account holds fails the run (exit 6), named once under the summary and in the JSON summary', async () => {
    fleet();
    const missing = 'i-0ffffffffffffffff';
    const r = await cli(['doctor', '--accounts', `${B},${C}`, '--instance-id', missing, '--region', 'us-east-1', '--no-color']);
    expect(r.code).toBe(6);
    expect(r.stdout).toContain(`not found in any account read (or terminated): ${missing}; instances are regional`);
    const json = await cli(['doctor', '--accounts', `${B},${C}`, '--instance-id', missing, '--region', 'us-east-1', '--json']);
    expect(json.code).toBe(6);
    expect(doc(json.stdout).summary.notFound).toEqual([missing]);
  });

  it('an account that could not be entered answers for no id: the ids are judged on the accounts read', async () => {
    fleet();
    refuse(C);
    const json = await cli(doctorJson(`${B},${C}`, '--instance-id', HELD, '--instance-id', 'i-0ffffffffffffffff'));
    expect(json.code).toBe(4);
    // B answered for both ids; C could not: the id B lacks is named as missing from the accounts read.
    expect(doc(json.stdout).summary.notFound).toEqual(['i-0ffffffffffffffff']);
  });

  it('--fix too: the id held by one account is fixed there, an id no account holds fails the run (6) once', async () => {
    fleet();
    noProfileYet();
    const held = await cli(doctorJson(`${ACCOUNT},${B},${C}`, '--fix', '--dry-run', '--instance-id', HELD));
    expect(held.code, held.stderr).toBe(0);
    expect(doc(held.stdout).summary.notFound).toEqual([]);
    expect(held.stderr).not.toContain('not found');
    const missing = await cli(doctorJson(`${B},${C}`, '--fix', '--dry-run', '--instance-id', 'i-0ffffffffffffffff'));
    expect(missing.code).toBe(6);
    expect(doc(missing.stdout).summary.notFound).toEqual(['i-0ffffffffffffffff']);
  });

  it('doctor (and doctor --fix) without --instance-id says nothing of ids in the summary', async () => {
    fleet();
    noProfileYet();
    for (const fix of [[], ['--fix', '--dry-run']]) {
      const r = await cli(['doctor', ...fix, '--accounts', `${B},${C}`, '--region', 'us-east-1', '--json']);
      expect(doc(r.stdout).summary, fix.join(' ')).not.toHaveProperty('notFound');
    }
  });

  it('profile attach --instance-id: attached where the instance is, "not in this account" elsewhere; an id in no account fails the run (5)', async () => {
    fleet();
    coreProfile('SSMInstanceProfile', 'SSMInstanceProfile');
    const attach = (...ids: string[]) => [
      'profile',
      'attach',
      '--name',
      'SSMInstanceProfile',
      ...ids.flatMap((id) => ['--instance-id', id]),
      '--accounts',
      `${ACCOUNT},${B},${C}`,
      '--region',
      'us-east-1',
      '--dry-run',
    ];
    const text = await cli([...attach(HELD), '--no-color']);
    expect(text.code, text.stdout + text.stderr).toBe(0);
    expect(text.stdout).not.toMatch(/FAILED|InstanceNotFound/);
    expect(text.stdout.match(new RegExp(`not in this account \\(us-east-1\\): ${HELD}`, 'g'))).toHaveLength(1);
    expect(text.stdout).toContain(`2 accounts: ${ACCOUNT}, ${C}\nnot in this account`);
    expect(text.stdout).toContain('3 accounts: 3 ok, 0 failed');
    const json = await cli([...attach(HELD), '--json']);
    const d = doc(json.stdout) as unknown as {
      accounts: { account: string; instances: { instanceId: string; status: string }[]; notFound: string[] }[];
      summary: { notFound?: string[] };
    };
    expect(d.summary.notFound).toEqual([]);
    const of = (id: string) => d.accounts.find((a) => a.account === id)!;
    expect(of(B).instances.map((i) => [i.instanceId, i.status])).toEqual([[HELD, 'planned']]);
    expect(of(C).instances).toEqual([]);
    expect(of(C).notFound).toEqual([HELD]);
    const missing = await cli([...attach(HELD, 'i-0ffffffffffffffff'), '--no-color']);
    expect(missing.code).toBe(5);
    expect(missing.stdout).toContain('not found in any account read (or terminated): i-0ffffffffffffffff; instances are regional');
  });

  it('profile attach: an account without the profile fails only if it has an instance to attach it to', async () => {
    fleet();
    coreProfile('SSMInstanceProfile', 'SSMInstanceProfile');
    // The profile exists in the caller's account only; HELD is in B, C has no instance.
    iam.on(GetInstanceProfileCommand).callsFake(async (_input: unknown, getClient) => {
      if ((await accountOf(getClient())) !== ACCOUNT) throw awsError('NoSuchEntity', 'The instance profile cannot be found');
      return {
        InstanceProfile: {
          InstanceProfileName: 'SSMInstanceProfile',
          Arn: `arn:aws:iam::${ACCOUNT}:instance-profile/SSMInstanceProfile`,
          Path: '/',
          InstanceProfileId: 'AIPA',
          CreateDate: new Date(),
          Roles: [{ ...roleAnswer('SSMInstanceProfile', 'ec2.amazonaws.com').Role!, RoleName: 'SSMInstanceProfile' }],
        },
      };
    });
    for (const select of [
      ['--instance-id', HELD],
      ['--tag', 'Name=nothing'],
    ]) {
      const r = await cli([
        'profile',
        'attach',
        '--name',
        'SSMInstanceProfile',
        ...select,
        '--accounts',
        `${ACCOUNT},${B},${C}`,
        '--region',
        'us-east-1',
        '--dry-run',
        '--json',
      ]);
      const by = Object.fromEntries(entries(r.stdout).map((e) => [e.account, e]));
      expect(by[C], select.join(' ')).toMatchObject({ ok: true, status: 'done', error: null });
      expect(by[ACCOUNT]).toMatchObject({ ok: true });
      if (select[0] === '--instance-id') expect(by[B]!.error!.code).toBe('InstanceProfileNotFound');
      else expect(by[B]).toMatchObject({ ok: true });
    }
  });

  it("-o markdown keeps each member account's notes under its section: how to run its aws fixes with its credentials", async () => {
    fleet();
    ec2
      .on(DescribeInstancesCommand)
      .callsFake(async (_input: unknown, getClient) =>
        (await accountOf(getClient())) === B
          ? { Reservations: [{ Instances: [publicInstance(HELD, { MetadataOptions: { HttpEndpoint: 'disabled', HttpTokens: 'required' } })] }] }
          : { Reservations: [] },
      );
    ssm.on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: [] });
    const r = await cli(['doctor', '--accounts', `${B},${C}`, '--region', 'us-east-1', '-o', 'markdown']);
    const section = r.stdout.slice(r.stdout.indexOf(`## account ${B}`), r.stdout.indexOf(`## account ${C}`) + 1 || undefined);
    expect(section).toContain('aws ec2 modify-instance-metadata-options');
    expect(section).toContain(
      `> Note: the aws commands among the fixes are for this account: run them with its credentials, e.g. a profile with role_arn = ${orgRole(B)}`,
    );
  });

  it('with --region all the advice to add --region all is not given', async () => {
    fleet();
    ec2.on(DescribeRegionsCommand).resolves({ Regions: [{ RegionName: 'us-east-1', OptInStatus: 'opt-in-not-required' }] });
    const r = await cli(['doctor', '--accounts', `${B},${C}`, '--instance-id', 'i-0ffffffffffffffff', '--region', 'all', '--no-color']);
    expect(r.code).toBe(6);
    expect(r.stdout).toContain('not found in any account read (or terminated): i-0ffffffffffffffff\n');
    expect(r.stdout).not.toContain('add --region all');
  });

  it('an account that could not be read is named beside an id found in no other: it may hold it', async () => {
    fleet();
    refuse(C);
    const r = await cli(['doctor', '--accounts', `${B},${C}`, '--instance-id', 'i-0ffffffffffffffff', '--region', 'us-east-1', '--no-color']);
    expect(r.code).toBe(4);
    expect(r.stdout.replace(/\n\s*/g, ' ')).toContain(
      `not found in any account read (or terminated): i-0ffffffffffffffff; ${C} could not be read and may hold it;`,
    );
  });

  it('without --accounts an id that does not exist still fails the run (exit 6)', async () => {
    fleet();
    const r = await cli(['doctor', '--instance-id', 'i-0ffffffffffffffff', '--region', 'us-east-1', '--no-color']);
    expect(r.code).toBe(6);
    expect(r.stdout).toContain('not found in us-east-1 (or terminated): i-0ffffffffffffffff');
  });
});
