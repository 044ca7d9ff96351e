// doctor at fleet scale: the managed-node reads are batches of instance ids (the API's maximum a call),
// sent side by side under a bound as DescribeInstances pages arrive, and a failed batch is a read error
// of the region, reported as any refused read is.
import * as EC2 from '@aws-sdk/client-ec2';
import { GetInstanceProfileCommand, GetRoleCommand, ListAttachedRolePoliciesCommand, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import {
  DescribeInstanceInformationCommand,
  GetServiceSettingCommand,
  ListAssociationsCommand,
  type DescribeInstanceInformationCommandInput,
} from '@aws-sdk/client-ssm';
import { beforeEach, describe, expect, it } from 'vitest';
import { ec2, iam, resetAws, ssm } from '../../helpers/aws-mocks.js';
import { awsError } from '../../helpers/aws-errors.js';
import { testEnv } from '../../helpers/service-env.js';
import { collectFleet, NODE_BATCHES_AT_ONCE, NODE_IDS_PER_CALL, NODE_PAGE_SIZE, type Selection } from '../../../src/services/doctor/collect.js';
import { runPythonWith } from '../../helpers/python.js';
import { diagnoseFleet } from '../../../src/services/doctor/diagnose.js';

const sel: Selection = { partition: 'aws', account: '111122223333', regions: ['us-east-1'], iamRegion: 'us-east-1', instanceIds: [], tags: [] };
const id = (n: number) => `i-${n.toString(16).padStart(17, '0')}`;
const fleet = (from: number, n: number): EC2.Instance[] => Array.from({ length: n }, (_, k) => ({ InstanceId: id(from + k), State: { Name: 'running' } }));
const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const idsAsked = (input: DescribeInstanceInformationCommandInput) => input.Filters?.find((f) => f.Key === 'InstanceIds')?.Values ?? [];

/** `pages` DescribeInstances pages of `size` instances each, followed by their NextToken. */
function instancePages(pages: number, size: number, before?: (page: number) => Promise<void>) {
  ec2.on(EC2.DescribeInstancesCommand).callsFake(async (input: { NextToken?: string }) => {
    const page = input.NextToken ? Number(input.NextToken) : 0;
    await before?.(page);
    return { Reservations: [{ Instances: fleet(page * size, size) }], NextToken: page + 1 < pages ? String(page + 1) : undefined };
  });
}

/** Over two pages of DescribeInstances: whether `command` had been sent when the last page was answered. */
function sentBeforeLastPage(mock: typeof iam, command: typeof GetRoleCommand | typeof GetInstanceProfileCommand): () => boolean {
  let sent = false;
  instancePages(2, 10, async (page) => {
    if (page !== 1) return;
    await tick(20);
    sent = mock.commandCalls(command as never).length > 0;
  });
  return () => sent;
}

beforeEach(() => {
  resetAws();
  ssm.on(GetServiceSettingCommand).resolves({ ServiceSetting: { SettingValue: '$None', Status: 'Default' } });
  ssm.on(ListAssociationsCommand).resolves({ Associations: [] });
  ec2.on(EC2.DescribeIamInstanceProfileAssociationsCommand).resolves({ IamInstanceProfileAssociations: [] });
});

describe('collectFleet: managed nodes in batches of instance ids', () => {
  it("asks as many ids a call and nodes a page as SSM's own service model allows (botocore, as the aws CLI ships it)", () => {
    // botocore enforces only minima client-side, so the aws CLI cannot show these limits by refusing a
    // call; its model is the primary source they are read from.
    const script = [
      'import botocore.loaders, json',
      "m = botocore.loaders.Loader().load_service_model('ssm', 'service-2')",
      "print(json.dumps({k: m['shapes'][k].get('max') for k in ('InstanceInformationFilterValueSet', 'MaxResultsEC2Compatible')}))",
    ].join('\n');
    expect(JSON.parse(runPythonWith('botocore', script, ''))).toEqual({
      InstanceInformationFilterValueSet: NODE_IDS_PER_CALL,
      MaxResultsEC2Compatible: NODE_PAGE_SIZE,
    });
  });

  it('asks for every instance once, in calls of the API maximum (100 ids), across pages of any size', async () => {
    // Pages of 70 instances: the ids are gathered into full calls of 100, the rest in a last one.
    instancePages(5, 70);
    ssm.on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: [] });
    await collectFleet(testEnv(), sel);
    const asked = ssm.commandCalls(DescribeInstanceInformationCommand).map((c) => idsAsked(c.args[0].input));
    expect(NODE_IDS_PER_CALL).toBe(100);
    expect(asked.map((a) => a.length)).toEqual([100, 100, 100, 50]);
    expect(asked.flat()).toEqual(fleet(0, 350).map((i) => i.InstanceId));
  });

  it(`sends the batches side by side, never more than ${NODE_BATCHES_AT_ONCE} at once`, async () => {
    instancePages(1, 2000);
    let inFlight = 0;
    let most = 0;
    ssm.on(DescribeInstanceInformationCommand).callsFake(async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await tick(5);
      inFlight -= 1;
      return { InstanceInformationList: [] };
    });
    await collectFleet(testEnv(), sel);
    expect(ssm).toHaveReceivedCommandTimes(DescribeInstanceInformationCommand, 20);
    expect(NODE_BATCHES_AT_ONCE).toBeGreaterThan(1);
    expect(most).toBe(NODE_BATCHES_AT_ONCE);
  });

  it('asks for the first page of instances before the last page of DescribeInstances has been read', async () => {
    let nodeCalls = 0;
    let nodeCallsBeforeLastPage = -1;
    // The last page answers a little later, so batches started by earlier pages have had their turn.
    instancePages(3, 200, async (page) => {
      if (page !== 2) return;
      await tick(20);
      nodeCallsBeforeLastPage = nodeCalls;
    });
    ssm.on(DescribeInstanceInformationCommand).callsFake(() => {
      nodeCalls += 1;
      return { InstanceInformationList: [] };
    });
    await collectFleet(testEnv(), sel);
    expect(nodeCallsBeforeLastPage).toBe(4);
    expect(nodeCalls).toBe(6);
  });

  it('keeps what the pages of every batch say', async () => {
    instancePages(1, 300);
    ssm.on(DescribeInstanceInformationCommand).callsFake((input: DescribeInstanceInformationCommandInput) => {
      // Every third instance is registered; pages of MaxResults nodes.
      const nodes = idsAsked(input)
        .filter((_, k) => k % 3 === 0)
        .map((InstanceId) => ({ InstanceId, PingStatus: 'Online' as const, AgentVersion: '3.3.1611.0' }));
      const start = Number(input.NextToken ?? 0);
      return {
        InstanceInformationList: nodes.slice(start, start + input.MaxResults!),
        NextToken: start + input.MaxResults! < nodes.length ? String(start + input.MaxResults!) : undefined,
      };
    });
    const r = (await collectFleet(testEnv(), sel)).regions[0]!;
    expect([...r.managed.keys()]).toEqual(
      fleet(0, 300)
        .map((i) => i.InstanceId!)
        .filter((_, k) => (k % 100) % 3 === 0),
    );
    expect(r.managed.get(id(0))).toEqual({ pingStatus: 'Online', agentVersion: '3.3.1611.0', lastPing: null, platform: null });
    expect(r.gaps.size).toBe(0);
  });
});

describe('collectFleet: a failed batch', () => {
  const DENIED = `User: arn:aws:iam::111122223333:user/ops is not authorized to perform: ssm:DescribeInstanceInformation`;

  it('is the managed read error of the region: no node is kept, and no further batch is sent', async () => {
    instancePages(1, 2000);
    ssm.on(DescribeInstanceInformationCommand).callsFake(async (input: DescribeInstanceInformationCommandInput) => {
      if (idsAsked(input)[0] === id(300)) throw awsError('AccessDeniedException', DENIED);
      await tick(5);
      return {
        InstanceInformationList: idsAsked(input)
          .map((InstanceId) => ({ InstanceId, PingStatus: 'Online' as const }))
          .slice(0, 50),
      };
    });
    const r = (await collectFleet(testEnv(), sel)).regions[0]!;
    expect(r.error).toBeNull();
    expect(r.instances).toHaveLength(2000);
    expect(r.managed).toEqual(new Map());
    expect(r.gaps).toEqual(
      new Map([
        [
          'managed',
          {
            code: 'AccessDeniedException',
            message: `access denied to ssm:DescribeInstanceInformation in us-east-1: ${DENIED}`,
            hint: `Allow ssm:DescribeInstanceInformation for the identity you are using (see the README's IAM permissions for this command), or use --profile for one that has it.`,
          },
        ],
      ]),
    );
    // The batches already in flight when it failed finish; the twelve still queued are never sent.
    expect(ssm.commandCalls(DescribeInstanceInformationCommand).length).toBeLessThanOrEqual(NODE_BATCHES_AT_ONCE + 1);
  });

  it('is reported as doctor reports a refused read: a read error, and "unknown" for whether instances are registered', async () => {
    instancePages(1, 250);
    ssm.on(DescribeInstanceInformationCommand).callsFake((input: DescribeInstanceInformationCommandInput) => {
      if (idsAsked(input)[0] === id(200)) throw awsError('ThrottlingException', 'Rate exceeded');
      return { InstanceInformationList: [] };
    });
    const report = await diagnoseFleet(testEnv(), sel);
    expect(report.readErrors).toEqual([
      {
        region: 'us-east-1',
        read: 'ssm:DescribeInstanceInformation',
        effect: 'whether instances are registered is unknown',
        error: expect.objectContaining({ code: 'ThrottlingException' }),
      },
    ]);
    const managed = report.instances[0]!.checks.find((c) => c.id === 'managed')!;
    expect(managed.status).toBe('unknown');
  });

  it('stops the run when it was interrupted (Ctrl-C), as any interrupted read does', async () => {
    instancePages(1, 500);
    ssm.on(DescribeInstanceInformationCommand).callsFake((input: DescribeInstanceInformationCommandInput) => {
      if (idsAsked(input)[0] === id(100)) throw awsError('AbortError', 'Request aborted');
      return { InstanceInformationList: [] };
    });
    await expect(collectFleet(testEnv(), sel)).rejects.toMatchObject({ name: 'AbortedError', code: 'Interrupted' });
  });
});

describe('collectFleet: reads that do not wait for each other', () => {
  it('reads route tables, VPC endpoints and security groups side by side', async () => {
    instancePages(1, 3);
    ec2.on(EC2.DescribeInstancesCommand).resolves({ Reservations: [{ Instances: fleet(0, 3).map((i) => ({ ...i, VpcId: 'vpc-a' })) }] });
    ssm.on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: [] });
    let started = 0;
    let startedBeforeFirstAnswer = 0;
    const held = (answer: object) => async () => {
      started += 1;
      await tick(10);
      startedBeforeFirstAnswer ||= started;
      return answer;
    };
    ec2.on(EC2.DescribeRouteTablesCommand).callsFake(held({ RouteTables: [] }));
    ec2.on(EC2.DescribeVpcEndpointsCommand).callsFake(held({ VpcEndpoints: [] }));
    ec2.on(EC2.DescribeSecurityGroupsCommand).callsFake(held({ SecurityGroups: [] }));
    await collectFleet(testEnv(), sel);
    expect(startedBeforeFirstAnswer).toBe(3);
  });

  it("reads the DHMC role while the region's instances are still being listed", async () => {
    ssm.on(GetServiceSettingCommand).resolves({ ServiceSetting: { SettingValue: 'service-role/DhmcRole', Status: 'Customized' } });
    iam.on(GetRoleCommand).resolves({
      Role: {
        RoleName: 'DhmcRole',
        Arn: 'arn:aws:iam::111122223333:role/service-role/DhmcRole',
        Path: '/service-role/',
        RoleId: 'x',
        CreateDate: new Date(),
      },
    });
    iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [], IsTruncated: false });
    iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: [], IsTruncated: false });
    const roleReadBeforeLastPage = sentBeforeLastPage(iam, GetRoleCommand);
    ssm.on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: [] });
    const facts = await collectFleet(testEnv(), sel);
    expect(roleReadBeforeLastPage()).toBe(true);
    expect(iam).toHaveReceivedCommandTimes(GetRoleCommand, 1);
    expect([...facts.roles.keys()]).toEqual(['DhmcRole']);
  });

  it('reads each profile the associations name once, while the instances are still being listed, and reports only those in use', async () => {
    const arn = (name: string) => `arn:aws:iam::111122223333:instance-profile/${name}`;
    ec2.on(EC2.DescribeIamInstanceProfileAssociationsCommand).resolves({
      IamInstanceProfileAssociations: [
        { InstanceId: id(0), State: 'associated', IamInstanceProfile: { Arn: arn('Web') } },
        { InstanceId: id(1), State: 'associated', IamInstanceProfile: { Arn: arn('Web') } },
        // An instance the live-state filter leaves out (terminating): its profile is read, not reported.
        { InstanceId: 'i-0ffffffffffffffff', State: 'associated', IamInstanceProfile: { Arn: arn('Gone') } },
      ],
    });
    iam.on(GetInstanceProfileCommand).callsFake((input: { InstanceProfileName: string }) => ({
      InstanceProfile: {
        InstanceProfileName: input.InstanceProfileName,
        Arn: arn(input.InstanceProfileName),
        Path: '/',
        InstanceProfileId: 'x',
        CreateDate: new Date(),
        Roles: [],
      },
    }));
    const profileReadBeforeLastPage = sentBeforeLastPage(iam, GetInstanceProfileCommand);
    ssm.on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: [] });
    const facts = await collectFleet(testEnv({ regionConcurrency: 2 }), { ...sel, regions: ['us-east-1', 'eu-west-1'] });
    expect(profileReadBeforeLastPage()).toBe(true);
    expect(
      iam
        .commandCalls(GetInstanceProfileCommand)
        .map((c) => c.args[0].input.InstanceProfileName)
        .sort(),
    ).toEqual(['Gone', 'Web']);
    expect([...facts.profiles.keys()]).toEqual([arn('Web')]);
  });
});

describe('collectFleet: reads started early that end badly', () => {
  it('names the first network read refused when several are', async () => {
    ec2.on(EC2.DescribeInstancesCommand).resolves({ Reservations: [{ Instances: fleet(0, 3).map((i) => ({ ...i, VpcId: 'vpc-a' })) }] });
    ssm.on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: [] });
    const denied = awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.');
    ec2.on(EC2.DescribeRouteTablesCommand).rejects(denied);
    ec2.on(EC2.DescribeVpcEndpointsCommand).resolves({ VpcEndpoints: [] });
    ec2.on(EC2.DescribeSecurityGroupsCommand).rejects(denied);
    const r = (await collectFleet(testEnv(), sel)).regions[0]!;
    expect(r.gaps.get('network')!.message).toMatch(/^access denied to ec2:DescribeRouteTables in us-east-1/);
  });

  it('an interrupted run leaves no read of a role unawaited (no unhandled rejection)', async () => {
    ssm.on(GetServiceSettingCommand).resolves({ ServiceSetting: { SettingValue: 'service-role/DhmcRole', Status: 'Customized' } });
    iam.on(GetRoleCommand).rejects(awsError('AbortError', 'Request aborted'));
    instancePages(2, 10, async (page) => {
      if (page !== 1) return;
      await tick(10);
      throw awsError('AbortError', 'Request aborted');
    });
    ssm.on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: [] });
    await expect(collectFleet(testEnv(), sel)).rejects.toMatchObject({ name: 'AbortedError' });
    // Give a rejection nobody handled the turn in which Node would report it.
    await tick(20);
  });
});
