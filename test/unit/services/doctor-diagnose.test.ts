// doctor's verdict: how an instance's checks become its verdict, its one reason and its fix, and how
// diagnoseFleet sums up the fleet (counts, ids not found, the reads that failed, the regions).
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Check, InstanceDiagnosis } from '../../../src/services/doctor/checks.js';
import type { FleetFacts, InstanceFacts, RegionFacts } from '../../../src/services/doctor/facts.js';

const fake = vi.hoisted(() => ({ fleet: null as unknown, diag: new Map<string, unknown>() }));
vi.mock('../../../src/services/doctor/collect.js', () => ({ collectFleet: vi.fn(async () => fake.fleet) }));
vi.mock('../../../src/services/doctor/checks.js', () => ({ runChecks: vi.fn((i: { instanceId: string }) => fake.diag.get(i.instanceId)) }));

const { verdictOf, diagnoseFleet } = await import('../../../src/services/doctor/diagnose.js');
const { testEnv } = await import('../../helpers/service-env.js');

const c = (id: string, status: Check['status'], message = `${id} ${status}`, fix: string | null = null): Check => ({ id, status, message, fix });

const PRIORITY = ['imds', 'instance-profile', 'identity-route', 'dhmc-role', 'dhmc-role-trust', 'dhmc-role-policy', 'network', 'agent-version', 'managed'];

describe('verdictOf', () => {
  it('managed when the managed check passes: its message is the reason, no fix', () => {
    expect(verdictOf([c('imds', 'fail', 'IMDS off', 'enable it'), c('managed', 'pass', 'registered, Online')])).toEqual({
      verdict: 'managed',
      cause: null,
      reason: 'registered, Online',
      fix: null,
      alternative: null,
    });
  });

  it('only the check named managed makes it managed (another passing check first does not)', () => {
    expect(verdictOf([c('imds', 'pass', 'IMDS on'), c('managed', 'fail', 'not registered', 'wait')])).toEqual({
      verdict: 'not-ready',
      cause: 'managed',
      reason: 'not registered',
      fix: 'wait',
      alternative: null,
    });
  });

  it('without a managed check at all, the other checks decide', () => {
    expect(verdictOf([c('network', 'fail', 'no route', 'add a NAT')])).toEqual({
      verdict: 'not-ready',
      cause: 'network',
      reason: 'no route',
      fix: 'add a NAT',
      alternative: null,
    });
  });

  // Each failure against the one just before it in priority, listed in the wrong order: the more fundamental wins.
  it.each(PRIORITY.slice(1).map((id, k) => [PRIORITY[k]!, id] as const))('%s explains the instance before %s', (first, second) => {
    expect(verdictOf([c(second, 'fail', `${second} broken`, `fix ${second}`), c(first, 'fail', `${first} broken`, `fix ${first}`)])).toEqual({
      verdict: 'not-ready',
      cause: first,
      reason: `${first} broken`,
      fix: `fix ${first}`,
      alternative: null,
    });
  });

  it('a failure beats an unknown, whatever their priority', () => {
    expect(verdictOf([c('imds', 'unknown', 'IMDS?'), c('managed', 'fail', 'not registered', 'register it')])).toEqual({
      verdict: 'not-ready',
      cause: 'managed',
      reason: 'not registered',
      fix: 'register it',
      alternative: null,
    });
  });

  it('unknown names the most fundamental unknown read, with no fix', () => {
    expect(
      verdictOf([c('network', 'unknown', 'network not read'), c('dhmc-role', 'unknown', 'role not read'), c('managed', 'warn', 'not registered')]),
    ).toEqual({
      verdict: 'unknown',
      cause: null,
      reason: 'could not tell: role not read',
      fix: null,
      alternative: null,
    });
  });

  it.each([
    ['pending', 'the instance is pending: SSM Agent runs only while it runs'],
    ['stopping', 'the instance is stopping: SSM Agent runs only while it runs'],
    ['stopped', 'the instance is stopped: SSM Agent runs only while it runs'],
  ])('a %s instance is stopped, with no failing checks', (state, reason) => {
    expect(verdictOf([c('managed', 'warn', 'not registered')], state)).toEqual({ verdict: 'stopped', cause: null, reason, fix: null, alternative: null });
  });

  it('a stopped instance lists what fails now, most fundamental first', () => {
    expect(verdictOf([c('network', 'fail', 'x', 'f1'), c('imds', 'fail', 'y', 'f2'), c('agent-version', 'unknown')], 'stopped')).toEqual({
      verdict: 'stopped',
      cause: null,
      reason: 'the instance is stopped: SSM Agent runs only while it runs (failing now: imds, network)',
      fix: null,
      alternative: null,
    });
  });

  it.each(['running', 'shutting-down', 'terminated'])('a %s instance is judged on its checks, not as stopped', (state) => {
    expect(verdictOf([c('imds', 'fail', 'IMDS off', 'enable it')], state)).toEqual({
      verdict: 'not-ready',
      cause: 'imds',
      reason: 'IMDS off',
      fix: 'enable it',
      alternative: null,
    });
  });

  it("a not-ready verdict carries its main check's alternative fix, and only that check's", () => {
    const main = { ...c('identity-route', 'fail', 'no identity', 'ssm-perms dhmc enable --region r'), alternative: 'ssm-perms profile attach ...' };
    const other = { ...c('network', 'fail', 'no route', 'add endpoints'), alternative: 'add a NAT' };
    expect(verdictOf([other, main])).toMatchObject({
      cause: 'identity-route',
      fix: 'ssm-perms dhmc enable --region r',
      alternative: 'ssm-perms profile attach ...',
    });
  });

  it('the state defaults to running', () => {
    expect(verdictOf([c('imds', 'fail', 'IMDS off', 'enable it')]).verdict).toBe('not-ready');
  });

  describe('ready', () => {
    const ROUTE_PROFILE = 'uses instance profile P (role R)';
    const ROUTE_DHMC = 'no instance profile: uses DHMC with role D';
    const DOUBT = 'role R may not register the agent: statement S of p hangs on aws:SourceIp';
    it.each<[string, Check[], string]>([
      [
        'the route names the identity',
        [c('managed', 'warn', 'not registered'), c('identity-route', 'pass', ROUTE_PROFILE)],
        `not registered yet, but nothing blocks it: ${ROUTE_PROFILE}; expect it within minutes`,
      ],
      [
        'DHMC takes up to 30 minutes',
        [c('managed', 'warn', 'not registered'), c('identity-route', 'pass', ROUTE_DHMC)],
        `not registered yet, but nothing blocks it: ${ROUTE_DHMC}; expect it within minutes (up to 30 with DHMC)`,
      ],
      [
        'a DHMC route that is only a warning gets no 30-minute note',
        [c('identity-route', 'warn', ROUTE_DHMC)],
        `not registered yet, but nothing blocks it: ${ROUTE_DHMC}; expect it within minutes`,
      ],
      [
        'the DHMC note needs the identity-route check itself (another passing check saying DHMC does not count)',
        [c('dhmc-role', 'pass', 'uses DHMC role D'), c('identity-route', 'pass', ROUTE_PROFILE)],
        `not registered yet, but nothing blocks it: ${ROUTE_PROFILE}; expect it within minutes`,
      ],
      [
        'the route message comes from the identity-route check, not the first check',
        [c('imds', 'pass', 'IMDS on'), c('identity-route', 'pass', ROUTE_PROFILE)],
        `not registered yet, but nothing blocks it: ${ROUTE_PROFILE}; expect it within minutes`,
      ],
      [
        'no route check: an identity is available',
        [c('imds', 'pass', 'IMDS on')],
        'not registered yet, but nothing blocks it: an identity is available; expect it within minutes',
      ],
      ['no checks at all', [], 'not registered yet, but nothing blocks it: an identity is available; expect it within minutes'],
      [
        'a profile in doubt with a warned route: says which statement is in doubt',
        [c('instance-profile', 'warn', DOUBT), c('identity-route', 'warn', 'the profile may not register')],
        `not registered yet, and it may not be able to: ${DOUBT}`,
      ],
      [
        'a doubt is not raised when the route passes',
        [c('instance-profile', 'warn', DOUBT), c('identity-route', 'pass', ROUTE_PROFILE)],
        `not registered yet, but nothing blocks it: ${ROUTE_PROFILE}; expect it within minutes`,
      ],
      [
        'a doubt without any route check',
        [c('instance-profile', 'warn', DOUBT)],
        'not registered yet, but nothing blocks it: an identity is available; expect it within minutes',
      ],
      [
        'a passing instance-profile check is no doubt, even if its message says may not',
        [c('instance-profile', 'pass', DOUBT), c('identity-route', 'warn', ROUTE_PROFILE)],
        `not registered yet, but nothing blocks it: ${ROUTE_PROFILE}; expect it within minutes`,
      ],
      [
        'a warning of another check is no doubt about the profile',
        [c('network', 'warn', 'the endpoint may not resolve'), c('identity-route', 'warn', ROUTE_PROFILE)],
        `not registered yet, but nothing blocks it: ${ROUTE_PROFILE}; expect it within minutes`,
      ],
      [
        'a profile warning that does not say "may not" is no doubt',
        [c('instance-profile', 'warn', 'profile P is shared by 3 instances'), c('identity-route', 'warn', ROUTE_PROFILE)],
        `not registered yet, but nothing blocks it: ${ROUTE_PROFILE}; expect it within minutes`,
      ],
    ])('%s', (_name, checks, reason) => {
      expect(verdictOf(checks)).toEqual({ verdict: 'ready', cause: null, reason, fix: null, alternative: null });
    });
  });
});

// diagnoseFleet with the facts and the checks stubbed: what it does with them.
const ERR = (code: string) => ({ code, message: `${code} message`, hint: null });
const inst = (instanceId: string, region: string, state = 'running'): InstanceFacts => ({
  instanceId,
  region,
  name: `n-${instanceId}`,
  state,
  vpcId: null,
  subnetId: null,
  privateIp: null,
  hasPublicIp: false,
  securityGroupIds: [],
  httpEndpoint: 'enabled',
  httpTokens: 'required',
  profileArn: null,
  tags: {},
});
const reg = (region: string, instances: InstanceFacts[], over: Partial<RegionFacts> = {}): RegionFacts => ({
  region,
  instances,
  managed: new Map(),
  dhmc: { enabled: true, settingValue: 'service-role/D', roleName: 'D', error: null },
  vpcs: new Map(),
  quickSetup: [],
  error: null,
  gaps: new Map(),
  ...over,
});
const fleetOf = (regions: RegionFacts[], over: Partial<FleetFacts> = {}): FleetFacts => ({
  account: '111122223333',
  partition: 'aws',
  regions,
  profiles: new Map(),
  roles: new Map(),
  ...over,
});
const sel = (instanceIds: string[] = []) => ({
  partition: 'aws',
  account: '111122223333',
  regions: ['us-east-1'],
  iamRegion: 'us-east-1',
  instanceIds,
  tags: [],
});
const diag = (checks: Check[], route: InstanceDiagnosis['route'] = 'instance-profile') => ({ checks, route }) as InstanceDiagnosis;

describe('diagnoseFleet', () => {
  beforeEach(() => fake.diag.clear());

  it('reports each instance with its verdict and counts each verdict', async () => {
    const managed = diag([c('managed', 'pass', 'Online')]);
    fake.diag.set('i-1', managed);
    fake.diag.set('i-2', diag([c('managed', 'warn', 'not registered'), c('identity-route', 'pass', 'uses DHMC with role D')], 'dhmc'));
    fake.diag.set('i-3', diag([c('imds', 'fail', 'IMDS off', 'enable IMDS')], 'none'));
    fake.diag.set('i-4', diag([c('imds', 'fail', 'IMDS off', 'enable IMDS')], 'none'));
    fake.diag.set('i-5', diag([c('managed', 'warn', 'x')]));
    fake.diag.set('i-6', diag([c('network', 'unknown', 'network not read')], 'uncertain'));
    fake.diag.set('i-7', diag([c('network', 'unknown', 'network not read')]));
    fake.diag.set('i-8', diag([c('network', 'unknown', 'network not read')]));
    fake.fleet = fleetOf([
      reg('us-east-1', [inst('i-1', 'us-east-1'), inst('i-2', 'us-east-1'), inst('i-3', 'us-east-1'), inst('i-4', 'us-east-1')]),
      reg('eu-west-1', [inst('i-5', 'eu-west-1', 'stopped'), inst('i-6', 'eu-west-1'), inst('i-7', 'eu-west-1'), inst('i-8', 'eu-west-1')]),
    ]);
    const r = await diagnoseFleet(testEnv(), sel());
    expect(r.account).toBe('111122223333');
    expect(r.summary).toEqual({ total: 8, managed: 1, ready: 1, notReady: 2, stopped: 1, unknown: 3 });
    expect(r.instances[0]).toEqual({
      instanceId: 'i-1',
      region: 'us-east-1',
      name: 'n-i-1',
      state: 'running',
      verdict: 'managed',
      cause: null,
      reason: 'Online',
      fix: null,
      alternative: null,
      route: 'instance-profile',
      checks: managed.checks,
    });
    expect(r.instances.map((i) => [i.instanceId, i.region, i.verdict, i.route, i.fix])).toEqual([
      ['i-1', 'us-east-1', 'managed', 'instance-profile', null],
      ['i-2', 'us-east-1', 'ready', 'dhmc', null],
      ['i-3', 'us-east-1', 'not-ready', 'none', 'enable IMDS'],
      ['i-4', 'us-east-1', 'not-ready', 'none', 'enable IMDS'],
      ['i-5', 'eu-west-1', 'stopped', 'instance-profile', null],
      ['i-6', 'eu-west-1', 'unknown', 'uncertain', null],
      ['i-7', 'eu-west-1', 'unknown', 'instance-profile', null],
      ['i-8', 'eu-west-1', 'unknown', 'instance-profile', null],
    ]);
    expect(r.instances[4]!.reason).toBe('the instance is stopped: SSM Agent runs only while it runs');
    expect(r.readErrors).toEqual([]);
    expect(r.regions).toEqual([
      { region: 'us-east-1', ok: true, dhmcEnabled: true, error: null },
      { region: 'eu-west-1', ok: true, dhmcEnabled: true, error: null },
    ]);
    // The groups: same region, verdict and reason together, the worst first.
    expect(r.groups.map((g) => [g.region, g.verdict, g.count, g.instanceIds, g.fix])).toEqual([
      ['us-east-1', 'not-ready', 2, ['i-3', 'i-4'], 'enable IMDS'],
      ['eu-west-1', 'unknown', 3, ['i-6', 'i-7', 'i-8'], null],
      ['us-east-1', 'ready', 1, ['i-2'], null],
      ['eu-west-1', 'stopped', 1, ['i-5'], null],
      ['us-east-1', 'managed', 1, ['i-1'], null],
    ]);
  });

  it('names the --instance-id values found in no region', async () => {
    fake.diag.set('i-1', diag([c('managed', 'pass', 'Online')]));
    fake.diag.set('i-2', diag([c('managed', 'pass', 'Online')]));
    fake.fleet = fleetOf([reg('us-east-1', [inst('i-1', 'us-east-1')]), reg('eu-west-1', [inst('i-2', 'eu-west-1')])]);
    const r = await diagnoseFleet(testEnv(), sel(['i-1', 'i-9', 'i-2', 'i-8']));
    expect(r.notFound).toEqual(['i-9', 'i-8']);
  });

  it('names none as not found while a region could not be read (the id may be there)', async () => {
    fake.diag.set('i-1', diag([c('managed', 'pass', 'Online')]));
    const denied = ERR('UnauthorizedOperation');
    fake.fleet = fleetOf([reg('us-east-1', [inst('i-1', 'us-east-1')]), reg('eu-west-1', [], { error: denied })]);
    const r = await diagnoseFleet(testEnv(), sel(['i-1', 'i-9']));
    expect(r.notFound).toEqual([]);
    expect(r.regions).toEqual([
      { region: 'us-east-1', ok: true, dhmcEnabled: true, error: null },
      { region: 'eu-west-1', ok: false, dhmcEnabled: true, error: denied },
    ]);
  });

  it('lists each failed read with what it is and what its failure does to the answer', async () => {
    const e = (code: string) => ERR(code);
    fake.fleet = fleetOf(
      [
        reg('us-east-1', [], {
          dhmc: { enabled: false, settingValue: null, roleName: null, error: e('AccessDeniedException') },
          gaps: new Map([
            ['associations', e('A')],
            ['managed', e('M')],
            ['network', e('N')],
            ['quickSetup', e('Q')],
            ['somethingElse', e('S')],
          ]),
        }),
        reg('eu-west-1', [], { dhmc: { enabled: false, settingValue: '$None', roleName: null, error: null } }),
      ],
      {
        profiles: new Map([
          [
            'arn:aws:iam::111122223333:instance-profile/P',
            { name: 'P', arn: 'arn:aws:iam::111122223333:instance-profile/P', exists: true, roleName: 'R', error: e('P') },
          ],
          [
            'arn:aws:iam::111122223333:instance-profile/Q',
            { name: 'Q', arn: 'arn:aws:iam::111122223333:instance-profile/Q', exists: true, roleName: 'R', error: null },
          ],
        ]),
        roles: new Map([
          ['R', { name: 'R', arn: null, exists: true, trustPolicy: undefined, attachedPolicyArns: [], policies: [], boundary: null, tags: {}, error: e('R') }],
          ['S', { name: 'S', arn: null, exists: true, trustPolicy: undefined, attachedPolicyArns: [], policies: [], boundary: null, tags: {}, error: null }],
        ]),
      },
    );
    const r = await diagnoseFleet(testEnv(), sel());
    expect(r.readErrors).toEqual([
      {
        region: 'us-east-1',
        read: 'ssm:GetServiceSetting',
        effect: 'where instances would fall back to DHMC, the identity is unknown',
        error: e('AccessDeniedException'),
      },
      {
        region: 'us-east-1',
        read: 'ec2:DescribeIamInstanceProfileAssociations',
        effect: "each instance's profile is taken from DescribeInstances instead",
        error: e('A'),
      },
      { region: 'us-east-1', read: 'ssm:DescribeInstanceInformation', effect: 'whether instances are registered is unknown', error: e('M') },
      {
        region: 'us-east-1',
        read: 'the network (route tables, VPC endpoints, their interfaces, security groups)',
        effect: 'the network checks are unknown',
        error: e('N'),
      },
      { region: 'us-east-1', read: 'ssm:ListAssociations', effect: 'the Quick Setup check is skipped', error: e('Q') },
      { region: 'us-east-1', read: 'somethingElse', effect: 'the checks that need it are unknown', error: e('S') },
      { region: null, read: 'instance profile P', effect: 'the identity of its instances is unknown', error: e('P') },
      { region: null, read: 'role R', effect: 'the checks that judge it are unknown', error: e('R') },
    ]);
    // The DHMC setting that could not be read is neither on nor off.
    expect(r.regions).toEqual([
      { region: 'us-east-1', ok: true, dhmcEnabled: null, error: null },
      { region: 'eu-west-1', ok: true, dhmcEnabled: false, error: null },
    ]);
  });
});
