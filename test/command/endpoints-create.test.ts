// endpoints create in-process: input validation (exit 2, no call), one region, the dry run, consent
// for the DNS attributes (prompt, --yes, --no-input), the JSON document and the text rendering.
import { DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, ec2, expectNoAwsCall, resetAws } from '../helpers/aws-mocks.js';
import { awsError } from '../helpers/aws-errors.js';
import { cli } from '../helpers/cli-io.js';
import { ec2Writes, endpointGroup, VPC, vpcWorld } from '../helpers/endpoints-world.js';

beforeEach(resetAws);

const create = (...args: string[]) => ['endpoints', 'create', '--vpc-id', VPC, ...args];

describe('endpoints create: input', () => {
  it.each([
    [['endpoints', 'create'], 'endpoints create needs --vpc-id VPC'],
    [['endpoints', 'create', '--vpc-id', 'vpc-123'], 'invalid --vpc-id "vpc-123": must be a VPC id: vpc- and 8 or 17 hexadecimal digits'],
    [create('--subnet-id', 'subnet-0aaaaaaaaaaaaaaa1,sub-1'), 'invalid --subnet-id "sub-1": must be a Subnet id'],
    [create('--security-group-id', 'sg-XYZ'), 'invalid --security-group-id "sg-XYZ": must be a security group id'],
    [create('--region', 'us-east-1,us-east-2'), "endpoints create works in one region, the VPC's; got --region us-east-1,us-east-2"],
    [create('--region', 'all'), "endpoints create works in one region, the VPC's; got --region all"],
  ])('%j exits 2 before any AWS call', async (argv, message) => {
    const r = await cli(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error: ${message}`);
    expect(r.stdout).toBe('');
    expectNoAwsCall();
  });

  it('--json puts the usage error on stderr as one JSON line', async () => {
    const r = await cli(create('--region', 'all', '--json'));
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr.trim()).error).toMatchObject({ code: 'OneRegionOnly' });
  });

  it('a VPC that is not in the region: exit 2, nothing written', async () => {
    vpcWorld();
    ec2.on(DescribeVpcsCommand).rejects(awsError('InvalidVpcID.NotFound', `The vpc ID '${VPC}' does not exist`));
    const r = await cli(create('--yes'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error: VPC ${VPC} does not exist in us-east-1`);
    expect(r.stderr).toContain('hint: A VPC belongs to one region');
    expect(ec2Writes()).toEqual([]);
  });
});

describe('endpoints create: plan and apply', () => {
  it('--dry-run prints the plan, writes nothing and says the DNS change will need --yes', async () => {
    vpcWorld({ dnsHostnames: false, instances: ['subnet-0aaaaaaaaaaaaaaa1'] });
    const r = await cli(create('--dry-run', '--no-color'));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'Planned changes (dry run, nothing changed):',
        `  planned  us-east-1      turn on enableDnsHostnames in ${VPC}`,
        `  planned  us-east-1      create security group ssm-endpoints in ${VPC}`,
        '  planned  us-east-1      allow TCP 443 in to ssm-endpoints from 10.0.0.0/16',
        '  planned  us-east-1      create endpoint com.amazonaws.us-east-1.ssm with private DNS in subnet-0aaaaaaaaaaaaaaa1',
        '  planned  us-east-1      create endpoint com.amazonaws.us-east-1.ssmmessages with private DNS in subnet-0aaaaaaaaaaaaaaa1',
        '',
      ].join('\n'),
    );
    expect(r.stderr).toContain('note: endpoints in subnet-0aaaaaaaaaaaaaaa1 (us-east-1a)');
    expect(r.stderr).toContain('note: turning on enableDnsHostnames will need --yes (or a y at the prompt)');
    expect(ec2Writes()).toEqual([]);
  });

  it('DNS hostnames off, no terminal: exit 2 with the --yes hint and nothing written', async () => {
    vpcWorld({ dnsHostnames: false });
    const r = await cli(create());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `error: not turning on enableDnsHostnames in VPC ${VPC} (the endpoints' private DNS needs it) and not creating the endpoints without consent; nothing was changed`,
    );
    expect(r.stderr).toContain('hint: Pass --yes to turn it on.');
    expect(ec2Writes()).toEqual([]);
  });

  it('asks on a terminal: n changes nothing, y turns the attributes on first and creates the rest', async () => {
    vpcWorld({ dnsSupport: false, dnsHostnames: false });
    const no = await cli(create(), { tty: true, input: 'n\n' });
    expect(no.stderr).toContain(`VPC ${VPC} has enableDnsSupport and enableDnsHostnames off`);
    expect(no.stderr).toContain('[y/N]');
    expect(no.code).toBe(2);
    expect(ec2Writes()).toEqual([]);

    const yes = await cli(create(), { tty: true, input: 'y\n' });
    expect(yes.code).toBe(0);
    expect(ec2Writes().map(([op]) => op)).toEqual([
      'ModifyVpcAttribute',
      'ModifyVpcAttribute',
      'CreateSecurityGroup',
      'AuthorizeSecurityGroupIngress',
      'CreateVpcEndpoint',
      'CreateVpcEndpoint',
    ]);
  });

  it('--no-input on a terminal never asks, even with y typed', async () => {
    vpcWorld({ dnsHostnames: false });
    const r = await cli(create('--no-input'), { tty: true, input: 'y\n' });
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain('[y/N]');
    expect(ec2Writes()).toEqual([]);
  });

  it('DNS already on: no question, and --json gives the applied changes with their ARNs', async () => {
    vpcWorld({ groups: [endpointGroup([[443, 443, ['10.0.0.0/16']]])] });
    const r = await cli(create('--json', '--ec2messages'));
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ account: ACCOUNT, dryRun: false, regions: [{ region: 'us-east-1', ok: true, error: null }], warnings: [] });
    expect(
      doc.changes.map((c: { operation: string; status: string; resource: string; details: { serviceName: string } }) => [
        c.operation,
        c.status,
        c.resource,
        c.details.serviceName,
      ]),
    ).toEqual([
      ['ec2:CreateVpcEndpoint', 'applied', `arn:aws:ec2:us-east-1:${ACCOUNT}:vpc-endpoint/vpce-00000000000000001`, 'com.amazonaws.us-east-1.ssm'],
      ['ec2:CreateVpcEndpoint', 'applied', `arn:aws:ec2:us-east-1:${ACCOUNT}:vpc-endpoint/vpce-00000000000000002`, 'com.amazonaws.us-east-1.ssmmessages'],
      ['ec2:CreateVpcEndpoint', 'applied', `arn:aws:ec2:us-east-1:${ACCOUNT}:vpc-endpoint/vpce-00000000000000003`, 'com.amazonaws.us-east-1.ec2messages'],
    ]);
    // Key order as every mutating command documents it.
    expect(Object.keys(doc.changes[0])).toEqual(['region', 'action', 'resource', 'operation', 'status', 'details', 'error']);
    expect(r.stderr).toContain('note: Next: ssm-perms doctor --region us-east-1');
  });

  it('a failed creation exits 5 and names the error; the changes after it are not attempted', async () => {
    vpcWorld({ groups: [endpointGroup([[443, 443, ['10.0.0.0/16']]])] });
    const { CreateVpcEndpointCommand } = await import('@aws-sdk/client-ec2');
    ec2.on(CreateVpcEndpointCommand).rejects(awsError('VpcEndpointLimitExceeded', 'The maximum number of VPC endpoints has been reached.'));
    const r = await cli(create('--no-color'));
    expect(r.code).toBe(5);
    expect(r.stdout).toContain('FAILED   us-east-1      create endpoint com.amazonaws.us-east-1.ssm');
    expect(r.stdout).toContain('VpcEndpointLimitExceeded: ');
    expect(r.stdout).toContain('NotAttempted: not attempted because ec2:CreateVpcEndpoint');
  });

  it('an access denial exits 4', async () => {
    vpcWorld({ groups: [endpointGroup([[443, 443, ['10.0.0.0/16']]])] });
    const { CreateVpcEndpointCommand } = await import('@aws-sdk/client-ec2');
    ec2.on(CreateVpcEndpointCommand).rejects(awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.'));
    const r = await cli(create());
    expect(r.code).toBe(4);
  });

  it('a refused read exits 4 naming the action; another AWS error on a read exits 5; nothing written', async () => {
    vpcWorld();
    const { DescribeVpcAttributeCommand, DescribeSubnetsCommand } = await import('@aws-sdk/client-ec2');
    ec2.on(DescribeVpcAttributeCommand).rejects(awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.'));
    const denied = await cli(create('--json'));
    expect(denied.code).toBe(4);
    expect(JSON.parse(denied.stderr.trim()).error).toMatchObject({
      code: 'UnauthorizedOperation',
      message: expect.stringContaining('ec2:DescribeVpcAttribute in us-east-1'),
    });

    resetAws();
    vpcWorld();
    ec2.on(DescribeSubnetsCommand).rejects(awsError('InternalError', 'An internal error has occurred', 500));
    const failed = await cli(create());
    expect(failed.code).toBe(5);
    expect(failed.stderr).toContain('ec2:DescribeSubnets in us-east-1');
    expect(ec2Writes()).toEqual([]);
  });

  it('nothing to do: "No changes", exit 0, no write', async () => {
    vpcWorld({
      groups: [endpointGroup([[443, 443, ['10.0.0.0/16']]])],
      endpoints: [
        {
          VpcEndpointId: 'vpce-0aaaaaaaaaaaaaaa1',
          VpcEndpointType: 'Interface',
          ServiceName: 'com.amazonaws.us-east-1.ssm',
          State: 'Available',
          SubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb1'],
          Groups: [{ GroupId: 'sg-0aaaaaaaaaaaaaaa1' }],
          PrivateDnsEnabled: true,
        },
        {
          VpcEndpointId: 'vpce-0aaaaaaaaaaaaaaa2',
          VpcEndpointType: 'Interface',
          ServiceName: 'com.amazonaws.us-east-1.ssmmessages',
          State: 'Available',
          SubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb1'],
          Groups: [{ GroupId: 'sg-0aaaaaaaaaaaaaaa1' }],
          PrivateDnsEnabled: true,
        },
      ],
    });
    const r = await cli(create('--no-color'));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('No changes: everything is already as asked.\n');
    expect(ec2Writes()).toEqual([]);
  });
});
