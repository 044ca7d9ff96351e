// The regions counter of commands that work in many regions (dhmc status/enable/disable, doctor), in-process on a
// fake terminal: it counts, it is erased before the result or an error, and it is absent for one
// region or off a terminal. (profile attach's counter is tested with the command, in profile-attach.test.ts.)
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { GetInstanceProfileCommand, GetRoleCommand, ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import { GetServiceSettingCommand, ResetServiceSettingCommand, UpdateServiceSettingCommand } from '@aws-sdk/client-ssm';
import { beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, ec2, iam, resetAws, roleAnswer, ssm } from '../helpers/aws-mocks.js';
import { awsError } from '../helpers/aws-errors.js';
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

const DHMC_ROLE = 'service-role/AWSSystemsManagerDefaultEC2InstanceManagementRole';
const setting = (r: string, value: string) =>
  ssm
    .on(GetServiceSettingCommand, { SettingId: arn(r) })
    .resolves({ ServiceSetting: { SettingValue: value, Status: value === '$None' ? 'Default' : 'Customized', ARN: arn(r) } });
/** The texts the progress line showed, in order: what follows an erase up to the next one, on the same line. */
const drawn = (stderr: string) =>
  stderr
    .split(ERASE_LINE)
    .slice(1)
    .filter((d) => d !== '' && !d.includes('\n') && !d.includes('[y/N]'));

beforeEach(() => {
  resetAws();
  for (const r of THREE) setting(r, '$None');
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

describe('dhmc disable and enable over several regions', () => {
  it('disable: counts the regions read, then the regions turned off (a reset that failed is not counted)', async () => {
    setting('us-east-1', DHMC_ROLE);
    setting('us-west-2', DHMC_ROLE);
    ssm
      .on(ResetServiceSettingCommand)
      .resolves({})
      .on(ResetServiceSettingCommand, { SettingId: arn('us-west-2') })
      .rejects(awsError('InternalServerError', 'boom', 500));
    const r = await cli(['dhmc', 'disable', '--region', THREE.join(','), '--yes', '--no-color', '--max-attempts', '1'], { tty: true, clock: movingClock() });
    expect(r.code).toBe(5);
    expect(drawn(r.stderr)).toEqual([
      'dhmc disable: read 1 of 3 regions',
      'dhmc disable: read 2 of 3 regions',
      'dhmc disable: read 3 of 3 regions',
      // Two regions to turn off; us-west-2's reset failed.
      'dhmc disable: changed 1 of 2 regions',
    ]);
    // Erased before the result and the note.
    expect(r.stderr).toMatch(new RegExp(`changed 1 of 2 regions${ERASE_LINE.replace('[', '\\[')}note: `));
  });

  it('enable: counts the regions read after the role is checked, then the regions changed', async () => {
    iam.on(GetRoleCommand).resolves(roleAnswer('AWSSystemsManagerDefaultEC2InstanceManagementRole', 'ssm.amazonaws.com', '/service-role/'));
    iam
      .on(ListAttachedRolePoliciesCommand)
      .resolves({ AttachedPolicies: [{ PolicyArn: 'arn:aws:iam::aws:policy/AmazonSSMManagedEC2InstanceDefaultPolicy' }], IsTruncated: false });
    setting('us-east-2', DHMC_ROLE);
    ssm.on(UpdateServiceSettingCommand).resolves({});
    const r = await cli(['dhmc', 'enable', '--region', THREE.join(','), '--no-color'], { tty: true, clock: movingClock() });
    expect(r.code, r.stderr).toBe(0);
    expect(drawn(r.stderr)).toEqual([
      'dhmc enable: read 1 of 3 regions',
      'dhmc enable: read 2 of 3 regions',
      'dhmc enable: read 3 of 3 regions',
      'dhmc enable: changed 1 of 2 regions',
      'dhmc enable: changed 2 of 2 regions',
    ]);
    expect(ssm).toHaveReceivedCommandTimes(UpdateServiceSettingCommand, 2);
  });

  it('one region: no counter for its read or its change', async () => {
    setting('us-east-1', DHMC_ROLE);
    ssm.on(ResetServiceSettingCommand).resolves({});
    const r = await cli(['dhmc', 'disable', '--region', 'us-east-1', '--yes', '--no-color'], { tty: true, clock: movingClock() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain(ERASE_LINE);
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
    expect(r.stderr).toMatch(new RegExp(`${ERASE_LINE.replace('[', '\\[')}doctor: read 3 of 3 regions, \\d+ pages${ERASE_LINE.replace('[', '\\[')}error: `));
    expect(r.stderr.split(ERASE_LINE).at(-1)).toMatch(/^error: [^\r]*\n/);
  });
});
