// The AWS side of an in-process test: one aws-sdk-client-mock per client the CLI builds, reset before
// each test with STS naming the test account, and the IAM answers many tests share (a role with its
// trust, AmazonSSMManagedInstanceCore as IAM returns it).
import { EC2Client } from '@aws-sdk/client-ec2';
import {
  GetInstanceProfileCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  type GetRoleCommandOutput,
} from '@aws-sdk/client-iam';
import { SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { expect } from 'vitest';
import { serviceTrustPolicy, type PolicyDocument } from '../../src/policies/trust.js';

export const ACCOUNT = '111122223333';
export const CORE_ARN = 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore';

export const ec2 = mockClient(EC2Client);
export const ssm = mockClient(SSMClient);
export const iam = mockClient(IAMClient);
export const sts = mockClient(STSClient);

/** Every mock emptied; STS answers GetCallerIdentity with ACCOUNT (as an admin user). */
export function resetAws(): void {
  for (const m of [ec2, ssm, iam, sts]) m.reset();
  sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/admin` });
}

/** The request was refused before anything reached AWS. */
export function expectNoAwsCall(): void {
  expect([...ec2.calls(), ...ssm.calls(), ...iam.calls(), ...sts.calls()]).toHaveLength(0);
}

/** IAM returns policy documents URL-encoded. */
export const iamEncoded = (doc: PolicyDocument): string => encodeURIComponent(JSON.stringify(doc));

/** GetRole's answer for a role trusted by one service (or by the trust document given). */
export function roleAnswer(name: string, trust: string | PolicyDocument, path = '/'): GetRoleCommandOutput {
  return {
    $metadata: {},
    Role: {
      RoleName: name,
      Path: path,
      Arn: `arn:aws:iam::${ACCOUNT}:role${path}${name}`,
      RoleId: `AROA${name.toUpperCase().slice(0, 12)}`,
      CreateDate: new Date('2026-01-01T00:00:00Z'),
      AssumeRolePolicyDocument: iamEncoded(typeof trust === 'string' ? serviceTrustPolicy(trust) : trust),
    },
  };
}

/** The agent's actions, as AmazonSSMManagedInstanceCore grants them. */
export const CORE_DOCUMENT: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: ['ssm:UpdateInstanceInformation', 'ssm:ListInstanceAssociations', 'ssm:GetDocument', 'ssm:PutInventory'], Resource: '*' },
    { Effect: 'Allow', Action: ['ssmmessages:*', 'ec2messages:*'], Resource: '*' },
  ],
};

/** A call that reads (Get*, List*, Describe*): everything else the tool sends changes something. */
const READ_VERB = /^(Get|List|Describe)/;

/** Every IAM write sent, in order, as [operation, input] (`['AttachRolePolicy', { RoleName, PolicyArn }]`). */
export function iamWrites(): [string, unknown][] {
  return iam
    .calls()
    .map((c) => c.args[0] as { constructor: { name: string }; input: unknown })
    .map((cmd) => [cmd.constructor.name.replace(/Command$/, ''), cmd.input] as [string, unknown])
    .filter(([name]) => !READ_VERB.test(name));
}

/**
 * An instance profile holding one role (`/` path) that carries AmazonSSMManagedInstanceCore and no
 * inline policy, as IAM answers for it: GetInstanceProfile, GetRole, the attached and inline lists,
 * and the core policy's default version.
 */
export function coreProfile(profile: string, role: string, trust: string | PolicyDocument = 'ec2.amazonaws.com'): void {
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/${role}`;
  iam.on(GetInstanceProfileCommand).resolves({
    InstanceProfile: {
      InstanceProfileName: profile,
      Arn: `arn:aws:iam::${ACCOUNT}:instance-profile/${profile}`,
      Path: '/',
      InstanceProfileId: 'AIPA',
      CreateDate: new Date('2026-01-01T00:00:00Z'),
      Roles: [{ RoleName: role, Arn: roleArn, Path: '/', RoleId: 'AROA', CreateDate: new Date('2026-01-01T00:00:00Z') }],
    },
  });
  iam.on(GetRoleCommand).resolves(roleAnswer(role, trust));
  iam
    .on(ListAttachedRolePoliciesCommand)
    .resolves({ AttachedPolicies: [{ PolicyArn: CORE_ARN, PolicyName: 'AmazonSSMManagedInstanceCore' }], IsTruncated: false });
  iam.on(GetPolicyCommand, { PolicyArn: CORE_ARN }).resolves({ Policy: { Arn: CORE_ARN, DefaultVersionId: 'v3' } });
  iam
    .on(GetPolicyVersionCommand, { PolicyArn: CORE_ARN, VersionId: 'v3' })
    .resolves({ PolicyVersion: { Document: iamEncoded(CORE_DOCUMENT), VersionId: 'v3', IsDefaultVersion: true } });
  iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: [], IsTruncated: false });
}
