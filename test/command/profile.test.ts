// Validation of the profile, s3-policy and hybrid-role commands: bad input exits 2 before any AWS call.
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli-io.js';

const ec2 = mockClient(EC2Client);
const iam = mockClient(IAMClient);
const sts = mockClient(STSClient);
beforeEach(() => {
  ec2.reset();
  iam.reset();
  sts.reset();
});
const noCall = () => expect([...ec2.calls(), ...iam.calls(), ...sts.calls()]).toHaveLength(0);

describe('usage errors exit 2 and send nothing', () => {
  it.each([
    [['profile', 'attach', '--name', 'P'], 'needs --instance-id ID and/or --tag'],
    [['profile', 'attach', '--instance-id', 'i-0123456789abcdef0'], 'needs --name'],
    [['profile', 'attach', '--name', 'P', '--tag', 'NoEquals'], 'KEY=VALUE'],
    [['profile', 'create', '--tag', 'aws:x=1'], 'aws:'],
    [['profile', 'attach', '--name', 'P', '--tag', 'Env=a\u0007b'], 'control characters'],
    [['profile', 'attach', '--name', 'P', '--instance-id', 'i-12'], 'instance id'],
    [['profile', 'attach', '--name', 'P', '--tag', 'A=1', '--concurrency', '0'], '--concurrency'],
    [['profile', 'create', '--name', 'bad name'], '1-128 characters'],
    [['profile', 'create', '--s3-bucket', 'Bad_Bucket'], 'S3 bucket name'],
    [['profile', 'create', '--s3-bucket', 'ok-bucket', '--s3-policy-arn', 'arn:aws:iam::111122223333:policy/X'], 'cannot be combined'],
    [['profile', 'create', '--s3-encrypted'], 'add --s3-bucket'],
    [['profile', 'create', '--role-policy-quota', 'ten'], '--role-policy-quota'],
    [['profile', 'create', '--tag', 'A=1', '--tag', 'A=2'], 'given twice'],
    [['profile', 'update'], 'needs --role-name'],
    // The S3 policy's size is a validation too: refused before sts:GetCallerIdentity.
    [
      [
        'profile',
        'create',
        '--s3-vpc-endpoint',
        '--region',
        'us-east-1,us-east-2,us-west-1,us-west-2,eu-west-1,eu-west-2,eu-west-3,eu-central-1,eu-north-1,ap-south-1,ap-northeast-1,ap-northeast-2,ap-southeast-1,ap-southeast-2,sa-east-1,ca-central-1',
      ],
      "over IAM's limit of 6144",
    ],
    [['s3-policy', 'generate'], 'needs --vpc-endpoint'],
    [['s3-policy', 'generate', '--bucket', 'xn--bucket'], 'S3 bucket name'],
    [['s3-policy', 'generate', '--bucket', '192.168.1.1'], 'S3 bucket name'],
    [['s3-policy', 'generate', '--bucket', 'a..b'], 'S3 bucket name'],
    [['s3-policy', 'generate', '--vpc-endpoint', '--region', 'us-*'], 'Wildcards'],
    [['s3-policy', 'generate', '--bucket', 'b12', '--attach-to', 'R'], 'needs --create'],
    [['hybrid-role', 'create', '--role-name', 'x'.repeat(65)], '1-64 characters'],
  ])('%j', async (argv, message) => {
    const r = await cli(argv as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe('');
    noCall();
  });

  it('refuses an S3 policy over the 6,144-character limit with a hint to split it', async () => {
    const regions =
      'us-east-1,us-east-2,us-west-1,us-west-2,eu-west-1,eu-west-2,eu-west-3,eu-central-1,eu-north-1,ap-south-1,ap-northeast-1,ap-northeast-2,ap-southeast-1,ap-southeast-2,sa-east-1,ca-central-1';
    const r = await cli(['s3-policy', 'generate', '--vpc-endpoint', '--region', regions]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("over IAM's limit of 6144");
    expect(r.stderr).toContain('hint: Split it');
  });
});

describe('s3-policy generate is offline', () => {
  it('prints the document with no AWS call, in the partition of the region', async () => {
    const r = await cli(['s3-policy', 'generate', '--bucket', 'my-bucket', '--region', 'cn-north-1']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).Statement[0].Resource).toEqual(['arn:aws-cn:s3:::my-bucket/*']);
    const noRegion = await cli(['s3-policy', 'generate', '--bucket', 'my-bucket'], { env: { AWS_REGION: undefined } });
    expect(JSON.parse(noRegion.stdout).Statement[0].Resource).toEqual(['arn:aws:s3:::my-bucket/*']);
    noCall();
  });
});
