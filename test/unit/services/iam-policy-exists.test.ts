// requirePoliciesExist: every managed policy to attach is read with GetPolicy before anything changes;
// IAM answers NoSuchEntity for a policy that does not exist (IAM API reference, GetPolicy, Errors:
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetPolicy.html).
import { GetPolicyCommand } from '@aws-sdk/client-iam';
import { beforeEach, describe, expect, it } from 'vitest';
import { createClientFactory } from '../../../src/services/aws/clients.js';
import { requirePoliciesExist } from '../../../src/services/iam/policy-exists.js';
import { awsError } from '../../helpers/aws-errors.js';
import { iam, resetAws } from '../../helpers/aws-mocks.js';

const api = () => createClientFactory({}).iam('us-east-1');
const A = 'arn:aws:iam::111122223333:policy/TypoA';
const B = 'arn:aws:iam::111122223333:policy/TypoB';
const CORE = 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore';

beforeEach(() => {
  resetAws();
  iam.on(GetPolicyCommand).resolves({ Policy: { Arn: CORE, DefaultVersionId: 'v1' } });
});

const notFound = (arn: string) =>
  iam.on(GetPolicyCommand, { PolicyArn: arn }).rejects(awsError('NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`, 404));

describe('requirePoliciesExist', () => {
  it('names the one missing policy in the singular, with how to fix the ARN', async () => {
    notFound(A);
    const err = await requirePoliciesExist(await api(), [CORE, A]).catch((e) => e);
    expect(err).toMatchObject({
      code: 'PolicyNotFound',
      exitCode: 6,
      message: `policy ${A} does not exist; nothing was changed`,
      hint: 'Check the ARN (account, path and name; AWS managed policies are arn:PARTITION:iam::aws:policy/NAME), or create the policy first.',
    });
  });

  it('names every missing policy in the plural, comma-separated, after reading each once', async () => {
    notFound(A);
    notFound(B);
    const err = await requirePoliciesExist(await api(), [A, CORE, B, A]).catch((e) => e);
    expect(err).toMatchObject({ code: 'PolicyNotFound', message: `policies ${A}, ${B} do not exist; nothing was changed` });
    expect(iam).toHaveReceivedCommandTimes(GetPolicyCommand, 3);
  });

  it('passes when every policy exists', async () => {
    await expect(requirePoliciesExist(await api(), [CORE])).resolves.toBeUndefined();
  });

  it('reports a refused GetPolicy as the access denied it is, not as a missing policy', async () => {
    iam.on(GetPolicyCommand, { PolicyArn: A }).rejects(awsError('AccessDenied', 'User is not authorized.', 403));
    const err = await requirePoliciesExist(await api(), [A]).catch((e) => e);
    expect(err).toMatchObject({ code: 'AccessDenied', exitCode: 4, action: 'iam:GetPolicy' });
  });

  it('names the call in other AWS errors (exit 5)', async () => {
    iam.on(GetPolicyCommand, { PolicyArn: A }).rejects(awsError('ServiceFailure', 'Internal failure.', 500));
    const err = await requirePoliciesExist(await api(), [A]).catch((e) => e);
    expect(err).toMatchObject({ code: 'ServiceFailure', exitCode: 5 });
    expect(err.message).toMatch(/^iam:GetPolicy failed/);
  });
});
