// admin-policy generate in-process: offline with --account, STS otherwise.
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, resetAws, sts } from '../helpers/aws-mocks.js';
import { awsError } from '../helpers/aws-errors.js';
import { cli } from '../helpers/cli-io.js';
import { seedAdminPolicyAsLists } from '../fixtures/seed-vectors.js';

const ROLE = 'AWSSystemsManagerDefaultEC2InstanceManagementRole';

beforeEach(resetAws);

describe('admin-policy generate', () => {
  it('is offline with --account, and asks STS for the account otherwise', async () => {
    const offline = await cli(['admin-policy', 'generate', '--account', '444455556666', '-r', 'us-east-2']);
    expect(offline.code).toBe(0);
    // The guide's example policy, its placeholders filled in, each Resource a list (test/fixtures/seed-vectors.ts).
    expect(JSON.parse(offline.stdout)).toEqual(seedAdminPolicyAsLists('us-east-2', '444455556666'));
    expect(sts.calls()).toHaveLength(0);
    const online = await cli(['admin-policy', 'generate', '-r', 'us-east-2']);
    expect(online.code, online.stderr).toBe(0);
    expect(JSON.parse(online.stdout)).toEqual(seedAdminPolicyAsLists('us-east-2', ACCOUNT));
    expect(JSON.parse(online.stdout).Statement[1].Resource).toEqual([`arn:aws:iam::${ACCOUNT}:role/service-role/${ROLE}`]);
    expect(sts).toHaveReceivedCommandTimes(GetCallerIdentityCommand, 1);
  });

  it('refuses a bad account id with exit 2', async () => {
    const r = await cli(['admin-policy', 'generate', '--account', '12345', '-r', 'us-east-2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('12-digit');
  });

  it('names the refused call when STS denies it (exit 4), and prints no policy', async () => {
    sts.reset();
    sts.on(GetCallerIdentityCommand).rejects(awsError('AccessDenied', 'not authorized to perform: sts:GetCallerIdentity', 403));
    const r = await cli(['admin-policy', 'generate', '-r', 'us-east-2']);
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('access denied to sts:GetCallerIdentity');
    const json = await cli(['admin-policy', 'generate', '-r', 'us-east-2', '--json']);
    expect(JSON.parse(json.stderr.trim()).error.code).toBe('AccessDenied');
  });
});

describe('admin-policy generate: the document on stdout', () => {
  it.each([['us-east-2'], ['us-east-1,eu-west-1']])(
    'has every Resource as a list with --region %s, --with-role-setup too (jq .Statement[].Resource[] always works)',
    async (regions) => {
      const r = await cli(['admin-policy', 'generate', '--account', '444455556666', '-r', regions, '--with-role-setup']);
      expect(r.code, r.stderr).toBe(0);
      const statements = JSON.parse(r.stdout).Statement as { Resource: unknown }[];
      expect(statements).toHaveLength(5);
      for (const s of statements) expect(Array.isArray(s.Resource), JSON.stringify(s)).toBe(true);
      expect(statements[0]!.Resource).toHaveLength(regions.split(',').length);
    },
  );

  it('is the pretty-printed JSON followed by one newline', async () => {
    const r = await cli(['admin-policy', 'generate', '--account', '444455556666', '-r', 'us-east-2']);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('{\n  "Version": "2012-10-17",\n')).toBe(true);
    expect(r.stdout.endsWith('\n}\n')).toBe(true);
  });
});
