// doctor --fix, planning: the real checks run on hand-built facts, and the plan made from their report:
// one fix per group (VPC, role, region), what it serves, and what is left for the operator and why.
import { describe, expect, it } from 'vitest';
import { runChecks } from '../../../src/services/doctor/checks.js';
import { verdictOf, type DoctorReport, type InstanceReport } from '../../../src/services/doctor/diagnose.js';
import { planFixes, type FixOptions } from '../../../src/services/doctor/fix-plan.js';
import type { FleetFacts, InstanceFacts, RegionFacts } from '../../../src/services/doctor/facts.js';
import { CORE_DOC, doc, fleet, instance, P, region, role } from '../../helpers/doctor-facts.js';

const OPTIONS: FixOptions = { strategy: 'profile', profileName: 'SSMInstanceProfile', requireImdsv2: false, updateAgent: false };

function reportOf(cases: { i: InstanceFacts; r?: RegionFacts; f?: FleetFacts }[]): DoctorReport {
  const instances: InstanceReport[] = cases.map(({ i, r = region(), f = fleet([]) }) => {
    const d = runChecks(i, r, f);
    return { instanceId: i.instanceId, region: i.region, name: i.name, state: i.state, ...verdictOf(d.checks, i.state), route: d.route, checks: d.checks };
  });
  const summary = { total: instances.length, managed: 0, ready: 0, notReady: 0, stopped: 0, unknown: 0 };
  return { account: '111122223333', instances, summary, notFound: [], readErrors: [], regions: [], groups: [] };
}

const id = (n: number) => `i-0000000000000000${n}`;
const WEAK = doc({ Effect: 'Allow', Action: 'cloudwatch:PutMetricData', Resource: '*' });
const managedNode = (version: string) => ({ pingStatus: 'Online', agentVersion: version, lastPing: null, platform: 'Linux' });

describe('doctor --fix plan', () => {
  it('no identity: one profile created and one attachment per region, after the profile', () => {
    const plan = planFixes(reportOf([{ i: instance({ instanceId: id(1) }) }, { i: instance({ instanceId: id(2) }) }]), OPTIONS);
    expect(plan.groups.map((g) => [g.id, g.instanceIds, g.dependsOn])).toEqual([
      ['profile-create:SSMInstanceProfile', [id(1), id(2)], []],
      ['profile-attach:us-east-1:SSMInstanceProfile', [id(1), id(2)], ['profile-create:SSMInstanceProfile']],
    ]);
    expect(plan.leftForYou).toEqual([]);
  });

  it('a group names each instance once, however many of its findings lead to the same fix', () => {
    // The same instance reported twice stands for two findings of one instance that call for one fix.
    const twice = [{ i: instance({ instanceId: id(1) }) }, { i: instance({ instanceId: id(1) }) }, { i: instance({ instanceId: id(2) }) }];
    expect(planFixes(reportOf(twice), OPTIONS).groups.map((g) => g.instanceIds)).toEqual([
      [id(1), id(2)],
      [id(1), id(2)],
    ]);
  });

  it('--profile-name names the profile; --strategy dhmc turns DHMC on instead, once for every region', () => {
    const two = [{ i: instance({ instanceId: id(1) }) }, { i: instance({ instanceId: id(2), region: 'eu-west-1' }), r: region({ region: 'eu-west-1' }) }];
    expect(planFixes(reportOf(two), { ...OPTIONS, profileName: 'Fleet' }).groups.map((g) => g.id)).toEqual([
      'profile-create:Fleet',
      'profile-attach:eu-west-1:Fleet',
      'profile-attach:us-east-1:Fleet',
    ]);
    const dhmc = planFixes(reportOf(two), { ...OPTIONS, strategy: 'dhmc' });
    expect(dhmc.groups.map((g) => [g.id, g.regions, g.instanceIds])).toEqual([
      ['dhmc-enable:AWSSystemsManagerDefaultEC2InstanceManagementRole', ['us-east-1', 'eu-west-1'], [id(1), id(2)]],
    ]);
    // A profile that cannot register the agent is left alone with DHMC: the agent falls back to DHMC.
    const weak = planFixes(reportOf([{ i: instance({ profileArn: P }), f: fleet([role('Weak', [WEAK])], { [P]: 'Weak' }) }]), { ...OPTIONS, strategy: 'dhmc' });
    expect(weak.groups.map((g) => g.id)).toEqual(['dhmc-enable:AWSSystemsManagerDefaultEC2InstanceManagementRole']);
  });

  it("a profile whose role lacks the agent's permissions: AmazonSSMManagedInstanceCore on that role, naming the instances sharing it", () => {
    const f = fleet([role('Weak', [WEAK])], { [P]: 'Weak' });
    const plan = planFixes(
      reportOf([
        { i: instance({ instanceId: id(1), profileArn: P }), f },
        { i: instance({ instanceId: id(2), profileArn: P, state: 'stopped' }), f },
      ]),
      OPTIONS,
    );
    expect(plan.groups).toHaveLength(1);
    expect(plan.groups[0]).toMatchObject({ id: 'role-policy:Weak:AmazonSSMManagedInstanceCore', target: 'Weak', instanceIds: [id(1)], sharedWith: [id(2)] });
    // No profile attachment: the instance has one, and its role is what is wrong.
    expect(plan.groups.some((g) => g.kind === 'profile-attach')).toBe(false);
  });

  it('a Deny in the role is left for you with the command that shows it: adding permissions cannot override it', () => {
    const deny = doc({ Effect: 'Deny', Action: 'ssm:UpdateInstanceInformation', Resource: '*' });
    const f = fleet([role('R', [CORE_DOC, deny])], { [P]: 'R' });
    const plan = planFixes(reportOf([{ i: instance({ profileArn: P }), f }]), OPTIONS);
    expect(plan.groups).toEqual([]);
    expect(plan.leftForYou[0]).toMatchObject({
      instanceId: id(1),
      reason: expect.stringContaining('remove or narrow that Deny'),
      command: expect.stringContaining('aws iam'),
    });
  });

  it('IMDS disabled: enabled with IMDSv2 required; IMDSv1 allowed: only with --require-imdsv2, with the warning', () => {
    const f = fleet([role('R', [CORE_DOC])], { [P]: 'R' });
    const cases = [
      { i: instance({ instanceId: id(1), profileArn: P, httpEndpoint: 'disabled' }), f },
      { i: instance({ instanceId: id(2), profileArn: P, httpTokens: 'optional' }), f },
    ];
    const plain = planFixes(reportOf(cases), OPTIONS);
    expect(plain.groups.map((g) => [g.id, g.imds, g.instanceIds])).toEqual([['imds:us-east-1:enable', 'enable', [id(1)]]]);
    expect(plain.notes.join('\n')).toMatch(/1 instance allows IMDSv1 \(i-00000000000000002\): --require-imdsv2 .* breaks applications that still use IMDSv1/);
    const strict = planFixes(reportOf(cases), { ...OPTIONS, requireImdsv2: true });
    expect(strict.groups.map((g) => [g.id, g.instanceIds])).toEqual([
      ['imds:us-east-1:enable', [id(1)]],
      ['imds:us-east-1:require-v2', [id(2)]],
    ]);
    expect(strict.groups[1]!.warning).toContain('IMDSv1');
    expect(strict.notes).toEqual([]);
  });

  it('no network path: one endpoints create per VPC, not per instance; a group without outbound 443 gets the rule', () => {
    const f = fleet([role('R', [CORE_DOC])], { [P]: 'R' });
    const closed = region();
    closed.vpcs.get('vpc-1')!.routeTables = [{ id: 'rtb-1', main: true, subnetIds: [], routes: [] }];
    const noEgress = region();
    noEgress.vpcs.get('vpc-1')!.groups.set('sg-i', { id: 'sg-i', ingress: [], egress: [] });
    const plan = planFixes(
      reportOf([
        { i: instance({ instanceId: id(1), profileArn: P }), r: closed, f },
        { i: instance({ instanceId: id(2), profileArn: P }), r: closed, f },
        { i: instance({ instanceId: id(3), profileArn: P }), r: noEgress, f },
      ]),
      OPTIONS,
    );
    expect(plan.groups.map((g) => [g.id, g.target, g.instanceIds, g.ec2messages])).toEqual([
      ['egress-443:us-east-1:sg-i', 'sg-i', [id(3)], false],
      ['endpoints:us-east-1:vpc-1', 'vpc-1', [id(1), id(2)], false],
    ]);
  });

  it('a missing DHMC role is repaired as dhmc enable does; a role without the policy gets it; a role without the trust is left for you', () => {
    const on = (roleName: string) => region({ dhmc: { enabled: true, settingValue: `service-role/${roleName}`, roleName, error: null } });
    const plan = planFixes(
      reportOf([
        { i: instance({ instanceId: id(1) }), r: on('Gone'), f: fleet([]) },
        { i: instance({ instanceId: id(2) }), r: on('Bare'), f: fleet([role('Bare', [WEAK])]) },
        {
          i: instance({ instanceId: id(3) }),
          r: on('Ec2Only'),
          f: fleet([role('Ec2Only', [CORE_DOC], { trustPolicy: encodeURIComponent('{"Statement":[]}') })]),
        },
      ]),
      OPTIONS,
    );
    expect(plan.groups.map((g) => [g.id, g.instanceIds])).toEqual([
      ['dhmc-enable:Gone', [id(1)]],
      ['role-policy:Bare:AmazonSSMManagedEC2InstanceDefaultPolicy', [id(2)]],
    ]);
    expect(plan.leftForYou).toEqual([
      {
        instanceId: id(3),
        region: 'us-east-1',
        reason: expect.stringContaining('does not trust ssm.amazonaws.com'),
        command: expect.stringContaining('update-assume-role-policy'),
      },
    ]);
  });

  it('an agent too old for DHMC on an instance managed through its profile: AWS-UpdateSSMAgent only with --update-agent', () => {
    const f = fleet([role('R', [CORE_DOC])], { [P]: 'R' });
    const r = region({ managed: new Map([[id(1), managedNode('3.1.0.0')]]) });
    const cases = [{ i: instance({ profileArn: P }), r, f }];
    const plain = planFixes(reportOf(cases), OPTIONS);
    expect(plain.groups).toEqual([]);
    expect(plain.notes).toEqual([expect.stringContaining('--update-agent runs AWS-UpdateSSMAgent')]);
    expect(planFixes(reportOf(cases), { ...OPTIONS, updateAgent: true }).groups.map((g) => [g.id, g.instanceIds])).toEqual([
      ['update-agent:us-east-1', [id(1)]],
    ]);
    // A recent agent needs nothing.
    const recent = region({ managed: new Map([[id(1), managedNode('3.3.1611.0')]]) });
    expect(planFixes(reportOf([{ i: instance({ profileArn: P }), r: recent, f }]), { ...OPTIONS, updateAgent: true }).groups).toEqual([]);
  });

  it('left for you: an agent that stopped reporting, an instance nothing blocks that is not registered, a stopped instance that would fail', () => {
    const f = fleet([role('R', [CORE_DOC])], { [P]: 'R' });
    const lost = region({ managed: new Map([[id(1), { ...managedNode('3.3.1611.0'), pingStatus: 'ConnectionLost' }]]) });
    const plan = planFixes(
      reportOf([
        { i: instance({ instanceId: id(1), profileArn: P }), r: lost, f },
        { i: instance({ instanceId: id(2), profileArn: P }), f },
        { i: instance({ instanceId: id(3), state: 'stopped' }) },
      ]),
      OPTIONS,
    );
    expect(plan.groups).toEqual([]);
    expect(plan.leftForYou.map((l) => [l.instanceId, l.reason])).toEqual([
      [id(1), expect.stringContaining('restart SSM Agent on the instance')],
      [id(3), expect.stringMatching(/stopped.*start it, then run doctor --fix again/)],
      [id(2), expect.stringContaining('SSM Agent is not installed or not running')],
    ]);
  });

  it('a managed fleet plans nothing', () => {
    const f = fleet([role('R', [CORE_DOC])], { [P]: 'R' });
    const r = region({ managed: new Map([[id(1), managedNode('3.3.1611.0')]]) });
    expect(planFixes(reportOf([{ i: instance({ profileArn: P }), r, f }]), OPTIONS)).toEqual({ options: OPTIONS, groups: [], leftForYou: [], notes: [] });
  });
});
