// doctor --watch in-process: an instance that registers with Systems Manager a few diagnoses after the
// first one, followed with a fake clock - the change said on stderr as it happens, the watch ending when
// it is managed (exit 0) or at the timeout (exit 6), and Ctrl-C ending it with the last diagnosis.
import { DescribeIamInstanceProfileAssociationsCommand, DescribeInstancesCommand, type Instance } from '@aws-sdk/client-ec2';
import { DescribeInstanceInformationCommand, GetServiceSettingCommand, ListAssociationsCommand } from '@aws-sdk/client-ssm';
import { beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, coreProfile, ec2, expectNoAwsCall, resetAws, ssm } from '../helpers/aws-mocks.js';
import { cli } from '../helpers/cli-io.js';
import { FakeClock } from '../helpers/service-env.js';
import { publicInstance, publicSubnetNetwork } from '../helpers/doctor-fix.js';

const ID = 'i-00000000000000001';
const PROFILE = 'AppProfile';
const PROFILE_ARN = `arn:aws:iam::${ACCOUNT}:instance-profile/${PROFILE}`;
const SETTING_ARN = `arn:aws:ssm:us-east-1:${ACCOUNT}:servicesetting/ssm/managed-instance/default-ec2-instance-management-role`;

const INSTANCE: Instance = publicInstance(ID, {
  MetadataOptions: { HttpEndpoint: 'enabled', HttpTokens: 'required' },
  IamInstanceProfile: { Arn: PROFILE_ARN, Id: 'AIPA' },
});

/** A clock whose every wait is one watch round; the instance registers once `registersAfter` rounds have passed. */
class RoundClock extends FakeClock {
  constructor(readonly registersAfter: number) {
    super();
  }
  get rounds(): number {
    return this.waits.length;
  }
}

function world(clock: RoundClock) {
  ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [INSTANCE] }] });
  ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({
    IamInstanceProfileAssociations: [
      { InstanceId: ID, AssociationId: 'iip-assoc-1', State: 'associated', IamInstanceProfile: { Arn: PROFILE_ARN, Id: 'AIPA' } },
    ],
  });
  publicSubnetNetwork();
  ssm.on(GetServiceSettingCommand).resolves({ ServiceSetting: { SettingId: SETTING_ARN, SettingValue: '$None', Status: 'Default', ARN: SETTING_ARN } });
  // Not registered until the clock has waited `registersAfter` rounds; then Online.
  ssm.on(DescribeInstanceInformationCommand).callsFake(() => ({
    InstanceInformationList:
      clock.rounds >= clock.registersAfter
        ? [{ InstanceId: ID, PingStatus: 'Online', AgentVersion: '3.3.1611.0', LastPingDateTime: new Date(clock.t), PlatformType: 'Linux' }]
        : [],
  }));
  ssm.on(ListAssociationsCommand).resolves({ Associations: [] });
  coreProfile(PROFILE, 'AppRole');
}

interface Watched {
  instances: { instanceId: string; verdict: string }[];
  watch: {
    rounds: number;
    elapsedSeconds: number;
    allManaged: boolean;
    timedOut: boolean;
    changes: { instanceId: string; from: string; to: string; at: string }[];
  };
}

beforeEach(() => resetAws());

describe('doctor --watch', () => {
  it('diagnoses again every --interval until the instance is managed, says the change, and exits 0', async () => {
    const clock = new RoundClock(3);
    world(clock);
    const r = await cli(['doctor', '--region', 'us-east-1', '--watch', '--interval', '20', '--json'], { clock });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as Watched;
    expect(clock.waits).toEqual([20_000, 20_000, 20_000]);
    expect(doc.instances[0]).toMatchObject({ instanceId: ID, verdict: 'managed' });
    expect(doc.watch).toEqual({
      rounds: 4,
      elapsedSeconds: 60,
      allManaged: true,
      timedOut: false,
      changes: [{ instanceId: ID, region: 'us-east-1', from: 'ready', to: 'managed', at: new Date(60_000).toISOString() }],
    });
    expect(r.stderr).toContain(`note: ${ID} (us-east-1): ready -> managed\n`);
    expect(r.stderr).toContain('watching 1 instance until managed: a diagnosis every 20 s for at most 1800 s');
  });

  it('stops at --timeout with exit 6, naming what is still not managed', async () => {
    const clock = new RoundClock(1000);
    world(clock);
    const r = await cli(['doctor', '--region', 'us-east-1', '--watch', '--interval', '30', '--timeout', '100'], { clock });
    expect(r.code, r.stderr).toBe(6);
    // Three full waits, then the last 10 s: the watch never waits past its timeout.
    expect(clock.waits).toEqual([30_000, 30_000, 30_000, 10_000]);
    expect(r.stdout).toContain(`watched 100 s (5 diagnoses): 0 instances became managed; 1 instance still not managed at the timeout (${ID} ready)`);
    expect(r.stderr).not.toContain('->');
  });

  it('has nothing to wait for when every instance is managed: one diagnosis, exit 0', async () => {
    const clock = new RoundClock(0);
    world(clock);
    const r = await cli(['doctor', '--region', 'us-east-1', '--watch', '--json'], { clock });
    expect(r.code, r.stderr).toBe(0);
    expect(clock.waits).toEqual([]);
    expect((JSON.parse(r.stdout) as Watched).watch).toMatchObject({ rounds: 1, allManaged: true, changes: [] });
    expect(r.stderr).not.toContain('watching');
  });

  it('Ctrl-C during a wait ends the watch with the last diagnosis, exit 130', async () => {
    const abort = new AbortController();
    // The first wait is interrupted: the clock aborts the run instead of letting time pass.
    const clock = new (class extends RoundClock {
      override async sleep(ms: number): Promise<void> {
        this.waits.push(ms);
        abort.abort();
        throw new Error('aborted');
      }
    })(1000);
    world(clock);
    const r = await cli(['doctor', '--region', 'us-east-1', '--watch', '--json'], { clock, signal: abort.signal });
    expect(r.code, r.stderr).toBe(130);
    const doc = JSON.parse(r.stdout) as Watched;
    expect(doc.watch).toMatchObject({ rounds: 1, allManaged: false, timedOut: false });
    expect(doc.instances[0]!.verdict).toBe('ready');
  });

  it('Ctrl-C during a round ends the watch with the last whole diagnosis, exit 130', async () => {
    const abort = new AbortController();
    const clock = new RoundClock(1000);
    world(clock);
    // The second round's first read is cut short by Ctrl-C.
    let reads = 0;
    ec2.on(DescribeInstancesCommand).callsFake(() => {
      reads += 1;
      if (reads === 2) {
        abort.abort(new Error('interrupted'));
        throw Object.assign(new Error('The operation was aborted'), { name: 'AbortError' });
      }
      return { Reservations: [{ Instances: [INSTANCE] }] };
    });
    const r = await cli(['doctor', '--region', 'us-east-1', '--watch', '--json'], { clock, signal: abort.signal });
    expect(r.code, r.stderr).toBe(130);
    const doc = JSON.parse(r.stdout) as Watched;
    expect(doc.watch).toMatchObject({ rounds: 1, allManaged: false });
    expect(doc.instances[0]!.verdict).toBe('ready');
  });

  it.each([
    [['--interval', '20'], '--interval works only with --watch'],
    [['--timeout', '60'], '--timeout works only with --watch'],
    [['--watch', '--interval', '4'], 'invalid --interval "4": must be a whole number from 5 to 3600'],
    [['--watch', '--timeout', '9'], 'invalid --timeout "9": must be a whole number from 10 to 86400'],
    [['--watch', '--interval', '1.5'], 'invalid --interval "1.5": must be a whole number from 5 to 3600'],
  ])('%j is a usage error before any call', async (args, message) => {
    const r = await cli(['doctor', '--region', 'us-east-1', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expectNoAwsCall();
  });
});
