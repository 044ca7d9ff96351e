// The regions counter of commands that read many regions (dhmc status, doctor), in-process on a
// fake terminal: it counts, it is erased before the result or an error, and it is absent for one
// region or off a terminal. (profile attach's counter is tested with the command, in profile-attach.test.ts.)
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { GetInstanceProfileCommand } from '@aws-sdk/client-iam';
import { GetServiceSettingCommand } from '@aws-sdk/client-ssm';
import { beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, ec2, iam, resetAws, ssm } from '../helpers/aws-mocks.js';
import { cli } from '../helpers/cli-io.js';
import { FakeClock } from '../helpers/service-env.js';
import { ERASE_LINE } from '../../src/output/progress.js';

const THREE = ['us-east-1', 'us-east-2', 'us-west-2'];
const arn = (r: string) => `arn:aws:ssm:${r}:${ACCOUNT}:servicesetting/ssm/managed-instance/default-ec2-instance-management-role`;

/** A clock that moves 200 ms at each reading: every count is past the redraw interval, so each is drawn. */
function movingClock(): FakeClock {
  const clock = new FakeClock();
  clock.now = () => (clock.t += 200);
  return clock;
}

beforeEach(() => {
  resetAws();
  for (const r of THREE) {
    ssm.on(GetServiceSettingCommand, { SettingId: arn(r) }).resolves({ ServiceSetting: { SettingValue: '$None', Status: 'Default', ARN: arn(r) } });
  }
});

describe('dhmc status over several regions', () => {
  it('counts the regions read, then erases the line before the table', async () => {
    const r = await cli(['dhmc', 'status', '--region', THREE.join(','), '--no-color'], { tty: true, clock: movingClock() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(
      `${ERASE_LINE}dhmc status: read 1 of 3 regions${ERASE_LINE}dhmc status: read 2 of 3 regions${ERASE_LINE}dhmc status: read 3 of 3 regions${ERASE_LINE}`,
    );
    for (const region of THREE) expect(r.stdout).toContain(region);
  });

  it('one region: no counter', async () => {
    const r = await cli(['dhmc', 'status', '--region', 'us-east-1', '--no-color'], { tty: true, clock: movingClock() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('stderr not a terminal, or --quiet: no counter', async () => {
    for (const [argv, tty] of [
      [[], false],
      [['--quiet'], true],
    ] as const) {
      const r = await cli(['dhmc', 'status', '--region', THREE.join(','), ...argv], { tty, clock: movingClock() });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
    }
  });

  it('asks every region once, as before, and keeps their order in the result', async () => {
    const r = await cli(['dhmc', 'status', '--region', THREE.join(','), '--json'], { tty: true, clock: movingClock() });
    expect(ssm).toHaveReceivedCommandTimes(GetServiceSettingCommand, 3);
    expect(JSON.parse(r.stdout).regions.map((x: { region: string }) => x.region)).toEqual(THREE);
  });
});

describe('doctor', () => {
  it('Ctrl-C during the reads: the counter is erased before the error, which starts its own line', async () => {
    const interrupt = new AbortController();
    const profile = `arn:aws:iam::${ACCOUNT}:instance-profile/Web`;
    ec2.on(DescribeInstancesCommand).resolves({
      Reservations: [{ Instances: [{ InstanceId: 'i-00000000000000001', State: { Name: 'running' }, IamInstanceProfile: { Arn: profile } }] }],
    });
    // The regions are read; Ctrl-C comes while the fleet's instance profile is read.
    iam.on(GetInstanceProfileCommand).callsFake(() => {
      interrupt.abort(new Error('interrupted'));
      throw Object.assign(new Error('aborted'), { name: 'AbortError' });
    });
    const r = await cli(['doctor', '--region', THREE.join(','), '--no-color'], { tty: true, clock: movingClock(), signal: interrupt.signal });
    expect(r.code).toBe(130);
    expect(r.stderr).toContain(`${ERASE_LINE}doctor: read 3 of 3 regions${ERASE_LINE}error: `);
    expect(r.stderr.split(ERASE_LINE).at(-1)).toMatch(/^error: [^\r]*\n/);
  });
});
