// doctor's identity route against an independent IAM engine (@cloud-copilot/iam-simulate, a dev
// dependency only): seeded roles with the policies operators really write - region guards, statements
// scoped to instances, NotAction, NotResource, Deny with conditions, tag conditions, permissions
// boundaries - attached to an instance profile. doctor's route must be `instance-profile` exactly when
// the engine allows the agent's ssm:UpdateInstanceInformation request, and `none` otherwise (DHMC off).
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { describe, expect, it } from 'vitest';
import { agentRequests } from '../../../src/policies/agent-request.js';
import { runChecks } from '../../../src/services/doctor/checks.js';
import type { FleetFacts, InstanceFacts, RegionFacts, RoleFacts } from '../../../src/services/doctor/facts.js';
import { Random } from '../policies/iam/fuzz/random.js';

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const THIS = 'i-0123456789abcdef0';
const OTHER = 'i-0fedcba9876543210';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/AppRole`;
const PROFILE = `arn:aws:iam::${ACCOUNT}:instance-profile/AppProfile`;
const instanceArn = (id: string, region = REGION) => `arn:aws:ec2:${region}:${ACCOUNT}:instance/${id}`;
const AGENT_ACTIONS = ['ssm:UpdateInstanceInformation', 'ssm:ListInstanceAssociations', 'ssm:GetDocument', 'ssm:PutInventory', 'ssmmessages:*'];
/** The condition keys the generated policies use; the request's values for them come from agentRequests. */
const USED_KEYS = ['aws:RequestedRegion', 'aws:PrincipalTag/env', 'ec2:SourceInstanceARN', 'aws:ResourceTag/Env'];

type Statement = Record<string, unknown>;

function statement(r: Random): Statement {
  const region = () => r.pick(['us-east-1', 'us-east-2', 'eu-west-1']);
  const id = () => r.pick([THIS, OTHER]);
  const templates: (() => Statement)[] = [
    () => ({ Effect: 'Allow', Action: r.pick([AGENT_ACTIONS, ['ssm:*'], ['ssm:Update*'], ['ssm:Get*', 'ssm:List*']]), Resource: '*' }),
    () => ({
      Effect: 'Allow',
      Action: 'ssm:*',
      Resource: r.pick([instanceArn('*'), instanceArn(id()), instanceArn('*', 'eu-west-1'), `arn:aws:ec2:*:${ACCOUNT}:instance/*`]),
    }),
    () => ({
      Effect: 'Allow',
      Action: r.pick([['ssm:*'], ['*']]),
      Resource: '*',
      Condition: { StringEquals: { 'aws:RequestedRegion': r.chance(0.5) ? region() : [region(), region()] } },
    }),
    () => ({ Effect: 'Allow', NotAction: r.pick([['iam:*'], ['iam:*', 'ssm:*'], ['ssm:UpdateInstanceInformation']]), Resource: '*' }),
    () => ({ Effect: 'Allow', Action: '*', NotResource: [instanceArn(id())] }),
    () => ({
      Effect: 'Deny',
      Action: r.pick(['ssm:*', 'ssm:Update*', '*']),
      Resource: '*',
      Condition: { StringNotEquals: { 'aws:RequestedRegion': [region()] } },
    }),
    () => ({ Effect: 'Deny', Action: 'ssm:UpdateInstance*', Resource: instanceArn(id()) }),
    () => ({ Effect: 'Deny', Action: 'ssm:*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/env': 'quarantine' } } }),
    () => ({ Effect: 'Allow', Action: 'ssm:*', Resource: '*', Condition: { ArnEquals: { 'ec2:SourceInstanceARN': instanceArn(id()) } } }),
    () => ({ Effect: 'Allow', Action: 'ssm:*', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/Env': r.pick(['prod', 'dev']) } } }),
    () => ({ Effect: 'Allow', Action: 'ssm:*', Resource: '*', Condition: { StringLikeIfExists: { 'aws:PrincipalTag/env': r.pick(['prod*', 'dev']) } } }),
  ];
  return r.pick(templates)();
}

function role(r: Random): { facts: RoleFacts; tags: Record<string, string>; boundary: unknown | null; policies: unknown[] } {
  const policies = Array.from({ length: 1 + r.int(3) }, () => ({ Version: '2012-10-17', Statement: Array.from({ length: 1 + r.int(3) }, () => statement(r)) }));
  const boundary = r.chance(0.3)
    ? { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: r.pick([['ssm:*', 'ssmmessages:*'], ['s3:*'], ['*'], ['ssm:Get*']]), Resource: '*' }] }
    : null;
  const tags: Record<string, string> = r.pick<Record<string, string>>([{}, { env: 'quarantine' }, { env: 'prod-eu' }, { env: 'dev' }]);
  const facts: RoleFacts = {
    name: 'AppRole',
    arn: ROLE_ARN,
    exists: true,
    trustPolicy: encodeURIComponent(
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
    ),
    attachedPolicyArns: [],
    policies: policies.map((p, n) => ({ name: `inline:p${n}`, document: JSON.stringify(p) })),
    boundary: boundary ? { name: `arn:aws:iam::${ACCOUNT}:policy/Boundary`, document: encodeURIComponent(JSON.stringify(boundary)) } : null,
    tags,
    error: null,
  };
  return { facts, tags, boundary, policies };
}

async function oracleAllows(
  policies: unknown[],
  boundary: unknown | null,
  tags: Record<string, string>,
  instanceTags: Record<string, string>,
): Promise<boolean> {
  const request = agentRequests({
    partition: 'aws',
    region: REGION,
    account: ACCOUNT,
    instanceId: THIS,
    roleArn: ROLE_ARN,
    roleTags: tags,
    instanceTags,
    route: 'instance-profile',
  }).find((q) => q.action === 'ssm:UpdateInstanceInformation')!;
  const contextVariables: Record<string, string> = {};
  for (const key of USED_KEYS) {
    const value = request.known[key];
    if (value !== undefined) contextVariables[key] = String(value);
  }
  const result = await runSimulation(
    {
      request: {
        principal: `arn:aws:sts::${ACCOUNT}:assumed-role/AppRole/${THIS}`,
        action: request.action,
        resource: { resource: request.resource, accountId: ACCOUNT },
        contextVariables,
      },
      identityPolicies: policies.map((policy, n) => ({ name: `p${n}`, policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(boundary ? { permissionBoundaryPolicies: [{ name: 'boundary', policy: boundary }] } : {}),
    },
    {},
  );
  if (result.resultType === 'error') throw new Error(`the oracle refused the case: ${JSON.stringify(result.errors)}`);
  return result.overallResult === 'Allowed';
}

const instance = (tags: Record<string, string>): InstanceFacts => ({
  instanceId: THIS,
  region: REGION,
  name: null,
  state: 'running',
  vpcId: null,
  subnetId: null,
  privateIp: null,
  hasPublicIp: true,
  securityGroupIds: [],
  httpEndpoint: 'enabled',
  httpTokens: 'required',
  profileArn: PROFILE,
  tags,
});

const region: RegionFacts = {
  region: REGION,
  instances: [],
  managed: new Map(),
  dhmc: { enabled: false, settingValue: '$None', roleName: null, error: null },
  vpcs: new Map(),
  quickSetup: [],
  error: null,
  gaps: new Map(),
};

describe("doctor's identity route agrees with an independent IAM engine", () => {
  it('on 300 seeded roles with realistic policies (seed 120)', async () => {
    const r = new Random(120);
    const disagreements: string[] = [];
    let allowed = 0;
    for (let n = 0; n < 300; n += 1) {
      const { facts, tags, boundary, policies } = role(r);
      const instanceTags = r.pick<Record<string, string>>([{}, { Env: 'prod' }, { Env: 'dev' }]);
      const fleet: FleetFacts = {
        account: ACCOUNT,
        partition: 'aws',
        regions: [region],
        profiles: new Map([[PROFILE, { name: 'AppProfile', arn: PROFILE, exists: true, roleName: 'AppRole', error: null }]]),
        roles: new Map([['AppRole', facts]]),
      };
      const route = runChecks(instance(instanceTags), region, fleet).route;
      const expected = (await oracleAllows(policies, boundary, tags, instanceTags)) ? 'instance-profile' : 'none';
      if (expected === 'instance-profile') allowed += 1;
      if (route !== expected)
        disagreements.push(
          `case ${n}: doctor says ${route}, the engine ${expected}\n  policies ${JSON.stringify(policies)}\n  boundary ${JSON.stringify(boundary)}\n  role tags ${JSON.stringify(tags)}, instance tags ${JSON.stringify(instanceTags)}`,
        );
    }
    expect(disagreements.join('\n')).toBe('');
    // Both answers occur often enough for the comparison to mean something.
    expect(allowed).toBeGreaterThan(60);
    expect(allowed).toBeLessThan(240);
  });
});
