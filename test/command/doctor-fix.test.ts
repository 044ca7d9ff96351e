// doctor --fix in-process, against a small mocked AWS that remembers what was changed: one instance with
// no profile (DHMC off) and IMDS off. The plan, --dry-run (exit 0, no write), no consent (exit 2, no
// write), --yes (profile created, attached, IMDS on; diagnosed again: before/after), bad input (exit 2).
import {
  AssociateIamInstanceProfileCommand,
  DescribeIamInstanceProfileAssociationsCommand,
  DescribeInstancesCommand,
  ModifyInstanceMetadataOptionsCommand,
  type Instance,
} from '@aws-sdk/client-ec2';
import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  GetInstanceProfileCommand,
  GetPolicyCommand,
  GetRoleCommand,
  ListInstanceProfilesForRoleCommand,
} from '@aws-sdk/client-iam';
import { DescribeInstanceInformationCommand, GetServiceSettingCommand, ListAssociationsCommand } from '@aws-sdk/client-ssm';
import { beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, CORE_ARN, coreProfile, ec2, expectNoAwsCall, iam, resetAws, ssm } from '../helpers/aws-mocks.js';
import { awsError } from '../helpers/aws-errors.js';
import { cli } from '../helpers/cli-io.js';
import { FakeClock } from '../helpers/service-env.js';
import { PROFILE_CREATE_CALLS, publicInstance, publicSubnetNetwork } from '../helpers/doctor-fix.js';

const ID = 'i-00000000000000001';
const PROFILE = 'SSMInstanceProfile';
const PROFILE_ARN = `arn:aws:iam::${ACCOUNT}:instance-profile/${PROFILE}`;
const SETTING_ARN = `arn:aws:ssm:us-east-1:${ACCOUNT}:servicesetting/ssm/managed-instance/default-ec2-instance-management-role`;

/** The world's state, changed by the writes the run sends. */
let state: { imds: 'enabled' | 'disabled'; profileCreated: boolean; associated: boolean };

function world() {
  state = { imds: 'disabled', profileCreated: false, associated: false };
  const instance = (): Instance =>
    publicInstance(ID, {
      MetadataOptions: { HttpEndpoint: state.imds, HttpTokens: 'required' },
      ...(state.associated ? { IamInstanceProfile: { Arn: PROFILE_ARN, Id: 'AIPA' } } : {}),
    });
  ec2.on(DescribeInstancesCommand).callsFake(() => ({ Reservations: [{ Instances: [instance()] }] }));
  ec2.on(DescribeIamInstanceProfileAssociationsCommand).callsFake(() => ({
    IamInstanceProfileAssociations: state.associated
      ? [{ InstanceId: ID, AssociationId: 'iip-assoc-1', State: 'associated', IamInstanceProfile: { Arn: PROFILE_ARN, Id: 'AIPA' } }]
      : [],
  }));
  publicSubnetNetwork();
  ec2.on(ModifyInstanceMetadataOptionsCommand).callsFake(() => {
    state.imds = 'enabled';
    return {};
  });
  ec2.on(AssociateIamInstanceProfileCommand).callsFake(() => {
    state.associated = true;
    return { IamInstanceProfileAssociation: { AssociationId: 'iip-assoc-1', State: 'associating' } };
  });
  ssm.on(GetServiceSettingCommand).resolves({ ServiceSetting: { SettingId: SETTING_ARN, SettingValue: '$None', Status: 'Default', ARN: SETTING_ARN } });
  ssm.on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: [] });
  ssm.on(ListAssociationsCommand).resolves({ Associations: [] });
  // No profile, no role until the run creates them; then they read as profile create left them.
  iam.on(GetRoleCommand).rejects(awsError('NoSuchEntity', 'The role cannot be found'));
  iam.on(GetInstanceProfileCommand).rejects(awsError('NoSuchEntity', 'The instance profile cannot be found'));
  iam.on(GetPolicyCommand, { PolicyArn: CORE_ARN }).resolves({ Policy: { Arn: CORE_ARN, DefaultVersionId: 'v3' } });
  iam.on(ListInstanceProfilesForRoleCommand).resolves({ InstanceProfiles: [] });
  iam.on(CreateRoleCommand).resolves({});
  iam.on(AttachRolePolicyCommand).resolves({});
  iam.on(CreateInstanceProfileCommand).callsFake(() => {
    state.profileCreated = true;
    return {};
  });
  iam.on(AddRoleToInstanceProfileCommand).callsFake(() => {
    coreProfile(PROFILE, PROFILE);
    return {};
  });
}

/** Every write sent, whatever the service (the reads are Describe/Get/List). */
const writes = () =>
  [...iam.calls(), ...ec2.calls(), ...ssm.calls()].map((c) => (c.args[0] as object).constructor.name).filter((name) => !/^(Describe|Get|List)/.test(name));

interface FixDoc {
  dryRun: boolean;
  fixes: { id: string; status: string; instanceIds: string[]; error: { code: string } | null }[];
  changes: { operation: string; status: string }[];
  before: Record<string, number>;
  after: Record<string, number> | null;
}

beforeEach(() => {
  resetAws();
  world();
});

describe('doctor --fix', () => {
  it('--dry-run prints the grouped plan and exits 0 without a write', async () => {
    const r = await cli(['doctor', '--fix', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Fix plan (dry run, nothing changed):');
    expect(r.stdout).toMatch(/planned\s+global\s+instance profile SSMInstanceProfile \(created if missing/);
    expect(r.stdout).toMatch(/planned\s+us-east-1\s+turn the instance metadata service on/);
    expect(r.stdout).toContain(`for 1 instance: ${ID}`);
    expect(writes()).toHaveLength(0);
  });

  it('--json: every fix planned, the changes of the services they stand for, the verdicts before', async () => {
    const r = await cli(['doctor', '--fix', '--dry-run', '--json']);
    const doc = JSON.parse(r.stdout) as FixDoc;
    expect(doc.dryRun).toBe(true);
    expect(doc.fixes.map((f) => [f.id, f.status])).toEqual([
      ['profile-create:SSMInstanceProfile', 'planned'],
      ['profile-attach:us-east-1:SSMInstanceProfile', 'planned'],
      ['imds:us-east-1:enable', 'planned'],
    ]);
    expect(doc.changes.map((c) => c.operation)).toEqual([...PROFILE_CREATE_CALLS, 'ec2:AssociateIamInstanceProfile', 'ec2:ModifyInstanceMetadataOptions']);
    expect(doc.before).toMatchObject({ total: 1, notReady: 1 });
    expect(doc.after).toBeNull();
  });

  it('without consent and no prompt: exit 2, nothing changed, the hint names --yes', async () => {
    const r = await cli(['doctor', '--fix', '--no-input']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--yes');
    expect(writes()).toHaveLength(0);
  });

  it('at a terminal, one question lists the fixes; n changes nothing', async () => {
    const r = await cli(['doctor', '--fix'], { tty: true, input: 'n\n' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('doctor --fix will make 6 changes in 3 fixes:');
    expect(r.stderr).toContain('global: instance profile SSMInstanceProfile');
    expect(writes()).toHaveLength(0);
  });

  it('--yes applies in order, diagnoses again, and prints before -> after', async () => {
    const r = await cli(['doctor', '--fix', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(state).toEqual({ imds: 'enabled', profileCreated: true, associated: true });
    expect(ec2.commandCalls(ModifyInstanceMetadataOptionsCommand)[0]!.args[0].input).toEqual({
      InstanceId: ID,
      HttpEndpoint: 'enabled',
      HttpTokens: 'required',
    });
    expect(r.stdout).toContain('before -> after (1 instance): ready 0 -> 1, not-ready 1 -> 0');
    // A profile was attached: how soon it takes, and how to follow it.
    expect(r.stderr).toContain('note: Instances pick up their new permissions within minutes; follow them with: ssm-perms doctor --watch --region');
    const again = await cli(['doctor', '--fix', '--json']);
    // A second --fix has nothing to do.
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ dryRun: false, changes: [], fixes: [] });
  });

  it('after an IMDS fix alone the note says the agent registers at its next retry, not that a profile is picked up', async () => {
    coreProfile(PROFILE, PROFILE);
    state.associated = true;
    const r = await cli(['doctor', '--fix', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('note: SSM Agent registers at its next retry, within minutes; follow them with: ssm-perms doctor --watch');
    expect(r.stderr).not.toContain('new permissions');
  });

  it('--watch after applying: follows the instance until it registers, exit 0', async () => {
    const clock = new FakeClock();
    // The agent registers once it has its profile and IMDS, one watch round after the fixes.
    ssm.on(DescribeInstanceInformationCommand).callsFake(() => ({
      InstanceInformationList:
        state.associated && state.imds === 'enabled' && clock.waits.length >= 1
          ? [{ InstanceId: ID, PingStatus: 'Online', AgentVersion: '3.3.1611.0', LastPingDateTime: new Date(clock.t), PlatformType: 'Linux' }]
          : [],
    }));
    const r = await cli(['doctor', '--fix', '--yes', '--watch', '--interval', '10', '--json'], { clock });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as FixDoc & { watch: { rounds: number; allManaged: boolean; changes: { from: string; to: string }[] } };
    expect(clock.waits).toEqual([10_000]);
    expect(doc.watch).toMatchObject({ rounds: 2, allManaged: true, changes: [{ from: 'ready', to: 'managed' }] });
    expect(doc.before).toMatchObject({ notReady: 1 });
    expect(doc.after).toMatchObject({ managed: 1 });
    expect(r.stderr).toContain(`${ID} (us-east-1): ready -> managed`);
  });

  it('a fix that fails fails alone, named, and its dependants are not attempted: exit 4 for a denial', async () => {
    iam
      .on(CreateRoleCommand)
      .rejects(awsError('AccessDenied', `User: x is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::${ACCOUNT}:role/${PROFILE}`));
    const r = await cli(['doctor', '--fix', '--yes', '--json']);
    expect(r.code, r.stderr).toBe(4);
    const doc = JSON.parse(r.stdout) as FixDoc;
    expect(doc.fixes.map((f) => [f.id, f.status, f.error?.code ?? null])).toEqual([
      ['profile-create:SSMInstanceProfile', 'failed', 'AccessDenied'],
      ['profile-attach:us-east-1:SSMInstanceProfile', 'failed', 'NotAttempted'],
      ['imds:us-east-1:enable', 'applied', null],
    ]);
    expect(state.imds).toBe('enabled');
    expect(doc.after).toMatchObject({ notReady: 1 });
  });

  it('Ctrl-C while the fixes are applied: the changes made so far are reported, exit 130', async () => {
    const interrupt = new AbortController();
    // Ctrl-C at the second read of the instances (the attachment's own read, once the profile exists).
    let reads = 0;
    ec2.on(DescribeInstancesCommand).callsFake(() => {
      reads += 1;
      if (reads === 2) {
        interrupt.abort(new Error('interrupted'));
        throw Object.assign(new Error('The operation was aborted'), { name: 'AbortError' });
      }
      return {
        Reservations: [{ Instances: [publicInstance(ID, { MetadataOptions: { HttpEndpoint: state.imds, HttpTokens: 'required' } })] }],
      };
    });
    const r = await cli(['doctor', '--fix', '--yes', '--json'], { signal: interrupt.signal });
    expect(r.code, r.stderr).toBe(130);
    const doc = JSON.parse(r.stdout) as { changes: { operation: string; status: string }[]; after: unknown };
    // The profile was made before Ctrl-C: its changes are in the report, as applied.
    expect(doc.changes.filter((c) => c.status === 'applied').map((c) => c.operation)).toEqual(
      expect.arrayContaining(['iam:CreateRole', 'iam:CreateInstanceProfile']),
    );
    expect(state.profileCreated).toBe(true);
    expect(doc.after).toBeNull();
  });

  it('-o markdown is the diagnosis: with --fix it is a usage error before any call', async () => {
    const r = await cli(['doctor', '--fix', '-o', 'markdown']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('-o markdown is the diagnosis; --fix prints its plan and changes');
    expectNoAwsCall();
  });

  it('an --instance-id that does not exist is said, and fails the run (6), with or without --dry-run - not "nothing to fix"', async () => {
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });
    for (const extra of [['--dry-run'], ['--yes']]) {
      const r = await cli(['doctor', '--fix', '--instance-id', 'i-0ffffffffffffffff', '--region', 'us-east-1', ...extra]);
      expect(r.code, extra.join(' ')).toBe(6);
      expect(r.stderr).toContain('warning: not found in us-east-1 (or terminated): i-0ffffffffffffffff; nothing was planned for them.');
    }
    expect(writes()).toHaveLength(0);
  });

  it('an --instance-id that exists: no not-found warning', async () => {
    const r = await cli(['doctor', '--fix', '--dry-run', '--instance-id', ID, '--region', 'us-east-1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('not found');
  });

  it('bad input exits 2 before any AWS call', async () => {
    for (const argv of [
      ['doctor', '--fix', '--strategy', 'both'],
      ['doctor', '--strategy', 'dhmc'],
      ['doctor', '--require-imdsv2'],
      ['doctor', '--fix', '--profile-name', 'bad name'],
    ]) {
      const r = await cli(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^error: .*(--strategy|--require-imdsv2|--profile-name)/m);
    }
    expectNoAwsCall();
  });
});
