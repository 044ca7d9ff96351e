// readInstanceProfile / planInstanceProfile / profilesForRole. IAM facts: "An instance profile can
// contain only one role, and this quota cannot be increased" (IAM API reference, AddRoleToInstanceProfile:
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_AddRoleToInstanceProfile.html; IAM User Guide,
// IAM and AWS STS quotas: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html);
// GetInstanceProfile answers NoSuchEntity for a missing profile
// (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetInstanceProfile.html); IAM names are
// case-insensitive, and a resource created a moment ago may answer NoSuchEntity until IAM propagates it
// (eventual consistency, AddRoleToInstanceProfile page above).
import {
  AddRoleToInstanceProfileCommand,
  CreateInstanceProfileCommand,
  GetInstanceProfileCommand,
  ListInstanceProfilesForRoleCommand,
  type InstanceProfile,
} from '@aws-sdk/client-iam';
import { beforeEach, describe, expect, it } from 'vitest';
import { createClientFactory } from '../../../src/services/aws/clients.js';
import { planInstanceProfile, profilesForRole, readInstanceProfile, type InstanceProfileSpec } from '../../../src/services/iam/instance-profile.js';
import { planned, runSteps } from '../../../src/services/steps.js';
import { awsError } from '../../helpers/aws-errors.js';
import { testEnv } from '../../helpers/service-env.js';
import { iam, iamWrites, resetAws } from '../../helpers/aws-mocks.js';

const api = () => createClientFactory({}).iam('us-east-1');
const denied = () => awsError('AccessDenied', 'User is not authorized.', 403);
const ROLE_ARN = 'arn:aws:iam::111122223333:role/R';
const PROFILE_ARN = 'arn:aws:iam::111122223333:instance-profile/P';

const spec = (over: Partial<InstanceProfileSpec> = {}): InstanceProfileSpec => ({
  partition: 'aws',
  account: '111122223333',
  name: 'P',
  path: '/',
  roleName: 'R',
  roleArn: ROLE_ARN,
  tags: [],
  ...over,
});

function profile(over: Partial<InstanceProfile>) {
  iam.on(GetInstanceProfileCommand).resolves({
    InstanceProfile: { InstanceProfileName: 'P', Arn: PROFILE_ARN, Path: '/', InstanceProfileId: 'AIPA', CreateDate: new Date(), Roles: [], ...over },
  });
}
const roleIn = (RoleName: string) => ({ RoleName, Arn: `arn:aws:iam::111122223333:role/${RoleName}`, Path: '/', RoleId: 'AROA', CreateDate: new Date() });

beforeEach(() => resetAws());

describe('readInstanceProfile', () => {
  it("gives IAM's spelling of the name, the ARN and the role names", async () => {
    profile({ InstanceProfileName: 'MyProfile', Arn: 'arn:aws:iam::111122223333:instance-profile/ops/MyProfile', Roles: [roleIn('MyRole')] });
    expect(await readInstanceProfile(await api(), 'myprofile')).toEqual({
      name: 'MyProfile',
      arn: 'arn:aws:iam::111122223333:instance-profile/ops/MyProfile',
      roleNames: ['MyRole'],
    });
  });

  it('fills what an answer leaves out: the name asked, an empty ARN, no roles, empty role names', async () => {
    iam.on(GetInstanceProfileCommand).resolves({ InstanceProfile: { InstanceProfileId: 'AIPA' } as InstanceProfile });
    expect(await readInstanceProfile(await api(), 'P')).toEqual({ name: 'P', arn: '', roleNames: [] });
    iam.on(GetInstanceProfileCommand).resolves({ InstanceProfile: { InstanceProfileName: 'P', Roles: [{ RoleId: 'AROA' }] } as InstanceProfile });
    expect(await readInstanceProfile(await api(), 'P')).toEqual({ name: 'P', arn: '', roleNames: [''] });
  });

  it('is null for NoSuchEntity and for an answer without a profile', async () => {
    iam.on(GetInstanceProfileCommand).rejects(awsError('NoSuchEntity', 'Instance Profile P cannot be found.', 404));
    expect(await readInstanceProfile(await api(), 'P')).toBeNull();
    iam.on(GetInstanceProfileCommand).resolves({} as never);
    expect(await readInstanceProfile(await api(), 'P')).toBeNull();
  });

  it('names GetInstanceProfile when it fails', async () => {
    iam.on(GetInstanceProfileCommand).rejects(denied());
    expect(await readInstanceProfile(await api(), 'P').catch((e) => e)).toMatchObject({ exitCode: 4, action: 'iam:GetInstanceProfile' });
    iam.on(GetInstanceProfileCommand).rejects(awsError('ServiceFailure', 'Internal failure.', 500));
    const err = await readInstanceProfile(await api(), 'P').catch((e) => e);
    expect(err).toMatchObject({ code: 'ServiceFailure', exitCode: 5 });
    expect(err.message).toMatch(/^iam:GetInstanceProfile failed/);
  });
});

describe('planInstanceProfile', () => {
  it('refuses a profile holding another role, naming it in the message and in the hint', async () => {
    profile({ InstanceProfileName: 'P', Roles: [roleIn('Other')] });
    expect(await planInstanceProfile(await api(), spec()).catch((e) => e)).toMatchObject({
      code: 'InstanceProfileHoldsAnotherRole',
      exitCode: 6,
      message: 'instance profile P already holds role Other; a profile holds one role at most',
      hint: "Use another name (--name), or give that profile's role the Systems Manager permissions with: ssm-perms profile update --role-name Other",
    });
  });

  it('keeps a profile that already holds the role, whatever the case of its name', async () => {
    profile({ Roles: [roleIn('r')] });
    expect(await planInstanceProfile(await api(), spec())).toEqual({ arn: PROFILE_ARN, steps: [] });
  });

  it('builds the ARN from path and name when the answer has none, and adds the role to a profile without Roles', async () => {
    iam.on(GetInstanceProfileCommand).resolves({ InstanceProfile: { InstanceProfileName: 'P', InstanceProfileId: 'AIPA' } as InstanceProfile });
    const p = await planInstanceProfile(await api(), spec({ path: '/ops/' }));
    expect(p.arn).toBe('arn:aws:iam::111122223333:instance-profile/ops/P');
    expect(p.steps.map((s) => s.change)).toEqual([
      planned({
        region: null,
        action: 'attach',
        resource: 'arn:aws:iam::111122223333:instance-profile/ops/P',
        operation: 'iam:AddRoleToInstanceProfile',
        details: { roleName: 'R' },
      }),
    ]);
  });

  it('waits for IAM to show a profile created in this run before adding the role', async () => {
    iam.on(GetInstanceProfileCommand).rejects(awsError('NoSuchEntity', 'Instance Profile P cannot be found.', 404));
    iam.on(CreateInstanceProfileCommand).resolves({});
    iam
      .on(AddRoleToInstanceProfileCommand)
      .rejectsOnce(awsError('NoSuchEntity', 'Instance Profile P cannot be found.', 404))
      .resolves({});
    const env = testEnv();
    const changes = await runSteps(env, (await planInstanceProfile(await api(), spec({ tags: [{ Key: 'Team', Value: 'ops' }] }))).steps);
    expect(changes.map((c) => [c.operation, c.status])).toEqual([
      ['iam:CreateInstanceProfile', 'applied'],
      ['iam:AddRoleToInstanceProfile', 'applied'],
    ]);
    expect(env.clock.waits).toEqual([1000]);
    expect(iamWrites()).toEqual([
      ['CreateInstanceProfile', { InstanceProfileName: 'P', Path: '/', Tags: [{ Key: 'Team', Value: 'ops' }] }],
      ['AddRoleToInstanceProfile', { InstanceProfileName: 'P', RoleName: 'R' }],
      ['AddRoleToInstanceProfile', { InstanceProfileName: 'P', RoleName: 'R' }],
    ]);
  });

  it('waits for IAM to show a role created in this run before adding it to an existing profile', async () => {
    profile({});
    iam
      .on(AddRoleToInstanceProfileCommand)
      .rejectsOnce(awsError('NoSuchEntity', 'The role with name R cannot be found.', 404))
      .resolves({});
    const roleCreated = {
      change: planned({ region: null, action: 'create', resource: ROLE_ARN, operation: 'iam:CreateRole', details: {} }),
      run: async () => {},
    };
    const env = testEnv();
    const changes = await runSteps(env, [roleCreated, ...(await planInstanceProfile(await api(), spec())).steps]);
    expect(changes.map((c) => c.status)).toEqual(['applied', 'applied']);
    expect(env.clock.waits).toEqual([1000]);
  });
});

describe('profilesForRole', () => {
  it('follows the pages and keeps the profiles that have both a name and an ARN', async () => {
    iam
      .on(ListInstanceProfilesForRoleCommand)
      .resolvesOnce({
        InstanceProfiles: [
          { InstanceProfileName: 'A', Arn: 'arn:aws:iam::111122223333:instance-profile/ops/A' },
          { InstanceProfileName: 'NoArn' },
          { Arn: 'arn:aws:iam::111122223333:instance-profile/NoName' },
        ] as InstanceProfile[],
        IsTruncated: true,
        Marker: 'm1',
      })
      .resolvesOnce({
        InstanceProfiles: [{ InstanceProfileName: 'B', Arn: 'arn:aws:iam::111122223333:instance-profile/B' }] as InstanceProfile[],
        IsTruncated: false,
      });
    expect(await profilesForRole(await api(), 'R')).toEqual([
      { name: 'A', arn: 'arn:aws:iam::111122223333:instance-profile/ops/A' },
      { name: 'B', arn: 'arn:aws:iam::111122223333:instance-profile/B' },
    ]);
    expect(iam).toHaveReceivedNthCommandWith(ListInstanceProfilesForRoleCommand, 2, { RoleName: 'R', Marker: 'm1' });
  });

  it('names ListInstanceProfilesForRole when it fails', async () => {
    iam.on(ListInstanceProfilesForRoleCommand).rejects(denied());
    expect(await profilesForRole(await api(), 'R').catch((e) => e)).toMatchObject({ exitCode: 4, action: 'iam:ListInstanceProfilesForRole' });
    iam.on(ListInstanceProfilesForRoleCommand).rejects(awsError('ServiceFailure', 'Internal failure.', 500));
    const err = await profilesForRole(await api(), 'R').catch((e) => e);
    expect(err).toMatchObject({ code: 'ServiceFailure', exitCode: 5 });
    expect(err.message).toMatch(/^iam:ListInstanceProfilesForRole failed/);
  });
});
