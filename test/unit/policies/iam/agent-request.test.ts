// The agent's requests (resources and context keys) and the judgement of a role against them.
import { describe, expect, it } from 'vitest';
import { agentRequests, judgeAgentPermissions, type AgentRequestInput } from '../../../../src/policies/agent-request.js';
import { evaluate } from '../../../../src/policies/iam/index.js';
import { AGENT_CORE_ACTIONS } from '../../../../src/policies/managed-policies.js';
import { doc, named } from './helpers.js';

const ec2: AgentRequestInput = {
  partition: 'aws',
  region: 'us-east-1',
  account: '111122223333',
  instanceId: 'i-0123456789abcdef0',
  roleArn: 'arn:aws:iam::111122223333:role/ssm-role',
  roleTags: { team: 'blue' },
  instanceTags: { env: 'prod' },
  route: 'instance-profile',
  privateIp: '10.0.1.5',
  vpcId: 'vpc-111',
  now: new Date('2026-05-01T12:00:00.123Z'),
};
const byAction = (input: AgentRequestInput) => new Map(agentRequests(input).map((r) => [r.action, r]));

// What the DHMC default policy grants, statement by statement (AllowSSMAgentPermissions,
// AllowSSMChannelMessaging, AllowSSMLegacyMessaging).
const core = named(
  'core',
  doc(
    {
      Sid: 'Agent',
      Effect: 'Allow',
      Action: ['ssm:UpdateInstanceInformation', 'ssm:ListInstanceAssociations', 'ssm:GetDocument', 'ssm:PutInventory'],
      Resource: '*',
    },
    { Sid: 'Channels', Effect: 'Allow', Action: ['ssmmessages:*'], Resource: '*' },
    { Sid: 'Legacy', Effect: 'Allow', Action: ['ec2messages:*'], Resource: '*' },
  ),
);

describe('agentRequests', () => {
  it('makes one request per core action', () => {
    expect(agentRequests(ec2).map((r) => r.action)).toEqual([...AGENT_CORE_ACTIONS]);
  });

  it('uses the instance ARN for EC2, the managed-instance ARN for hybrid nodes, in either partition', () => {
    expect(byAction(ec2).get('ssm:UpdateInstanceInformation')?.resource).toBe('arn:aws:ec2:us-east-1:111122223333:instance/i-0123456789abcdef0');
    expect(byAction({ ...ec2, partition: 'aws-cn', region: 'cn-north-1' }).get('ssm:ListInstanceAssociations')?.resource).toBe(
      'arn:aws-cn:ec2:cn-north-1:111122223333:instance/i-0123456789abcdef0',
    );
    const hybrid = byAction({ ...ec2, instanceId: 'mi-0123456789abcdef0', route: 'dhmc' });
    expect(hybrid.get('ssm:UpdateInstanceInformation')?.resource).toBe('arn:aws:ssm:us-east-1:111122223333:managed-instance/mi-0123456789abcdef0');
    expect(
      byAction({ ...ec2, partition: 'aws-cn', region: 'cn-northwest-1', instanceId: 'mi-0123456789abcdef0' }).get('ssm:ListInstanceAssociations')?.resource,
    ).toBe('arn:aws-cn:ssm:cn-northwest-1:111122223333:managed-instance/mi-0123456789abcdef0');
  });

  it('uses the AWS-owned document for GetDocument and "*" for actions without a resource type', () => {
    const r = byAction({ ...ec2, partition: 'aws-cn', region: 'cn-north-1' });
    expect(r.get('ssm:GetDocument')?.resource).toBe('arn:aws-cn:ssm:cn-north-1::document/AWS-RunShellScript');
    expect(byAction({ ...ec2, documentName: 'AWS-GatherSoftwareInventory' }).get('ssm:GetDocument')?.resource).toBe(
      'arn:aws:ssm:us-east-1::document/AWS-GatherSoftwareInventory',
    );
    for (const action of [
      'ssm:PutInventory',
      'ssmmessages:CreateControlChannel',
      'ssmmessages:OpenDataChannel',
      'ec2messages:GetMessages',
      'ec2messages:SendReply',
    ]) {
      expect(r.get(action)?.resource).toBe('*');
    }
  });

  it('knows what the credentials determine', () => {
    const known = byAction(ec2).get('ssm:UpdateInstanceInformation')?.known;
    expect(known).toMatchObject({
      'aws:RequestedRegion': 'us-east-1',
      'aws:PrincipalAccount': '111122223333',
      'aws:ResourceAccount': '111122223333',
      'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/ssm-role',
      'aws:PrincipalType': 'AssumedRole',
      'aws:SecureTransport': true,
      'aws:ViaAWSService': false,
      'aws:PrincipalIsAWSService': false,
      'aws:MultiFactorAuthPresent': false,
      'aws:CurrentTime': '2026-05-01T12:00:00Z',
      'aws:EpochTime': 1777636800,
      'aws:PrincipalTag/team': 'blue',
      'aws:ResourceTag/env': 'prod',
      'ec2:SourceInstanceARN': 'arn:aws:ec2:us-east-1:111122223333:instance/i-0123456789abcdef0',
      'aws:Ec2InstanceSourceVpc': 'vpc-111',
      'aws:Ec2InstanceSourcePrivateIPv4': '10.0.1.5',
    });
  });

  it('lists what the agent never has as absent, and leaves the network path unknown', () => {
    const r = byAction(ec2).get('ssm:UpdateInstanceInformation');
    expect(r?.absent).toEqual(
      expect.arrayContaining([
        'aws:MultiFactorAuthAge',
        'aws:CalledVia',
        'aws:RequestTag/*',
        'aws:TagKeys',
        'aws:SourceAccount',
        'aws:SourceArn',
        'aws:FederatedProvider',
        'aws:username',
        'aws:PrincipalTag/*',
        'aws:ResourceTag/*',
        'ssm:SourceInstanceARN',
      ]),
    );
    for (const key of ['aws:SourceIp', 'aws:SourceVpc', 'aws:SourceVpce', 'aws:PrincipalOrgID', 'aws:TokenIssueTime', 'aws:userid']) {
      expect(r?.known[key]).toBeUndefined();
      expect(r?.absent.some((a) => key.toLowerCase().startsWith(a.toLowerCase().replace(/\*$/, '')))).toBe(false);
    }
  });

  it('keeps the instance keys of instance profile credentials out of DHMC and hybrid requests', () => {
    const dhmc = byAction({ ...ec2, route: 'dhmc' }).get('ssm:UpdateInstanceInformation');
    expect(dhmc?.known['ec2:SourceInstanceARN']).toBeUndefined();
    expect(dhmc?.absent).not.toContain('ec2:SourceInstanceARN');
    expect(dhmc?.absent).not.toContain('ssm:SourceInstanceARN');
    const hybrid = byAction({ ...ec2, instanceId: 'mi-0123456789abcdef0', route: 'dhmc' }).get('ssm:UpdateInstanceInformation');
    expect(hybrid?.absent).toEqual(expect.arrayContaining(['ec2:SourceInstanceARN', 'aws:Ec2InstanceSourceVpc']));
  });

  it('leaves time, tags, VPC and address unknown when not given', () => {
    const r = byAction({ ...ec2, now: undefined, roleTags: undefined, instanceTags: undefined, privateIp: null, vpcId: null }).get(
      'ssm:UpdateInstanceInformation',
    );
    for (const key of ['aws:CurrentTime', 'aws:EpochTime', 'aws:Ec2InstanceSourceVpc', 'aws:Ec2InstanceSourcePrivateIPv4'])
      expect(r?.known[key]).toBeUndefined();
    expect(r?.absent).not.toContain('aws:PrincipalTag/*');
    expect(r?.absent).not.toContain('aws:ResourceTag/*');
  });

  it('feeds the evaluator: a policy keyed on the instance and its tags decides', () => {
    const scoped = named(
      'scoped',
      doc({
        Effect: 'Allow',
        Action: 'ssm:UpdateInstanceInformation',
        Resource: 'arn:aws:ec2:*:*:instance/*',
        Condition: { StringEquals: { 'aws:ResourceTag/env': 'prod', 'aws:PrincipalTag/team': 'blue' }, Bool: { 'aws:SecureTransport': 'true' } },
      }),
    );
    const request = byAction(ec2).get('ssm:UpdateInstanceInformation');
    if (!request) throw new Error('missing request');
    expect(evaluate({ identity: [scoped] }, request).decision).toBe('allowed');
    expect(evaluate({ identity: [scoped] }, byAction({ ...ec2, instanceTags: { env: 'dev' } }).get('ssm:UpdateInstanceInformation') ?? request).decision).toBe(
      'not-allowed',
    );
  });
});

// The keys "AWS global condition context keys"
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html) makes present only
// in situations the agent is never in, so every request of the agent lists them as absent.
const NEVER_PRESENT = [
  // aws:CalledVia*: present only in forward access sessions, when a service calls on the principal's behalf.
  'aws:CalledVia',
  'aws:CalledViaFirst',
  'aws:CalledViaLast',
  'aws:CalledViaAWSMCP',
  // Present only in requests that pass tags.
  'aws:RequestTag/*',
  'aws:TagKeys',
  // Present only when a service principal calls on a resource.
  'aws:SourceAccount',
  'aws:SourceArn',
  'aws:SourceOrgID',
  'aws:SourceOrgPaths',
  'aws:SourceOwner',
  // Present only for web identity or SAML federation.
  'aws:FederatedProvider',
  // Present only for IAM users.
  'aws:username',
  // Present only when the principal is an AWS service.
  'aws:PrincipalServiceName',
  'aws:PrincipalServiceNamesList',
  // Present only when a source identity was set on the session.
  'aws:SourceIdentity',
  // Present only when MFA was used.
  'aws:MultiFactorAuthAge',
  // Present only with an HTTP Referer header.
  'aws:referer',
  // Present only for sts:AssumeRoot sessions.
  'aws:AssumedRoot',
];
const sorted = (keys: readonly string[]) => [...keys].sort();
// What the EC2 instance profile credentials of `ec2` determine, on every request.
const EC2_CREDENTIAL_KEYS = {
  'aws:RequestedRegion': 'us-east-1',
  'aws:PrincipalAccount': '111122223333',
  'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/ssm-role',
  'aws:PrincipalType': 'AssumedRole',
  'aws:SecureTransport': true,
  'aws:ViaAWSService': false,
  'aws:PrincipalIsAWSService': false,
  'aws:MultiFactorAuthPresent': false,
  'aws:CurrentTime': '2026-05-01T12:00:00Z',
  'aws:EpochTime': 1777636800,
  'aws:PrincipalTag/team': 'blue',
  'ec2:SourceInstanceARN': 'arn:aws:ec2:us-east-1:111122223333:instance/i-0123456789abcdef0',
  'aws:Ec2InstanceSourceVpc': 'vpc-111',
  'aws:Ec2InstanceSourcePrivateIPv4': '10.0.1.5',
};

describe('agentRequests, each request in full', () => {
  it('registers on the instance: the instance resource brings the resource account and its tags, and no other tag', () => {
    // ssm:UpdateInstanceInformation acts on the `instance` resource type, which carries aws:ResourceTag/${TagKey}
    // (Service Authorization Reference for Systems Manager); the agent calls it to register (amazon-ssm-agent,
    // agent/ssm/service.go, UpdateInstanceInformation).
    const r = byAction(ec2).get('ssm:UpdateInstanceInformation');
    expect({ ...r, absent: sorted(r?.absent ?? []) }).toEqual({
      action: 'ssm:UpdateInstanceInformation',
      resource: 'arn:aws:ec2:us-east-1:111122223333:instance/i-0123456789abcdef0',
      known: { ...EC2_CREDENTIAL_KEYS, 'aws:ResourceAccount': '111122223333', 'aws:ResourceTag/env': 'prod' },
      absent: sorted([...NEVER_PRESENT, 'aws:PrincipalTag/*', 'ssm:SourceInstanceARN', 'aws:ResourceTag/*']),
    });
  });

  it('calls the actions without a resource type on "*": no resource account, and no resource tag at all', () => {
    // ssm:PutInventory, ssmmessages:* and ec2messages:* list no resource type in the Service Authorization
    // Reference, so IAM authorizes them against "*", which has neither an account nor tags.
    for (const action of [
      'ssm:PutInventory',
      'ssmmessages:CreateControlChannel',
      'ssmmessages:CreateDataChannel',
      'ssmmessages:OpenControlChannel',
      'ssmmessages:OpenDataChannel',
      'ec2messages:GetMessages',
      'ec2messages:AcknowledgeMessage',
      'ec2messages:SendReply',
    ]) {
      const r = byAction(ec2).get(action);
      expect({ ...r, absent: sorted(r?.absent ?? []) }).toEqual({
        action,
        resource: '*',
        known: EC2_CREDENTIAL_KEYS,
        absent: sorted([...NEVER_PRESENT, 'aws:PrincipalTag/*', 'ssm:SourceInstanceARN', 'aws:ResourceTag/*']),
      });
    }
  });

  it("fetches an AWS-owned document: neither the instance's account and tags nor a verdict on the document's tags", () => {
    // ssm:GetDocument acts on `document` (arn:P:ssm:R:A:document/NAME), which carries aws:ResourceTag/${TagKey};
    // an AWS-owned document's ARN has no account, so aws:ResourceAccount is not the instance's account, and its
    // tags are not known either way: aws:ResourceTag/* is neither known nor absent.
    const r = byAction(ec2).get('ssm:GetDocument');
    expect({ ...r, absent: sorted(r?.absent ?? []) }).toEqual({
      action: 'ssm:GetDocument',
      resource: 'arn:aws:ssm:us-east-1::document/AWS-RunShellScript',
      known: EC2_CREDENTIAL_KEYS,
      absent: sorted([...NEVER_PRESENT, 'aws:PrincipalTag/*', 'ssm:SourceInstanceARN']),
    });
  });

  it('registers a hybrid node on its managed instance, with none of the EC2 instance credential keys', () => {
    // A hybrid node has no EC2 role credentials, which are what carry ec2:SourceInstanceARN,
    // aws:Ec2InstanceSourceVpc and aws:Ec2InstanceSourcePrivateIPv4 (global condition keys page); the
    // `managed-instance` resource type carries aws:ResourceTag/${TagKey} (Service Authorization Reference).
    const r = byAction({ ...ec2, instanceId: 'mi-0123456789abcdef0', route: 'dhmc' }).get('ssm:UpdateInstanceInformation');
    expect({ ...r, absent: sorted(r?.absent ?? []) }).toEqual({
      action: 'ssm:UpdateInstanceInformation',
      resource: 'arn:aws:ssm:us-east-1:111122223333:managed-instance/mi-0123456789abcdef0',
      known: {
        'aws:RequestedRegion': 'us-east-1',
        'aws:PrincipalAccount': '111122223333',
        'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/ssm-role',
        'aws:PrincipalType': 'AssumedRole',
        'aws:SecureTransport': true,
        'aws:ViaAWSService': false,
        'aws:PrincipalIsAWSService': false,
        'aws:MultiFactorAuthPresent': false,
        'aws:CurrentTime': '2026-05-01T12:00:00Z',
        'aws:EpochTime': 1777636800,
        'aws:PrincipalTag/team': 'blue',
        'aws:ResourceAccount': '111122223333',
        'aws:ResourceTag/env': 'prod',
      },
      absent: sorted([
        ...NEVER_PRESENT,
        'aws:PrincipalTag/*',
        'ec2:SourceInstanceARN',
        'aws:Ec2InstanceSourceVpc',
        'aws:Ec2InstanceSourcePrivateIPv4',
        'aws:ResourceTag/*',
      ]),
    });
  });
});

describe('judgeAgentPermissions', () => {
  it('registers with the core permissions', () => {
    const j = judgeAgentPermissions({ identity: [core] }, agentRequests(ec2));
    expect(j).toMatchObject({ registers: 'yes', denied: false, missing: [], uncertain: [] });
  });

  it('lists the actions a partial policy misses', () => {
    const partial = named('partial', doc({ Effect: 'Allow', Action: ['ssm:UpdateInstanceInformation', 'ssmmessages:*'], Resource: '*' }));
    const j = judgeAgentPermissions({ identity: [partial] }, agentRequests(ec2));
    expect(j.registers).toBe('yes');
    expect(j.missing).toEqual([
      'ssm:ListInstanceAssociations',
      'ssm:GetDocument',
      'ssm:PutInventory',
      'ec2messages:GetMessages',
      'ec2messages:AcknowledgeMessage',
      'ec2messages:SendReply',
    ]);
  });

  it('reports an explicit Deny and a boundary that leaves registration out', () => {
    const deny = named('deny', doc({ Effect: 'Deny', Action: 'ssm:UpdateInstanceInformation', Resource: '*' }));
    expect(judgeAgentPermissions({ identity: [core, deny] }, agentRequests(ec2))).toMatchObject({
      registers: 'no',
      denied: true,
      missing: ['ssm:UpdateInstanceInformation'],
    });
    const boundary = named('boundary', doc({ Effect: 'Allow', Action: ['ssmmessages:*', 'ec2messages:*'], Resource: '*' }));
    expect(judgeAgentPermissions({ identity: [core], boundary: [boundary] }, agentRequests(ec2))).toMatchObject({ registers: 'no', denied: false });
  });

  it('says maybe, with the statement and the key, when a condition rests on the network path', () => {
    const vpce = named(
      'vpce',
      doc({ Sid: 'OnlyThroughEndpoint', Effect: 'Deny', Action: 'ssm:*', Resource: '*', Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } } }),
    );
    const j = judgeAgentPermissions({ identity: [core, vpce] }, agentRequests(ec2));
    expect(j.registers).toBe('maybe');
    expect(j.missing).toEqual([]);
    expect(j.uncertain).toContainEqual({
      action: 'ssm:UpdateInstanceInformation',
      statement: expect.objectContaining({ label: 'OnlyThroughEndpoint' }),
      keys: ['aws:SourceVpce'],
    });
    expect(j.uncertain.map((u) => u.action)).not.toContain('ssmmessages:OpenDataChannel');
  });

  it('decides a Deny on another instance definitely, through ec2:SourceInstanceARN', () => {
    const pinned = named(
      'pinned',
      doc({
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { ArnNotEquals: { 'ec2:SourceInstanceARN': 'arn:aws:ec2:*:*:instance/i-0123456789abcdef0' } },
      }),
    );
    expect(judgeAgentPermissions({ identity: [core, pinned] }, agentRequests(ec2)).registers).toBe('yes');
    expect(judgeAgentPermissions({ identity: [core, pinned] }, agentRequests({ ...ec2, instanceId: 'i-0fedcba9876543210' })).registers).toBe('no');
    expect(judgeAgentPermissions({ identity: [core, pinned] }, agentRequests({ ...ec2, route: 'dhmc' })).registers).toBe('maybe');
  });

  it('reads registration from the ssm:UpdateInstanceInformation request wherever it stands in the list', () => {
    // The agent registers with ssm:UpdateInstanceInformation (amazon-ssm-agent, agent/ssm/service.go); the
    // requests are judged in the order given, here last action first.
    const reversed = [...agentRequests(ec2)].reverse();
    const registerOnly = named('register', doc({ Effect: 'Allow', Action: 'ssm:UpdateInstanceInformation', Resource: '*' }));
    const onlyRegisters = judgeAgentPermissions({ identity: [registerOnly] }, reversed);
    expect(onlyRegisters.registers).toBe('yes');
    expect(onlyRegisters.missing).toEqual([
      'ec2messages:SendReply',
      'ec2messages:AcknowledgeMessage',
      'ec2messages:GetMessages',
      'ssmmessages:OpenDataChannel',
      'ssmmessages:OpenControlChannel',
      'ssmmessages:CreateDataChannel',
      'ssmmessages:CreateControlChannel',
      'ssm:PutInventory',
      'ssm:GetDocument',
      'ssm:ListInstanceAssociations',
    ]);
    const channels = named('channels', doc({ Effect: 'Allow', Action: ['ssmmessages:*', 'ec2messages:*'], Resource: '*' }));
    expect(judgeAgentPermissions({ identity: [channels] }, reversed).registers).toBe('no');
  });

  it('answers no for registration when the requests judged leave ssm:UpdateInstanceInformation out', () => {
    const channelRequests = agentRequests(ec2).filter((r) => r.action.startsWith('ssmmessages:'));
    const j = judgeAgentPermissions({ identity: [core] }, channelRequests);
    expect(j).toMatchObject({ registers: 'no', denied: false, missing: [], uncertain: [] });
    expect(j.evaluations.map((e) => [e.action, e.evaluation.decision])).toEqual([
      ['ssmmessages:CreateControlChannel', 'allowed'],
      ['ssmmessages:CreateDataChannel', 'allowed'],
      ['ssmmessages:OpenControlChannel', 'allowed'],
      ['ssmmessages:OpenDataChannel', 'allowed'],
    ]);
  });
});
