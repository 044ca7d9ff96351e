// The doctor checks as pure functions of hand-built facts: each case the issue names.
import { describe, expect, it } from 'vitest';
import { runChecks } from '../../../src/services/doctor/checks.js';
import { verdictOf } from '../../../src/services/doctor/diagnose.js';
import type { FleetFacts, InstanceFacts, RegionFacts, RoleFacts } from '../../../src/services/doctor/facts.js';

import { CORE_DOC, fleet, instance, P, region, role } from '../../helpers/doctor-facts.js';

const diagnose = (i: InstanceFacts, r: RegionFacts, f: FleetFacts) => {
  const d = runChecks(i, r, f);
  return { ...d, ...verdictOf(d.checks), get: (id: string) => d.checks.find((c) => c.id === id)! };
};

describe('doctor checks', () => {
  it('managed through a good profile', () => {
    const r = region({ managed: new Map([['i-00000000000000001', { pingStatus: 'Online', agentVersion: '3.3.1611.0', lastPing: null, platform: 'Linux' }]]) });
    const d = diagnose(instance({ profileArn: P }), r, fleet([role('R', [CORE_DOC])], { [P]: 'R' }));
    expect(d.verdict).toBe('managed');
    expect(d.route).toBe('instance-profile');
  });

  it('a profile whose role is denied UpdateInstanceInformation falls back to DHMC when it is on', () => {
    const deny = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'ssm:Update*', Resource: '*' }] });
    const on = region({ dhmc: { enabled: true, settingValue: 'service-role/D', roleName: 'D', error: null } });
    const f = fleet([role('R', [CORE_DOC, deny]), role('D', [CORE_DOC])], { [P]: 'R' });
    const d = diagnose(instance({ profileArn: P }), on, f);
    expect(d.route).toBe('dhmc');
    expect(d.get('instance-profile')).toMatchObject({
      status: 'warn',
      message: expect.stringContaining(
        'denies ssm:UpdateInstanceInformation (statement #1 of inline:p1); remove or narrow that Deny: adding permissions cannot override it, so the agent falls back to DHMC',
      ),
    });
    expect(d.verdict).toBe('ready');
    expect(d.get('agent-version').status).toBe('warn');
  });

  it('no profile and DHMC off: not ready, with both fixes', () => {
    const d = diagnose(instance(), region(), fleet([]));
    expect(d.verdict).toBe('not-ready');
    expect(d.route).toBe('none');
    expect(d.fix).toBe('ssm-perms dhmc enable --region us-east-1');
    // The profile is created first (nothing changes when it exists), then attached: both lines paste as they are.
    expect(d.alternative).toBe(
      'ssm-perms profile create --name SSMInstanceProfile --region us-east-1\nssm-perms profile attach --name SSMInstanceProfile --instance-id i-00000000000000001 --region us-east-1',
    );
  });

  it('DHMC with an agent older than 3.2.582.0 fails the agent check; a NotAction policy counts', () => {
    const notAction = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }] });
    const on = region({
      dhmc: { enabled: true, settingValue: 'D', roleName: 'D', error: null },
      managed: new Map([
        ['i-00000000000000001', { pingStatus: 'ConnectionLost', agentVersion: '3.2.58.0', lastPing: '2026-01-01T00:00:00.000Z', platform: 'Linux' }],
      ]),
    });
    const d = diagnose(instance(), on, fleet([role('D', [notAction])]));
    expect(d.get('dhmc-role-policy').status).toBe('pass');
    expect(d.get('agent-version')).toMatchObject({ status: 'fail', message: expect.stringContaining('older than 3.2.582.0') });
    expect(d.verdict).toBe('not-ready');
    expect(d.reason).toContain('3.2.58.0');
  });

  it('a DHMC role that does not trust SSM fails', () => {
    const on = region({ dhmc: { enabled: true, settingValue: 'D', roleName: 'D', error: null } });
    const d = diagnose(instance(), on, fleet([role('D', [CORE_DOC], { trustPolicy: encodeURIComponent('{"Statement":[]}') })]));
    expect(d.get('dhmc-role-trust').status).toBe('fail');
    expect(d.verdict).toBe('not-ready');
  });

  it('IMDS disabled is the main reason even with a good profile; HttpTokens optional is a warning', () => {
    const f = fleet([role('R', [CORE_DOC])], { [P]: 'R' });
    expect(diagnose(instance({ profileArn: P, httpEndpoint: 'disabled' }), region(), f).reason).toContain('metadata service is disabled');
    const optional = diagnose(instance({ profileArn: P, httpTokens: 'optional' }), region(), f);
    expect(optional.get('imds').status).toBe('warn');
    expect(optional.verdict).toBe('ready');
  });

  it('no public IP behind an internet gateway and no endpoints: network fails', () => {
    const d = diagnose(instance({ profileArn: P, hasPublicIp: false }), region(), fleet([role('R', [CORE_DOC])], { [P]: 'R' }));
    expect(d.get('network')).toMatchObject({ status: 'fail', message: expect.stringContaining('no public IP') });
    // One command makes the VPC's endpoints (ssm and ssmmessages); --ec2messages only for agents known to be
    // older than 3.3.40.0 (this one's version is not known).
    expect(d.get('network').fix).toBe('ssm-perms endpoints create --vpc-id vpc-1 --region us-east-1');
  });

  it('endpoints whose security group does not admit the instance fail; ec2messages matters only for agents older than 3.3.40.0', () => {
    const r = region();
    const vpc = r.vpcs.get('vpc-1')!;
    vpc.routeTables = [{ id: 'rtb-1', main: true, subnetIds: [], routes: [] }];
    vpc.groups.set('sg-e', {
      id: 'sg-e',
      egress: [],
      ingress: [{ protocol: 'tcp', fromPort: 443, toPort: 443, cidrs: [], groupIds: ['sg-other'], prefixListIds: [] }],
    });
    vpc.endpoints = ['ssm', 'ssmmessages'].map((service) => ({
      id: `vpce-${service}`,
      service,
      privateDns: true,
      available: true,
      groupIds: ['sg-e'],
      ips: ['10.0.2.10'],
    }));
    const f = fleet([role('R', [CORE_DOC])], { [P]: 'R' });
    expect(diagnose(instance({ profileArn: P }), r, f).get('network')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('does not allow inbound 443'),
    });
    vpc.groups.set('sg-e', {
      id: 'sg-e',
      egress: [],
      ingress: [{ protocol: 'tcp', fromPort: 443, toPort: 443, cidrs: [], groupIds: ['sg-i'], prefixListIds: [] }],
    });
    expect(diagnose(instance({ profileArn: P }), r, f).get('network').status).toBe('pass');
    const withAgent = (agentVersion: string) => {
      r.managed = new Map([['i-00000000000000001', { pingStatus: 'ConnectionLost', agentVersion, lastPing: null, platform: 'Linux' }]]);
      return diagnose(instance({ profileArn: P }), r, f).get('network');
    };
    expect(withAgent('3.3.40.0').status).toBe('pass');
    expect(withAgent('3.3.1611.0').status).toBe('pass');
    expect(withAgent('3.3.39.0')).toMatchObject({ status: 'warn', message: expect.stringContaining('no ec2messages endpoint') });
  });

  it('a role without ec2messages permissions is complete for agents from 3.3.40.0 and for agents not known yet', () => {
    const noLegacy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['ssm:UpdateInstanceInformation', 'ssm:ListInstanceAssociations', 'ssm:GetDocument', 'ssm:PutInventory', 'ssmmessages:*'],
          Resource: '*',
        },
      ],
    });
    const f = fleet([role('R', [noLegacy])], { [P]: 'R' });
    expect(diagnose(instance({ profileArn: P }), region(), f).get('instance-profile').status).toBe('pass');
    const agent = (agentVersion: string) =>
      region({ managed: new Map([['i-00000000000000001', { pingStatus: 'ConnectionLost', agentVersion, lastPing: null, platform: 'Linux' }]]) });
    expect(diagnose(instance({ profileArn: P }), agent('3.3.40.0'), f).get('instance-profile').status).toBe('pass');
    expect(diagnose(instance({ profileArn: P }), agent('3.2.1705.0'), f).get('instance-profile')).toMatchObject({
      status: 'warn',
      message: expect.stringContaining('ec2messages:GetMessages'),
    });
  });

  it('the agent falls back to DHMC when the profile has no role or no longer exists', () => {
    const on = region({ dhmc: { enabled: true, settingValue: 'service-role/D', roleName: 'D', error: null } });
    const noRole = fleet([role('D', [CORE_DOC])], { [P]: '' });
    noRole.profiles.get(P)!.roleName = null;
    const d = diagnose(instance({ profileArn: P }), on, noRole);
    expect(d.route).toBe('dhmc');
    expect(d.get('instance-profile')).toMatchObject({
      status: 'warn',
      message: expect.stringContaining('holds no usable role, so the agent falls back to DHMC'),
    });
    expect(d.verdict).toBe('ready');

    const gone = fleet([role('D', [CORE_DOC])], { [P]: 'R' });
    gone.profiles.get(P)!.exists = false;
    expect(diagnose(instance({ profileArn: P }), on, gone).route).toBe('dhmc');
    // With DHMC off the same profile is the failure that explains the instance.
    const off = diagnose(instance({ profileArn: P }), region(), noRole);
    expect(off).toMatchObject({ route: 'none', verdict: 'not-ready' });
    expect(off.get('instance-profile').status).toBe('fail');
  });

  it('a stopped, stopping or pending instance gets its own verdict and no fix', () => {
    for (const state of ['stopped', 'stopping', 'pending']) {
      const d = runChecks(instance({ state }), region(), fleet([]));
      expect(verdictOf(d.checks, state)).toMatchObject({ verdict: 'stopped', fix: null, reason: expect.stringContaining(state) });
    }
    expect(verdictOf(runChecks(instance(), region(), fleet([])).checks, 'running').verdict).toBe('not-ready');
  });

  it('warns about a Quick Setup association that attaches profiles, only where it targets the instance', () => {
    const all = region({
      quickSetup: [{ associationId: 'a', associationName: 'AWS-QuickSetup-SSMHostMgmt', targets: [{ key: 'InstanceIds', values: ['*'] }] }],
    });
    expect(diagnose(instance(), all, fleet([])).get('quick-setup').status).toBe('warn');
    const byTag = (values: string[]) => region({ quickSetup: [{ associationId: 'a', associationName: 'qs', targets: [{ key: 'tag:Env', values }] }] });
    expect(diagnose(instance(), byTag(['prod']), fleet([])).get('quick-setup').status).toBe('warn');
    expect(diagnose(instance(), byTag(['dev']), fleet([])).get('quick-setup').status).toBe('pass');
    const byId = region({ quickSetup: [{ associationId: 'a', associationName: 'qs', targets: [{ key: 'InstanceIds', values: ['i-0000000000000000f'] }] }] });
    expect(diagnose(instance(), byId, fleet([])).get('quick-setup').status).toBe('pass');
  });

  describe('judged by the IAM evaluator, for this instance in this region', () => {
    const doc = (...Statement: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement });
    const legacyFree = { Effect: 'Allow', Action: ['ssm:ListInstanceAssociations', 'ssm:GetDocument', 'ssm:PutInventory', 'ssmmessages:*'], Resource: '*' };
    const profileCheck = (policies: string[], over: Partial<RoleFacts> = {}, dhmc = false) => {
      const r = dhmc ? region({ dhmc: { enabled: true, settingValue: 'D', roleName: 'D', error: null } }) : region();
      return diagnose(instance({ profileArn: P }), r, fleet([role('R', policies, over), role('D', [CORE_DOC])], { [P]: 'R' }));
    };

    it('a region guard on another region does not let the agent register; on this region it does', () => {
      const guard = (region: string) =>
        doc(legacyFree, {
          Effect: 'Allow',
          Action: 'ssm:UpdateInstanceInformation',
          Resource: '*',
          Condition: { StringEquals: { 'aws:RequestedRegion': region } },
        });
      expect(profileCheck([guard('eu-west-1')]).get('instance-profile')).toMatchObject({
        status: 'fail',
        message: expect.stringContaining('does not allow ssm:UpdateInstanceInformation'),
      });
      expect(profileCheck([guard('us-east-1')]).get('instance-profile').status).toBe('pass');
    });

    it('a statement scoped to other instances does not count; one naming this instance does', () => {
      const scoped = (id: string) =>
        doc(legacyFree, { Effect: 'Allow', Action: 'ssm:UpdateInstanceInformation', Resource: `arn:aws:ec2:us-east-1:111122223333:instance/${id}` });
      expect(profileCheck([scoped('i-0ffffffffffffffff')]).route).toBe('none');
      expect(profileCheck([scoped('i-00000000000000001')]).route).toBe('instance-profile');
    });

    it('a condition on a key AWS does not show (aws:SourceIp) is a warning naming the statement, never a silent yes or no', () => {
      const ip = doc(legacyFree, {
        Sid: 'OfficeOnly',
        Effect: 'Allow',
        Action: 'ssm:UpdateInstanceInformation',
        Resource: '*',
        Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
      });
      const d = profileCheck([ip]);
      expect(d.get('instance-profile')).toMatchObject({
        status: 'warn',
        message: expect.stringMatching(/statement OfficeOnly of inline:p0 depends on aws:SourceIp/),
      });
      expect(d.get('identity-route').status).toBe('warn');
      expect(d.route).toBe('instance-profile');
      expect(d.reason).toContain('it may not be able to: instance profile P: role R may not allow');
      expect(d.reason).not.toContain('nothing blocks it');
      // With DHMC on, the agent uses the profile if it can and DHMC otherwise.
      expect(profileCheck([ip], {}, true).route).toBe('uncertain');
    });

    it('a permissions boundary without ssm: actions stops the registration that the role itself allows, and the fix names it', () => {
      const boundary = { name: 'arn:aws:iam::111122223333:policy/Boundary', document: doc({ Effect: 'Allow', Action: ['s3:*', 'logs:*'], Resource: '*' }) };
      expect(profileCheck([CORE_DOC], { boundary }).get('instance-profile')).toMatchObject({
        status: 'fail',
        message: expect.stringContaining(
          'is limited by permissions boundary arn:aws:iam::111122223333:policy/Boundary, which does not allow ssm:UpdateInstanceInformation',
        ),
        fix: expect.stringContaining('aws iam delete-role-permissions-boundary --role-name R'),
      });
      // When neither the role nor its boundary allows it, adding to the role alone is not enough: both are named.
      expect(profileCheck([doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' })], { boundary }).get('instance-profile')).toMatchObject({
        message: expect.stringContaining('does not allow ssm:UpdateInstanceInformation, and neither does its permissions boundary'),
        fix: 'ssm-perms profile update --role-name R\naws iam delete-role-permissions-boundary --role-name R',
      });
      const wide = { name: 'arn:aws:iam::111122223333:policy/Wide', document: doc({ Effect: 'Allow', Action: '*', Resource: '*' }) };
      expect(profileCheck([CORE_DOC], { boundary: wide }).get('instance-profile').status).toBe('pass');
    });

    it('a Deny on the other agent actions is named with its own fix, for a profile role and a DHMC role', () => {
      const denyMessages = doc({ Sid: 'NoSessions', Effect: 'Deny', Action: 'ssmmessages:*', Resource: '*' });
      expect(profileCheck([CORE_DOC, denyMessages]).get('instance-profile')).toMatchObject({
        status: 'warn',
        message: expect.stringContaining('lets the agent register, but denies ssmmessages:CreateControlChannel'),
        fix: 'aws iam get-role-policy --role-name R --policy-name p1',
      });
      const on = region({ dhmc: { enabled: true, settingValue: 'D', roleName: 'D', error: null } });
      const d = diagnose(instance(), on, fleet([role('D', [CORE_DOC, denyMessages])]));
      expect(d.get('dhmc-role-policy')).toMatchObject({
        status: 'fail',
        message: expect.stringContaining('statement NoSessions'),
        fix: 'aws iam get-role-policy --role-name D --policy-name p1',
      });
    });

    it('a Deny conditioned on the principal tag applies only to roles carrying that tag', () => {
      const deny = doc({ Effect: 'Deny', Action: 'ssm:*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/quarantine': 'true' } } });
      expect(profileCheck([CORE_DOC, deny], { tags: { quarantine: 'true' } }).get('instance-profile')).toMatchObject({
        status: 'fail',
        message: expect.stringContaining('denies ssm:UpdateInstanceInformation (statement #1 of inline:p1)'),
        fix: 'aws iam get-role-policy --role-name R --policy-name p1',
      });
      expect(profileCheck([CORE_DOC, deny], { tags: { team: 'ops' } }).get('instance-profile').status).toBe('pass');
    });
  });

  describe('a read that failed is said, never turned into a verdict', () => {
    const denied = { code: 'AccessDeniedException', message: 'denied', hint: null };

    it('managed nodes unread: unknown, not "ready"', () => {
      const r = region({ gaps: new Map([['managed', denied]]) });
      const d = diagnose(instance({ profileArn: P }), r, fleet([role('R', [CORE_DOC])], { [P]: 'R' }));
      expect(d.get('managed').status).toBe('unknown');
      expect(d).toMatchObject({ verdict: 'unknown', fix: null, reason: expect.stringContaining('could not tell: could not read the managed nodes') });
    });

    it('network unread: unknown, not "nothing blocks it"', () => {
      const d = diagnose(instance({ profileArn: P }), region({ gaps: new Map([['network', denied]]) }), fleet([role('R', [CORE_DOC])], { [P]: 'R' }));
      expect(d.get('network').status).toBe('unknown');
      expect(d.verdict).toBe('unknown');
    });

    it('the DHMC setting unread: the fallback is unknown, never "DHMC is off"', () => {
      const r = region({ dhmc: { enabled: false, settingValue: null, roleName: null, error: denied } });
      const d = diagnose(instance(), r, fleet([]));
      expect(d.get('identity-route')).toMatchObject({ status: 'unknown', message: expect.stringContaining('the DHMC setting could not be read') });
      expect(d.get('identity-route').message).not.toContain('DHMC is off');
      expect(d).toMatchObject({ route: 'uncertain', verdict: 'unknown' });
      // A profile that registers the agent makes the setting irrelevant.
      expect(diagnose(instance({ profileArn: P }), r, fleet([role('R', [CORE_DOC])], { [P]: 'R' })).route).toBe('instance-profile');
    });

    it('a role that could not be read at all (GetRole refused) is unknown, not "no usable role" or "does not exist"', () => {
      const unread = role('R', [], { exists: false, arn: null, error: denied });
      const d = diagnose(instance({ profileArn: P }), region(), fleet([unread], { [P]: 'R' }));
      expect(d.get('instance-profile')).toMatchObject({ status: 'unknown', message: expect.stringContaining('could not read role R') });
      expect(d.verdict).toBe('unknown');
      const dhmcOn = region({ dhmc: { enabled: true, settingValue: 'D', roleName: 'D', error: null } });
      const dhmcUnread = diagnose(instance(), dhmcOn, fleet([role('D', [], { exists: false, arn: null, error: denied })]));
      expect(dhmcUnread.get('dhmc-role')).toMatchObject({ status: 'unknown', message: expect.stringContaining('could not read the DHMC role D') });
      expect(dhmcUnread.verdict).toBe('unknown');
    });

    it('a role whose policies could not be read: unknown', () => {
      const d = diagnose(instance({ profileArn: P }), region(), fleet([role('R', [], { error: denied })], { [P]: 'R' }));
      expect(d.get('instance-profile').status).toBe('unknown');
      expect(d.verdict).toBe('unknown');
    });
  });

  it('a stopped instance behind an internet gateway is not predicted to lack the public IP it may get at start', () => {
    const d = runChecks(instance({ state: 'stopped', hasPublicIp: false, profileArn: P }), region(), fleet([role('R', [CORE_DOC])], { [P]: 'R' }));
    expect(d.checks.find((c) => c.id === 'network')).toMatchObject({
      status: 'warn',
      message: expect.stringContaining('whether it has a public IP once it starts is not known'),
    });
    expect(verdictOf(d.checks, 'stopped').reason).not.toContain('failing now');
  });

  it('a profile whose role does not trust ec2.amazonaws.com gives the instance no credentials: the agent falls back to DHMC', () => {
    const lambdaOnly = encodeURIComponent(
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
    );
    const f = fleet([role('R', [CORE_DOC], { trustPolicy: lambdaOnly }), role('D', [CORE_DOC])], { [P]: 'R' });
    const off = diagnose(instance({ profileArn: P }), region(), f);
    expect(off.get('instance-profile')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('does not trust ec2.amazonaws.com'),
      fix: expect.stringContaining('aws iam update-assume-role-policy --role-name R'),
    });
    expect(off.route).toBe('none');
    const on = diagnose(instance({ profileArn: P }), region({ dhmc: { enabled: true, settingValue: 'D', roleName: 'D', error: null } }), f);
    expect(on.route).toBe('dhmc');
  });

  it("judges egress to an endpoint by the endpoint's addresses, not the instance's own", () => {
    const r = region();
    const vpc = r.vpcs.get('vpc-1')!;
    vpc.routeTables = [{ id: 'rtb-1', main: true, subnetIds: [], routes: [] }];
    const https = (cidrs: string[]) => [{ protocol: 'tcp', fromPort: 443, toPort: 443, cidrs, groupIds: [], prefixListIds: [] }];
    vpc.groups.set('sg-e', { id: 'sg-e', egress: [], ingress: https(['10.0.0.0/16']) });
    vpc.endpoints = ['ssm', 'ssmmessages'].map((service) => ({
      id: `vpce-${service}`,
      service,
      privateDns: true,
      available: true,
      groupIds: ['sg-e'],
      ips: ['10.0.2.10', '10.0.2.11'],
    }));
    const f = fleet([role('R', [CORE_DOC])], { [P]: 'R' });
    const withEgress = (cidrs: string[]) => {
      vpc.groups.set('sg-i', { id: 'sg-i', ingress: [], egress: https(cidrs) });
      return diagnose(instance({ profileArn: P, privateIp: '10.0.1.5' }), r, f).get('network');
    };
    // To the endpoints' subnet: allowed, though the instance's own address is outside it.
    expect(withEgress(['10.0.2.0/24']).status).toBe('pass');
    // To the instance's own subnet only: the traffic to the endpoints is blocked.
    expect(withEgress(['10.0.1.0/24'])).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('allow no outbound 443 to endpoint vpce-ssm (10.0.2.10, 10.0.2.11)'),
    });
  });
});
