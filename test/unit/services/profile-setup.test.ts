// planProfile (profile create / profile update / hybrid-role create): the role and the instance profile that carries it.
import { GetInstanceProfileCommand, GetRoleCommand, ListInstanceProfilesForRoleCommand } from '@aws-sdk/client-iam';
import { beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, iam, resetAws } from '../../helpers/aws-mocks.js';
import { awsError } from '../../helpers/aws-errors.js';
import { testEnv } from '../../helpers/service-env.js';
import { serviceTrustPolicy } from '../../../src/policies/trust.js';
import { planProfile } from '../../../src/services/profile/setup.js';
import type { RoleSetupSpec } from '../../../src/services/iam/role-setup.js';

const role = (over: Partial<RoleSetupSpec> = {}): RoleSetupSpec => ({
  partition: 'aws',
  account: ACCOUNT,
  roleName: 'AgentRole',
  path: '/ops/',
  trustService: 'ec2.amazonaws.com',
  trustPolicy: serviceTrustPolicy('ec2.amazonaws.com'),
  existingTrust: 'warn',
  mustExist: false,
  description: undefined,
  tags: [],
  policyArns: [],
  policyQuota: 10,
  ...over,
});

beforeEach(() => {
  resetAws();
  iam.on(GetRoleCommand).rejects(awsError('NoSuchEntity', 'The role with name AgentRole cannot be found.', 404));
  iam.on(GetInstanceProfileCommand).rejects(awsError('NoSuchEntity', 'Instance Profile AgentRole cannot be found.', 404));
});

describe('planProfile with "any" instance profile', () => {
  it("for a role created in this run, plans a profile of the role's name and path, without asking IAM which profiles hold it", async () => {
    const plan = await planProfile(testEnv(), { iamRegion: 'us-east-1', role: role(), instanceProfile: 'any' });
    expect(plan.instanceProfileArn).toBe(`arn:aws:iam::${ACCOUNT}:instance-profile/ops/AgentRole`);
    expect(plan.steps.map((s) => [s.change.operation, s.change.resource])).toEqual([
      ['iam:CreateRole', `arn:aws:iam::${ACCOUNT}:role/ops/AgentRole`],
      ['iam:CreateInstanceProfile', `arn:aws:iam::${ACCOUNT}:instance-profile/ops/AgentRole`],
      ['iam:AddRoleToInstanceProfile', `arn:aws:iam::${ACCOUNT}:instance-profile/ops/AgentRole`],
    ]);
    expect(iam).not.toHaveReceivedCommand(ListInstanceProfilesForRoleCommand);
  });
});
