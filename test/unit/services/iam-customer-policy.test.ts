// planCustomerPolicy / sameDocument: a customer managed policy kept equal to a generated document.
// IAM facts: GetPolicyVersion returns the Document URL-encoded (RFC 3986)
// (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetPolicyVersion.html); "A managed policy can
// have up to five versions. If the policy has five versions, you must delete an existing version using
// DeletePolicyVersion before you create a new version", else LimitExceeded
// (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicyVersion.html); the default version
// cannot be deleted with DeletePolicyVersion (https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeletePolicyVersion.html);
// ListPolicyVersions pages with IsTruncated / Marker (https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListPolicyVersions.html).
import {
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  DeletePolicyVersionCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  ListPolicyVersionsCommand,
  type PolicyVersion,
} from '@aws-sdk/client-iam';
import { beforeEach, describe, expect, it } from 'vitest';
import { createClientFactory } from '../../../src/services/aws/clients.js';
import { planCustomerPolicy, sameDocument } from '../../../src/services/iam/customer-policy.js';
import { runSteps } from '../../../src/services/steps.js';
import type { PolicyDocument } from '../../../src/policies/trust.js';
import { awsError } from '../../helpers/aws-errors.js';
import { testEnv } from '../../helpers/service-env.js';
import { iam, iamEncoded, iamWrites, resetAws } from '../../helpers/aws-mocks.js';

const api = () => createClientFactory({}).iam('us-east-1');
const ARN = 'arn:aws:iam::111122223333:policy/P';
const DOC: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }] };
const OLD: PolicyDocument = { Version: '2012-10-17', Statement: [] };
const denied = () => awsError('AccessDenied', 'User is not authorized.', 403);
const plan = async () => planCustomerPolicy(await api(), 'aws', '111122223333', 'P', DOC, 'made by ssm-perms');
const version = (VersionId: string | undefined, day: string | null, IsDefaultVersion = false): PolicyVersion => ({
  VersionId,
  IsDefaultVersion,
  ...(day ? { CreateDate: new Date(`${day}T00:00:00Z`) } : {}),
});

beforeEach(() => resetAws());

/** A policy whose default version v1 says OLD. */
function existing() {
  iam.on(GetPolicyCommand).resolves({ Policy: { Arn: ARN, DefaultVersionId: 'v1' } });
  iam.on(GetPolicyVersionCommand).resolves({ PolicyVersion: { Document: iamEncoded(OLD), VersionId: 'v1', IsDefaultVersion: true } });
}

describe('sameDocument', () => {
  it('ignores key order at every level, whatever the order of many keys', () => {
    const a = {
      Version: '2012-10-17',
      Statement: [{ Sid: 'S', Effect: 'Allow', Action: 'a:B', Resource: '*', Condition: { StringEquals: { k: 'v', j: 'w', i: 'x' } } }],
    };
    const reversed = {
      Statement: [{ Condition: { StringEquals: { i: 'x', j: 'w', k: 'v' } }, Resource: '*', Action: 'a:B', Effect: 'Allow', Sid: 'S' }],
      Version: '2012-10-17',
    };
    const shuffled = {
      Statement: [{ Effect: 'Allow', Condition: { StringEquals: { j: 'w', k: 'v', i: 'x' } }, Sid: 'S', Resource: '*', Action: 'a:B' }],
      Version: '2012-10-17',
    };
    expect(sameDocument(a, reversed)).toBe(true);
    expect(sameDocument(a, shuffled)).toBe(true);
    expect(sameDocument(reversed, shuffled)).toBe(true);
  });

  it('keeps array order and element boundaries, and tells an array from an object', () => {
    expect(sameDocument({ Action: ['a:X', 'a:Y'] }, { Action: ['a:Y', 'a:X'] })).toBe(false);
    expect(sameDocument([1, 23], [12, 3])).toBe(false);
    expect(sameDocument(['a:X', 'a:Y'], { 0: 'a:X', 1: 'a:Y' })).toBe(false);
    expect(sameDocument({ a: 1, b: 2 }, { a: 1, b: 3 })).toBe(false);
  });
});

describe('planCustomerPolicy', () => {
  it('creates a missing policy with the document and description, as one planned change', async () => {
    iam.on(GetPolicyCommand).rejects(awsError('NoSuchEntity', 'Policy arn:aws:iam::111122223333:policy/P does not exist.', 404));
    iam.on(CreatePolicyCommand).resolves({});
    const p = await plan();
    expect(p).toMatchObject({ arn: ARN, replaces: null });
    expect(p.steps.map((s) => s.change)).toEqual([
      { region: null, action: 'create', resource: ARN, operation: 'iam:CreatePolicy', status: 'planned', details: { policyName: 'P' }, error: null },
    ]);
    await runSteps(testEnv(), p.steps);
    expect(iamWrites()).toEqual([['CreatePolicy', { PolicyName: 'P', PolicyDocument: JSON.stringify(DOC), Description: 'made by ssm-perms' }]]);
  });

  it('with five versions, plans deleting the oldest non-default one, then the new default version, as updates', async () => {
    existing();
    iam.on(ListPolicyVersionsCommand).resolves({
      Versions: [
        version('v1', '2020-01-01', true),
        version('v4', '2023-01-01'),
        version('v2', '2021-01-01'),
        version('v5', '2024-01-01'),
        version('v3', '2022-01-01'),
      ],
      IsTruncated: false,
    });
    const p = await plan();
    expect(p.replaces).toBe('the document of policy P (default version v1)');
    expect(p.steps.map((s) => s.change)).toEqual([
      {
        region: null,
        action: 'update',
        resource: ARN,
        operation: 'iam:DeletePolicyVersion',
        status: 'planned',
        details: { versionId: 'v2', reason: 'IAM keeps at most 5 versions' },
        error: null,
      },
      {
        region: null,
        action: 'update',
        resource: ARN,
        operation: 'iam:CreatePolicyVersion',
        status: 'planned',
        details: { previousDefaultVersion: 'v1', setAsDefault: 'true' },
        error: null,
      },
    ]);
  });

  it('finds the oldest version on a later page, and counts no version for a page without Versions', async () => {
    existing();
    iam
      .on(ListPolicyVersionsCommand)
      .resolvesOnce({
        Versions: [version('v1', '2020-01-01', true), version('v4', '2023-01-01'), version('v5', '2024-01-01')],
        IsTruncated: true,
        Marker: 'm1',
      })
      .resolvesOnce({ Versions: [version('v3', '2022-01-01'), version('v2', '2021-01-01')], IsTruncated: true, Marker: 'm2' })
      .resolvesOnce({ IsTruncated: false });
    const p = await plan();
    expect(p.steps.map((s) => [s.change.operation, s.change.details.versionId ?? null])).toEqual([
      ['iam:DeletePolicyVersion', 'v2'],
      ['iam:CreatePolicyVersion', null],
    ]);
    expect(iam).toHaveReceivedNthCommandWith(ListPolicyVersionsCommand, 3, { PolicyArn: ARN, Marker: 'm2' });
  });

  it('takes a version without a creation date as the oldest', async () => {
    existing();
    iam.on(ListPolicyVersionsCommand).resolves({
      Versions: [version('v1', '2020-01-01', true), version('v3', '2022-01-01'), version('v2', null), version('v4', '2023-01-01'), version('v5', '2024-01-01')],
      IsTruncated: false,
    });
    expect((await plan()).steps.map((s) => s.change.details.versionId ?? null)).toEqual(['v2', null]);
  });

  it('never plans a DeletePolicyVersion without a VersionId to send', async () => {
    existing();
    iam.on(ListPolicyVersionsCommand).resolves({
      Versions: [
        version('v1', '2020-01-01', true),
        version(undefined, '2020-06-01'),
        version('v3', '2022-01-01'),
        version('v4', '2023-01-01'),
        version('v5', '2024-01-01'),
      ],
      IsTruncated: false,
    });
    expect((await plan()).steps.map((s) => s.change.operation)).toEqual(['iam:CreatePolicyVersion']);
  });

  it('plans a new version when GetPolicy gives no default version, without reading one', async () => {
    iam.on(GetPolicyCommand).resolves({});
    iam.on(ListPolicyVersionsCommand).resolves({ Versions: [], IsTruncated: false });
    const p = await plan();
    expect(p.steps.map((s) => [s.change.operation, s.change.details.previousDefaultVersion])).toEqual([['iam:CreatePolicyVersion', null]]);
    expect(iam).toHaveReceivedCommandTimes(GetPolicyVersionCommand, 0);
  });

  it('plans a new version when GetPolicyVersion gives no version', async () => {
    iam.on(GetPolicyCommand).resolves({ Policy: { Arn: ARN, DefaultVersionId: 'v1' } });
    iam.on(GetPolicyVersionCommand).resolves({});
    iam.on(ListPolicyVersionsCommand).resolves({ Versions: [version('v1', '2020-01-01', true)], IsTruncated: false });
    expect((await plan()).steps.map((s) => s.change.operation)).toEqual(['iam:CreatePolicyVersion']);
  });

  it('names the refused call: GetPolicy, GetPolicyVersion or ListPolicyVersions', async () => {
    iam.on(GetPolicyCommand).rejects(denied());
    expect(await plan().catch((e) => e)).toMatchObject({ exitCode: 4, action: 'iam:GetPolicy' });
    existing();
    iam.on(GetPolicyVersionCommand).rejects(denied());
    expect(await plan().catch((e) => e)).toMatchObject({ exitCode: 4, action: 'iam:GetPolicyVersion' });
    existing();
    iam.on(ListPolicyVersionsCommand).rejects(denied());
    expect(await plan().catch((e) => e)).toMatchObject({ exitCode: 4, action: 'iam:ListPolicyVersions' });
  });

  it('names the IAM call in other errors (exit 5)', async () => {
    iam.on(GetPolicyCommand).rejects(awsError('ServiceFailure', 'Internal failure.', 500));
    const first = await plan().catch((e) => e);
    expect(first).toMatchObject({ code: 'ServiceFailure', exitCode: 5 });
    expect(first.message).toMatch(/^iam:GetPolicy failed/);
    existing();
    iam.on(GetPolicyVersionCommand).rejects(awsError('ServiceFailure', 'Internal failure.', 500));
    const second = await plan().catch((e) => e);
    expect(second).toMatchObject({ code: 'ServiceFailure', exitCode: 5 });
    expect(second.message).toMatch(/^iam:GetPolicyVersion failed/);
  });

  it('deletes the old version before creating the new default one when applied', async () => {
    existing();
    iam.on(ListPolicyVersionsCommand).resolves({
      Versions: [
        version('v1', '2020-01-01', true),
        version('v2', '2021-01-01'),
        version('v3', '2022-01-01'),
        version('v4', '2023-01-01'),
        version('v5', '2024-01-01'),
      ],
      IsTruncated: false,
    });
    iam.on(DeletePolicyVersionCommand).resolves({});
    iam.on(CreatePolicyVersionCommand).resolves({});
    await runSteps(testEnv(), (await plan()).steps);
    expect(iamWrites()).toEqual([
      ['DeletePolicyVersion', { PolicyArn: ARN, VersionId: 'v2' }],
      ['CreatePolicyVersion', { PolicyArn: ARN, PolicyDocument: JSON.stringify(DOC), SetAsDefault: true }],
    ]);
  });
});
