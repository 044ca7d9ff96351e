// doctor's groups: instances with the same region, verdict and reason together, each group with one
// fix for all of it - ids joined for ssm-perms, a loop for aws CLI commands that take one instance,
// the selection's tags when the group is all that was selected in its region.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { InstanceReport, Verdict } from '../../../src/services/doctor/diagnose.js';
import { groupInstances } from '../../../src/services/doctor/group.js';

const ids = (n: number, from = 1) => Array.from({ length: n }, (_, k) => `i-${String(from + k).padStart(17, '0')}`);

function report(instanceId: string, over: Partial<InstanceReport> = {}): InstanceReport {
  return {
    instanceId,
    region: 'us-east-1',
    name: null,
    state: 'running',
    verdict: 'not-ready' as Verdict,
    route: 'none',
    cause: 'identity-route',
    reason: 'no identity: no instance profile and DHMC is off in us-east-1',
    fix: 'ssm-perms dhmc enable --region us-east-1',
    alternative: `ssm-perms profile attach --name SSMInstanceProfile --instance-id ${instanceId} --region us-east-1`,
    checks: [],
    ...over,
  };
}
const noIdentity = (id: string, region = 'us-east-1') =>
  report(id, {
    region,
    reason: `no identity: no instance profile and DHMC is off in ${region}`,
    fix: `ssm-perms dhmc enable --region ${region}`,
    alternative: `ssm-perms profile attach --name SSMInstanceProfile --instance-id ${id} --region ${region}`,
  });
const imds = (id: string) =>
  report(id, {
    cause: 'imds',
    reason: 'the instance metadata service is disabled',
    fix: `aws ec2 modify-instance-metadata-options --instance-id ${id} --http-endpoint enabled --http-tokens required --region us-east-1`,
    alternative: null,
  });
const managed = (id: string, agent: string) =>
  report(id, { verdict: 'managed', cause: null, route: 'instance-profile', reason: `managed: Online, agent ${agent}`, fix: null, alternative: null });
const none = { instanceIds: [], tags: [] };

describe('groupInstances', () => {
  it('200 instances with one cause make one group, with one fix for all and the ids joined in the alternative', () => {
    const fleet = ids(200).map((id) => noIdentity(id));
    const groups = groupInstances(fleet, none);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({
      region: 'us-east-1',
      verdict: 'not-ready',
      cause: 'identity-route',
      count: 200,
      fix: 'ssm-perms dhmc enable --region us-east-1',
    });
    expect(groups[0]!.instanceIds).toEqual(ids(200));
    expect(groups[0]!.alternative).toBe(`ssm-perms profile attach --name SSMInstanceProfile --instance-id ${ids(200).join(',')} --region us-east-1`);
  });

  it("past 1,000 instances the ids go in one command per 1,000, each under the kernel's limit for one argument", () => {
    const fleet = ids(2500).map((id) => noIdentity(id));
    const lines = groupInstances(fleet, none)[0]!.alternative!.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.map((l) => /--instance-id (\S+)/.exec(l)![1]!.split(',').length)).toEqual([1000, 1000, 500]);
    expect(lines.flatMap((l) => /--instance-id (\S+)/.exec(l)![1]!.split(','))).toEqual(ids(2500));
    expect(lines.every((l) => l.startsWith('ssm-perms profile attach --name SSMInstanceProfile --instance-id ') && l.endsWith(' --region us-east-1'))).toBe(
      true,
    );
    // Linux's MAX_ARG_STRLEN: 32 pages of 4 KiB for one argument.
    expect(Math.max(...lines.map((l) => /--instance-id (\S+)/.exec(l)![1]!.length))).toBeLessThan(131072);
  });

  it("names the other blockers of a group's instances (another kind than its cause), most said first; not the cause's consequences", () => {
    const route = { id: 'network', status: 'fail' as const, message: 'no route to Systems Manager: rtb-1 has no 0.0.0.0/0 route', fix: null };
    const profile = { id: 'instance-profile', status: 'fail' as const, message: 'no instance profile attached', fix: null };
    const imdsOff = { id: 'imds', status: 'fail' as const, message: 'the instance metadata service is disabled', fix: null };
    const fleet = [
      report(ids(1)[0]!, { checks: [profile, route] }),
      report(ids(2)[1]!, { checks: [profile, route, imdsOff] }),
      report(ids(3)[2]!, { checks: [profile] }),
    ];
    expect(groupInstances(fleet, none)[0]!.also).toEqual([
      { check: 'network', message: route.message, count: 2 },
      { check: 'imds', message: imdsOff.message, count: 1 },
    ]);
    // A managed instance's group names nothing else, whatever its checks say.
    expect(
      groupInstances(
        [managed(ids(1)[0]!, '3.3.1000.0')].map((m) => ({ ...m, checks: [route] })),
        none,
      )[0]!.also,
    ).toEqual([]);
  });

  it('the same cause in two regions is two groups: the fix names its region', () => {
    const groups = groupInstances([noIdentity(ids(1)[0]!), noIdentity(ids(1, 2)[0]!, 'eu-west-1')], none);
    expect(groups.map((g) => [g.region, g.count, g.fix])).toEqual([
      ['eu-west-1', 1, 'ssm-perms dhmc enable --region eu-west-1'],
      ['us-east-1', 1, 'ssm-perms dhmc enable --region us-east-1'],
    ]);
  });

  it("an aws CLI command that takes one instance becomes one loop over the group's instances, which bash runs once per instance", () => {
    const [a, b, c] = ids(3);
    const g = groupInstances([imds(a!), imds(b!), imds(c!)], none)[0]!;
    expect(g.fix).toBe(
      `for id in ${a} ${b} ${c}; do aws ec2 modify-instance-metadata-options --instance-id "$id" --http-endpoint enabled --http-tokens required --region us-east-1; done`,
    );
    // What the loop would run, with aws replaced by echo.
    const ran = execFileSync('bash', ['-c', g.fix!.replace('do aws ', 'do echo aws ')], { encoding: 'utf8' })
      .trim()
      .split('\n');
    expect(ran).toEqual([a, b, c].map((id) => imds(id!).fix));
  });

  it("a group of one gets the instance's own command, not a loop of one", () => {
    expect(groupInstances([imds('i-1')], none)[0]!.fix).toBe(imds('i-1').fix);
  });

  it('a group that is every instance selected by tag in its region is fixed with the same tags', () => {
    const fleet = ids(3).map((id) => noIdentity(id));
    const tags = [
      { Key: 'Env', Value: 'prod' },
      { Key: 'Team', Value: 'pay ments' },
    ];
    expect(groupInstances(fleet, { instanceIds: [], tags })[0]!.alternative).toBe(
      "ssm-perms profile attach --name SSMInstanceProfile --tag Env=prod --tag 'Team=pay ments' --region us-east-1",
    );
    // Not when the group is only part of what the tags selected there: the ids then.
    const mixed = [...fleet, imds(ids(1, 9)[0]!)];
    expect(groupInstances(mixed, { instanceIds: [], tags }).find((g) => g.cause === 'identity-route')!.alternative).toContain(
      `--instance-id ${ids(3).join(',')}`,
    );
    // Nor when ids were given too.
    expect(groupInstances(fleet, { instanceIds: ids(3), tags })[0]!.alternative).toContain('--instance-id');
  });

  it('managed instances group together whatever their agent version; managed comes last, what needs doing first', () => {
    const fleet = [
      managed('i-1', '3.3.1'),
      noIdentity('i-2'),
      managed('i-3', '3.3.2'),
      report('i-4', { verdict: 'ready', cause: null, reason: 'not registered yet', fix: null, alternative: null }),
    ];
    const groups = groupInstances(fleet, none);
    expect(groups.map((g) => [g.verdict, g.count, g.reason])).toEqual([
      ['not-ready', 1, 'no identity: no instance profile and DHMC is off in us-east-1'],
      ['ready', 1, 'not registered yet'],
      ['managed', 2, 'managed by Systems Manager (Online)'],
    ]);
  });

  it('bigger groups come first within a verdict', () => {
    const fleet = [imds('i-1'), noIdentity('i-2'), noIdentity('i-3')];
    expect(groupInstances(fleet, none).map((g) => g.cause)).toEqual(['identity-route', 'imds']);
  });

  it('different commands for one reason (other subnets) are each given once, in order', () => {
    const net = (id: string, subnet: string) =>
      report(id, {
        cause: 'network',
        reason: 'no route',
        fix: `aws ec2 create-vpc-endpoint --subnet-ids ${subnet}\naws ec2 create-vpc-endpoint --subnet-ids ${subnet} --x`,
        alternative: null,
      });
    const g = groupInstances([net('i-1', 's-1'), net('i-2', 's-2'), net('i-3', 's-1')], none)[0]!;
    expect(g.count).toBe(3);
    expect(g.fix).toBe(
      [
        'aws ec2 create-vpc-endpoint --subnet-ids s-1',
        'aws ec2 create-vpc-endpoint --subnet-ids s-1 --x',
        'aws ec2 create-vpc-endpoint --subnet-ids s-2',
        'aws ec2 create-vpc-endpoint --subnet-ids s-2 --x',
      ].join('\n'),
    );
  });

  it('tags stand for the instances that have the command, only when every instance of the group has it', () => {
    const tags = [{ Key: 'Env', Value: 'prod' }];
    const fleet = [noIdentity('i-1'), { ...noIdentity('i-2'), alternative: null }, noIdentity('i-3')];
    expect(groupInstances(fleet, { instanceIds: [], tags })[0]!.alternative).toBe(
      'ssm-perms profile attach --name SSMInstanceProfile --instance-id i-1,i-3 --region us-east-1',
    );
  });

  it('a group without fixes has none', () => {
    const g = groupInstances([report('i-1', { fix: null, alternative: null })], none)[0]!;
    expect([g.fix, g.alternative]).toEqual([null, null]);
  });
});
