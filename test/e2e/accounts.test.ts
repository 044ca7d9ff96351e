// End to end, --accounts: an organization in the emulator (test/emulator/org-world.mjs: the management
// account, OU Prod with OU Web below it, OU Dev, one closed account, an instance in prod-1 and dev-1), the
// built CLI run across it through the fault proxy (which also counts its calls), and every account's state
// read back with the AWS CLI under that account's own credentials (sts assume-role into its org role), never
// with the CLI under test. One organization for the whole file: built once (it takes seconds), the tests
// run in order and each reads the state it relies on with the AWS CLI rather than trusting an earlier test.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../emulator/fault-proxy.mjs';
import { MANAGEMENT, ORG_ROLE, seedOrganization, type OrgWorld } from '../emulator/org-world.mjs';
import { emulatorSuite } from '../helpers/emulator-suite.js';
import { startInTerminal, uncolour } from '../helpers/terminal.js';
import { aws, ssmPerms, startSsmPerms } from '../helpers/child.js';

const suite = emulatorSuite({ resetEach: false });
let proxy: FaultProxy;
/** The CLI's environment: every call through the proxy, with the management account's credentials. */
let env: Record<string, string>;
let org: OrgWorld;

const SETTING = '/ssm/managed-instance/default-ec2-instance-management-role';
const DHMC_VALUE = 'service-role/AWSSystemsManagerDefaultEC2InstanceManagementRole';
const PROFILE = 'SSMInstanceProfile';

beforeAll(async () => {
  proxy = await startFaultProxy(suite.emu.url);
  env = { ...suite.env, AWS_ENDPOINT_URL: proxy.url };
  org = await seedOrganization(suite.emu.url);
});
afterAll(async () => proxy?.stop());
beforeEach(() => proxy.setRules([]));

interface AccountEntry {
  account: string;
  name: string | null;
  ok: boolean;
  status: string;
  exitCode: number;
  error: { code: string; message: string; hint: string } | null;
  changes?: { operation: string; status: string; resource: string }[];
  [key: string]: unknown;
}
interface AccountsDoc {
  accounts: AccountEntry[];
  summary: { accounts: number; ok: number; failed: number; notAttempted: number; skipped: { account: string; name: string | null; state: string }[] };
}
const doc = (stdout: string) => JSON.parse(stdout) as AccountsDoc;
const ids = (d: AccountsDoc) => d.accounts.map((a) => a.account);
const entry = (d: AccountsDoc, id: string) => d.accounts.find((a) => a.account === id)!;
const applied = (a: AccountEntry) => (a.changes ?? []).filter((c) => c.status === 'applied').map((c) => c.operation);

/** The design's entry keys, in order, before the command's own document (/tmp/accounts-design.md). */
const ENTRY_KEYS = ['account', 'name', 'ok', 'status', 'exitCode', 'error'];
function expectShape(d: AccountsDoc) {
  for (const a of d.accounts) {
    expect(Object.keys(a).slice(0, ENTRY_KEYS.length)).toEqual(ENTRY_KEYS);
    expect(a.account).toMatch(/^\d{12}$/);
  }
  expect(Object.keys(d.summary)).toEqual(expect.arrayContaining(['accounts', 'ok', 'failed', 'notAttempted', 'skipped']));
  expect(d.summary.accounts).toBe(d.accounts.length);
  expect(d.summary.ok).toBe(d.accounts.filter((a) => a.ok).length);
}

/** How many calls of `operation` the CLI made through the proxy since the last setRules. */
const calls = (operation: string) => proxy.log().filter((x) => x.operation === operation).length;
const WRITE = /^(Create|Update|Reset|Delete|Attach|Detach|Put|Associate|Disassociate|Replace|Add|Remove|Tag)/;
const writes = () => proxy.log().filter((x) => x.operation && WRITE.test(x.operation) && x.operation !== 'AssumeRole');

const memberEnv = new Map<string, Promise<Record<string, string>>>();
/**
 * The environment of the AWS CLI acting in `account`: the management account's own, or the credentials
 * `aws sts assume-role` returns for the account's org role (straight to the emulator, not through the proxy).
 */
function asAccount(account: string): Promise<Record<string, string>> {
  if (account === MANAGEMENT) return Promise.resolve(suite.env);
  let made = memberEnv.get(account);
  if (!made) {
    made = (async () => {
      const out = (await aws(
        ['sts', 'assume-role', '--role-arn', `arn:aws:iam::${account}:role/${ORG_ROLE}`, '--role-session-name', 'e2e-check'],
        suite.env,
      )) as { Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string } };
      const c = out.Credentials;
      // moto makes them act in that account; the ARNs the checks read back (role, profile) show it.
      return { ...suite.env, AWS_ACCESS_KEY_ID: c.AccessKeyId, AWS_SECRET_ACCESS_KEY: c.SecretAccessKey, AWS_SESSION_TOKEN: c.SessionToken };
    })();
    memberEnv.set(account, made);
  }
  return made;
}

/** The DHMC setting's value in us-east-1 of each account, read with the AWS CLI in that account. */
async function dhmcValues(accounts: string[]): Promise<Record<string, string>> {
  const read = async (id: string) => {
    const s = (await aws(['ssm', 'get-service-setting', '--setting-id', SETTING], await asAccount(id))) as { ServiceSetting: { SettingValue: string } };
    return [id, s.ServiceSetting.SettingValue] as const;
  };
  return Object.fromEntries(await Promise.all(accounts.map(read)));
}
const each = (accounts: string[], value: string) => Object.fromEntries(accounts.map((a) => [a, value]));

describe('--accounts against an organization in the emulator', () => {
  it('dhmc enable --accounts <OU Prod>: DHMC on in Prod and in the OU below it (Web), nowhere else; one AssumeRole per account', async () => {
    const { prod1, prod2, web1, dev1, dev2 } = org.accounts;
    const r = await ssmPerms(['dhmc', 'enable', '--accounts', org.ou.prod, '--yes', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const d = doc(r.stdout);
    expectShape(d);
    expect(ids(d).sort()).toEqual([prod1, prod2, web1].sort());
    expect(entry(d, web1).name).toBe('web-1');
    for (const a of d.accounts) {
      expect(a).toMatchObject({ ok: true, status: 'done', exitCode: 0, error: null });
      expect(applied(a)).toContain('ssm:UpdateServiceSetting');
      // Each account's changes name that account's own resources.
      for (const c of a.changes ?? []) expect(c.resource).toContain(a.account);
    }
    expect(d.summary).toMatchObject({ accounts: 3, ok: 3, failed: 0, notAttempted: 0, skipped: [] });
    expect(calls('AssumeRole')).toBe(3);
    expect(await dhmcValues([prod1, prod2, web1, dev1, dev2, MANAGEMENT])).toEqual({
      ...each([prod1, prod2, web1], DHMC_VALUE),
      ...each([dev1, dev2, MANAGEMENT], '$None'),
    });
    // The role DHMC uses was created in each Prod account, as that account's IAM holds it.
    for (const id of [prod1, web1]) {
      const role = (await aws(['iam', 'get-role', '--role-name', 'AWSSystemsManagerDefaultEC2InstanceManagementRole'], await asAccount(id))) as {
        Role: { Arn: string };
      };
      expect(role.Role.Arn).toBe(`arn:aws:iam::${id}:role/service-role/AWSSystemsManagerDefaultEC2InstanceManagementRole`);
    }
  });

  it('dhmc status --accounts all --exclude-accounts <dev-2>: every ACTIVE account but the excluded one, the closed one skipped and said so; reads only', async () => {
    const { prod1, prod2, web1, dev1, dev2, closed } = org.accounts;
    const r = await ssmPerms(['dhmc', 'status', '--accounts', 'all', '--exclude-accounts', dev2, '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const d = doc(r.stdout);
    expectShape(d);
    expect(ids(d).sort()).toEqual([MANAGEMENT, prod1, prod2, web1, dev1].sort());
    expect(entry(d, MANAGEMENT).name).toBe('master');
    expect(d.summary.skipped).toEqual([{ account: closed, name: 'dev-closed', state: 'SUSPENDED' }]);
    expect(r.stderr).toMatch(new RegExp(`${closed} \\(dev-closed\\) is SUSPENDED`));
    // The management account is the caller's: worked in with its own credentials, no role.
    expect(calls('AssumeRole')).toBe(4);
    expect(writes()).toEqual([]);
    // What each account reports is what the AWS CLI reads in it.
    const values = await dhmcValues(ids(d));
    for (const a of d.accounts) {
      const region = (a.regions as { region: string; enabled: boolean; settingValue: string }[])[0]!;
      expect({ account: a.account, value: region.settingValue, enabled: region.enabled }).toEqual({
        account: a.account,
        value: values[a.account],
        enabled: values[a.account] !== '$None',
      });
    }
  });

  it('dhmc status -o text: every line begins with its account id; the table has an ACCOUNT column and a summary line', async () => {
    const { prod1, prod2, web1 } = org.accounts;
    const text = await ssmPerms(['dhmc', 'status', '--accounts', org.ou.prod, '-o', 'text'], env);
    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const line of lines) expect(line).toMatch(new RegExp(`^(${prod1}|${prod2}|${web1})\t`));
    expect(new Set(lines.map((l) => l.split('\t')[0]))).toEqual(new Set([prod1, prod2, web1]));

    const table = await ssmPerms(['dhmc', 'status', '--accounts', org.ou.prod], env);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^ACCOUNT\s+ACCOUNT NAME\s+REGION/m);
    for (const [id, name] of [
      [prod1, 'prod-1'],
      [prod2, 'prod-2'],
      [web1, 'web-1'],
    ]) {
      expect(table.stdout).toMatch(new RegExp(`^${id}\\s+${name}\\s+us-east-1\\s+on`, 'm'));
    }
    expect(table.stdout).toMatch(/^3 accounts: 3 ok, 0 failed$/m);
  });

  it('dhmc disable across accounts asks once, naming each account; refused (no prompt) or --dry-run, nothing changes anywhere; with --yes both are off', async () => {
    const { prod1, prod2, web1 } = org.accounts;
    // DHMC on in the three, whatever earlier tests did (an enable that finds it on changes nothing).
    const on = await ssmPerms(['dhmc', 'enable', '--accounts', `${prod1},${prod2},${web1}`, '--yes', '--quiet'], env);
    expect(on.code, on.stderr).toBe(0);
    expect(await dhmcValues([prod1, prod2, web1])).toEqual(each([prod1, prod2, web1], DHMC_VALUE));
    proxy.setRules([]);
    const refused = await ssmPerms(['dhmc', 'disable', '--accounts', `${prod1},${prod2}`], env);
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toContain(prod1);
    expect(refused.stderr).toContain(prod2);
    expect(refused.stderr).toMatch(/nothing was changed/);
    expect(writes()).toEqual([]);
    expect(await dhmcValues([prod1, prod2])).toEqual(each([prod1, prod2], DHMC_VALUE));

    // --dry-run plans every account and changes nothing.
    proxy.setRules([]);
    const plan = await ssmPerms(['dhmc', 'disable', '--accounts', `${prod1},${prod2}`, '--dry-run', '--json'], env);
    expect(plan.code, plan.stderr).toBe(0);
    const p = doc(plan.stdout);
    expectShape(p);
    for (const a of p.accounts) expect(a.changes?.map((c) => [c.operation, c.status])).toEqual([['ssm:ResetServiceSetting', 'planned']]);
    // No write reached AWS (the proxy sees every call the CLI makes).
    expect(writes()).toEqual([]);

    proxy.setRules([]);
    const r = await ssmPerms(['dhmc', 'disable', '--accounts', `${prod1},${prod2}`, '--yes', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const d = doc(r.stdout);
    expectShape(d);
    // Ids alone: no Organizations call, so no names.
    expect(d.accounts.map((a) => [a.account, a.name, a.ok])).toEqual([
      [prod1, null, true],
      [prod2, null, true],
    ]);
    expect(proxy.log().filter((x) => x.service === 'organizations')).toEqual([]);
    for (const a of d.accounts) expect(applied(a)).toContain('ssm:ResetServiceSetting');
    // Not in an account it was not asked to run in.
    expect(await dhmcValues([prod1, prod2, web1])).toEqual({ ...each([prod1, prod2], '$None'), [web1]: DHMC_VALUE });
  });

  it('one question for the whole run: refused (no prompt), nothing changes in any account, not even one that needed no consent', async () => {
    const { prod2, dev2 } = org.accounts;
    // prod-2's DHMC points at another role (replacing it needs consent); dev-2's is off (turning it on does not).
    const prod2Env = await asAccount(prod2);
    const trust = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'ssm.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
    await aws(['iam', 'create-role', '--role-name', 'OtherDhmcRole', '--assume-role-policy-document', trust], prod2Env);
    await aws(['ssm', 'update-service-setting', '--setting-id', SETTING, '--setting-value', 'OtherDhmcRole'], prod2Env);
    expect(await dhmcValues([prod2, dev2])).toEqual({ [prod2]: 'OtherDhmcRole', [dev2]: '$None' });

    const r = await ssmPerms(['dhmc', 'enable', '--accounts', `${dev2},${prod2}`], env);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(prod2);
    expect(r.stderr).toMatch(/nothing was changed/);
    // The planning run in dev-2 stopped before its first write: no write reached AWS in either account.
    expect(writes()).toEqual([]);
    expect(await dhmcValues([prod2, dev2])).toEqual({ [prod2]: 'OtherDhmcRole', [dev2]: '$None' });
    await expect(aws(['iam', 'get-role', '--role-name', 'AWSSystemsManagerDefaultEC2InstanceManagementRole'], await asAccount(dev2))).rejects.toThrow(
      /NoSuchEntity/,
    );
  });

  it('at a terminal: one y/N question names the accounts and what it removes there (once, being alike); y turns DHMC off in both', async () => {
    const { prod1, web1 } = org.accounts;
    const on = await ssmPerms(['dhmc', 'enable', '--accounts', `${prod1},${web1}`, '--yes', '--quiet'], env);
    expect(on.code, on.stderr).toBe(0);
    expect(await dhmcValues([prod1, web1])).toEqual(each([prod1, web1], DHMC_VALUE));
    const run = startInTerminal(['dhmc', 'disable', '--accounts', `${prod1},${web1}`], env, 160);
    await run.waitFor(/\[y\/N\]/);
    run.type('y\r');
    const r = await run.done;
    const shown = uncolour(r.stdout);
    expect(r.code, shown).toBe(0);
    expect(shown.match(/\[y\/N\]/g)).toHaveLength(1);
    const question = shown.slice(0, shown.indexOf('[y/N]'));
    // The same question in both accounts: asked once, on a line naming both.
    expect(question).toMatch(new RegExp(`^\\s*${prod1}, ${web1}: .*us-east-1`, 'm'));
    expect(await dhmcValues([prod1, web1])).toEqual(each([prod1, web1], '$None'));
  });

  it('profile create, then profile attach --tag: each account gets its own profile, attached to its own instance', async () => {
    const { prod1, prod2, dev1 } = org.accounts;
    const two = `${prod1},${dev1}`;
    const created = await ssmPerms(['profile', 'create', '--accounts', two, '--json'], env);
    expect(created.code, created.stderr).toBe(0);
    const c = doc(created.stdout);
    expectShape(c);
    expect(ids(c)).toEqual([prod1, dev1]);
    for (const a of c.accounts)
      expect(applied(a)).toEqual(expect.arrayContaining(['iam:CreateRole', 'iam:CreateInstanceProfile', 'iam:AddRoleToInstanceProfile']));
    for (const id of [prod1, dev1]) {
      const p = (await aws(['iam', 'get-instance-profile', '--instance-profile-name', PROFILE], await asAccount(id))) as {
        InstanceProfile: { Arn: string; Roles: { RoleName: string }[] };
      };
      expect(p.InstanceProfile.Arn).toBe(`arn:aws:iam::${id}:instance-profile/${PROFILE}`);
      expect(p.InstanceProfile.Roles).toHaveLength(1);
    }
    // Not in an account it was not asked to run in.
    await expect(aws(['iam', 'get-instance-profile', '--instance-profile-name', PROFILE], await asAccount(prod2))).rejects.toThrow(/NoSuchEntity/);

    const attached = await ssmPerms(['profile', 'attach', '--name', PROFILE, '--tag', 'Team=ops', '--accounts', two, '--json'], env);
    expect(attached.code, attached.stderr).toBe(0);
    const t = doc(attached.stdout);
    expectShape(t);
    expect(t.summary).toMatchObject({ accounts: 2, ok: 2, failed: 0 });
    for (const [id, instance] of [
      [prod1, org.instances.prod1],
      [dev1, org.instances.dev1],
    ] as const) {
      const a = entry(t, id);
      expect(a.changes?.map((x) => [x.operation, x.status, x.resource])).toEqual([
        ['ec2:AssociateIamInstanceProfile', 'applied', `arn:aws:ec2:us-east-1:${id}:instance/${instance}`],
      ]);
      const assoc = (await aws(['ec2', 'describe-iam-instance-profile-associations'], await asAccount(id))) as {
        IamInstanceProfileAssociations: { InstanceId: string; IamInstanceProfile: { Arn: string } }[];
      };
      expect(assoc.IamInstanceProfileAssociations.map((x) => [x.InstanceId, x.IamInstanceProfile.Arn])).toEqual([
        [instance, `arn:aws:iam::${id}:instance-profile/${PROFILE}`],
      ]);
    }
  });

  it('admin-policy generate --combined: offline (no call at all), one policy naming every account and region setting', async () => {
    const { prod1, dev1 } = org.accounts;
    const r = await ssmPerms(['admin-policy', 'generate', '--combined', '--accounts', `${prod1},${dev1}`, '--region', 'us-east-1,us-west-2', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(proxy.log()).toEqual([]);
    const policy = JSON.parse(r.stdout) as { Statement: { Action: string[]; Resource: string[] }[] };
    const settings = policy.Statement.find((s) => s.Action.includes('ssm:UpdateServiceSetting'))!;
    expect([...settings.Resource].sort()).toEqual(
      [prod1, dev1].flatMap((id) => ['us-east-1', 'us-west-2'].map((region) => `arn:aws:ssm:${region}:${id}:servicesetting${SETTING}`)).sort(),
    );
    const passRole = policy.Statement.find((s) => s.Action.includes('iam:PassRole'))!;
    expect([...passRole.Resource].sort()).toEqual([prod1, dev1].map((id) => `arn:aws:iam::${id}:role/${DHMC_VALUE}`).sort());

    // Without --combined: one policy per account, under `policy`, naming that account only.
    const apart = await ssmPerms(['admin-policy', 'generate', '--accounts', `${prod1},${dev1}`, '--json'], env);
    expect(apart.code, apart.stderr).toBe(0);
    expect(proxy.log()).toEqual([]);
    const d = doc(apart.stdout);
    expectShape(d);
    expect(ids(d)).toEqual([prod1, dev1]);
    for (const a of d.accounts) {
      const own = JSON.stringify(a.policy);
      expect(own).toContain(`arn:aws:ssm:us-east-1:${a.account}:servicesetting${SETTING}`);
      expect(own).not.toContain(a.account === prod1 ? dev1 : prod1);
    }
  });

  it('s3-policy generate --create: the policy stored in each account, naming its buckets; the document under each entry', async () => {
    const { prod1, dev1, dev2 } = org.accounts;
    const r = await ssmPerms(['s3-policy', 'generate', '--bucket', 'ops-logs', '--create', 'OpsS3Policy', '--accounts', `${prod1},${dev1}`, '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const d = doc(r.stdout);
    expectShape(d);
    expect(ids(d)).toEqual([prod1, dev1]);
    for (const id of [prod1, dev1]) {
      expect(JSON.stringify(entry(d, id).policy)).toContain('arn:aws:s3:::ops-logs/*');
      const arn = `arn:aws:iam::${id}:policy/OpsS3Policy`;
      const member = await asAccount(id);
      const p = (await aws(['iam', 'get-policy', '--policy-arn', arn], member)) as { Policy: { Arn: string; DefaultVersionId: string } };
      expect(p.Policy.Arn).toBe(arn);
      const v = (await aws(['iam', 'get-policy-version', '--policy-arn', arn, '--version-id', p.Policy.DefaultVersionId], member)) as {
        PolicyVersion: { Document: unknown };
      };
      // moto returns the document as stored (URL-decoded JSON, or already parsed).
      const stored = typeof v.PolicyVersion.Document === 'string' ? JSON.parse(decodeURIComponent(v.PolicyVersion.Document)) : v.PolicyVersion.Document;
      expect(stored).toEqual(entry(d, id).policy);
    }
    await expect(aws(['iam', 'get-policy', '--policy-arn', `arn:aws:iam::${dev2}:policy/OpsS3Policy`], await asAccount(dev2))).rejects.toThrow(/NoSuchEntity/);
  });

  it('doctor --accounts <OU Dev>: each account its own fleet and DHMC state, as the AWS CLI reads them; reads only', async () => {
    const { dev1, dev2 } = org.accounts;
    const r = await ssmPerms(['doctor', '--accounts', org.ou.dev, '--json'], env);
    // dev-1's instance is not ready (no route to Systems Manager): a check that found problems (6), not a failure.
    expect(r.code, r.stderr).toBe(6);
    const d = doc(r.stdout);
    expectShape(d);
    expect(ids(d).sort()).toEqual([dev1, dev2].sort());
    expect(d.accounts.every((a) => a.ok && a.status === 'done')).toBe(true);
    expect(writes()).toEqual([]);
    const instancesOf = (id: string) => (entry(d, id).instances as { instanceId: string }[]).map((i) => i.instanceId);
    expect(instancesOf(dev1)).toEqual([org.instances.dev1]);
    expect(instancesOf(dev2)).toEqual([]);
    const values = await dhmcValues([dev1, dev2]);
    for (const id of [dev1, dev2]) {
      const regions = entry(d, id).regions as { region: string; dhmcEnabled: boolean }[];
      expect(regions).toEqual([expect.objectContaining({ region: 'us-east-1', dhmcEnabled: values[id] !== '$None' })]);
    }
    // The instance profile doctor sees is the one the AWS CLI reads on dev-1's instance.
    const checks = (entry(d, dev1).instances as { checks: { id: string; message: string }[] }[])[0]!.checks;
    expect(checks.find((x) => x.id === 'identity-route')?.message).toContain(PROFILE);
  });

  it("doctor --instance-id across accounts: found in dev-1, 'not in this account' in the others; an id in none fails the run (6)", async () => {
    const { prod1, dev1, dev2 } = org.accounts;
    const held = org.instances.dev1;
    const r = await ssmPerms(['doctor', '--accounts', `${prod1},${org.ou.dev}`, '--instance-id', held, '--json'], env);
    const d = doc(r.stdout) as AccountsDoc & { summary: { notFound?: string[] } };
    expect(d.summary.notFound).toEqual([]);
    const instancesOf = (id: string) => (entry(d, id).instances as { instanceId: string }[]).map((i) => i.instanceId);
    expect(instancesOf(dev1)).toEqual([held]);
    for (const id of [prod1, dev2]) {
      expect(instancesOf(id)).toEqual([]);
      expect(entry(d, id).notFound).toEqual([held]);
    }
    // The exit code is dev-1's instance's own verdict (not ready: no route to Systems Manager), as the same run alone in dev-1 gives.
    const alone = await ssmPerms(['doctor', '--accounts', dev1, '--instance-id', held, '--json'], env);
    expect(r.code).toBe(alone.code);
    // The AWS CLI, in each account: the instance is dev-1's alone.
    for (const id of [prod1, dev1, dev2]) {
      const found = (await aws(['ec2', 'describe-instances', '--filters', `Name=instance-id,Values=${held}`], await asAccount(id))) as {
        Reservations: unknown[];
      };
      expect(found.Reservations.length, id).toBe(id === dev1 ? 1 : 0);
    }
    const text = await ssmPerms(['doctor', '--accounts', `${prod1},${dev1}`, '--instance-id', 'i-0ffffffffffffffff', '--no-color'], env);
    expect(text.code).toBe(6);
    expect(text.stdout).toContain('not found in any account read (or terminated): i-0ffffffffffffffff');
    expect(writes()).toEqual([]);
  });

  it('doctor --fix --dry-run across accounts: a plan per account for its own instances, nothing written anywhere', async () => {
    const { dev1, dev2 } = org.accounts;
    const r = await ssmPerms(['doctor', '--fix', '--dry-run', '--accounts', org.ou.dev, '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const d = doc(r.stdout);
    expectShape(d);
    expect(d.accounts.every((a) => a.ok && a.status === 'done')).toBe(true);
    const fixes = (id: string) => (entry(d, id).fixes as { status: string; instanceIds?: string[] }[]) ?? [];
    // dev-1's instance has no route to Systems Manager: something is planned there, for its instance only.
    expect(fixes(dev1).length).toBeGreaterThan(0);
    expect(JSON.stringify(entry(d, dev1))).toContain(org.instances.dev1);
    expect(JSON.stringify(entry(d, dev1))).not.toContain(org.instances.prod1);
    expect(fixes(dev2).filter((f) => f.status === 'planned')).toEqual([]);
    expect(writes()).toEqual([]);
  });

  it('hybrid-role create --accounts <OU Dev>: the role in each Dev account (trusting SSM), not in Prod', async () => {
    const { prod1, dev1, dev2 } = org.accounts;
    const r = await ssmPerms(['hybrid-role', 'create', '--accounts', org.ou.dev, '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const d = doc(r.stdout);
    expectShape(d);
    expect(ids(d).sort()).toEqual([dev1, dev2].sort());
    for (const id of [dev1, dev2]) {
      expect(entry(d, id).roleArn).toBe(`arn:aws:iam::${id}:role/SSMServiceRole`);
      const role = (await aws(['iam', 'get-role', '--role-name', 'SSMServiceRole'], await asAccount(id))) as {
        Role: { Arn: string; AssumeRolePolicyDocument: { Statement: { Principal: { Service: string } }[] } };
      };
      expect(role.Role.Arn).toBe(`arn:aws:iam::${id}:role/SSMServiceRole`);
      expect(role.Role.AssumeRolePolicyDocument.Statement.map((s) => s.Principal.Service)).toEqual(['ssm.amazonaws.com']);
    }
    await expect(aws(['iam', 'get-role', '--role-name', 'SSMServiceRole'], await asAccount(prod1))).rejects.toThrow(/NoSuchEntity/);
  });

  it('a member whose AssumeRole is refused fails alone, named, exit 4; the others are done; a rerun converges, changing only that account', async () => {
    const { prod1, prod2, web1, dev1, dev2 } = org.accounts;
    const everyone = [MANAGEMENT, prod1, prod2, web1, dev1, dev2];
    expect(await dhmcValues([dev1])).toEqual({ [dev1]: '$None' });
    proxy.setRules([{ service: 'sts', operation: 'AssumeRole', bodyIncludes: dev1, fault: 'denied' }]);
    // As a person reads it: the account named with its error, the others' results, the count.
    const text = await ssmPerms(['dhmc', 'status', '--accounts', org.ou.dev], env);
    expect(text.code, text.stderr).toBe(4);
    expect(text.stdout).toContain(`account ${dev1} (dev-1) failed`);
    expect(text.stdout).toContain(`sts:AssumeRole on arn:aws:iam::${dev1}:role/${ORG_ROLE} was refused`);
    expect(text.stdout).toMatch(new RegExp(`^${dev2}\\s+dev-2\\s+us-east-1\\s+off`, 'm'));
    expect(text.stdout).toMatch(/^2 accounts: 1 ok, 1 failed/m);
    const r = await ssmPerms(['dhmc', 'enable', '--accounts', 'all', '--yes', '--json'], env);
    expect(r.code, r.stderr).toBe(4);
    const d = doc(r.stdout);
    expectShape(d);
    expect(ids(d).sort()).toEqual([...everyone].sort());
    const failed = entry(d, dev1);
    expect(failed).toMatchObject({ account: dev1, name: 'dev-1', ok: false, status: 'failed', exitCode: 4 });
    expect(failed.error?.message).toContain(`arn:aws:iam::${dev1}:role/${ORG_ROLE}`);
    expect(failed.error?.hint).toMatch(/trust policy/);
    expect(failed.changes).toBeUndefined();
    for (const a of d.accounts.filter((x) => x.account !== dev1)) expect(a).toMatchObject({ ok: true, status: 'done', exitCode: 0, error: null });
    expect(d.summary).toMatchObject({ accounts: 6, ok: 5, failed: 1, notAttempted: 0 });
    expect(proxy.log().filter((x) => x.operation === 'AssumeRole' && x.fault === 'denied').length).toBeGreaterThan(0);
    expect(await dhmcValues(everyone)).toEqual({ ...each(everyone, DHMC_VALUE), [dev1]: '$None' });

    proxy.setRules([]);
    const again = await ssmPerms(['dhmc', 'enable', '--accounts', 'all', '--yes', '--json'], env);
    expect(again.code, again.stderr).toBe(0);
    const a2 = doc(again.stdout);
    expect(a2.summary).toMatchObject({ accounts: 6, ok: 6, failed: 0, notAttempted: 0 });
    // Only dev-1 had anything left to do.
    expect(a2.accounts.filter((a) => (a.changes ?? []).length > 0).map((a) => a.account)).toEqual([dev1]);
    expect(applied(entry(a2, dev1))).toContain('ssm:UpdateServiceSetting');
    // The others were read on in every account above, and the rerun changed nothing there.
    expect(await dhmcValues([dev1])).toEqual({ [dev1]: DHMC_VALUE });
  });

  it('--org-role, --org-role-path, --role-session-name and --external-id are what AssumeRole is sent (the proxy refuses any other form)', async () => {
    const { dev1, dev2 } = org.accounts;
    // Refused: the default role, the role without its path, the default session name. The query body
    // encodes the ARN's ':' and '/' (%3A, %2F).
    proxy.setRules([
      { service: 'sts', operation: 'AssumeRole', bodyIncludes: 'OrganizationAccountAccessRole', fault: 'denied' },
      { service: 'sts', operation: 'AssumeRole', bodyIncludes: 'role%2FAWSControlTowerExecution', fault: 'denied' },
      { service: 'sts', operation: 'AssumeRole', bodyIncludes: 'RoleSessionName=ssm-perms', fault: 'denied' },
      { service: 'sts', operation: 'AssumeRole', bodyIncludes: 'ExternalId=wrong-id', fault: 'denied' },
    ]);
    const custom = [
      'dhmc',
      'status',
      '--accounts',
      org.ou.dev,
      '--org-role',
      'AWSControlTowerExecution',
      '--org-role-path',
      '/ct/',
      '--role-session-name',
      'e2e-session',
      '--json',
    ];
    const r = await ssmPerms(custom, env);
    expect(r.code, r.stderr).toBe(0);
    expect(doc(r.stdout).summary).toMatchObject({ accounts: 2, ok: 2 });
    expect(
      proxy
        .log()
        .filter((x) => x.operation === 'AssumeRole')
        .map((x) => x.fault),
    ).toEqual([null, null]);

    const refused = await ssmPerms([...custom, '--external-id', 'wrong-id'], env);
    expect(refused.code, refused.stderr).toBe(4);
    const d = doc(refused.stdout);
    for (const id of [dev1, dev2]) {
      const a = entry(d, id);
      expect(a.status).toBe('failed');
      expect(a.error?.message).toContain(`arn:aws:iam::${id}:role/ct/AWSControlTowerExecution`);
      expect(a.error?.hint).toContain('--external-id');
    }
  });

  it('Ctrl-C stops starting accounts: the one done is reported done, the others not attempted, exit 130; a rerun does only those', async () => {
    const { prod1, prod2 } = org.accounts;
    const role = 'InterruptedRunRole';
    // The management account last: entered without a role, so nothing but the Ctrl-C stops it from starting.
    const three = [prod1, prod2, MANAGEMENT];
    const args = ['hybrid-role', 'create', '--role-name', role, '--accounts', three.join(','), '--account-concurrency', '1', '--yes', '--json'];
    // One account at a time; prod-2's AssumeRole is held in the proxy, so the Ctrl-C comes while prod-1 is done and prod-2 is being entered.
    proxy.setRules([{ service: 'sts', operation: 'AssumeRole', bodyIncludes: prod2, fault: 'hold' }]);
    const cli = startSsmPerms(args, env);
    await proxy.waitFor(() => proxy.held() === 1, { what: "prod-2's AssumeRole held" });
    cli.interrupt();
    const r = await cli.done;
    proxy.stopHolding();
    expect(r.code, r.stderr).toBe(130);
    const d = doc(r.stdout);
    expectShape(d);
    expect(d.accounts.map((a) => [a.account, a.status, a.ok])).toEqual([
      [prod1, 'done', true],
      [prod2, 'not-attempted', false],
      [MANAGEMENT, 'not-attempted', false],
    ]);
    expect(d.summary).toMatchObject({ accounts: 3, ok: 1, failed: 0, notAttempted: 2 });
    const exists = async (id: string) =>
      aws(['iam', 'get-role', '--role-name', role], await asAccount(id)).then(
        () => true,
        (e: Error) => (/NoSuchEntity/.test(e.message) ? false : Promise.reject(e)),
      );
    expect(await Promise.all(three.map(exists))).toEqual([true, false, false]);

    proxy.setRules([]);
    const again = await ssmPerms(args, env);
    expect(again.code, again.stderr).toBe(0);
    const a2 = doc(again.stdout);
    expect(a2.summary).toMatchObject({ accounts: 3, ok: 3, failed: 0, notAttempted: 0 });
    expect(a2.accounts.filter((a) => (a.changes ?? []).length > 0).map((a) => a.account)).toEqual([prod2, MANAGEMENT]);
    expect(await Promise.all(three.map(exists))).toEqual([true, true, true]);
  });
});
