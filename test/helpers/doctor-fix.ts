// Shared by the doctor --fix tests: a running instance in a public subnet, and the IAM calls of
// `profile create` with its defaults (the changes a profile-create fix plans).
import type { Instance } from '@aws-sdk/client-ec2';

export function publicInstance(id: string, over: Partial<Instance> = {}): Instance {
  return {
    InstanceId: id,
    State: { Name: 'running' },
    VpcId: 'vpc-pub',
    SubnetId: 'subnet-pub',
    PrivateIpAddress: '10.0.1.5',
    PublicIpAddress: '54.0.0.1',
    SecurityGroups: [{ GroupId: 'sg-web' }],
    ...over,
  };
}

export const PROFILE_CREATE_CALLS = ['iam:CreateRole', 'iam:AttachRolePolicy', 'iam:CreateInstanceProfile', 'iam:AddRoleToInstanceProfile'];
