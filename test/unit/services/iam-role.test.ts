// readRole / attachedPolicyArns / rolePolicies: an IAM role as GetRole, ListAttachedRolePolicies,
// ListRolePolicies, GetRolePolicy, GetPolicy and GetPolicyVersion answer for it. IAM returns policy
// documents URL-encoded (RFC 3986) in GetRole's AssumeRolePolicyDocument and GetPolicyVersion's
// Document (IAM API reference: https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRole.html,
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetPolicyVersion.html), and lists in pages
// (IsTruncated, Marker: https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListAttachedRolePolicies.html).
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { beforeEach, describe, expect, it } from 'vitest';
import { createClientFactory } from '../../../src/services/aws/clients.js';
import { readRole, rolePolicies, type RoleState } from '../../../src/services/iam/role.js';
import { awsError } from '../../helpers/aws-errors.js';
import { iam, iamEncoded, resetAws, roleAnswer, CORE_ARN, CORE_DOCUMENT } from '../../helpers/aws-mocks.js';

const api = () => createClientFactory({}).iam('us-east-1');
const denied = () => awsError('AccessDenied', 'User is not authorized.', 403);
const BOUNDARY = 'arn:aws:iam::111122223333:policy/Boundary';
const OTHER = 'arn:aws:iam::111122223333:policy/Other';

function role(over: Partial<RoleState> = {}): RoleState {
  return {
    name: 'R',
    path: '/',
    arn: 'arn:aws:iam::111122223333:role/R',
    trustPolicy: undefined,
    attachedPolicyArns: [],
    tags: [],
    boundaryArn: null,
    ...over,
  };
}

beforeEach(() => {
  resetAws();
  iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: [], IsTruncated: false });
});

describe('readRole', () => {
  it('reads the role as IAM gives it: its own name, path, ARN, encoded trust, policies, tags and boundary', async () => {
    const answer = roleAnswer('MyRole', 'ec2.amazonaws.com', '/ops/');
    answer.Role!.Tags = [{ Key: 'Team', Value: 'ops' }];
    answer.Role!.PermissionsBoundary = { PermissionsBoundaryArn: BOUNDARY, PermissionsBoundaryType: 'PermissionsBoundaryPolicy' };
    iam.on(GetRoleCommand).resolves(answer);
    iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [{ PolicyArn: CORE_ARN }], IsTruncated: false });
    expect(await readRole(await api(), 'myrole')).toEqual({
      name: 'MyRole',
      path: '/ops/',
      arn: 'arn:aws:iam::111122223333:role/ops/MyRole',
      trustPolicy: answer.Role!.AssumeRolePolicyDocument,
      attachedPolicyArns: [CORE_ARN],
      tags: [{ Key: 'Team', Value: 'ops' }],
      boundaryArn: BOUNDARY,
    });
  });

  it('fills what an answer leaves out: path /, empty ARN, empty tag parts, no boundary', async () => {
    iam
      .on(GetRoleCommand)
      .resolves({ Role: { RoleName: 'R', RoleId: 'x', CreateDate: new Date(), Tags: [{ Key: 'Team' } as never, { Value: 'v' } as never] } as never });
    iam.on(ListAttachedRolePoliciesCommand).resolves({ IsTruncated: false });
    expect(await readRole(await api(), 'R')).toEqual({
      name: 'R',
      path: '/',
      arn: '',
      trustPolicy: undefined,
      attachedPolicyArns: [],
      tags: [
        { Key: 'Team', Value: '' },
        { Key: '', Value: 'v' },
      ],
      boundaryArn: null,
    });
  });

  it('is null for NoSuchEntity, and names GetRole when it is refused', async () => {
    iam.on(GetRoleCommand).rejects(awsError('NoSuchEntity', 'The role with name R cannot be found.', 404));
    expect(await readRole(await api(), 'R')).toBeNull();
    iam.on(GetRoleCommand).rejects(denied());
    expect(await readRole(await api(), 'R').catch((e) => e)).toMatchObject({ exitCode: 4, action: 'iam:GetRole' });
  });

  it('follows the attached-policy pages, keeps only entries with an ARN, and names ListAttachedRolePolicies when refused', async () => {
    iam.on(GetRoleCommand).resolves(roleAnswer('R', 'ec2.amazonaws.com'));
    iam
      .on(ListAttachedRolePoliciesCommand)
      .resolvesOnce({ AttachedPolicies: [{ PolicyArn: CORE_ARN }, { PolicyName: 'NoArn' }], IsTruncated: true, Marker: 'm1' })
      .resolvesOnce({ AttachedPolicies: [{ PolicyArn: OTHER }], IsTruncated: false });
    expect((await readRole(await api(), 'R'))!.attachedPolicyArns).toEqual([CORE_ARN, OTHER]);
    expect(iam).toHaveReceivedNthCommandWith(ListAttachedRolePoliciesCommand, 2, { RoleName: 'R', Marker: 'm1' });
    iam.on(ListAttachedRolePoliciesCommand).rejects(denied());
    expect(await readRole(await api(), 'R').catch((e) => e)).toMatchObject({ exitCode: 4, action: 'iam:ListAttachedRolePolicies' });
  });
});

describe('rolePolicies', () => {
  it('gives the default version of each attached policy and the inline ones by name', async () => {
    iam.on(GetPolicyCommand, { PolicyArn: CORE_ARN }).resolves({ Policy: { Arn: CORE_ARN, DefaultVersionId: 'v3' } });
    iam.on(GetPolicyVersionCommand, { PolicyArn: CORE_ARN, VersionId: 'v3' }).resolves({ PolicyVersion: { Document: iamEncoded(CORE_DOCUMENT) } });
    iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: ['Logs', 'Empty'], IsTruncated: false });
    iam.on(GetRolePolicyCommand, { PolicyName: 'Logs' }).resolves({ RoleName: 'R', PolicyName: 'Logs', PolicyDocument: '%7B%7D' });
    iam.on(GetRolePolicyCommand, { PolicyName: 'Empty' }).resolves({ RoleName: 'R', PolicyName: 'Empty' } as never);
    expect(await rolePolicies(await api(), role({ attachedPolicyArns: [CORE_ARN] }))).toEqual({
      policies: [
        { name: CORE_ARN, document: iamEncoded(CORE_DOCUMENT) },
        { name: 'inline:Logs', document: '%7B%7D' },
      ],
      boundary: null,
    });
  });

  it('leaves out a policy without a default version or a document, and sends no GetPolicyVersion without a version', async () => {
    iam.on(GetPolicyCommand, { PolicyArn: CORE_ARN }).resolves({ Policy: { Arn: CORE_ARN } });
    iam.on(GetPolicyCommand, { PolicyArn: OTHER }).resolves({});
    iam.on(GetPolicyCommand, { PolicyArn: BOUNDARY }).resolves({ Policy: { Arn: BOUNDARY, DefaultVersionId: 'v1' } });
    iam.on(GetPolicyVersionCommand, { PolicyArn: BOUNDARY }).resolves({});
    const r = await rolePolicies(await api(), role({ attachedPolicyArns: [CORE_ARN, OTHER, BOUNDARY] }));
    expect(r).toEqual({ policies: [], boundary: null });
    expect(iam).toHaveReceivedCommandTimes(GetPolicyVersionCommand, 1);
  });

  it('gives a boundary it cannot read as the empty document {}', async () => {
    iam.on(GetPolicyCommand, { PolicyArn: BOUNDARY }).resolves({ Policy: { Arn: BOUNDARY } });
    expect(await rolePolicies(await api(), role({ boundaryArn: BOUNDARY }))).toEqual({ policies: [], boundary: { name: BOUNDARY, document: '{}' } });
  });

  it('sends no GetRolePolicy for a ListRolePolicies page without names', async () => {
    iam.on(ListRolePoliciesCommand).resolves({ IsTruncated: false } as never);
    expect(await rolePolicies(await api(), role())).toEqual({ policies: [], boundary: null });
    expect(iam).toHaveReceivedCommandTimes(GetRolePolicyCommand, 0);
  });

  it('reads a managed policy once for the attachment, the boundary and other roles sharing the cache', async () => {
    iam.on(GetPolicyCommand).resolves({ Policy: { Arn: BOUNDARY, DefaultVersionId: 'v1' } });
    iam.on(GetPolicyVersionCommand).resolves({ PolicyVersion: { Document: '%7B%7D' } });
    const cache = new Map<string, Promise<string | null>>();
    const first = await rolePolicies(await api(), role({ attachedPolicyArns: [BOUNDARY], boundaryArn: BOUNDARY }), cache);
    const second = await rolePolicies(await api(), role({ name: 'R2', attachedPolicyArns: [BOUNDARY] }), cache);
    expect(first).toEqual({ policies: [{ name: BOUNDARY, document: '%7B%7D' }], boundary: { name: BOUNDARY, document: '%7B%7D' } });
    expect(second.policies).toEqual([{ name: BOUNDARY, document: '%7B%7D' }]);
    expect(iam).toHaveReceivedCommandTimes(GetPolicyCommand, 1);
    expect(iam).toHaveReceivedCommandTimes(GetPolicyVersionCommand, 1);
  });

  // AWS's message usually names the action ("... not authorized to perform: iam:GetPolicy on ..."); when
  // it does not, the error names the call that was in progress.
  it('names the refused call: GetPolicy, GetPolicyVersion, GetRolePolicy, or the boundary GetPolicy after the inline ones', async () => {
    iam.on(GetPolicyCommand).rejects(denied());
    expect(await rolePolicies(await api(), role({ attachedPolicyArns: [CORE_ARN] })).catch((e) => e)).toMatchObject({ action: 'iam:GetPolicy' });

    iam.on(GetPolicyCommand).resolves({ Policy: { Arn: CORE_ARN, DefaultVersionId: 'v3' } });
    iam.on(GetPolicyVersionCommand).rejects(denied());
    expect(await rolePolicies(await api(), role({ attachedPolicyArns: [CORE_ARN] })).catch((e) => e)).toMatchObject({ action: 'iam:GetPolicyVersion' });

    iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: ['Logs'], IsTruncated: false });
    iam.on(GetRolePolicyCommand).rejects(denied());
    expect(await rolePolicies(await api(), role()).catch((e) => e)).toMatchObject({ exitCode: 4, action: 'iam:GetRolePolicy' });

    iam.on(GetRolePolicyCommand).resolves({ RoleName: 'R', PolicyName: 'Logs', PolicyDocument: '%7B%7D' });
    iam.on(GetPolicyCommand, { PolicyArn: BOUNDARY }).rejects(denied());
    expect(await rolePolicies(await api(), role({ boundaryArn: BOUNDARY })).catch((e) => e)).toMatchObject({ action: 'iam:GetPolicy' });
  });

  it('names GetPolicy for a failed read another role left in the shared cache', async () => {
    iam.on(GetPolicyCommand).rejects(denied());
    const cache = new Map<string, Promise<string | null>>();
    const first = await rolePolicies(await api(), role({ attachedPolicyArns: [OTHER] }), cache).catch((e) => e);
    const second = await rolePolicies(await api(), role({ name: 'R2', attachedPolicyArns: [OTHER] }), cache).catch((e) => e);
    expect([first.action, second.action]).toEqual(['iam:GetPolicy', 'iam:GetPolicy']);
    expect(iam).toHaveReceivedCommandTimes(GetPolicyCommand, 1);
  });
});
