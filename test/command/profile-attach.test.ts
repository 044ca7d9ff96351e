// profile attach in-process: argv in, stdout / stderr / exit code out, EC2 / IAM / STS mocked.
import {
  AssociateIamInstanceProfileCommand,
  DescribeIamInstanceProfileAssociationsCommand,
  DescribeInstancesCommand,
  DisassociateIamInstanceProfileCommand,
  ReplaceIamInstanceProfileAssociationCommand,
  type IamInstanceProfileAssociation,
  type Instance,
  type InstanceStateName,
} from '@aws-sdk/client-ec2';
import { GetInstanceProfileCommand, GetPolicyVersionCommand, GetRoleCommand } from '@aws-sdk/client-iam';
import { PassThrough } from 'node:stream';
import { beforeEach, describe, expect, it } from 'vitest';
import { serviceTrustPolicy, type PolicyDocument } from '../../src/policies/trust.js';
import { awsError } from '../helpers/aws-errors.js';
import { ACCOUNT, CORE_ARN, coreProfile, ec2, iam, resetAws } from '../helpers/aws-mocks.js';
import { cli } from '../helpers/cli-io.js';
import { FakeClock } from '../helpers/service-env.js';
import { ERASE_LINE } from '../../src/output/progress.js';

const PROFILE = 'SSMInstanceProfile';
const PROFILE_ARN = `arn:aws:iam::${ACCOUNT}:instance-profile/${PROFILE}`;
const OLD_ARN = `arn:aws:iam::${ACCOUNT}:instance-profile/OldProfile`;
const ROLE = 'SSMInstanceProfileRole';
const A = 'i-0000000000000000a';
const B = 'i-0000000000000000b';
const C = 'i-0000000000000000c';
const D = 'i-0000000000000000d';
const instanceArn = (id: string) => `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/${id}`;

function instance(id: string, state: InstanceStateName = 'running', name = `web-${id.slice(-1)}`): Instance {
  return {
    InstanceId: id,
    State: { Name: state },
    PrivateIpAddress: '10.0.0.5',
    VpcId: 'vpc-1',
    Tags: [
      { Key: 'Name', Value: name },
      { Key: 'Env', Value: 'prod' },
    ],
  };
}

const association = (id: string, arn: string, state: IamInstanceProfileAssociation['State'] = 'associated'): IamInstanceProfileAssociation => ({
  InstanceId: id,
  AssociationId: `iip-assoc-${id.slice(-1)}`,
  State: state,
  IamInstanceProfile: { Arn: arn, Id: 'AIPA' },
});

/** The EC2 side: the instances DescribeInstances finds, and their current associations. */
function fleet(instances: Instance[], associations: IamInstanceProfileAssociation[] = []) {
  ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: instances }] });
  ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({ IamInstanceProfileAssociations: associations });
  ec2.on(AssociateIamInstanceProfileCommand).callsFake((input: { InstanceId: string; IamInstanceProfile: { Arn: string } }) => ({
    IamInstanceProfileAssociation: {
      ...association(input.InstanceId, input.IamInstanceProfile.Arn, 'associating'),
      AssociationId: `iip-new-${input.InstanceId}`,
    },
  }));
  ec2.on(ReplaceIamInstanceProfileAssociationCommand).callsFake((input: { AssociationId: string }) => ({
    IamInstanceProfileAssociation: { AssociationId: `${input.AssociationId}-r`, State: 'associating' },
  }));
  ec2.on(DisassociateIamInstanceProfileCommand).resolves({});
}

/** The profile, holding a role that trusts EC2 and carries the core policy: nothing to warn about. */
function goodProfile(trust: PolicyDocument = serviceTrustPolicy('ec2.amazonaws.com')) {
  coreProfile(PROFILE, ROLE, trust);
}

function noWrite() {
  expect(ec2).not.toHaveReceivedCommand(AssociateIamInstanceProfileCommand);
  expect(ec2).not.toHaveReceivedCommand(ReplaceIamInstanceProfileAssociationCommand);
  expect(ec2).not.toHaveReceivedCommand(DisassociateIamInstanceProfileCommand);
}
const byId = (doc: { instances: { instanceId: string }[] }, id: string) => doc.instances.find((i) => i.instanceId === id);
const ec2Order = () => ec2.calls().map((c) => `${(c.args[0] as { constructor: { name: string } }).constructor.name}:${JSON.stringify(c.args[0].input)}`);

beforeEach(() => {
  resetAws();
  goodProfile();
});

describe('profile attach: the normal path', () => {
  it('associates an instance without a profile, leaves one that has it alone, and reports both', async () => {
    fleet([instance(A), instance(B)], [association(B, PROFILE_ARN)]);
    const r = await cli(['profile', 'attach', '--name', PROFILE, '--tag', 'Env=prod', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ account: ACCOUNT, dryRun: false, instanceProfileArn: PROFILE_ARN, warnings: [] });
    expect(doc.regions).toEqual([{ region: 'us-east-1', ok: true, error: null }]);
    expect(doc.instances).toEqual([
      {
        instanceId: A,
        region: 'us-east-1',
        name: 'web-a',
        state: 'running',
        previousInstanceProfileArn: null,
        action: 'associate',
        status: 'applied',
        associationId: `iip-new-${A}`,
        associationState: 'associating',
        message: null,
        error: null,
      },
      {
        instanceId: B,
        region: 'us-east-1',
        name: 'web-b',
        state: 'running',
        previousInstanceProfileArn: PROFILE_ARN,
        action: 'none',
        status: 'unchanged',
        associationId: 'iip-assoc-b',
        associationState: 'associated',
        message: 'already has this instance profile',
        error: null,
      },
    ]);
    expect(doc.changes).toEqual([
      {
        region: 'us-east-1',
        action: 'attach',
        resource: instanceArn(A),
        operation: 'ec2:AssociateIamInstanceProfile',
        status: 'applied',
        details: { instanceProfileArn: PROFILE_ARN, previousInstanceProfileArn: null },
        error: null,
      },
    ]);
    expect(doc.summary).toEqual({ attached: 1, replaced: 0, unchanged: 1, skipped: 0, failed: 0, planned: 0 });

    // The reads: the profile and its role once, the instances by tag, their associations by id, in batches.
    expect(iam).toHaveReceivedCommandWith(GetInstanceProfileCommand, { InstanceProfileName: PROFILE });
    expect(iam).toHaveReceivedCommandWith(GetRoleCommand, { RoleName: ROLE });
    expect(iam).toHaveReceivedCommandWith(GetPolicyVersionCommand, { PolicyArn: CORE_ARN, VersionId: 'v3' });
    expect(ec2).toHaveReceivedCommandTimes(DescribeInstancesCommand, 1);
    expect(ec2).toHaveReceivedCommandWith(DescribeInstancesCommand, { Filters: [{ Name: 'tag:Env', Values: ['prod'] }], MaxResults: 1000 });
    expect(ec2).toHaveReceivedCommandTimes(DescribeIamInstanceProfileAssociationsCommand, 1);
    expect(ec2).toHaveReceivedCommandWith(DescribeIamInstanceProfileAssociationsCommand, { Filters: [{ Name: 'instance-id', Values: [A, B] }] });
    // The one write: A gains the profile; B is not touched.
    expect(ec2).toHaveReceivedCommandTimes(AssociateIamInstanceProfileCommand, 1);
    expect(ec2).toHaveReceivedCommandWith(AssociateIamInstanceProfileCommand, { InstanceId: A, IamInstanceProfile: { Arn: PROFILE_ARN } });
    expect(ec2).not.toHaveReceivedCommand(ReplaceIamInstanceProfileAssociationCommand);
    expect(ec2).not.toHaveReceivedCommand(DisassociateIamInstanceProfileCommand);
    expect(r.stderr).toContain('note: SSM Agent picks the new credentials up within minutes');
    expect(r.stderr).not.toContain('warning:');
  });

  it('prints a table and a summary line as text', async () => {
    fleet([instance(A), instance(B)], [association(B, PROFILE_ARN)]);
    const r = await cli(['profile', 'attach', '--name', PROFILE, '--tag', 'Env=prod']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`${A}\\s+us-east-1\\s+web-a\\s+running\\s+attached`));
    // The instance that already had the profile is one line under the table, not a row of it.
    expect(r.stdout).not.toMatch(new RegExp(`${B}\\s+us-east-1`));
    expect(r.stdout).toContain(`1 instance already has ${PROFILE} (${B})\n`);
    expect(r.stdout).toContain('1 attached, 0 replaced, 1 unchanged, 0 skipped, 0 failed\n');
  });

  it('chooses by --instance-id: skips a terminated instance and fails an id that is not found (exit 5)', async () => {
    fleet([instance(A), instance(C, 'terminated')]);
    const r = await cli(['profile', 'attach', '--name', PROFILE, '--instance-id', `${A},${C}`, '--instance-id', D, '--json']);
    expect(r.code).toBe(5);
    expect(ec2).toHaveReceivedCommandWith(DescribeInstancesCommand, { Filters: [{ Name: 'instance-id', Values: [A, C, D] }] });
    // Terminated instances are not asked about.
    expect(ec2).toHaveReceivedCommandWith(DescribeIamInstanceProfileAssociationsCommand, { Filters: [{ Name: 'instance-id', Values: [A] }] });
    const doc = JSON.parse(r.stdout);
    expect(byId(doc, A)).toMatchObject({ status: 'applied', action: 'associate' });
    expect(byId(doc, C)).toMatchObject({ status: 'skipped', action: 'skip', message: 'skipped: the instance is terminated' });
    expect(byId(doc, D)).toMatchObject({ status: 'failed', region: null, error: { code: 'InstanceNotFound', message: 'not found in us-east-1' } });
    expect(doc.summary).toMatchObject({ attached: 1, skipped: 1, failed: 1 });
    expect(ec2).toHaveReceivedCommandTimes(AssociateIamInstanceProfileCommand, 1);
    expect(ec2).toHaveReceivedCommandWith(AssociateIamInstanceProfileCommand, { InstanceId: A });
  });

  it('without --replace, an instance with another profile fails (exit 5) and the others still proceed', async () => {
    fleet([instance(A), instance(B)], [association(B, OLD_ARN)]);
    const r = await cli(['profile', 'attach', '--name', PROFILE, '--tag', 'Env=prod', '--json']);
    expect(r.code).toBe(5);
    const doc = JSON.parse(r.stdout);
    expect(byId(doc, A)).toMatchObject({ status: 'applied' });
    expect(byId(doc, B)).toMatchObject({
      action: 'replace',
      status: 'failed',
      previousInstanceProfileArn: OLD_ARN,
      error: { code: 'HasAnotherProfile', message: `has profile ${OLD_ARN}; use --replace` },
    });
    expect(ec2).toHaveReceivedCommandTimes(AssociateIamInstanceProfileCommand, 1);
    expect(ec2).toHaveReceivedCommandWith(AssociateIamInstanceProfileCommand, { InstanceId: A });
    expect(ec2).not.toHaveReceivedCommand(ReplaceIamInstanceProfileAssociationCommand);
  });

  it('waits out a profile EC2 does not accept yet (IAM propagation), saying so on stderr', async () => {
    fleet([instance(A)]);
    ec2
      .on(AssociateIamInstanceProfileCommand)
      .rejectsOnce(
        awsError('InvalidParameterValue', 'Value (SSMInstanceProfile) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name'),
      )
      .resolves({ IamInstanceProfileAssociation: { AssociationId: 'iip-late', State: 'associating' } });
    const r = await cli(['profile', 'attach', '--name', PROFILE, '--instance-id', A, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/waiting: i-0000000000000000a: EC2 does not accept instance profile SSMInstanceProfile yet \(IAM is still propagating\)/);
    expect(ec2).toHaveReceivedCommandTimes(AssociateIamInstanceProfileCommand, 2);
    expect(JSON.parse(r.stdout).instances[0]).toMatchObject({ status: 'applied', associationId: 'iip-late' });
  });

  it('--wait polls the associations until they are associated', async () => {
    fleet([instance(A)]);
    ec2
      .on(DescribeIamInstanceProfileAssociationsCommand)
      .resolvesOnce({ IamInstanceProfileAssociations: [] })
      .resolvesOnce({ IamInstanceProfileAssociations: [{ ...association(A, PROFILE_ARN, 'associating'), AssociationId: `iip-new-${A}` }] })
      .resolves({ IamInstanceProfileAssociations: [{ ...association(A, PROFILE_ARN, 'associated'), AssociationId: `iip-new-${A}` }] });
    const r = await cli(['profile', 'attach', '--name', PROFILE, '--instance-id', A, '--wait', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).instances[0]).toMatchObject({ status: 'applied', associationState: 'associated', error: null });
    expect(ec2).toHaveReceivedCommandTimes(DescribeIamInstanceProfileAssociationsCommand, 3);
    expect(ec2).toHaveReceivedNthCommandWith(DescribeIamInstanceProfileAssociationsCommand, 3, { Filters: [{ Name: 'instance-id', Values: [A] }] });
  });

  it('--wait that runs out keeps the association applied and exits 5 with WaitTimeout', async () => {
    fleet([instance(A)]);
    ec2
      .on(DescribeIamInstanceProfileAssociationsCommand)
      .resolvesOnce({ IamInstanceProfileAssociations: [] })
      .resolves({ IamInstanceProfileAssociations: [{ ...association(A, PROFILE_ARN, 'associating'), AssociationId: `iip-new-${A}` }] });
    const r = await cli(['profile', 'attach', '--name', PROFILE, '--instance-id', A, '--wait', '--wait-timeout', '30', '--json']);
    expect(r.code).toBe(5);
    const doc = JSON.parse(r.stdout);
    expect(doc.instances[0]).toMatchObject({ status: 'applied', associationState: 'associating', error: { code: 'WaitTimeout' } });
    expect(doc.summary).toMatchObject({ attached: 1, failed: 0 });
  });

  it("warns when the profile's role does not trust ec2.amazonaws.com, and still attaches", async () => {
    goodProfile(serviceTrustPolicy('ssm.amazonaws.com'));
    fleet([instance(A)]);
    const r = await cli(['profile', 'attach', '--name', PROFILE, '--instance-id', A]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`warning: role ${ROLE} of instance profile ${PROFILE} does not trust ec2.amazonaws.com`);
    expect(r.stderr).toContain(`aws iam update-assume-role-policy --role-name ${ROLE}`);
    // The fix keeps the role's trust of ssm.amazonaws.com and adds ec2.amazonaws.com.
    const doc = JSON.parse(/--policy-document '([^']+)'/.exec(r.stderr)![1]!) as { Statement: { Principal: { Service: string } }[] };
    expect(doc.Statement.map((s) => s.Principal.Service)).toEqual(['ssm.amazonaws.com', 'ec2.amazonaws.com']);
    expect(ec2).toHaveReceivedCommandTimes(AssociateIamInstanceProfileCommand, 1);
  });
});

describe('profile attach --replace: consent', () => {
  const world = () => fleet([instance(A), instance(B), instance(C, 'stopped')], [association(B, OLD_ARN), association(C, OLD_ARN)]);

  it('without --yes and without a terminal: exit 2 with a hint, and nothing is written', async () => {
    world();
    const r = await cli(['profile', 'attach', '--name', PROFILE, '--tag', 'Env=prod', '--replace']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('error: not replacing the instance profile of 2 instances without consent; nothing was changed');
    expect(r.stderr).toContain('hint: Pass --yes with --replace to replace them.');
    expect(r.stderr).not.toContain('[y/N]');
    // Not even the instance that only gains a profile: consent comes before any change.
    noWrite();
  });

  it('with --yes: replaces a running instance in place, and a stopped one by disassociate then associate, after the plain attach', async () => {
    world();
    const r = await cli(['profile', 'attach', '--name', PROFILE, '--tag', 'Env=prod', '--replace', '--yes', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(ec2).toHaveReceivedCommandWith(ReplaceIamInstanceProfileAssociationCommand, {
      AssociationId: 'iip-assoc-b',
      IamInstanceProfile: { Arn: PROFILE_ARN },
    });
    expect(ec2).toHaveReceivedCommandTimes(ReplaceIamInstanceProfileAssociationCommand, 1);
    expect(ec2).toHaveReceivedCommandWith(DisassociateIamInstanceProfileCommand, { AssociationId: 'iip-assoc-c' });
    expect(ec2).toHaveReceivedCommandTimes(DisassociateIamInstanceProfileCommand, 1);
    expect(ec2).toHaveReceivedCommandWith(AssociateIamInstanceProfileCommand, { InstanceId: C, IamInstanceProfile: { Arn: PROFILE_ARN } });
    expect(ec2).toHaveReceivedCommandTimes(AssociateIamInstanceProfileCommand, 2);
    // EC2 accepts the new profile (instance A) before the stopped instance loses its own.
    const order = ec2Order();
    const firstAssociate = order.findIndex((c) => c.startsWith('AssociateIamInstanceProfileCommand:') && c.includes(A));
    const disassociate = order.findIndex((c) => c.startsWith('DisassociateIamInstanceProfileCommand:'));
    const associateC = order.findIndex((c) => c.startsWith('AssociateIamInstanceProfileCommand:') && c.includes(C));
    expect(firstAssociate).toBeGreaterThanOrEqual(0);
    expect(firstAssociate).toBeLessThan(disassociate);
    expect(disassociate).toBeLessThan(associateC);

    const doc = JSON.parse(r.stdout);
    expect(doc.summary).toEqual({ attached: 1, replaced: 2, unchanged: 0, skipped: 0, failed: 0, planned: 0 });
    expect(byId(doc, B)).toMatchObject({ action: 'replace', status: 'applied', previousInstanceProfileArn: OLD_ARN, associationId: 'iip-assoc-b-r' });
    expect(byId(doc, C)).toMatchObject({ action: 'replace', status: 'applied', state: 'stopped', associationId: `iip-new-${C}` });
    expect(doc.changes.filter((c: { resource: string }) => c.resource === instanceArn(C))).toEqual([
      expect.objectContaining({
        action: 'detach',
        operation: 'ec2:DisassociateIamInstanceProfile',
        status: 'applied',
        details: { instanceProfileArn: OLD_ARN, associationId: 'iip-assoc-c' },
      }),
      expect.objectContaining({ action: 'attach', operation: 'ec2:AssociateIamInstanceProfile', status: 'applied' }),
    ]);
    expect(doc.changes.find((c: { resource: string }) => c.resource === instanceArn(B))).toMatchObject({
      action: 'update',
      operation: 'ec2:ReplaceIamInstanceProfileAssociation',
      status: 'applied',
      details: { instanceProfileArn: PROFILE_ARN, previousInstanceProfileArn: OLD_ARN },
    });
  });

  it('asks on a terminal, naming the instances and their profiles: y replaces, anything else refuses', async () => {
    fleet([instance(A), instance(B)], [association(B, OLD_ARN)]);
    const argv = ['profile', 'attach', '--name', PROFILE, '--instance-id', `${A},${B}`, '--replace', '--no-color'];
    for (const answer of ['n\n', '\n', 'no\n']) {
      const no = await cli(argv, { tty: true, input: answer, stderrColumns: 200 });
      expect(no.stderr).toContain(
        `About to replace the instance profile of 1 instance with ${PROFILE}:\n  in us-east-1: 1\n  from OldProfile: 1\n    ${B}\nReplace it? [y/N]`,
      );
      expect(no.code, JSON.stringify(answer)).toBe(2);
      expect(no.stdout).toBe('');
      expect(no.stderr).toContain('error: not replacing the instance profile of 1 instance without consent; nothing was changed');
      expect(no.stderr).toContain('hint: Answer y to replace them.');
      // Refused: not even A, which only gains a profile, is touched.
      noWrite();
    }

    const yes = await cli(argv, { tty: true, input: 'y\n' });
    expect(yes.code, yes.stderr).toBe(0);
    expect(yes.stderr).toContain('[y/N]');
    expect(ec2).toHaveReceivedCommandTimes(ReplaceIamInstanceProfileAssociationCommand, 1);
    expect(ec2).toHaveReceivedCommandWith(ReplaceIamInstanceProfileAssociationCommand, {
      AssociationId: 'iip-assoc-b',
      IamInstanceProfile: { Arn: PROFILE_ARN },
    });
    expect(ec2).toHaveReceivedCommandTimes(AssociateIamInstanceProfileCommand, 1);
    expect(ec2).toHaveReceivedCommandWith(AssociateIamInstanceProfileCommand, { InstanceId: A, IamInstanceProfile: { Arn: PROFILE_ARN } });
    expect(yes.stdout).toContain('1 attached, 1 replaced, 0 unchanged, 0 skipped, 0 failed');
  });

  it('--no-input on a terminal never asks: exit 2 with the --yes hint and nothing written, even with y typed', async () => {
    fleet([instance(A), instance(B)], [association(B, OLD_ARN)]);
    const r = await cli(['profile', 'attach', '--name', PROFILE, '--instance-id', `${A},${B}`, '--replace', '--no-input', '--no-color'], {
      tty: true,
      input: 'y\n',
      stderrColumns: 200,
    });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toContain('[y/N]');
    expect(r.stderr).not.toContain('Replace the instance profile of');
    expect(r.stderr).toContain('error: not replacing the instance profile of 1 instance without consent; nothing was changed');
    expect(r.stderr).toContain('hint: Pass --yes with --replace to replace them.');
    noWrite();
  });
});

describe('profile attach -o json (the same as --json)', () => {
  it('prints the one JSON document of --json on stdout, and nothing else there', async () => {
    fleet([instance(A), instance(B)], [association(B, PROFILE_ARN)]);
    const json = await cli(['profile', 'attach', '--name', PROFILE, '--tag', 'Env=prod', '--json']);
    for (const argv of [['-o', 'json'], ['-ojson'], ['--output=json']]) {
      const r = await cli(['profile', 'attach', '--name', PROFILE, '--tag', 'Env=prod', ...argv]);
      expect(r.code, `${argv.join(' ')}: ${r.stderr}`).toBe(0);
      expect(r.stdout).toBe(json.stdout);
      expect(JSON.parse(r.stdout)).toMatchObject({
        dryRun: false,
        instanceProfileArn: PROFILE_ARN,
        summary: { attached: 1, unchanged: 1 },
      });
    }
    expect(ec2).toHaveReceivedCommandTimes(AssociateIamInstanceProfileCommand, 4);
  });

  it('an error is one JSON line on stderr, as with --json', async () => {
    fleet([instance(B)], [association(B, OLD_ARN)]);
    const r = await cli(['profile', 'attach', '--name', PROFILE, '--instance-id', B, '--replace', '-o', 'json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(JSON.parse(r.stderr.trim()).error).toMatchObject({ code: 'ConsentRequired', hint: 'Pass --yes with --replace to replace them.' });
    noWrite();
  });
});

describe('profile attach --dry-run', () => {
  it('plans every change, asks for no consent and sends no write', async () => {
    fleet([instance(A), instance(B), instance(C, 'stopped')], [association(B, OLD_ARN), association(C, OLD_ARN)]);
    const r = await cli(['profile', 'attach', '--name', PROFILE, '--tag', 'Env=prod', '--replace', '--dry-run', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.dryRun).toBe(true);
    expect(doc.instances.map((i: { instanceId: string; status: string; action: string }) => [i.instanceId, i.action, i.status])).toEqual([
      [A, 'associate', 'planned'],
      [B, 'replace', 'planned'],
      [C, 'replace', 'planned'],
    ]);
    expect(doc.changes.map((c: { operation: string; status: string; resource: string }) => [c.resource, c.operation, c.status])).toEqual([
      [instanceArn(A), 'ec2:AssociateIamInstanceProfile', 'planned'],
      [instanceArn(B), 'ec2:ReplaceIamInstanceProfileAssociation', 'planned'],
      [instanceArn(C), 'ec2:DisassociateIamInstanceProfile', 'planned'],
      [instanceArn(C), 'ec2:AssociateIamInstanceProfile', 'planned'],
    ]);
    expect(doc.summary).toEqual({ attached: 0, replaced: 0, unchanged: 0, skipped: 0, failed: 0, planned: 3 });
    expect(r.stderr).not.toContain('without consent');
    // It says the real run will ask for the two replacements.
    expect(r.stderr).toContain('note: replacing the profile of 2 instances will need --yes (or a y at the prompt)');
    expect(ec2).toHaveReceivedCommand(DescribeInstancesCommand);
    expect(ec2).not.toHaveReceivedCommand(AssociateIamInstanceProfileCommand);
    expect(ec2).not.toHaveReceivedCommand(ReplaceIamInstanceProfileAssociationCommand);
    expect(ec2).not.toHaveReceivedCommand(DisassociateIamInstanceProfileCommand);
  });

  it('says it is a plan in text, and exits 5 as the run would when an instance has another profile and no --replace', async () => {
    fleet([instance(A), instance(B)], [association(B, OLD_ARN)]);
    const r = await cli(['profile', 'attach', '--name', PROFILE, '--tag', 'Env=prod', '--dry-run']);
    expect(r.code).toBe(5);
    expect(r.stdout).toContain(`Plan for ${PROFILE_ARN} (dry run, nothing changed):`);
    expect(r.stdout).toContain('1 to change, 0 unchanged, 0 skipped, 1 failed');
    expect(r.stdout).toContain(`HasAnotherProfile: has profile ${OLD_ARN}; use --replace`);
    noWrite();
  });
});

describe('profile attach: AWS failures', () => {
  it('access denied reading the instance profile: exit 4 naming iam:GetInstanceProfile, and no EC2 call', async () => {
    iam
      .on(GetInstanceProfileCommand)
      .rejects(
        awsError(
          'AccessDenied',
          `User: arn:aws:iam::${ACCOUNT}:user/admin is not authorized to perform: iam:GetInstanceProfile on resource: instance profile ${PROFILE}`,
          403,
        ),
      );
    const r = await cli(['profile', 'attach', '--name', PROFILE, '--instance-id', A]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('error: access denied to iam:GetInstanceProfile');
    expect(r.stderr).toContain('hint: Allow iam:GetInstanceProfile');
    expect(r.stdout).toBe('');
    expect(ec2.calls()).toHaveLength(0);
  });

  it('an EC2 denial that names no action is reported against the call that failed: exit 4, the region not ok, nothing written', async () => {
    ec2.on(DescribeInstancesCommand).rejects(awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403));
    const r = await cli(['profile', 'attach', '--name', PROFILE, '--tag', 'Env=prod', '--json']);
    expect(r.code).toBe(4);
    const doc = JSON.parse(r.stdout);
    expect(doc.regions).toEqual([
      {
        region: 'us-east-1',
        ok: false,
        error: expect.objectContaining({ code: 'UnauthorizedOperation', message: expect.stringContaining('ec2:DescribeInstances') }),
      },
    ]);
    expect(doc.instances).toEqual([]);
    noWrite();
  });

  it('a write that fails for one instance: exit 5, that instance failed with the AWS error, the other attached', async () => {
    fleet([instance(A), instance(B)]);
    ec2
      .on(AssociateIamInstanceProfileCommand, { InstanceId: B })
      .rejects(awsError('IncorrectState', `The instance '${B}' is not in a valid state for this operation.`));
    const r = await cli(['profile', 'attach', '--name', PROFILE, '--tag', 'Env=prod', '--json']);
    expect(r.code).toBe(5);
    const doc = JSON.parse(r.stdout);
    expect(byId(doc, A)).toMatchObject({ status: 'applied', error: null });
    expect(byId(doc, B)).toMatchObject({
      status: 'failed',
      error: { code: 'IncorrectState', message: expect.stringContaining('ec2:AssociateIamInstanceProfile in us-east-1 failed') },
    });
    expect(doc.changes.find((c: { resource: string }) => c.resource === instanceArn(B))).toMatchObject({ status: 'failed', error: { code: 'IncorrectState' } });
    expect(doc.summary).toMatchObject({ attached: 1, failed: 1 });
    expect(ec2).toHaveReceivedCommandTimes(AssociateIamInstanceProfileCommand, 2);

    // As text, the failed instance is on its own row.
    const text = await cli(['profile', 'attach', '--name', PROFILE, '--tag', 'Env=prod']);
    expect(text.code).toBe(5);
    expect(text.stdout).toMatch(new RegExp(`${B}\\s+us-east-1\\s+web-b\\s+running\\s+FAILED\\s+IncorrectState:`));
  });

  it('iam:PassRole denied on the association: exit 4, naming the action AWS names rather than the EC2 call', async () => {
    fleet([instance(A)]);
    ec2
      .on(AssociateIamInstanceProfileCommand)
      .rejects(
        awsError(
          'UnauthorizedOperation',
          `You are not authorized to perform this operation. User: arn:aws:iam::${ACCOUNT}:user/admin is not authorized to perform: iam:PassRole on resource: arn:aws:iam::${ACCOUNT}:role/${ROLE}`,
          403,
        ),
      );
    const r = await cli(['profile', 'attach', '--name', PROFILE, '--instance-id', A, '--json']);
    expect(r.code).toBe(4);
    const error = JSON.parse(r.stdout).instances[0].error;
    expect(error).toMatchObject({ code: 'UnauthorizedOperation', message: expect.stringContaining('access denied to iam:PassRole in us-east-1') });
    expect(error.hint).toContain('Allow iam:PassRole');
  });

  it('a stopped instance whose new association fails gets its previous profile back (exit 5)', async () => {
    fleet([instance(C, 'stopped')], [association(C, OLD_ARN)]);
    ec2
      .on(AssociateIamInstanceProfileCommand, { InstanceId: C, IamInstanceProfile: { Arn: PROFILE_ARN } })
      .rejects(awsError('InternalError', 'An internal error has occurred', 500));
    const r = await cli(['profile', 'attach', '--name', PROFILE, '--instance-id', C, '--replace', '--yes', '--json']);
    expect(r.code).toBe(5);
    expect(ec2).toHaveReceivedCommandWith(AssociateIamInstanceProfileCommand, { InstanceId: C, IamInstanceProfile: { Arn: OLD_ARN } });
    const doc = JSON.parse(r.stdout);
    expect(doc.instances[0]).toMatchObject({
      status: 'failed',
      error: { code: 'InternalError', message: expect.stringContaining(`the previous profile ${OLD_ARN} was put back`) },
    });
    expect(doc.changes.map((c: { operation: string; status: string }) => [c.operation, c.status])).toEqual([
      ['ec2:DisassociateIamInstanceProfile', 'applied'],
      ['ec2:AssociateIamInstanceProfile', 'failed'],
      ['ec2:AssociateIamInstanceProfile', 'applied'],
    ]);
  });
});

describe('profile attach --replace: what the question names, and the note after a change', () => {
  it('sums the instances up: how many, the region, each current profile with a count and three examples, never every ARN', async () => {
    const ids = Array.from({ length: 12 }, (_, k) => `i-00000000000000${101 + k}`);
    const other = `arn:aws:iam::${ACCOUNT}:instance-profile/teams/Other`;
    fleet(
      ids.map((id) => instance(id)),
      ids.map((id, k) => association(id, k < 10 ? OLD_ARN : other)),
    );
    const r = await cli(['profile', 'attach', '--name', PROFILE, '--tag', 'Env=prod', '--replace', '--no-color'], { tty: true, input: 'n\n' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      [
        `About to replace the instance profile of 12 instances with ${PROFILE}:`,
        '  in us-east-1: 12',
        '  from OldProfile: 10',
        `    e.g. ${ids.slice(0, 3).join(', ')}`,
        '  from teams/Other: 2',
        `    ${ids.slice(10).join(', ')}`,
        'Replace them? [y/N] ',
      ].join('\n'),
    );
    // A few examples, not a wall: the fourth instance of OldProfile and the ARNs are not in the question.
    expect(r.stderr).not.toContain(ids[3]);
    expect(r.stderr).not.toContain(OLD_ARN);
    noWrite();
  });

  it('an instance only replaced (none newly attached) gets the note on the new credentials', async () => {
    fleet([instance(B)], [association(B, OLD_ARN)]);
    const r = await cli(['profile', 'attach', '--name', PROFILE, '--instance-id', B, '--replace', '--yes', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).summary).toMatchObject({ attached: 0, replaced: 1 });
    expect(r.stderr.split('\n').filter((l) => l.startsWith('note:'))).toEqual([
      'note: SSM Agent picks the new credentials up within minutes; restarting the agent (or the instance) makes it sooner.',
    ]);
  });

  it('nothing changed (every instance already has the profile): no note', async () => {
    fleet([instance(A)], [association(A, PROFILE_ARN)]);
    const r = await cli(['profile', 'attach', '--name', PROFILE, '--instance-id', A, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).summary).toMatchObject({ attached: 0, replaced: 0, unchanged: 1 });
    expect(r.stderr).not.toContain('note:');
    noWrite();
  });
});

describe('profile attach: the options it needs (exit 2, before any AWS call)', () => {
  it('no --name: MissingOption, pointing at profile create', async () => {
    const r = await cli(['profile', 'attach', '--instance-id', A]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: profile attach needs --name PROFILE\nhint: Create one first with: ssm-perms profile create\n');
    const json = await cli(['profile', 'attach', '--instance-id', A, '--json']);
    expect(JSON.parse(json.stderr).error).toEqual({
      code: 'MissingOption',
      message: 'profile attach needs --name PROFILE',
      hint: 'Create one first with: ssm-perms profile create',
    });
  });

  it('no --instance-id and no --tag: MissingOption, never every instance', async () => {
    const r = await cli(['profile', 'attach', '--name', PROFILE]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: profile attach needs --instance-id ID and/or --tag KEY=VALUE to choose instances\nhint: It never targets every instance implicitly.\n',
    );
    const json = await cli(['profile', 'attach', '--name', PROFILE, '--json']);
    expect(JSON.parse(json.stderr).error.code).toBe('MissingOption');
    expect([...ec2.calls(), ...iam.calls()]).toHaveLength(0);
  });
});

describe('profile attach: progress on a terminal, reruns and Ctrl-C', () => {
  /** `n` instances without a profile; each association moves the clock 150 ms (a slow link). */
  const slowFleet = (n: number, clock: FakeClock) => {
    const ids = Array.from({ length: n }, (_, k) => `i-${(0x100 + k).toString(16).padStart(17, '0')}`);
    fleet(ids.map((id) => instance(id)));
    ec2.on(AssociateIamInstanceProfileCommand).callsFake((input: { InstanceId: string }) => {
      clock.t += 150;
      return { IamInstanceProfileAssociation: { ...association(input.InstanceId, PROFILE_ARN, 'associating'), AssociationId: `iip-${input.InstanceId}` } };
    });
    return ids;
  };
  /** The texts the progress line showed, in order: what follows an erase up to the next one, on the same line. */
  const drawn = (stderr: string) =>
    stderr
      .split(ERASE_LINE)
      .slice(1)
      .filter((d) => d !== '' && !d.includes('\n'));
  const argv = ['profile', 'attach', '--name', PROFILE, '--tag', 'Env=prod', '--no-color'];

  it('counts "attached N/M" up as instances finish, erases the line before the result, and keeps it within the width', async () => {
    const clock = new FakeClock();
    slowFleet(20, clock);
    // One at a time, so each instance moves the clock past the redraw interval before it is counted.
    const r = await cli([...argv, '--concurrency', '1'], { tty: true, clock, stderrColumns: 30, columns: 120 });
    expect(r.code, r.stderr).toBe(0);
    const lines = drawn(r.stderr);
    // Cut to 29 columns (one short of the terminal): "profile attach: attached 7/20" is 29.
    expect(lines).toContain('profile attach: attached 0/20');
    expect(lines).toContain('profile attach: attached 20/…');
    expect(new Set(lines).size).toBeGreaterThan(5);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(29);
    // The last thing the counter left on stderr is the erase: the note after it starts a clean line.
    expect(r.stderr).toMatch(new RegExp(`${ERASE_LINE.replace('[', '\\[')}note: SSM Agent`));
    expect(r.stdout).not.toContain('\u001b');
    expect(r.stdout).toContain('20 attached, 0 replaced, 0 unchanged, 0 skipped, 0 failed\n');
  });

  it('shows the failures beside the count', async () => {
    const clock = new FakeClock();
    const ids = slowFleet(3, clock);
    ec2.on(AssociateIamInstanceProfileCommand, { InstanceId: ids[1] }).rejects(awsError('UnauthorizedOperation', 'no'));
    const r = await cli([...argv, '--concurrency', '1'], { tty: true, clock, stderrColumns: 200 });
    expect(r.code).toBe(4);
    expect(drawn(r.stderr)).toContain('profile attach: attached 2/3, 1 failed');
  });

  it('redraws at most every 100 ms: a burst within the interval draws its first state only', async () => {
    const clock = new FakeClock();
    slowFleet(20, clock);
    ec2.on(AssociateIamInstanceProfileCommand).resolves({ IamInstanceProfileAssociation: { AssociationId: 'iip-x', State: 'associating' } });
    const r = await cli(argv, { tty: true, clock, stderrColumns: 200 });
    expect(r.code, r.stderr).toBe(0);
    expect(drawn(r.stderr)).toEqual(['profile attach: attached 0/20']);
  });

  for (const [what, options, extra] of [
    ['stderr is not a terminal', { tty: false }, []],
    ['--quiet', { tty: true }, ['--quiet']],
    ['--json with stdout redirected', { tty: true, stdoutTty: false }, ['--json']],
    ['-o json with stdout redirected', { tty: true, stdoutTty: false }, ['-o', 'json']],
    ['--debug (its call log is the progress)', { tty: true }, ['--debug']],
  ] as const) {
    it(`prints no progress when ${what}`, async () => {
      const clock = new FakeClock();
      slowFleet(5, clock);
      const r = await cli([...argv, ...extra], { ...options, clock });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).not.toContain('attached 0/5');
      expect(r.stderr).not.toContain(ERASE_LINE);
    });
  }

  it('--json on a terminal still shows the counter on stderr, and stdout holds only the document', async () => {
    const clock = new FakeClock();
    slowFleet(5, clock);
    const r = await cli([...argv, '--json', '--concurrency', '1'], { tty: true, clock, stderrColumns: 100 });
    expect(drawn(r.stderr)).toContain('profile attach: attached 5/5');
    expect(JSON.parse(r.stdout).summary).toMatchObject({ attached: 5 });
  });

  it('a rerun where every instance already has the profile prints one line; the JSON keeps every instance', async () => {
    const ids = Array.from({ length: 407 }, (_, k) => `i-${(0x1000 + k).toString(16).padStart(17, '0')}`);
    fleet(
      ids.map((id) => instance(id)),
      ids.map((id) => association(id, PROFILE_ARN)),
    );
    const r = await cli(argv);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`407 instances already have ${PROFILE}\n`);
    noWrite();
    const json = await cli([...argv, '--json']);
    expect(JSON.parse(json.stdout).instances).toHaveLength(407);
  });

  it('Ctrl-C during the work: exit 130, and the summary counts "not attempted" apart from "failed"', async () => {
    const clock = new FakeClock();
    const ids = slowFleet(6, clock);
    const interrupt = new AbortController();
    ec2
      .on(AssociateIamInstanceProfileCommand)
      .callsFake((input: { InstanceId: string }) => {
        // The second instance fails, and Ctrl-C comes while the third is being attached.
        if (input.InstanceId === ids[2]) interrupt.abort(new Error('interrupted'));
        return { IamInstanceProfileAssociation: { AssociationId: `iip-${input.InstanceId}`, State: 'associating' } };
      })
      .on(AssociateIamInstanceProfileCommand, { InstanceId: ids[1] })
      .rejects(awsError('UnauthorizedOperation', 'no'));
    const r = await cli([...argv, '--concurrency', '1'], { clock, signal: interrupt.signal });
    expect(r.code).toBe(130);
    expect(ec2).toHaveReceivedCommandTimes(AssociateIamInstanceProfileCommand, 3);
    expect(r.stdout).toContain('2 attached, 0 replaced, 0 unchanged, 0 skipped, 1 failed, 3 not attempted (interrupted)\n');
    const json = await cli([...argv, '--concurrency', '1', '--json'], { clock, signal: interrupt.signal });
    // The JSON is unchanged in shape: every instance is there, the ones never tried with NotAttempted.
    expect(JSON.parse(json.stdout).instances.filter((i: { error: { code: string } | null }) => i.error?.code === 'NotAttempted')).toHaveLength(6);
  });

  it('Ctrl-C at the replace question is an interrupt (exit 130), not a refusal with a hint', async () => {
    fleet([instance(B)], [association(B, OLD_ARN)]);
    const interrupt = new AbortController();
    const stdin = new PassThrough();
    // Ctrl-C once the question waits for its answer.
    stdin.once('resume', () => interrupt.abort(new Error('interrupted')));
    const r = await cli([...argv, '--replace'], { tty: true, stdin, signal: interrupt.signal });
    expect(r.stderr).toContain('Replace it? [y/N]');
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('error: interrupted at the prompt; nothing was changed');
    expect(r.stderr).not.toContain('hint:');
    noWrite();
  });
});
