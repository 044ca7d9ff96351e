// The one DescribeInstances reader: instance ids go in an instance-id filter (EC2 caps a call at 200
// filter values, all filters together), tags as tag:KEY filters, MaxResults at its maximum of 1000, and
// every page is followed (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstances.html).
import { DescribeInstancesCommand, type DescribeInstancesCommandInput } from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from 'vitest';
import { describeSelectedInstances, tagRecord } from '../../../src/services/aws/instances.js';
import { ec2, resetAws } from '../../helpers/aws-mocks.js';
import { testEnv } from '../../helpers/service-env.js';

const sent = () => ec2.commandCalls(DescribeInstancesCommand).map((c) => c.args[0].input as DescribeInstancesCommandInput);
const ids = (n: number) => Array.from({ length: n }, (_, i) => `i-${i.toString(16).padStart(17, '0')}`);

beforeEach(() => resetAws());

describe('describeSelectedInstances', () => {
  it('asks for every instance when nothing is selected: no filter at all', async () => {
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [{ InstanceId: 'i-1' }] }] });
    const api = await testEnv().clients.ec2('us-east-1');
    expect(await describeSelectedInstances(api, { instanceIds: [], tags: [] })).toEqual([{ InstanceId: 'i-1' }]);
    expect(sent()).toEqual([{ Filters: [], MaxResults: 1000, NextToken: undefined }]);
  });

  it('sends the filters given, one tag:KEY filter per tag, and the ids; and follows every page', async () => {
    ec2
      .on(DescribeInstancesCommand)
      .resolvesOnce({ Reservations: [{ Instances: [{ InstanceId: 'i-1' }, { InstanceId: 'i-2' }] }], NextToken: 'p2' })
      .resolvesOnce({ Reservations: [{ Instances: [{ InstanceId: 'i-3' }] }] });
    const api = await testEnv().clients.ec2('us-east-1');
    const found = await describeSelectedInstances(api, { instanceIds: ['i-1', 'i-2', 'i-3'], tags: [{ Key: 'Env', Value: 'prod' }] }, [
      { Name: 'instance-state-name', Values: ['running'] },
    ]);
    expect(found.map((i) => i.InstanceId)).toEqual(['i-1', 'i-2', 'i-3']);
    const filters = [
      { Name: 'instance-state-name', Values: ['running'] },
      { Name: 'tag:Env', Values: ['prod'] },
      { Name: 'instance-id', Values: ['i-1', 'i-2', 'i-3'] },
    ];
    expect(sent()).toEqual([
      { Filters: filters, MaxResults: 1000, NextToken: undefined },
      { Filters: filters, MaxResults: 1000, NextToken: 'p2' },
    ]);
  });

  it("splits many ids over calls within EC2's 200 filter values", async () => {
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });
    const api = await testEnv().clients.ec2('us-east-1');
    await describeSelectedInstances(api, { instanceIds: ids(250), tags: [{ Key: 'Env', Value: 'prod' }] });
    expect(sent().map((i) => i.Filters!.map((f) => `${f.Name}:${f.Values!.length}`))).toEqual([
      ['tag:Env:1', 'instance-id:199'],
      ['tag:Env:1', 'instance-id:51'],
    ]);
  });

  it('reads a page without reservations, and a reservation without instances, as none', async () => {
    ec2
      .on(DescribeInstancesCommand)
      .resolvesOnce({ NextToken: 'p2' })
      .resolvesOnce({ Reservations: [{}, { Instances: [{ InstanceId: 'i-9' }] }] });
    const api = await testEnv().clients.ec2('us-east-1');
    expect(await describeSelectedInstances(api, { instanceIds: [], tags: [] })).toEqual([{ InstanceId: 'i-9' }]);
  });
});

describe('tagRecord', () => {
  it("is an instance's tags by key", () => {
    expect(
      tagRecord({
        Tags: [
          { Key: 'Name', Value: 'web-1' },
          { Key: 'Env', Value: 'prod' },
        ],
      }),
    ).toEqual({ Name: 'web-1', Env: 'prod' });
  });

  it("is empty for an instance without tags, and reads a missing key or value as ''", () => {
    expect(tagRecord({})).toEqual({});
    expect(tagRecord({ Tags: [{ Value: 'orphan' }, { Key: 'Empty' }] })).toEqual({ '': 'orphan', Empty: '' });
  });
});
