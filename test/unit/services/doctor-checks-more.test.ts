// The exact checks an operator sees from doctor, branch by branch: status, message and fix of each
// check, for hand-built facts and hand-built IAM judgements.
// Sources for the rules behind them:
// - SSM Agent needs ssm, ssmmessages (and ec2messages before 3.3.40.0) on 443:
//   https://docs.aws.amazon.com/systems-manager/latest/userguide/setup-create-vpc.html and
//   amazon-ssm-agent RELEASENOTES.md 3.3.40.0 (ec2messages no longer needed).
// - IMDSv2 (HttpTokens required): https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-existing-instances.html
//   and Security Hub control EC2.8.
// - DHMC (Default Host Management Configuration), its ssm.amazonaws.com trusted role and SSM Agent 3.2.582.0 or later:
//   https://docs.aws.amazon.com/systems-manager/latest/userguide/fleet-manager-default-host-management-configuration.html
// - The agent's credential order (instance profile first, DHMC otherwise): amazon-ssm-agent,
//   common/identity/credentialproviders/ec2roleprovider/ec2_role_provider.go.
import { describe, expect, it } from 'vitest';
import { dhmcRoleChecks, refusalOf, runChecks, targets } from '../../../src/services/doctor/checks.js';
import type { AgentJudgement } from '../../../src/services/doctor/agent-judge.js';
import type { FleetFacts, InstanceFacts, RegionFacts, RoleFacts } from '../../../src/services/doctor/facts.js';

import { anyEgress, CORE_DOC, doc, fleet, ID, igw, instance, P, region, role, trust } from '../../helpers/doctor-facts.js';

const dhmcOn = (over: Partial<RegionFacts> = {}) => region({ dhmc: { enabled: true, settingValue: 'service-role/D', roleName: 'D', error: null }, ...over });
const agent = (agentVersion: string | null, pingStatus: string | null = 'Online', lastPing: string | null = null) =>
  new Map([[ID, { pingStatus, agentVersion, lastPing, platform: 'Linux' }]]);

const denied = { code: 'AccessDeniedException', message: 'denied', hint: null };
const get = (i: InstanceFacts, r: RegionFacts, f: FleetFacts, id: string) => runChecks(i, r, f).checks.find((c) => c.id === id);

const judgement = (over: Partial<AgentJudgement> = {}): AgentJudgement => ({
  registers: 'yes',
  denied: false,
  missing: [],
  uncertain: [],
  blockedBy: null,
  causes: {},
  ...over,
});

describe('refusalOf: why a role refuses the agent, and what fixes it', () => {
  it.each([
    {
      name: 'an inline Deny: shown with get-role-policy; an Allow cannot override it',
      j: judgement({ registers: 'no', denied: true, blockedBy: { kind: 'deny', statement: 'statement #0 of inline:Block', policy: 'inline:Block' } }),
      actions: undefined,
      want: {
        message: 'denies ssm:UpdateInstanceInformation (statement #0 of inline:Block); remove or narrow that Deny: adding permissions cannot override it',
        fix: 'aws iam get-role-policy --role-name R --policy-name Block',
      },
    },
    {
      name: 'a managed Deny: shown with get-policy',
      j: judgement({
        registers: 'no',
        denied: true,
        blockedBy: { kind: 'deny', statement: 'statement X', policy: 'arn:aws:iam::111122223333:policy/NoSsm' },
      }),
      actions: undefined,
      want: {
        message: 'denies ssm:UpdateInstanceInformation (statement X); remove or narrow that Deny: adding permissions cannot override it',
        fix: 'aws iam get-policy --policy-arn arn:aws:iam::111122223333:policy/NoSsm',
      },
    },
    {
      name: 'the cause of another action comes from causes, not from blockedBy',
      j: judgement({
        blockedBy: { kind: 'boundary', policy: 'B' },
        causes: { 'ssmmessages:OpenDataChannel': { kind: 'deny', statement: 'S', policy: 'arn:aws:iam::111122223333:policy/D' } },
      }),
      actions: ['ssmmessages:OpenDataChannel'],
      want: {
        message: 'denies ssmmessages:OpenDataChannel (S); remove or narrow that Deny: adding permissions cannot override it',
        fix: 'aws iam get-policy --policy-arn arn:aws:iam::111122223333:policy/D',
      },
    },
    {
      name: 'a boundary that refuses what the role allows',
      j: judgement({ registers: 'no', blockedBy: { kind: 'boundary', policy: 'arn:aws:iam::111122223333:policy/B' } }),
      actions: undefined,
      want: {
        message:
          'is limited by permissions boundary arn:aws:iam::111122223333:policy/B, which does not allow ssm:UpdateInstanceInformation; add them to the boundary policy, or remove the boundary',
        fix: 'aws iam delete-role-permissions-boundary --role-name R',
      },
    },
    {
      name: 'neither the role nor its boundary allows it: both are named',
      j: judgement({ missing: ['ssm:GetDocument'], causes: { 'ssm:GetDocument': { kind: 'role-and-boundary', policy: 'B' } } }),
      actions: ['ssm:GetDocument'],
      want: {
        message: 'does not allow ssm:GetDocument, and neither does its permissions boundary B; add them to the boundary policy too, or remove the boundary',
        fix: 'ssm-perms profile update --role-name R\naws iam delete-role-permissions-boundary --role-name R',
      },
    },
    {
      name: 'a Deny wins over a boundary among several actions, all named',
      j: judgement({
        registers: 'no',
        blockedBy: { kind: 'boundary', policy: 'B' },
        causes: { 'ssm:GetDocument': { kind: 'deny', statement: 'S', policy: 'inline:x' } },
      }),
      actions: ['ssm:UpdateInstanceInformation', 'ssm:GetDocument'],
      want: {
        message: 'denies ssm:UpdateInstanceInformation, ssm:GetDocument (S); remove or narrow that Deny: adding permissions cannot override it',
        fix: 'aws iam get-role-policy --role-name R --policy-name x',
      },
    },
    {
      name: 'a boundary on a later action is found past the registration that has no cause',
      j: judgement({ registers: 'no', causes: { 'ssm:GetDocument': { kind: 'boundary', policy: 'B' } } }),
      actions: ['ssm:UpdateInstanceInformation', 'ssm:GetDocument'],
      want: {
        message:
          'is limited by permissions boundary B, which does not allow ssm:UpdateInstanceInformation, ssm:GetDocument; add them to the boundary policy, or remove the boundary',
        fix: 'aws iam delete-role-permissions-boundary --role-name R',
      },
    },
    {
      name: 'no cause, not denied: a plain missing Allow, no fix of its own',
      j: judgement({ registers: 'no' }),
      actions: undefined,
      want: { message: 'does not allow ssm:UpdateInstanceInformation', fix: null },
    },
    {
      name: 'no cause, denied: says denies',
      j: judgement({ registers: 'no', denied: true }),
      actions: ['ssm:UpdateInstanceInformation', 'ssm:PutInventory'],
      want: { message: 'denies ssm:UpdateInstanceInformation, ssm:PutInventory', fix: null },
    },
  ])('$name', ({ j, actions, want }) => {
    expect(refusalOf(j, 'R', actions)).toEqual(want);
  });
});

describe('dhmcRoleChecks: the DHMC role exists, trusts ssm.amazonaws.com and allows the agent', () => {
  const D = (over: Partial<RoleFacts> = {}) => role('D', [CORE_DOC], over);
  const DEFAULT_ARN = 'arn:aws:iam::aws:policy/AmazonSSMManagedEC2InstanceDefaultPolicy';
  const attachFix = `aws iam attach-role-policy --role-name D --policy-arn ${DEFAULT_ARN}`;
  const trustPass = { id: 'dhmc-role-trust', status: 'pass', message: 'role D trusts ssm.amazonaws.com', fix: null };

  it('a role that could not be read is unknown, with the error', () => {
    expect(dhmcRoleChecks(D({ error: denied }), 'D', judgement(), 'us-east-1', 'aws')).toEqual([
      { id: 'dhmc-role', status: 'unknown', message: 'could not read the DHMC role D: AccessDeniedException (denied)', fix: null },
    ]);
  });

  it('a missing role (absent or exists: false) fails with the enable fix of the region', () => {
    const want = [{ id: 'dhmc-role', status: 'fail', message: 'the DHMC role D does not exist', fix: 'ssm-perms dhmc enable --region eu-west-1' }];
    expect(dhmcRoleChecks(undefined, 'D', null, 'eu-west-1', 'aws')).toEqual(want);
    expect(dhmcRoleChecks(D({ exists: false }), 'D', judgement(), 'eu-west-1', 'aws')).toEqual(want);
  });

  it('a role without a judgement is unknown', () => {
    expect(dhmcRoleChecks(D(), 'D', null, 'us-east-1', 'aws')).toEqual([
      { id: 'dhmc-role', status: 'unknown', message: 'could not judge the DHMC role D', fix: null },
    ]);
  });

  it('a role that does not trust ssm.amazonaws.com fails with the trust policy to set: its EC2 statement kept, SSM added', () => {
    expect(dhmcRoleChecks(D({ trustPolicy: trust('ec2.amazonaws.com') }), 'D', judgement(), 'us-east-1', 'aws')[0]).toEqual({
      id: 'dhmc-role-trust',
      status: 'fail',
      message: 'role D does not trust ssm.amazonaws.com',
      fix: `aws iam update-assume-role-policy --role-name D --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":["ec2.amazonaws.com"]},"Action":"sts:AssumeRole"},{"Effect":"Allow","Principal":{"Service":"ssm.amazonaws.com"},"Action":"sts:AssumeRole"}]}'`,
    });
  });

  it.each([
    {
      name: 'allowed through an AWS managed policy (the DHMC default one)',
      over: { attachedPolicyArns: [DEFAULT_ARN] },
      j: judgement(),
      want: { status: 'pass', message: "role D allows the agent's actions", fix: null },
    },
    {
      name: 'allowed through AmazonSSMManagedInstanceCore',
      over: { attachedPolicyArns: ['arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore'] },
      j: judgement(),
      want: { status: 'pass', message: "role D allows the agent's actions", fix: null },
    },
    {
      name: 'allowed through custom policies only',
      over: { attachedPolicyArns: ['arn:aws:iam::111122223333:policy/Mine'] },
      j: judgement(),
      want: { status: 'pass', message: "role D allows the agent's actions (through custom policies)", fix: null },
    },
    {
      name: 'registration uncertain: the statement and its unknown keys are named',
      over: {},
      j: judgement({
        registers: 'maybe',
        uncertain: [
          { action: 'ssm:GetDocument', statement: 'statement Other', keys: ['aws:SourceVpce'] },
          { action: 'ssm:UpdateInstanceInformation', statement: 'statement Office', keys: ['aws:SourceIp', 'aws:VpcSourceIp'] },
        ],
      }),
      want: {
        status: 'warn',
        message:
          'role D may not allow ssm:UpdateInstanceInformation: statement Office depends on aws:SourceIp, aws:VpcSourceIp, which cannot be known from the AWS side',
        fix: null,
      },
    },
    {
      name: 'registration uncertain, by a statement that could not be read in full',
      over: {},
      j: judgement({ registers: 'maybe', uncertain: [{ action: 'ssm:UpdateInstanceInformation', statement: 'statement Odd', keys: [] }] }),
      want: { status: 'warn', message: 'role D may not allow ssm:UpdateInstanceInformation: statement Odd could not be read in full', fix: null },
    },
    {
      name: 'registration uncertain without a named statement: the first uncertain one, else a generic phrase',
      over: {},
      j: judgement({ registers: 'maybe', uncertain: [{ action: 'ssm:GetDocument', statement: 'statement First', keys: ['aws:SourceIp'] }] }),
      want: {
        status: 'warn',
        message: 'role D may not allow ssm:UpdateInstanceInformation: statement First depends on aws:SourceIp, which cannot be known from the AWS side',
        fix: null,
      },
    },
    {
      name: 'registration uncertain with no uncertain statement recorded',
      over: {},
      j: judgement({ registers: 'maybe' }),
      want: { status: 'warn', message: 'role D may not allow ssm:UpdateInstanceInformation: a statement may or may not apply', fix: null },
    },
    {
      name: 'registers, other actions uncertain: each named once, the first explained',
      over: {},
      j: judgement({
        uncertain: [
          { action: 'ssm:UpdateInstanceInformation', statement: 'statement Reg', keys: ['aws:SourceIp'] },
          { action: 'ssmmessages:OpenDataChannel', statement: 'statement Msg', keys: ['aws:SourceVpc'] },
          { action: 'ssmmessages:OpenDataChannel', statement: 'statement Msg2', keys: ['aws:SourceVpc'] },
          { action: 'ssm:GetDocument', statement: 'statement Doc', keys: ['aws:SourceVpc'] },
        ],
      }),
      want: {
        status: 'warn',
        message:
          'role D may not allow ssmmessages:OpenDataChannel, ssm:GetDocument: statement Msg depends on aws:SourceVpc, which cannot be known from the AWS side',
        fix: null,
      },
    },
    {
      name: 'refused registration: the registration and the missing actions, with the attach fix',
      over: {},
      j: judgement({ registers: 'no', missing: ['ssm:GetDocument'] }),
      want: { status: 'fail', message: 'role D does not allow ssm:UpdateInstanceInformation, ssm:GetDocument', fix: attachFix },
    },
    {
      name: 'registers but misses actions: only those, and a cause fix replaces the attach fix',
      over: {},
      j: judgement({ missing: ['ssm:GetDocument'], causes: { 'ssm:GetDocument': { kind: 'boundary', policy: 'B' } } }),
      want: {
        status: 'fail',
        message: 'role D is limited by permissions boundary B, which does not allow ssm:GetDocument; add them to the boundary policy, or remove the boundary',
        fix: 'aws iam delete-role-permissions-boundary --role-name D',
      },
    },
    {
      name: 'refused registration with other actions uncertain: still a failure',
      over: {},
      j: judgement({ registers: 'no', uncertain: [{ action: 'ssm:GetDocument', statement: 's', keys: ['k'] }] }),
      want: { status: 'fail', message: 'role D does not allow ssm:UpdateInstanceInformation', fix: attachFix },
    },
    {
      name: 'registers, misses actions and others are uncertain: the missing ones fail',
      over: {},
      j: judgement({ missing: ['ssm:PutInventory'], uncertain: [{ action: 'ssm:GetDocument', statement: 's', keys: ['k'] }] }),
      want: { status: 'fail', message: 'role D does not allow ssm:PutInventory', fix: attachFix },
    },
  ])('$name', ({ over, j, want }) => {
    expect(dhmcRoleChecks(D(over), 'D', j, 'us-east-1', 'aws')).toEqual([trustPass, { id: 'dhmc-role-policy', ...want }]);
  });

  it('the attach fix names the policy in the partition of the role', () => {
    expect(dhmcRoleChecks(D(), 'D', judgement({ registers: 'no' }), 'cn-north-1', 'aws-cn')[1]!.fix).toBe(
      'aws iam attach-role-policy --role-name D --policy-arn arn:aws-cn:iam::aws:policy/AmazonSSMManagedEC2InstanceDefaultPolicy',
    );
  });
});

describe('managed: what Systems Manager says of the instance', () => {
  const RESTART = '; check the other findings, then restart SSM Agent on the instance';
  it.each([
    {
      name: 'Online, with the agent version and last ping',
      r: region({ managed: agent('3.3.1611.0', 'Online', '2026-01-01T00:00:00Z') }),
      i: instance(),
      want: { status: 'pass', message: 'managed: Online, agent 3.3.1611.0, last ping 2026-01-01T00:00:00Z', fix: null },
    },
    {
      name: 'Online without a version or last ping',
      r: region({ managed: agent(null) }),
      i: instance(),
      want: { status: 'pass', message: 'managed: Online, agent unknown', fix: null },
    },
    {
      name: 'registered but ConnectionLost',
      r: region({ managed: agent('3.3.1611.0', 'ConnectionLost', '2026-01-01T00:00:00Z') }),
      i: instance(),
      want: {
        status: 'fail',
        message:
          'registered but ConnectionLost, last ping 2026-01-01T00:00:00Z: the agent stopped reporting (agent stopped, or it lost its route or credentials)' +
          RESTART,
        fix: null,
      },
    },
    {
      name: 'registered without a ping status',
      r: region({ managed: agent('3.3.1611.0', null) }),
      i: instance(),
      want: {
        status: 'fail',
        message: 'registered but not Online: the agent stopped reporting (agent stopped, or it lost its route or credentials)' + RESTART,
        fix: null,
      },
    },
    {
      name: 'the managed nodes could not be read',
      r: region({ gaps: new Map([['managed', denied]]) }),
      i: instance(),
      want: {
        status: 'unknown',
        message: 'could not read the managed nodes (ssm:DescribeInstanceInformation: AccessDeniedException), so whether it is registered is not known',
        fix: null,
      },
    },
    {
      name: 'a stopped instance is skipped',
      r: region(),
      i: instance({ state: 'stopped' }),
      want: { status: 'skip', message: 'the instance is stopped; Systems Manager lists running instances only', fix: null },
    },
    {
      name: 'a stopping instance is skipped',
      r: region(),
      i: instance({ state: 'stopping' }),
      want: { status: 'skip', message: 'the instance is stopping; Systems Manager lists running instances only', fix: null },
    },
    {
      name: 'a pending instance not registered is a warning',
      r: region(),
      i: instance({ state: 'pending' }),
      want: { status: 'warn', message: 'not registered with Systems Manager', fix: null },
    },
  ])('$name', ({ r, i, want }) => {
    expect(get(i, r, fleet([]), 'managed')).toEqual({ id: 'managed', ...want });
  });
});

describe('imds: the agent gets its credentials from IMDS; IMDSv2 required is the safe setting', () => {
  it.each([
    {
      i: instance({ httpEndpoint: 'disabled' }),
      want: {
        status: 'fail',
        message: 'the instance metadata service is disabled: the agent can get neither instance profile nor DHMC credentials',
        fix: `aws ec2 modify-instance-metadata-options --instance-id ${ID} --http-endpoint enabled --http-tokens required --region us-east-1`,
      },
    },
    {
      i: instance({ httpTokens: 'optional', region: 'eu-west-1' }),
      want: {
        status: 'warn',
        message: 'IMDSv1 is still allowed (HttpTokens optional; Security Hub EC2.8); DHMC uses IMDSv2',
        fix: `aws ec2 modify-instance-metadata-options --instance-id ${ID} --http-tokens required --region eu-west-1`,
      },
    },
    { i: instance(), want: { status: 'pass', message: 'IMDS enabled, IMDSv2 required', fix: null } },
  ])('$want.status: $want.message', ({ i, want }) => {
    expect(get(i, region(), fleet([]), 'imds')).toEqual({ id: 'imds', ...want });
  });
});

describe('identity: the instance profile first, DHMC otherwise', () => {
  const ids = (i: InstanceFacts, r: RegionFacts, f: FleetFacts) => {
    const d = runChecks(i, r, f);
    return { route: d.route, checks: d.checks.filter((c) => c.id === 'instance-profile' || c.id === 'identity-route') };
  };
  const ip = (status: string, message: string, fix: string | null = null) => ({ id: 'instance-profile', status, message, fix });
  const rt = (status: string, message: string, fix: string | null = null) => ({ id: 'identity-route', status, message, fix });
  const unread = region({ dhmc: { enabled: false, settingValue: null, roleName: null, error: denied } });
  const UNREAD = 'the DHMC setting could not be read (ssm:GetServiceSetting: AccessDeniedException)';
  const good = fleet([role('R', [CORE_DOC])], { [P]: 'R' });
  const refused = fleet([role('R', [doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' })])], { [P]: 'R' });
  const sourceIp = doc({
    Sid: 'OfficeOnly',
    Effect: 'Allow',
    Action: ['ssm:*', 'ssmmessages:*', 'ec2messages:*'],
    Resource: '*',
    Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
  });
  const maybe = fleet([role('R', [sourceIp])], { [P]: 'R' });
  const MAYBE =
    'instance profile P: role R may not allow ssm:UpdateInstanceInformation: statement OfficeOnly of inline:p0 depends on aws:SourceIp, which cannot be known from the AWS side';

  it('no profile, DHMC off: no identity, and both fixes', () => {
    expect(ids(instance(), region(), fleet([]))).toEqual({
      route: 'none',
      checks: [
        ip('skip', 'no instance profile attached'),
        {
          ...rt('fail', 'no identity: no instance profile and DHMC is off in us-east-1', 'ssm-perms dhmc enable --region us-east-1'),
          alternative: `ssm-perms profile create --name SSMInstanceProfile --region us-east-1\nssm-perms profile attach --name SSMInstanceProfile --instance-id ${ID} --region us-east-1`,
        },
      ],
    });
  });

  it('a refused profile, DHMC off: the profile fails and the route names the profile', () => {
    expect(ids(instance({ profileArn: P }), region(), refused)).toEqual({
      route: 'none',
      checks: [
        ip('fail', 'instance profile P: role R does not allow ssm:UpdateInstanceInformation', 'ssm-perms profile update --role-name R'),
        rt('fail', 'no identity: the instance profile cannot register the agent and DHMC is off in us-east-1', 'ssm-perms dhmc enable --region us-east-1'),
      ],
    });
  });

  it('a refused profile, DHMC on: the agent falls back to DHMC', () => {
    expect(ids(instance({ profileArn: P }), dhmcOn(), refused)).toEqual({
      route: 'dhmc',
      checks: [
        ip(
          'warn',
          'instance profile P: role R does not allow ssm:UpdateInstanceInformation, so the agent falls back to DHMC',
          'ssm-perms profile update --role-name R',
        ),
        rt('pass', 'the agent uses DHMC (role service-role/D), as instance profile P cannot register it'),
      ],
    });
  });

  it('no profile, DHMC on: DHMC, without naming a profile', () => {
    expect(ids(instance(), dhmcOn(), fleet([])).checks[1]).toEqual(rt('pass', 'the agent uses DHMC (role service-role/D)'));
  });

  it('a refused profile, DHMC setting unread: the fallback is unknown', () => {
    expect(ids(instance({ profileArn: P }), unread, refused)).toEqual({
      route: 'uncertain',
      checks: [
        ip(
          'warn',
          'instance profile P: role R does not allow ssm:UpdateInstanceInformation, so the agent falls back to DHMC, whose setting could not be read',
          'ssm-perms profile update --role-name R',
        ),
        rt('unknown', `the instance profile cannot register the agent, so the agent turns to DHMC, but ${UNREAD}`),
      ],
    });
    expect(ids(instance(), unread, fleet([])).checks[1]).toEqual(rt('unknown', `no instance profile, so the agent turns to DHMC, but ${UNREAD}`));
  });

  it('a good profile: the profile is used, and DHMC does not apply even when it is on', () => {
    const pass = ip('pass', "instance profile P: role R allows the agent's actions");
    expect(ids(instance({ profileArn: P }), region(), good)).toEqual({
      route: 'instance-profile',
      checks: [pass, rt('pass', 'the agent uses instance profile P')],
    });
    expect(ids(instance({ profileArn: P }), dhmcOn(), good)).toEqual({
      route: 'instance-profile',
      checks: [
        pass,
        rt(
          'warn',
          'the agent uses instance profile P, which takes precedence over DHMC (DHMC does not apply to this instance; to use DHMC instead, detach the profile or remove ssm:UpdateInstanceInformation from its role)',
        ),
      ],
    });
  });

  it('an uncertain profile: DHMC on is the fallback, DHMC off is the fix, DHMC unread is unknown', () => {
    expect(ids(instance({ profileArn: P }), dhmcOn(), maybe)).toEqual({
      route: 'uncertain',
      checks: [ip('warn', MAYBE), rt('warn', 'the agent uses instance profile P if it can register with it, and DHMC (role service-role/D) otherwise')],
    });
    expect(ids(instance({ profileArn: P }), region(), maybe)).toEqual({
      route: 'instance-profile',
      checks: [
        ip('warn', MAYBE),
        rt(
          'warn',
          'the agent can only use instance profile P, and whether it may register with it is not certain; DHMC is off in us-east-1',
          'ssm-perms dhmc enable --region us-east-1',
        ),
      ],
    });
    expect(ids(instance({ profileArn: P }), unread, maybe)).toEqual({
      route: 'uncertain',
      checks: [ip('warn', MAYBE), rt('unknown', `the agent uses instance profile P if it can register with it, and DHMC otherwise, but ${UNREAD}`)],
    });
  });

  it('a profile that could not be read is unknown; its own name is used when known, else the last part of its ARN', () => {
    // Unread is uncertain, not refused: the agent may still register with it.
    expect(ids(instance({ profileArn: P }), region(), fleet([]))).toEqual({
      route: 'instance-profile',
      checks: [
        ip('unknown', 'could not read instance profile P'),
        rt(
          'warn',
          'the agent can only use instance profile P, and whether it may register with it is not certain; DHMC is off in us-east-1',
          'ssm-perms dhmc enable --region us-east-1',
        ),
      ],
    });
    const web = 'arn:aws:iam::111122223333:instance-profile/team/Web-Profile';
    expect(ids(instance({ profileArn: web }), region(), fleet([])).checks[0]).toEqual(ip('unknown', 'could not read instance profile Web-Profile'));
    const f = fleet([]);
    f.profiles.set(P, { name: 'Named', arn: P, exists: false, roleName: null, error: denied });
    expect(ids(instance({ profileArn: P }), region(), f).checks[0]).toEqual(ip('unknown', 'could not read instance profile Named: AccessDeniedException'));
    const named = fleet([role('R', [CORE_DOC])], { [P]: 'R' });
    named.profiles.get(P)!.name = 'Named';
    expect(ids(instance({ profileArn: P }), region(), named).checks[0]).toEqual(ip('pass', "instance profile Named: role R allows the agent's actions"));
  });

  it('the route names the profile by the last part of its ARN', () => {
    const web = 'arn:aws:iam::111122223333:instance-profile/team/Web-Profile';
    expect(ids(instance({ profileArn: web }), region(), fleet([role('R', [CORE_DOC])], { [web]: 'R' })).checks[1]).toEqual(
      rt('pass', 'the agent uses instance profile Web-Profile'),
    );
  });

  it('a condition on aws:CurrentTime is judged at the time the facts were read', () => {
    const until2020 = doc({
      Effect: 'Allow',
      Action: ['ssm:*', 'ssmmessages:*', 'ec2messages:*'],
      Resource: '*',
      Condition: { DateLessThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } },
    });
    const f = fleet([role('R', [until2020])], { [P]: 'R' });
    f.readAt = new Date('2019-06-01T00:00:00Z');
    expect(ids(instance({ profileArn: P }), region(), f).checks[0]).toEqual(ip('pass', "instance profile P: role R allows the agent's actions"));
    f.readAt = new Date('2021-06-01T00:00:00Z');
    expect(ids(instance({ profileArn: P }), region(), f).checks[0]).toEqual(
      ip('fail', 'instance profile P: role R does not allow ssm:UpdateInstanceInformation', 'ssm-perms profile update --role-name R'),
    );
  });

  it('a profile that no longer exists', () => {
    const f = fleet([], { [P]: 'R' });
    f.profiles.get(P)!.exists = false;
    expect(ids(instance({ profileArn: P }), region(), f).checks[0]).toEqual(
      ip('fail', 'instance profile P is attached but no longer exists', 'ssm-perms profile create --name P'),
    );
  });

  it('a role that could not be read is unknown', () => {
    const f = fleet([role('R', [], { exists: false, error: denied })], { [P]: 'R' });
    expect(ids(instance({ profileArn: P }), region(), f).checks[0]).toEqual(
      ip('unknown', 'could not read role R of instance profile P: AccessDeniedException (denied)'),
    );
  });

  it.each([
    { name: 'no role in the profile', f: fleet([role('R', [CORE_DOC])], { [P]: null }) },
    { name: 'a role not found', f: fleet([], { [P]: 'R' }) },
    { name: 'a role that does not exist', f: fleet([role('R', [CORE_DOC], { exists: false })], { [P]: 'R' }) },
  ])('$name: no usable role', ({ f }) => {
    expect(ids(instance({ profileArn: P }), region(), f).checks[0]).toEqual(
      ip('fail', 'instance profile P holds no usable role', 'aws iam add-role-to-instance-profile --instance-profile-name P --role-name ROLE'),
    );
  });

  it('a role that does not trust ec2.amazonaws.com, with the trust policy to set: its SSM statement kept, EC2 added', () => {
    const f = fleet([role('R', [CORE_DOC], { trustPolicy: trust('ssm.amazonaws.com') })], { [P]: 'R' });
    expect(ids(instance({ profileArn: P }), region(), f).checks[0]).toEqual(
      ip(
        'fail',
        'instance profile P: role R does not trust ec2.amazonaws.com, so EC2 cannot give its credentials to the instance',
        `aws iam update-assume-role-policy --role-name R --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":["ssm.amazonaws.com"]},"Action":"sts:AssumeRole"},{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}'`,
      ),
    );
  });

  it('a role that registers but misses other actions: a warning naming them, with the update fix', () => {
    const partial = doc({
      Effect: 'Allow',
      Action: ['ssm:UpdateInstanceInformation', 'ssm:ListInstanceAssociations', 'ssm:GetDocument', 'ssmmessages:*'],
      Resource: '*',
    });
    expect(ids(instance({ profileArn: P }), region(), fleet([role('R', [partial])], { [P]: 'R' }))).toEqual({
      route: 'instance-profile',
      checks: [
        ip(
          'warn',
          'instance profile P: role R lets the agent register, but does not allow ssm:PutInventory (the features that need them - Run Command, Session Manager, associations, inventory - fail)',
          'ssm-perms profile update --role-name R',
        ),
        rt('pass', 'the agent uses instance profile P'),
      ],
    });
  });

  it('a role that registers, with other actions uncertain: a warning naming them', () => {
    const split = doc(
      { Effect: 'Allow', Action: ['ssm:UpdateInstanceInformation', 'ssm:ListInstanceAssociations', 'ssm:GetDocument', 'ssm:PutInventory'], Resource: '*' },
      { Sid: 'Msgs', Effect: 'Allow', Action: 'ssmmessages:*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } },
    );
    const got = ids(instance({ profileArn: P }), region(), fleet([role('R', [split])], { [P]: 'R' })).checks[0];
    expect(got).toEqual(
      ip(
        'warn',
        'instance profile P: role R lets the agent register; it may not allow ssmmessages:CreateControlChannel, ssmmessages:CreateDataChannel, ssmmessages:OpenControlChannel, ssmmessages:OpenDataChannel: statement Msgs of inline:p0 depends on aws:SourceIp, which cannot be known from the AWS side',
      ),
    );
  });
});

describe('agent-version: DHMC needs SSM Agent 3.2.582.0 or later', () => {
  const dhmcFleet = fleet([role('D', [CORE_DOC])]);
  const profileFleet = fleet([role('R', [CORE_DOC])], { [P]: 'R' });
  it.each([
    {
      name: 'DHMC, version not known yet: a warning naming the minimum',
      i: instance(),
      r: dhmcOn(),
      f: dhmcFleet,
      want: { status: 'warn', message: 'agent version unknown until the instance registers; DHMC needs 3.2.582.0 or later', fix: null },
    },
    {
      name: 'instance profile, version not known yet: skipped',
      i: instance({ profileArn: P }),
      r: region(),
      f: profileFleet,
      want: { status: 'skip', message: 'agent version unknown until the instance registers', fix: null },
    },
    {
      name: 'DHMC with an older agent: fails, with both ways out',
      i: instance({ region: 'eu-west-1' }),
      r: dhmcOn({ managed: agent('3.2.581.0') }),
      f: dhmcFleet,
      want: {
        status: 'fail',
        message:
          'agent 3.2.581.0 is older than 3.2.582.0, the minimum for DHMC: give the instance a profile, or update SSM Agent on it by other means (it cannot register to run AWS-UpdateSSMAgent)',
        fix: `ssm-perms profile create --name SSMInstanceProfile --region eu-west-1\nssm-perms profile attach --name SSMInstanceProfile --instance-id ${ID} --region eu-west-1`,
      },
    },
    {
      name: 'DHMC with exactly the minimum: passes',
      i: instance(),
      r: dhmcOn({ managed: agent('3.2.582.0') }),
      f: dhmcFleet,
      want: { status: 'pass', message: 'agent 3.2.582.0', fix: null },
    },
    {
      name: 'an older agent on the instance profile route is fine',
      i: instance({ profileArn: P }),
      r: region({ managed: agent('3.2.581.0') }),
      f: profileFleet,
      want: { status: 'pass', message: 'agent 3.2.581.0', fix: null },
    },
  ])('$name', ({ i, r, f, want }) => {
    expect(get(i, r, f, 'agent-version')).toEqual({ id: 'agent-version', ...want });
  });
});

describe('network: a route to ssm and ssmmessages (and ec2messages before agent 3.3.40.0) on 443', () => {
  const https = (cidrs: string[], groupIds: string[] = []) => [{ protocol: 'tcp', fromPort: 443, toPort: 443, cidrs, groupIds, prefixListIds: [] }];
  const SG_FIX =
    'aws ec2 authorize-security-group-egress --group-id sg-i --ip-permissions IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=0.0.0.0/0}] --region us-east-1';
  const INGRESS_FIX = (group: string) =>
    `aws ec2 authorize-security-group-ingress --group-id ${group} --protocol tcp --port 443 --source-group sg-i --region us-east-1`;
  const EGRESS_FIX =
    'aws ec2 authorize-security-group-egress --group-id sg-i --ip-permissions IpProtocol=tcp,FromPort=443,ToPort=443,UserIdGroupPairs=[{GroupId=sg-e}] --region us-east-1';
  /** The one command that makes a VPC's endpoints (endpoints create), with --ec2messages when an agent needs it. */
  const endpointsFix = (ec2messages = false) => `ssm-perms endpoints create --vpc-id vpc-1${ec2messages ? ' --ec2messages' : ''} --region us-east-1`;
  /** A region whose VPC has the given route, instance egress and endpoints (admitting 10.0.0.0/16 on 443). */
  const net = (
    opts: {
      routes?: typeof igw;
      egress?: ReturnType<typeof https> | typeof anyEgress;
      endpoints?: string[];
      endpointOver?: Record<string, unknown>;
      ingress?: ReturnType<typeof https>;
      version?: string;
    } = {},
  ) => {
    const r = region(opts.version ? { managed: agent(opts.version) } : {});
    const vpc = r.vpcs.get('vpc-1')!;
    vpc.routeTables = [{ id: 'rtb-1', main: true, subnetIds: [], routes: opts.routes ?? [] }];
    vpc.groups.set('sg-i', { id: 'sg-i', ingress: [], egress: opts.egress ?? anyEgress });
    vpc.groups.set('sg-e', { id: 'sg-e', egress: [], ingress: opts.ingress ?? https(['10.0.0.0/16']) });
    vpc.endpoints = (opts.endpoints ?? []).map((service) => ({
      id: `vpce-${service}`,
      service,
      privateDns: true,
      available: true,
      groupIds: ['sg-e'],
      ips: ['10.0.2.10'],
      ...opts.endpointOver,
    }));
    return r;
  };
  const f = fleet([role('R', [CORE_DOC])], { [P]: 'R' });
  const netOf = (r: RegionFacts, over: Partial<InstanceFacts> = {}) => get(instance({ profileArn: P, ...over }), r, f, 'network');
  const toEndpoints = https(['10.0.2.0/24']);

  it.each([
    {
      name: 'the network could not be read',
      r: region({ gaps: new Map([['network', denied]]) }),
      over: {},
      want: { status: 'unknown', message: 'could not read the network (route tables, endpoints, security groups): AccessDeniedException', fix: null },
    },
    {
      name: 'no VPC id',
      r: region(),
      over: { vpcId: null },
      want: { status: 'skip', message: 'no VPC information for this instance', fix: null },
    },
    {
      name: 'a VPC not described',
      r: region(),
      over: { vpcId: 'vpc-9' },
      want: { status: 'skip', message: 'no VPC information for this instance', fix: null },
    },
    {
      name: 'internet gateway and public IP, outbound open',
      r: net({ routes: igw }),
      over: {},
      want: { status: 'pass', message: '0.0.0.0/0 goes to internet gateway igw-1 and the instance has a public IP; outbound 443 allowed', fix: null },
    },
    {
      name: 'NAT gateway, outbound open',
      r: net({ routes: [{ destination: '0.0.0.0/0', gatewayId: null, natGatewayId: 'nat-1', otherTarget: null, blackhole: false }] }),
      over: {},
      want: { status: 'pass', message: '0.0.0.0/0 goes to NAT gateway nat-1; outbound 443 allowed', fix: null },
    },
    {
      name: 'internet gateway, outbound closed, no endpoints: fails with the egress fix',
      r: net({ routes: igw, egress: [] }),
      over: {},
      want: {
        status: 'fail',
        message: '0.0.0.0/0 goes to internet gateway igw-1 and the instance has a public IP, but the security groups allow no outbound HTTPS (443)',
        fix: SG_FIX,
      },
    },
    {
      name: 'internet gateway, outbound closed, an instance without security groups: a placeholder group',
      r: net({ routes: igw, egress: [] }),
      over: { securityGroupIds: [] },
      want: {
        status: 'fail',
        message: '0.0.0.0/0 goes to internet gateway igw-1 and the instance has a public IP, but the security groups allow no outbound HTTPS (443)',
        fix: SG_FIX.replace('sg-i', 'sg-...'),
      },
    },
    {
      name: 'internet gateway, outbound only to the endpoints: the endpoints carry it',
      r: net({ routes: igw, egress: toEndpoints, endpoints: ['ssm', 'ssmmessages'] }),
      over: {},
      want: { status: 'pass', message: 'through VPC endpoints (ssm, ssmmessages) with private DNS; 443 allowed both ways', fix: null },
    },
    {
      name: 'a stopped instance behind an internet gateway without a public IP: not known',
      r: net({ routes: igw }),
      over: { state: 'stopped', hasPublicIp: false },
      want: {
        status: 'warn',
        message: '0.0.0.0/0 goes to internet gateway igw-1; the instance is stopped, so whether it has a public IP once it starts is not known',
        fix: null,
      },
    },
    {
      name: 'a stopped instance behind a NAT gateway: its public IP does not matter',
      r: net({ routes: [{ destination: '0.0.0.0/0', gatewayId: null, natGatewayId: 'nat-1', otherTarget: null, blackhole: false }] }),
      over: { state: 'stopped', hasPublicIp: false },
      want: { status: 'pass', message: '0.0.0.0/0 goes to NAT gateway nat-1; outbound 443 allowed', fix: null },
    },
    {
      name: 'a stopped instance without a public IP whose groups allow no outbound to the internet: no route',
      r: net({ routes: igw, egress: toEndpoints }),
      over: { state: 'stopped', hasPublicIp: false },
      want: {
        status: 'fail',
        message:
          'no route to Systems Manager: 0.0.0.0/0 goes to internet gateway igw-1, but the instance has no public IP, and the VPC has no interface endpoint with private DNS for ssm and ssmmessages (create them, or route 0.0.0.0/0 to a NAT gateway)',
        fix: endpointsFix(),
      },
    },
    {
      name: 'a running instance without a public IP behind an internet gateway: no route',
      r: net({ routes: igw }),
      over: { hasPublicIp: false },
      want: {
        status: 'fail',
        message:
          'no route to Systems Manager: 0.0.0.0/0 goes to internet gateway igw-1, but the instance has no public IP, and the VPC has no interface endpoint with private DNS for ssm and ssmmessages (create them, or route 0.0.0.0/0 to a NAT gateway)',
        fix: endpointsFix(),
      },
    },
    {
      name: 'no route, only an ssm endpoint, an agent older than 3.3.40.0: the fix names the ones left',
      r: net({ endpoints: ['ssm'], version: '3.3.39.0' }),
      over: {},
      want: {
        status: 'fail',
        message:
          'no route to Systems Manager: route table rtb-1 has no 0.0.0.0/0 route, and the VPC has no interface endpoint with private DNS for ssmmessages (create them, or route 0.0.0.0/0 to a NAT gateway)',
        fix: endpointsFix(true),
      },
    },
    {
      name: 'endpoints without private DNS do not count',
      r: net({ endpoints: ['ssm', 'ssmmessages'], endpointOver: { privateDns: false } }),
      over: {},
      want: {
        status: 'fail',
        message:
          'no route to Systems Manager: route table rtb-1 has no 0.0.0.0/0 route, and the VPC has no interface endpoint with private DNS for ssm and ssmmessages (create them, or route 0.0.0.0/0 to a NAT gateway)',
        fix: endpointsFix(),
      },
    },
    {
      name: 'endpoints not available do not count',
      r: net({ endpoints: ['ssm', 'ssmmessages'], endpointOver: { available: false } }),
      over: {},
      want: {
        status: 'fail',
        message:
          'no route to Systems Manager: route table rtb-1 has no 0.0.0.0/0 route, and the VPC has no interface endpoint with private DNS for ssm and ssmmessages (create them, or route 0.0.0.0/0 to a NAT gateway)',
        fix: endpointsFix(),
      },
    },
    {
      name: 'a route this check cannot follow',
      r: net({ routes: [{ destination: '0.0.0.0/0', gatewayId: null, natGatewayId: null, otherTarget: 'pcx-1', blackhole: false }] }),
      over: {},
      want: {
        status: 'warn',
        message: '0.0.0.0/0 goes to pcx-1, which this check cannot follow; make sure it reaches the ssm and ssmmessages endpoints on 443',
        fix: null,
      },
    },
    {
      name: 'endpoints, agent older than 3.3.40.0 and no ec2messages endpoint: a warning with its fix',
      r: net({ egress: toEndpoints, endpoints: ['ssm', 'ssmmessages'], version: '3.3.39.0' }),
      over: {},
      want: {
        status: 'warn',
        message: 'through VPC endpoints; no ec2messages endpoint with private DNS (agent 3.3.39.0 is older than 3.3.40.0 and still needs it for commands)',
        fix: endpointsFix(true),
      },
    },
    {
      name: 'endpoints, agent older than 3.3.40.0 with an ec2messages endpoint: all three pass',
      r: net({ egress: toEndpoints, endpoints: ['ssm', 'ssmmessages', 'ec2messages'], version: '3.3.39.0' }),
      over: {},
      want: { status: 'pass', message: 'through VPC endpoints (ssm, ssmmessages, ec2messages) with private DNS; 443 allowed both ways', fix: null },
    },
    {
      name: 'endpoints that do not admit the instance, and ec2messages missing: only the hard problems, with the endpoint fix',
      r: net({ egress: toEndpoints, endpoints: ['ssm', 'ssmmessages'], ingress: https(['192.168.0.0/16']), version: '3.3.39.0' }),
      over: {},
      want: {
        status: 'fail',
        message:
          'through VPC endpoints: endpoint vpce-ssm (ssm) does not allow inbound 443 from the instance; endpoint vpce-ssmmessages (ssmmessages) does not allow inbound 443 from the instance',
        fix: INGRESS_FIX('sg-e'),
      },
    },
    {
      name: 'endpoints the instance cannot reach outbound, without recorded addresses',
      r: net({ egress: https(['192.168.0.0/16']), endpoints: ['ssm', 'ssmmessages'], endpointOver: { ips: [] } }),
      over: {},
      want: {
        status: 'fail',
        message:
          "through VPC endpoints: the instance's security groups allow no outbound 443 to endpoint vpce-ssm; the instance's security groups allow no outbound 443 to endpoint vpce-ssmmessages",
        fix: EGRESS_FIX,
      },
    },
    {
      name: 'endpoints whose groups are not described admit nothing',
      r: net({ egress: toEndpoints, endpoints: ['ssm', 'ssmmessages'], endpointOver: { groupIds: ['sg-gone'] } }),
      over: {},
      want: {
        status: 'fail',
        message:
          'through VPC endpoints: endpoint vpce-ssm (ssm) does not allow inbound 443 from the instance; endpoint vpce-ssmmessages (ssmmessages) does not allow inbound 443 from the instance',
        fix: INGRESS_FIX('sg-gone'),
      },
    },
    {
      name: 'an instance group that is not described is ignored, the others judged',
      r: net({ routes: igw }),
      over: { securityGroupIds: ['sg-gone', 'sg-i'] },
      want: { status: 'pass', message: '0.0.0.0/0 goes to internet gateway igw-1 and the instance has a public IP; outbound 443 allowed', fix: null },
    },
  ])('$name', ({ r, over, want }) => {
    expect(netOf(r, over)).toEqual({ id: 'network', ...want });
  });
});

describe('quick-setup: an association running AWS-AttachIAMToInstance can replace the profile', () => {
  const qs = (...associations: { associationId: string; associationName: string | null; targets: { key: string; values: string[] }[] }[]) =>
    region({ quickSetup: associations });
  it.each([
    {
      name: 'the associations could not be listed',
      r: region({ gaps: new Map([['quickSetup', denied]]) }),
      want: { status: 'skip', message: 'could not list State Manager associations: AccessDeniedException', fix: null },
    },
    {
      name: 'none targets the instance',
      r: qs({ associationId: 'a-1', associationName: 'qs', targets: [{ key: 'tag:Env', values: ['dev'] }] }),
      want: { status: 'pass', message: 'no association running AWS-AttachIAMToInstance targets this instance', fix: null },
    },
    {
      name: 'those that target it are named, by id when unnamed',
      r: qs(
        { associationId: 'a-1', associationName: 'qs', targets: [{ key: 'InstanceIds', values: ['*'] }] },
        { associationId: 'a-2', associationName: null, targets: [{ key: 'resource-groups:Name', values: ['g'] }] },
        { associationId: 'a-3', associationName: 'other', targets: [{ key: 'InstanceIds', values: ['i-0ffffffffffffffff'] }] },
      ),
      want: {
        status: 'warn',
        message:
          'association qs, a-2 runs AWS-AttachIAMToInstance on this instance and can replace its profile (ForceReplace defaults to true); review the Quick Setup Host Management configuration before changing profiles by hand',
        fix: null,
      },
    },
  ])('$name', ({ r, want }) => {
    expect(get(instance(), r, fleet([]), 'quick-setup')).toEqual({ id: 'quick-setup', ...want });
  });

  // State Manager targets: https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_Target.html
  it.each([
    { targets: [{ key: 'InstanceIds', values: [ID] }], want: true },
    { targets: [{ key: 'InstanceIds', values: ['i-0ffffffffffffffff'] }], want: false },
    { targets: [{ key: 'tag:Env', values: ['prod'] }], want: true },
    { targets: [{ key: 'tag:Team', values: ['prod'] }], want: false },
    // An instance without the tag is not targeted, even by an empty value.
    { targets: [{ key: 'tag:Team', values: [''] }], want: false },
    { targets: [{ key: 'tag-key', values: ['Missing', 'Env'] }], want: true },
    { targets: [{ key: 'tag-key', values: ['Missing'] }], want: false },
    { targets: [{ key: 'resource-groups:Name', values: ['g'] }], want: true },
    {
      targets: [
        { key: 'InstanceIds', values: ['*'] },
        { key: 'tag:Env', values: ['dev'] },
      ],
      want: false,
    },
  ])('targets $targets: $want', ({ targets: t, want }) => {
    expect(targets({ associationId: 'a', associationName: 'a', targets: t }, instance())).toBe(want);
  });
});

describe('runChecks: the DHMC role is checked only where the agent may use DHMC', () => {
  const ids = (i: InstanceFacts, r: RegionFacts, f: FleetFacts) => runChecks(i, r, f).checks.map((c) => c.id);
  const BASE = ['managed', 'imds', 'instance-profile', 'identity-route'];
  const TAIL = ['agent-version', 'network', 'quick-setup'];
  it('route dhmc: the role is checked', () => {
    expect(ids(instance(), dhmcOn(), fleet([role('D', [CORE_DOC])]))).toEqual([...BASE, 'dhmc-role-trust', 'dhmc-role-policy', ...TAIL]);
  });
  it('route uncertain (an uncertain profile, DHMC on): the role is checked', () => {
    const ip = doc({ Effect: 'Allow', Action: 'ssm:*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } });
    expect(ids(instance({ profileArn: P }), dhmcOn(), fleet([role('R', [ip]), role('D', [CORE_DOC])], { [P]: 'R' }))).toEqual([
      ...BASE,
      'dhmc-role-trust',
      'dhmc-role-policy',
      ...TAIL,
    ]);
  });
  it('route instance-profile: the DHMC role is not checked', () => {
    expect(ids(instance({ profileArn: P }), dhmcOn(), fleet([role('R', [CORE_DOC]), role('D', [CORE_DOC])], { [P]: 'R' }))).toEqual([...BASE, ...TAIL]);
  });
  it('DHMC on without a role name: nothing to check', () => {
    const r = region({ dhmc: { enabled: true, settingValue: '$None', roleName: null, error: null } });
    expect(ids(instance(), r, fleet([]))).toEqual([...BASE, ...TAIL]);
  });
  it('a DHMC role not found, or not existing, is said to not exist', () => {
    const gone = { id: 'dhmc-role', status: 'fail', message: 'the DHMC role D does not exist', fix: 'ssm-perms dhmc enable --region us-east-1' };
    expect(get(instance(), dhmcOn(), fleet([]), 'dhmc-role')).toEqual(gone);
    expect(get(instance(), dhmcOn(), fleet([role('D', [CORE_DOC], { exists: false })]), 'dhmc-role')).toEqual(gone);
  });
  it("the DHMC role is judged for the instance's region and partition", () => {
    const guard = doc(
      { Effect: 'Allow', Action: ['ssm:ListInstanceAssociations', 'ssm:GetDocument', 'ssm:PutInventory', 'ssmmessages:*'], Resource: '*' },
      { Effect: 'Allow', Action: 'ssm:UpdateInstanceInformation', Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } } },
    );
    expect(get(instance(), dhmcOn(), fleet([role('D', [guard])]), 'dhmc-role-policy')).toEqual({
      id: 'dhmc-role-policy',
      status: 'pass',
      message: "role D allows the agent's actions (through custom policies)",
      fix: null,
    });
  });
});
