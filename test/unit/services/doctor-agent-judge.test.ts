// judgeAgentRole: may a role let SSM Agent register (ssm:UpdateInstanceInformation) and do its work, and
// when not, what stands in the way (an explicit Deny, the permissions boundary, or both role and boundary).
// Policy evaluation follows "Policy evaluation logic" (an explicit Deny wins; with a permissions boundary
// an action must be allowed by both the identity policies and the boundary):
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
// Context keys follow "AWS global condition context keys":
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
import { describe, expect, it } from 'vitest';
import { actionsNeeded, judgeAgentRole, type AgentContext, type JudgedRole } from '../../../src/services/doctor/agent-judge.js';

const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const REG = 'ssm:UpdateInstanceInformation';
// What an agent of 3.3.40.0 or later needs (no ec2messages).
const NEW_AGENT = [REG, 'ssm:ListInstanceAssociations', 'ssm:GetDocument', 'ssm:PutInventory', 'ssmmessages:*'];
const allowAll = { Effect: 'Allow', Action: NEW_AGENT, Resource: '*' };
const allowOthers = { Effect: 'Allow', Action: NEW_AGENT.slice(1), Resource: '*' };

function role(policies: string[], over: Partial<JudgedRole> = {}): JudgedRole {
  return {
    arn: 'arn:aws:iam::111122223333:role/R',
    name: 'R',
    tags: {},
    policies: policies.map((document, n) => ({ name: `inline:p${n}`, document })),
    boundary: null,
    ...over,
  };
}
const ctx = (over: Partial<AgentContext> = {}): AgentContext => ({
  partition: 'aws',
  account: '111122223333',
  region: 'us-east-1',
  instanceId: 'i-0123456789abcdef0',
  agentVersion: '3.3.1611.0',
  ...over,
});

describe('actionsNeeded', () => {
  it('holds agents older than 3.3.40.0 to ec2messages, newer and unknown versions not', () => {
    expect(actionsNeeded('3.2.582.0')).toContain('ec2messages:GetMessages');
    expect(actionsNeeded('3.3.40.0')).not.toContain('ec2messages:GetMessages');
    expect(actionsNeeded(null)).not.toContain('ec2messages:GetMessages');
  });
});

describe('judgeAgentRole', () => {
  it('a role allowing every action the agent needs: registers, nothing missing, no cause', () => {
    expect(judgeAgentRole(role([doc(allowAll)]), ctx(), 'instance-profile')).toEqual({
      registers: 'yes',
      denied: false,
      missing: [],
      uncertain: [],
      blockedBy: null,
      causes: {},
    });
  });

  it('registration not allowed is told by `registers`, not listed among the missing other actions', () => {
    expect(judgeAgentRole(role([doc(allowOthers)]), ctx(), 'instance-profile')).toEqual({
      registers: 'no',
      denied: false,
      missing: [],
      uncertain: [],
      blockedBy: null,
      causes: { [REG]: null },
    });
  });

  it('other missing actions are listed (a role with registration only)', () => {
    const j = judgeAgentRole(role([doc({ Effect: 'Allow', Action: REG, Resource: '*' })]), ctx(), 'instance-profile');
    expect(j.registers).toBe('yes');
    expect(j.missing).toEqual([
      'ssm:ListInstanceAssociations',
      'ssm:GetDocument',
      'ssm:PutInventory',
      'ssmmessages:CreateControlChannel',
      'ssmmessages:CreateDataChannel',
      'ssmmessages:OpenControlChannel',
      'ssmmessages:OpenDataChannel',
    ]);
  });

  it.each([
    ['with a Sid: names the statement by its Sid', { Sid: 'NoRegister' }, 'statement NoRegister of inline:p1'],
    ['without a Sid: names the statement by its number (from 1)', {}, 'statement #1 of inline:p1'],
  ])('an explicit Deny of registration is its cause, %s', (_name, sid, statement) => {
    const r = role([doc(allowAll), doc({ ...sid, Effect: 'Deny', Action: REG, Resource: '*' })]);
    expect(judgeAgentRole(r, ctx(), 'instance-profile')).toEqual({
      registers: 'no',
      denied: true,
      missing: [],
      uncertain: [],
      blockedBy: { kind: 'deny', statement, policy: 'inline:p1' },
      causes: { [REG]: { kind: 'deny', statement, policy: 'inline:p1' } },
    });
  });

  it('a Deny of another action only: registration is not denied, the action is missing with its cause', () => {
    const r = role([doc(allowAll, { Sid: 'NoInventory', Effect: 'Deny', Action: 'ssm:PutInventory', Resource: '*' })]);
    expect(judgeAgentRole(r, ctx(), 'instance-profile')).toEqual({
      registers: 'yes',
      denied: false,
      missing: ['ssm:PutInventory'],
      uncertain: [],
      blockedBy: null,
      causes: { 'ssm:PutInventory': { kind: 'deny', statement: 'statement NoInventory of inline:p0', policy: 'inline:p0' } },
    });
  });

  describe('the permissions boundary', () => {
    const boundary = (...s: object[]) => ({ name: 'arn:aws:iam::111122223333:policy/B', document: doc(...s) });

    it('refusing what the role allows: the boundary is the cause', () => {
      const r = role([doc(allowAll)], { boundary: boundary(allowOthers) });
      const j = judgeAgentRole(r, ctx(), 'instance-profile');
      expect(j.registers).toBe('no');
      expect(j.blockedBy).toEqual({ kind: 'boundary', policy: 'arn:aws:iam::111122223333:policy/B' });
    });

    it('allowing what the role lacks: a missing Allow on the role only, no cause', () => {
      const r = role([doc(allowOthers)], { boundary: boundary(allowAll) });
      const j = judgeAgentRole(r, ctx(), 'instance-profile');
      expect(j.registers).toBe('no');
      expect(j.denied).toBe(false);
      expect(j.blockedBy).toBeNull();
      expect(j.causes).toEqual({ [REG]: null });
    });

    it('lacking it like the role: role and boundary both, so adding to the role alone is not enough', () => {
      const r = role([doc(allowOthers)], { boundary: boundary(allowOthers) });
      expect(judgeAgentRole(r, ctx(), 'instance-profile').blockedBy).toEqual({ kind: 'role-and-boundary', policy: 'arn:aws:iam::111122223333:policy/B' });
    });

    it('a Deny in the boundary is named as the boundary statement', () => {
      const r = role([doc(allowAll)], { boundary: boundary(allowAll, { Sid: 'Cap', Effect: 'Deny', Action: REG, Resource: '*' }) });
      expect(judgeAgentRole(r, ctx(), 'instance-profile').blockedBy).toEqual({
        kind: 'deny',
        statement: 'statement Cap of permissions boundary arn:aws:iam::111122223333:policy/B',
        policy: 'arn:aws:iam::111122223333:policy/B',
      });
    });
  });

  describe('the request context', () => {
    // aws:PrincipalArn: "For IAM roles, the request context returns the ARN of the role".
    const byPrincipal = (arn: string) =>
      doc(allowOthers, { Effect: 'Allow', Action: REG, Resource: '*', Condition: { ArnEquals: { 'aws:PrincipalArn': arn } } });

    it("aws:PrincipalArn is the role's own ARN, path included", () => {
      const r = role([byPrincipal('arn:aws:iam::111122223333:role/svc/R')], { arn: 'arn:aws:iam::111122223333:role/svc/R' });
      expect(judgeAgentRole(r, ctx(), 'instance-profile').registers).toBe('yes');
    });

    it('without a known ARN, aws:PrincipalArn is built from the name at path /', () => {
      const r = role([byPrincipal('arn:aws:iam::111122223333:role/R')], { arn: null });
      expect(judgeAgentRole(r, ctx(), 'instance-profile').registers).toBe('yes');
      const other = role([byPrincipal('arn:aws:iam::111122223333:role/Other')], { arn: null });
      expect(judgeAgentRole(other, ctx(), 'instance-profile').registers).toBe('no');
    });

    // aws:Ec2InstanceSourcePrivateIPv4: the instance's private IPv4, for credentials delivered to an instance.
    const byIp = doc(allowOthers, {
      Effect: 'Allow',
      Action: REG,
      Resource: '*',
      Condition: { IpAddress: { 'aws:Ec2InstanceSourcePrivateIPv4': '10.0.0.0/16' } },
    });
    it.each([
      ['10.0.1.5', 'yes'],
      ['10.1.1.5', 'no'],
    ])('the instance private IP %s is in the context of profile credentials: registers %s', (ip, registers) => {
      expect(judgeAgentRole(role([byIp]), ctx({ privateIp: ip }), 'instance-profile').registers).toBe(registers);
    });
    it('an unknown private IP leaves such a statement uncertain', () => {
      const j = judgeAgentRole(role([byIp]), ctx(), 'instance-profile');
      expect(j.registers).toBe('maybe');
      expect(j.uncertain).toEqual([{ action: REG, statement: 'statement #2 of inline:p0', keys: ['aws:Ec2InstanceSourcePrivateIPv4'] }]);
    });

    // aws:CurrentTime: the date and time of the request.
    const until2027 = doc(allowOthers, {
      Effect: 'Allow',
      Action: REG,
      Resource: '*',
      Condition: { DateLessThan: { 'aws:CurrentTime': '2027-01-01T00:00:00Z' } },
    });
    it.each([
      [new Date('2026-11-28T15:00:00Z'), 'yes'],
      [new Date('2027-02-01T00:00:00Z'), 'no'],
      [undefined, 'maybe'],
    ])('the time of the request (%s) decides a time-limited statement: registers %s', (now, registers) => {
      expect(judgeAgentRole(role([until2027]), ctx(now ? { now } : {}), 'instance-profile').registers).toBe(registers);
    });

    it('for a whole region the request names instance/* (a non-empty id), so a statement on every instance id covers it', () => {
      const everyId = doc(allowOthers, { Effect: 'Allow', Action: REG, Resource: 'arn:aws:ec2:us-east-1:111122223333:instance/?*' });
      const someIds = doc(allowOthers, { Effect: 'Allow', Action: REG, Resource: 'arn:aws:ec2:us-east-1:111122223333:instance/i-0123*' });
      expect(judgeAgentRole(role([everyId]), ctx({ instanceId: null }), 'instance-profile').registers).toBe('yes');
      expect(judgeAgentRole(role([someIds]), ctx({ instanceId: null }), 'instance-profile').registers).toBe('no');
      expect(judgeAgentRole(role([someIds]), ctx(), 'instance-profile').registers).toBe('yes');
    });
  });
});

// doctor judges the same role for every instance that uses it: a role whose statements are decided by
// the action alone is judged once per route, region and set of actions; any other role per instance.
describe('judgeAgentRole: the same role for many instances', () => {
  it('a role scoped by a condition or a resource is still judged per instance', () => {
    const byVpc = role([doc({ ...allowAll, Condition: { StringEquals: { 'aws:Ec2InstanceSourceVpc': 'vpc-a' } } })]);
    expect(judgeAgentRole(byVpc, ctx({ vpcId: 'vpc-a' }), 'instance-profile').registers).toBe('yes');
    expect(judgeAgentRole(byVpc, ctx({ vpcId: 'vpc-b' }), 'instance-profile').registers).toBe('no');
    const byId = role([doc({ ...allowAll, Resource: 'arn:aws:ec2:us-east-1:111122223333:instance/i-0aaaaaaaaaaaaaaaa' }, { ...allowOthers, Resource: '*' })]);
    expect(judgeAgentRole(byId, ctx({ instanceId: 'i-0aaaaaaaaaaaaaaaa' }), 'instance-profile').registers).toBe('yes');
    expect(judgeAgentRole(byId, ctx({ instanceId: 'i-0bbbbbbbbbbbbbbbb' }), 'instance-profile').registers).toBe('no');
  });

  it('a role decided by action alone: the same answer for every instance, the actions of its own agent version, and lists each caller may change', () => {
    const core = role([doc(allowOthers)]);
    const first = judgeAgentRole(core, ctx({ instanceId: 'i-0aaaaaaaaaaaaaaaa', agentVersion: '3.3.1611.0' }), 'instance-profile');
    first.missing.push('changed by a caller');
    const second = judgeAgentRole(core, ctx({ instanceId: 'i-0bbbbbbbbbbbbbbbb', agentVersion: '3.3.1611.0' }), 'instance-profile');
    expect(second).toEqual({ registers: 'no', denied: false, missing: [], uncertain: [], blockedBy: null, causes: { [REG]: null } });
    // An old agent also needs ec2messages, which this role lacks: not the new agent's answer.
    expect(judgeAgentRole(core, ctx({ agentVersion: '3.2.582.0' }), 'instance-profile').missing).toContain('ec2messages:GetMessages');
  });

  it('reads a URL-encoded document (as GetPolicyVersion returns it) as the JSON it encodes', () => {
    const plain = judgeAgentRole(role([doc(allowOthers)]), ctx(), 'dhmc');
    expect(judgeAgentRole(role([encodeURIComponent(doc(allowOthers))]), ctx(), 'dhmc')).toEqual(plain);
    expect(judgeAgentRole(role(['not a policy']), ctx(), 'dhmc').registers).toBe('maybe');
  });
});
