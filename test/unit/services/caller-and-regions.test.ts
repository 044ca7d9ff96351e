// Who the caller is (sts:GetCallerIdentity) and which regions `--region all` means
// (ec2:DescribeRegions; EC2 API reference: "AllRegions: Indicates whether to display all Regions,
// including Regions that are disabled for your account", and OptInStatus opt-in-not-required |
// opted-in | not-opted-in).
import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { beforeEach, describe, expect, it } from 'vitest';
import { callerIdentity } from '../../../src/services/account.js';
import { enabledRegions } from '../../../src/services/regions.js';
import { AccessDeniedError, AwsServiceError } from '../../../src/services/errors.js';
import { ec2, resetAws, sts } from '../../helpers/aws-mocks.js';
import { awsError } from '../../helpers/aws-errors.js';
import { testEnv } from '../../helpers/service-env.js';

beforeEach(() => resetAws());

describe('callerIdentity', () => {
  it('returns the account and ARN STS answers', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: '111122223333', Arn: 'arn:aws:iam::111122223333:user/ops', UserId: 'AIDA' });
    expect(await callerIdentity(testEnv(), 'us-east-1')).toEqual({ account: '111122223333', arn: 'arn:aws:iam::111122223333:user/ops' });
  });

  it('gives empty strings for fields STS leaves out', async () => {
    sts.on(GetCallerIdentityCommand).resolves({});
    expect(await callerIdentity(testEnv(), 'us-east-1')).toEqual({ account: '', arn: '' });
  });

  it('names sts:GetCallerIdentity and the region when STS refuses', async () => {
    sts.on(GetCallerIdentityCommand).rejects(awsError('AccessDenied', 'not authorized', 403));
    const err = await callerIdentity(testEnv(), 'eu-west-1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AccessDeniedError);
    expect(err).toMatchObject({ code: 'AccessDenied', message: 'access denied to sts:GetCallerIdentity in eu-west-1: not authorized' });
  });
});

describe('enabledRegions', () => {
  it('asks for the enabled regions only, and returns them sorted, leaving out any not opted in', async () => {
    ec2.on(DescribeRegionsCommand).resolves({
      Regions: [
        { RegionName: 'us-west-2', OptInStatus: 'opt-in-not-required' },
        { RegionName: 'af-south-1', OptInStatus: 'opted-in' },
        { RegionName: 'ap-east-1', OptInStatus: 'not-opted-in' },
        { RegionName: 'eu-west-1' },
        { OptInStatus: 'opted-in' },
      ],
    });
    expect(await enabledRegions(testEnv(), 'us-east-1')).toEqual(['af-south-1', 'eu-west-1', 'us-west-2']);
    expect(ec2.commandCalls(DescribeRegionsCommand).map((c) => c.args[0].input)).toEqual([{ AllRegions: false }]);
  });

  it('gives no regions for an answer without Regions', async () => {
    ec2.on(DescribeRegionsCommand).resolves({});
    expect(await enabledRegions(testEnv(), 'us-east-1')).toEqual([]);
  });

  it('names ec2:DescribeRegions and the home region when the call fails', async () => {
    ec2.on(DescribeRegionsCommand).rejects(awsError('RequestLimitExceeded', 'Request limit exceeded.', 503));
    const err = await enabledRegions(testEnv(), 'ap-southeast-2').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AwsServiceError);
    expect((err as Error).message).toMatch(/^ec2:DescribeRegions in ap-southeast-2 /);
  });
});
