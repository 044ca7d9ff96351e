// Hand-built doctor facts for the checks' unit tests: one running instance in a VPC whose main
// route table reaches an internet gateway and whose security group allows all egress, and roles
// trusted by both EC2 and SSM (so one role can be a profile's role and a DHMC role).
import type { FleetFacts, InstanceFacts, RegionFacts, RoleFacts } from '../../src/services/doctor/facts.js';
import type { Route as NetRoute } from '../../src/policies/network.js';

export const CORE_DOC = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: ['ssm:UpdateInstanceInformation', 'ssm:ListInstanceAssociations', 'ssm:GetDocument', 'ssm:PutInventory'], Resource: '*' },
    { Effect: 'Allow', Action: ['ssmmessages:*', 'ec2messages:*'], Resource: '*' },
  ],
});
export const trust = (...services: string[]) =>
  encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: services }, Action: 'sts:AssumeRole' }] }));
export const BOTH_TRUST = trust('ssm.amazonaws.com', 'ec2.amazonaws.com');
export const doc = (...Statement: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement });

export function role(name: string, documents: string[], over: Partial<RoleFacts> = {}): RoleFacts {
  return {
    name,
    arn: `arn:aws:iam::111122223333:role/${name}`,
    exists: true,
    trustPolicy: BOTH_TRUST,
    attachedPolicyArns: [],
    policies: documents.map((document, n) => ({ name: `inline:p${n}`, document })),
    boundary: null,
    tags: {},
    error: null,
    ...over,
  };
}

export const ID = 'i-00000000000000001';
export function instance(over: Partial<InstanceFacts> = {}): InstanceFacts {
  return {
    instanceId: ID,
    region: 'us-east-1',
    name: 'web',
    state: 'running',
    vpcId: 'vpc-1',
    subnetId: 'subnet-1',
    privateIp: '10.0.1.5',
    hasPublicIp: true,
    securityGroupIds: ['sg-i'],
    httpEndpoint: 'enabled',
    httpTokens: 'required',
    profileArn: null,
    tags: { Env: 'prod' },
    ...over,
  };
}

export const anyEgress = [{ protocol: '-1', fromPort: null, toPort: null, cidrs: ['0.0.0.0/0'], groupIds: [], prefixListIds: [] }];
export const igw: NetRoute[] = [{ destination: '0.0.0.0/0', gatewayId: 'igw-1', natGatewayId: null, otherTarget: null, blackhole: false }];
export function region(over: Partial<RegionFacts> = {}): RegionFacts {
  return {
    region: 'us-east-1',
    instances: [],
    managed: new Map(),
    dhmc: { enabled: false, settingValue: '$None', roleName: null, error: null },
    vpcs: new Map([
      [
        'vpc-1',
        {
          routeTables: [{ id: 'rtb-1', main: true, subnetIds: [], routes: igw }],
          endpoints: [],
          groups: new Map([['sg-i', { id: 'sg-i', ingress: [], egress: anyEgress }]]),
        },
      ],
    ]),
    quickSetup: [],
    error: null,
    gaps: new Map(),
    ...over,
  };
}
export function fleet(roles: RoleFacts[], profiles: Record<string, string | null> = {}): FleetFacts {
  return {
    account: '111122223333',
    partition: 'aws',
    regions: [],
    profiles: new Map(Object.entries(profiles).map(([arn, roleName]) => [arn, { name: arn.split('/').pop()!, arn, exists: true, roleName, error: null }])),
    roles: new Map(roles.map((r) => [r.name, r])),
  };
}
export const P = 'arn:aws:iam::111122223333:instance-profile/P';
