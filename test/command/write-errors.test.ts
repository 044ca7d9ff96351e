// Write failures in-process: each write call of each mutating command fails in turn - refused (exit 4)
// or failing otherwise (exit 5) - and is reported, never swallowed: its change is `failed` with the AWS
// error code, the steps that depend on it are `failed` with NotAttempted and are not sent, and what
// the report calls `applied` is exactly what AWS accepted (checked against the calls the mocks answered).
import {
  AssociateIamInstanceProfileCommand,
  DescribeIamInstanceProfileAssociationsCommand,
  DescribeInstancesCommand,
  DisassociateIamInstanceProfileCommand,
  ReplaceIamInstanceProfileAssociationCommand,
  type Instance,
  type InstanceStateName,
} from '@aws-sdk/client-ec2';
import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateInstanceProfileCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  DeletePolicyVersionCommand,
  GetInstanceProfileCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  ListAttachedRolePoliciesCommand,
  ListPolicyVersionsCommand,
  ListRolePoliciesCommand,
  TagRoleCommand,
} from '@aws-sdk/client-iam';
import { GetServiceSettingCommand, ResetServiceSettingCommand, UpdateServiceSettingCommand } from '@aws-sdk/client-ssm';
import { beforeEach, describe, expect, it } from 'vitest';
import { awsError } from '../helpers/aws-errors.js';
import { ACCOUNT, CORE_ARN, CORE_DOCUMENT, ec2, iam, iamEncoded, resetAws, roleAnswer, ssm } from '../helpers/aws-mocks.js';
import { cli } from '../helpers/cli-io.js';

// ---- the failures, and what every report must say about them -------------------------------------

type Kind = 'denied' | 'failed';
const KINDS: Kind[] = ['denied', 'failed'];
const EXIT: Record<Kind, number> = { denied: 4, failed: 5 };

/** The access-denied code each service answers with. */
const DENIED_CODE: Record<string, string> = { iam: 'AccessDenied', ec2: 'UnauthorizedOperation', ssm: 'AccessDeniedException' };

/** The error AWS answers `operation` (e.g. iam:CreateRole) with: a denial naming it, or `otherCode`. */
function failure(kind: Kind, operation: string, otherCode: string): { error: Error; code: string } {
  const service = operation.split(':')[0]!;
  if (kind === 'denied') {
    const code = DENIED_CODE[service]!;
    const message =
      service === 'ec2'
        ? 'You are not authorized to perform this operation.'
        : `User: arn:aws:iam::${ACCOUNT}:user/admin is not authorized to perform: ${operation} on resource: *`;
    return { error: awsError(code, message, service === 'ssm' ? 400 : 403), code };
  }
  const status = /Internal|ServiceFailure/.test(otherCode) ? 500 : 409;
  return { error: awsError(otherCode, `${operation} refused: ${otherCode}`, status), code: otherCode };
}

interface ChangeDoc {
  operation: string;
  status: string;
  error: { code: string; message: string } | null;
}
interface MutationDoc {
  changes: ChangeDoc[];
  regions: { region: string; ok: boolean; error: { code: string } | null }[];
}

/** FAIL stands for the code of the injected failure in an expected change list. */
const FAIL = 'FAIL';
type Expected = [operation: string, status: 'applied' | 'failed', code: string | null][];
const NA = 'NotAttempted';

const services = () =>
  [
    ['iam', iam],
    ['ssm', ssm],
    ['ec2', ec2],
  ] as const;
const isWrite = (name: string) => !/^(Describe|Get|List)/.test(name);
const nameOf = (call: { args: readonly unknown[] }) => (call.args[0] as object).constructor.name.replace(/Command$/, '');

/** The write calls sent, in order per service (IAM before SSM before EC2), as service:Operation. */
function sentWrites(): string[] {
  return services().flatMap(([service, stub]) =>
    stub
      .calls()
      .map(nameOf)
      .filter(isWrite)
      .map((n) => `${service}:${n}`),
  );
}

/** The write calls AWS accepted (the mock answered without an error), sorted. */
async function acceptedWrites(): Promise<string[]> {
  const out: string[] = [];
  for (const [service, stub] of services()) {
    for (const call of stub.calls()) {
      const name = nameOf(call);
      if (!isWrite(name) || call.exception) continue;
      const [settled] = await Promise.allSettled([call.returnValue]);
      if (settled!.status === 'fulfilled') out.push(`${service}:${name}`);
    }
  }
  return out.sort();
}

/**
 * The report of a run in which `operation` failed with `code`: the change list as expected, the failed
 * change naming the operation, and the changes called applied exactly the writes AWS accepted.
 */
async function expectReported(doc: MutationDoc, expected: Expected, operation: string, code: string): Promise<void> {
  expect(doc.changes.map((c) => [c.operation, c.status, c.error?.code ?? null])).toEqual(
    expected.map(([op, status, c]) => [op, status, c === FAIL ? code : c]),
  );
  const failed = doc.changes.find((c) => c.operation === operation && c.error?.code === code)!;
  expect(failed.error!.message).toContain(operation);
  for (const c of doc.changes.filter((x) => x.error?.code === NA)) {
    expect(c.error!.message).toMatch(/^not attempted because /);
  }
  expect(
    doc.changes
      .filter((c) => c.status === 'applied')
      .map((c) => c.operation)
      .sort(),
  ).toEqual(await acceptedWrites());
}

/** Each case once refused and once failing otherwise, titled (a case object in the title would be cut short). */
function rows<C>(cases: C[], name: (c: C) => string): [string, C & { kind: Kind }][] {
  return cases.flatMap((c) =>
    KINDS.map((kind): [string, C & { kind: Kind }] => [`${name(c)} (${kind === 'denied' ? 'access denied' : 'other error'})`, { ...c, kind }]),
  );
}

beforeEach(resetAws);

// ---- profile attach ------------------------------------------------------------------------------

const PROFILE = 'SSMInstanceProfile';
const PROFILE_ARN = `arn:aws:iam::${ACCOUNT}:instance-profile/${PROFILE}`;
const OLD_ARN = `arn:aws:iam::${ACCOUNT}:instance-profile/OldProfile`;
const ROLE = 'SSMInstanceProfileRole';
const ID = 'i-0000000000000000a';

function attachWorld(state: InstanceStateName, currentProfile: string | null) {
  iam.on(GetInstanceProfileCommand).resolves({
    InstanceProfile: {
      InstanceProfileName: PROFILE,
      Arn: PROFILE_ARN,
      Path: '/',
      InstanceProfileId: 'AIPA',
      CreateDate: new Date(),
      Roles: [{ RoleName: ROLE, Arn: `arn:aws:iam::${ACCOUNT}:role/${ROLE}`, Path: '/', RoleId: 'AROA', CreateDate: new Date() }],
    },
  });
  iam.on(GetRoleCommand).resolves(roleAnswer(ROLE, 'ec2.amazonaws.com'));
  iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [{ PolicyArn: CORE_ARN }], IsTruncated: false });
  iam.on(GetPolicyCommand).resolves({ Policy: { Arn: CORE_ARN, DefaultVersionId: 'v1' } });
  iam.on(GetPolicyVersionCommand).resolves({ PolicyVersion: { Document: iamEncoded(CORE_DOCUMENT), VersionId: 'v1', IsDefaultVersion: true } });
  iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: [], IsTruncated: false });
  const instance: Instance = { InstanceId: ID, State: { Name: state }, Tags: [{ Key: 'Name', Value: 'web' }] };
  ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [instance] }] });
  ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({
    IamInstanceProfileAssociations: currentProfile
      ? [{ InstanceId: ID, AssociationId: 'iip-assoc-old', State: 'associated', IamInstanceProfile: { Arn: currentProfile, Id: 'AIPB' } }]
      : [],
  });
  ec2.on(AssociateIamInstanceProfileCommand).resolves({ IamInstanceProfileAssociation: { AssociationId: 'iip-new', State: 'associating' } });
  ec2.on(ReplaceIamInstanceProfileAssociationCommand).resolves({ IamInstanceProfileAssociation: { AssociationId: 'iip-replaced', State: 'associating' } });
  ec2.on(DisassociateIamInstanceProfileCommand).resolves({});
}

const associateNew = { InstanceId: ID, IamInstanceProfile: { Arn: PROFILE_ARN } };
const putBack = { InstanceId: ID, IamInstanceProfile: { Arn: OLD_ARN } };

interface AttachCase {
  name: string;
  state: InstanceStateName;
  current: string | null;
  /** The failing call(s): the operation reported, and the inputs (partial) that fail. */
  operation: string;
  otherCode: string;
  fail: (e: Error) => void;
  expected: Expected;
  sent: string[];
  /** The instance's error message says so. */
  message: RegExp;
}

const ATTACH_CASES: AttachCase[] = [
  {
    name: 'AssociateIamInstanceProfile on an instance without a profile',
    state: 'running',
    current: null,
    operation: 'ec2:AssociateIamInstanceProfile',
    otherCode: 'IncorrectState',
    fail: (e) => ec2.on(AssociateIamInstanceProfileCommand).rejects(e),
    expected: [['ec2:AssociateIamInstanceProfile', 'failed', FAIL]],
    sent: ['ec2:AssociateIamInstanceProfile'],
    message: /ec2:AssociateIamInstanceProfile/,
  },
  {
    name: 'ReplaceIamInstanceProfileAssociation on a running instance (--replace)',
    state: 'running',
    current: OLD_ARN,
    operation: 'ec2:ReplaceIamInstanceProfileAssociation',
    otherCode: 'InvalidAssociationID.NotFound',
    fail: (e) => ec2.on(ReplaceIamInstanceProfileAssociationCommand).rejects(e),
    expected: [['ec2:ReplaceIamInstanceProfileAssociation', 'failed', FAIL]],
    sent: ['ec2:ReplaceIamInstanceProfileAssociation'],
    message: /ec2:ReplaceIamInstanceProfileAssociation/,
  },
  {
    name: 'DisassociateIamInstanceProfile on a stopped instance (--replace): the new profile is not attempted',
    state: 'stopped',
    current: OLD_ARN,
    operation: 'ec2:DisassociateIamInstanceProfile',
    otherCode: 'InternalError',
    fail: (e) => ec2.on(DisassociateIamInstanceProfileCommand).rejects(e),
    expected: [
      ['ec2:DisassociateIamInstanceProfile', 'failed', FAIL],
      ['ec2:AssociateIamInstanceProfile', 'failed', NA],
    ],
    sent: ['ec2:DisassociateIamInstanceProfile'],
    message: /ec2:DisassociateIamInstanceProfile/,
  },
  {
    name: 'AssociateIamInstanceProfile after the removal on a stopped instance: the previous profile is put back',
    state: 'stopped',
    current: OLD_ARN,
    operation: 'ec2:AssociateIamInstanceProfile',
    otherCode: 'IncorrectState',
    fail: (e) => ec2.on(AssociateIamInstanceProfileCommand, associateNew).rejects(e),
    expected: [
      ['ec2:DisassociateIamInstanceProfile', 'applied', null],
      ['ec2:AssociateIamInstanceProfile', 'failed', FAIL],
      ['ec2:AssociateIamInstanceProfile', 'applied', null],
    ],
    sent: ['ec2:DisassociateIamInstanceProfile', 'ec2:AssociateIamInstanceProfile', 'ec2:AssociateIamInstanceProfile'],
    message: /the previous profile .*OldProfile was put back/,
  },
  {
    name: 'AssociateIamInstanceProfile after the removal, and putting the previous profile back too',
    state: 'stopped',
    current: OLD_ARN,
    operation: 'ec2:AssociateIamInstanceProfile',
    otherCode: 'IncorrectState',
    fail: (e) => {
      ec2.on(AssociateIamInstanceProfileCommand, associateNew).rejects(e);
      ec2.on(AssociateIamInstanceProfileCommand, putBack).rejects(e);
    },
    expected: [
      ['ec2:DisassociateIamInstanceProfile', 'applied', null],
      ['ec2:AssociateIamInstanceProfile', 'failed', FAIL],
      ['ec2:AssociateIamInstanceProfile', 'failed', FAIL],
    ],
    sent: ['ec2:DisassociateIamInstanceProfile', 'ec2:AssociateIamInstanceProfile', 'ec2:AssociateIamInstanceProfile'],
    message: /the instance has NO instance profile now/,
  },
];

describe('profile attach: each EC2 write failing in turn', () => {
  it.each(rows(ATTACH_CASES, (c) => c.name))('%s', async (_title, c) => {
    attachWorld(c.state, c.current);
    const { error, code } = failure(c.kind, c.operation, c.otherCode);
    c.fail(error);
    const replace = c.current ? ['--replace', '--yes'] : [];
    const r = await cli(['profile', 'attach', '--name', PROFILE, '--instance-id', ID, ...replace, '--json']);
    expect(r.code, r.stderr).toBe(EXIT[c.kind]);
    const doc = JSON.parse(r.stdout);
    await expectReported(doc, c.expected, c.operation, code);
    expect(sentWrites()).toEqual(c.sent);
    expect(doc.instances).toHaveLength(1);
    expect(doc.instances[0]).toMatchObject({ instanceId: ID, status: 'failed', error: { code, message: expect.stringMatching(c.message) } });
    expect(doc.summary).toMatchObject({ attached: 0, replaced: 0, failed: 1 });
    expect(doc.regions).toEqual([{ region: 'us-east-1', ok: false, error: expect.objectContaining({ code }) }]);
    if (c.expected.some(([, status]) => status === 'applied')) return;
    // Nothing was changed: the instance keeps its association (none, or the old one).
    expect(doc.instances[0].associationId).toBe(c.current ? 'iip-assoc-old' : null);
  });

  it('as text, the failed instance is FAILED with the AWS code and is not counted as attached', async () => {
    attachWorld('stopped', OLD_ARN);
    ec2.on(DisassociateIamInstanceProfileCommand).rejects(failure('failed', 'ec2:DisassociateIamInstanceProfile', 'InternalError').error);
    const r = await cli(['profile', 'attach', '--name', PROFILE, '--instance-id', ID, '--replace', '--yes']);
    expect(r.code).toBe(5);
    expect(r.stdout).toMatch(new RegExp(`${ID}\\s+us-east-1\\s+web\\s+stopped\\s+FAILED\\s+InternalError:`));
    expect(r.stdout).toContain('0 attached, 0 replaced, 0 unchanged, 0 skipped, 1 failed');
  });
});

// ---- profile create ------------------------------------------------------------------------------

const NAME = 'SSMInstanceProfile';

/** A fresh account (or, with `existingRole`, a role trusting EC2 with nothing attached and no tag); no profile. */
function createWorld(existingRole: boolean) {
  iam.on(GetPolicyCommand).callsFake((input: { PolicyArn: string }) => ({ Policy: { Arn: input.PolicyArn, DefaultVersionId: 'v1' } }));
  if (existingRole) {
    iam.on(GetRoleCommand).resolves(roleAnswer(NAME, 'ec2.amazonaws.com'));
    iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [], IsTruncated: false });
  } else {
    iam.on(GetRoleCommand).rejects(awsError('NoSuchEntity', `The role with name ${NAME} cannot be found.`, 404));
  }
  iam.on(GetInstanceProfileCommand).rejects(awsError('NoSuchEntity', `Instance Profile ${NAME} cannot be found.`, 404));
  iam.on(CreateRoleCommand).resolves({
    Role: { RoleName: NAME, Path: '/', Arn: `arn:aws:iam::${ACCOUNT}:role/${NAME}`, RoleId: 'AROA', CreateDate: new Date() },
  });
  iam.on(TagRoleCommand).resolves({});
  iam.on(AttachRolePolicyCommand).resolves({});
  iam.on(CreateInstanceProfileCommand).resolves({});
  iam.on(AddRoleToInstanceProfileCommand).resolves({});
}

interface StepsCase {
  operation: string;
  otherCode: string;
  fail: (e: Error) => void;
  expected: Expected;
  sent: string[];
}

const FRESH = ['iam:CreateRole', 'iam:AttachRolePolicy', 'iam:CreateInstanceProfile', 'iam:AddRoleToInstanceProfile'];
/** The fresh-account steps, the one at `at` failing: those before applied, those after not attempted. */
const freshSteps = (at: number): Expected => FRESH.map((op, i) => (i < at ? [op, 'applied', null] : i === at ? [op, 'failed', FAIL] : [op, 'failed', NA]));

const CREATE_CASES: (StepsCase & { existingRole: boolean; args: string[] })[] = [
  {
    operation: 'iam:CreateRole',
    otherCode: 'EntityAlreadyExists',
    existingRole: false,
    args: [],
    fail: (e) => iam.on(CreateRoleCommand).rejects(e),
    expected: freshSteps(0),
    sent: FRESH.slice(0, 1),
  },
  {
    operation: 'iam:AttachRolePolicy',
    otherCode: 'LimitExceeded',
    existingRole: false,
    args: [],
    fail: (e) => iam.on(AttachRolePolicyCommand).rejects(e),
    expected: freshSteps(1),
    sent: FRESH.slice(0, 2),
  },
  {
    operation: 'iam:CreateInstanceProfile',
    otherCode: 'ServiceFailure',
    existingRole: false,
    args: [],
    fail: (e) => iam.on(CreateInstanceProfileCommand).rejects(e),
    expected: freshSteps(2),
    sent: FRESH.slice(0, 3),
  },
  {
    operation: 'iam:AddRoleToInstanceProfile',
    otherCode: 'LimitExceeded',
    existingRole: false,
    args: [],
    fail: (e) => iam.on(AddRoleToInstanceProfileCommand).rejects(e),
    expected: freshSteps(3),
    sent: FRESH,
  },
  {
    // An existing role without the tag asked for: tagged first, then completed.
    operation: 'iam:TagRole',
    otherCode: 'ConcurrentModification',
    existingRole: true,
    args: ['--tag', 'Team=ops'],
    fail: (e) => iam.on(TagRoleCommand).rejects(e),
    expected: [
      ['iam:TagRole', 'failed', FAIL],
      ['iam:AttachRolePolicy', 'failed', NA],
      ['iam:CreateInstanceProfile', 'failed', NA],
      ['iam:AddRoleToInstanceProfile', 'failed', NA],
    ],
    sent: ['iam:TagRole'],
  },
];

describe('profile create: each IAM write failing in turn', () => {
  it.each(rows(CREATE_CASES, (c) => c.operation))('%s', async (_title, c) => {
    createWorld(c.existingRole);
    const { error, code } = failure(c.kind, c.operation, c.otherCode);
    c.fail(error);
    const r = await cli(['profile', 'create', ...c.args, '--json']);
    expect(r.code, r.stderr).toBe(EXIT[c.kind]);
    await expectReported(JSON.parse(r.stdout), c.expected, c.operation, code);
    expect(sentWrites()).toEqual(c.sent);
    // No next step is offered for a setup that is not complete.
    expect(r.stderr).not.toContain('Next:');
  });

  it('as text, the failed change is FAILED with the AWS code and the rest are not attempted', async () => {
    createWorld(false);
    iam.on(CreateInstanceProfileCommand).rejects(failure('denied', 'iam:CreateInstanceProfile', '').error);
    const r = await cli(['profile', 'create', '--no-color']);
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/FAILED\s+global\s+create instance profile .*AccessDenied/s);
    expect(r.stdout).toMatch(/FAILED\s+global\s+put role SSMInstanceProfile in .*NotAttempted/s);
    expect(r.stdout).not.toMatch(/applied\s+global\s+create instance profile/);
  });
});

// ---- s3-policy generate --create -----------------------------------------------------------------

const POLICY = 'SSMInstanceProfileS3Policy';
const POLICY_ARN = `arn:aws:iam::${ACCOUNT}:policy/${POLICY}`;
const OTHER_DOC = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::elsewhere/*' }] };

/** The policy: missing, or stored with another document in `versions` versions; the role exists without it. */
function s3World(versions: number) {
  if (versions === 0) {
    iam.on(GetPolicyCommand).rejects(awsError('NoSuchEntity', `Policy ${POLICY_ARN} does not exist or is not attachable.`, 404));
  } else {
    iam.on(GetPolicyCommand).resolves({ Policy: { Arn: POLICY_ARN, PolicyName: POLICY, DefaultVersionId: `v${versions}` } });
    iam
      .on(GetPolicyVersionCommand)
      .resolves({ PolicyVersion: { Document: encodeURIComponent(JSON.stringify(OTHER_DOC)), VersionId: `v${versions}`, IsDefaultVersion: true } });
    iam.on(ListPolicyVersionsCommand).resolves({
      Versions: Array.from({ length: versions }, (_, i) => ({
        VersionId: `v${i + 1}`,
        IsDefaultVersion: i + 1 === versions,
        CreateDate: new Date(Date.UTC(2026, 0, i + 1)),
      })),
      IsTruncated: false,
    });
  }
  iam.on(CreatePolicyCommand).resolves({ Policy: { Arn: POLICY_ARN, PolicyName: POLICY, DefaultVersionId: 'v1' } });
  iam.on(CreatePolicyVersionCommand).resolves({ PolicyVersion: { VersionId: 'v9', IsDefaultVersion: true } });
  iam.on(DeletePolicyVersionCommand).resolves({});
  iam.on(GetRoleCommand).resolves(roleAnswer(NAME, 'ec2.amazonaws.com'));
  iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [{ PolicyArn: CORE_ARN }], IsTruncated: false });
  iam.on(AttachRolePolicyCommand).resolves({});
}

const S3_CASES: (StepsCase & { versions: number })[] = [
  {
    operation: 'iam:CreatePolicy',
    otherCode: 'ServiceFailure',
    versions: 0,
    fail: (e) => iam.on(CreatePolicyCommand).rejects(e),
    expected: [
      ['iam:CreatePolicy', 'failed', FAIL],
      ['iam:AttachRolePolicy', 'failed', NA],
    ],
    sent: ['iam:CreatePolicy'],
  },
  {
    operation: 'iam:CreatePolicyVersion',
    otherCode: 'LimitExceeded',
    versions: 2,
    fail: (e) => iam.on(CreatePolicyVersionCommand).rejects(e),
    expected: [
      ['iam:CreatePolicyVersion', 'failed', FAIL],
      ['iam:AttachRolePolicy', 'failed', NA],
    ],
    sent: ['iam:CreatePolicyVersion'],
  },
  {
    operation: 'iam:DeletePolicyVersion',
    otherCode: 'DeleteConflict',
    versions: 5,
    fail: (e) => iam.on(DeletePolicyVersionCommand).rejects(e),
    expected: [
      ['iam:DeletePolicyVersion', 'failed', FAIL],
      ['iam:CreatePolicyVersion', 'failed', NA],
      ['iam:AttachRolePolicy', 'failed', NA],
    ],
    sent: ['iam:DeletePolicyVersion'],
  },
  {
    operation: 'iam:AttachRolePolicy',
    otherCode: 'LimitExceeded',
    versions: 0,
    fail: (e) => iam.on(AttachRolePolicyCommand).rejects(e),
    expected: [
      ['iam:CreatePolicy', 'applied', null],
      ['iam:AttachRolePolicy', 'failed', FAIL],
    ],
    sent: ['iam:CreatePolicy', 'iam:AttachRolePolicy'],
  },
];

describe('s3-policy generate --create --attach-to: each IAM write failing in turn', () => {
  it.each(rows(S3_CASES, (c) => c.operation))('%s', async (_title, c) => {
    s3World(c.versions);
    const { error, code } = failure(c.kind, c.operation, c.otherCode);
    c.fail(error);
    const r = await cli(['s3-policy', 'generate', '--bucket', 'my-ssm-output', '--create', POLICY, '--attach-to', NAME, '--yes', '--json']);
    expect(r.code, r.stderr).toBe(EXIT[c.kind]);
    await expectReported(JSON.parse(r.stdout), c.expected, c.operation, code);
    expect(sentWrites()).toEqual(c.sent);
  });
});

// ---- dhmc enable / disable -----------------------------------------------------------------------

const DHMC_ROLE = 'AWSSystemsManagerDefaultEC2InstanceManagementRole';
const DHMC_POLICY = 'arn:aws:iam::aws:policy/AmazonSSMManagedEC2InstanceDefaultPolicy';
const settingArn = (r: string) => `arn:aws:ssm:${r}:${ACCOUNT}:servicesetting/ssm/managed-instance/default-ec2-instance-management-role`;

function dhmcWorld(roleExists: boolean, value: string) {
  if (roleExists) {
    iam.on(GetRoleCommand).resolves(roleAnswer(DHMC_ROLE, 'ssm.amazonaws.com', '/service-role/'));
    iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [{ PolicyArn: DHMC_POLICY }], IsTruncated: false });
  } else {
    iam.on(GetRoleCommand).rejects(awsError('NoSuchEntity', `The role with name ${DHMC_ROLE} cannot be found.`, 404));
  }
  iam.on(GetPolicyCommand).callsFake((input: { PolicyArn: string }) => ({ Policy: { Arn: input.PolicyArn, DefaultVersionId: 'v1' } }));
  iam.on(CreateRoleCommand).resolves({
    Role: {
      RoleName: DHMC_ROLE,
      Path: '/service-role/',
      Arn: `arn:aws:iam::${ACCOUNT}:role/service-role/${DHMC_ROLE}`,
      RoleId: 'AROA',
      CreateDate: new Date(),
    },
  });
  iam.on(AttachRolePolicyCommand).resolves({});
  ssm
    .on(GetServiceSettingCommand)
    .resolves({ ServiceSetting: { SettingValue: value, Status: value === '$None' ? 'Default' : 'Customized', ARN: settingArn('us-east-1') } });
  ssm.on(UpdateServiceSettingCommand).resolves({});
  ssm.on(ResetServiceSettingCommand).resolves({});
}

const ENABLE_CASES: (StepsCase & { name: string; roleExists: boolean })[] = [
  {
    name: 'iam:CreateRole',
    operation: 'iam:CreateRole',
    otherCode: 'EntityAlreadyExists',
    roleExists: false,
    fail: (e) => iam.on(CreateRoleCommand).rejects(e),
    expected: [
      ['iam:CreateRole', 'failed', FAIL],
      ['iam:AttachRolePolicy', 'failed', NA],
      ['ssm:UpdateServiceSetting', 'failed', NA],
    ],
    sent: ['iam:CreateRole'],
  },
  {
    name: 'iam:AttachRolePolicy',
    operation: 'iam:AttachRolePolicy',
    otherCode: 'LimitExceeded',
    roleExists: false,
    fail: (e) => iam.on(AttachRolePolicyCommand).rejects(e),
    expected: [
      ['iam:CreateRole', 'applied', null],
      ['iam:AttachRolePolicy', 'failed', FAIL],
      ['ssm:UpdateServiceSetting', 'failed', NA],
    ],
    sent: ['iam:CreateRole', 'iam:AttachRolePolicy'],
  },
  {
    name: 'ssm:UpdateServiceSetting, the role already there',
    operation: 'ssm:UpdateServiceSetting',
    otherCode: 'TooManyUpdates',
    roleExists: true,
    fail: (e) => ssm.on(UpdateServiceSettingCommand).rejects(e),
    expected: [['ssm:UpdateServiceSetting', 'failed', FAIL]],
    sent: ['ssm:UpdateServiceSetting'],
  },
  {
    name: 'ssm:UpdateServiceSetting after the role was created',
    operation: 'ssm:UpdateServiceSetting',
    otherCode: 'InternalServerError',
    roleExists: false,
    fail: (e) => ssm.on(UpdateServiceSettingCommand).rejects(e),
    expected: [
      ['iam:CreateRole', 'applied', null],
      ['iam:AttachRolePolicy', 'applied', null],
      ['ssm:UpdateServiceSetting', 'failed', FAIL],
    ],
    sent: ['iam:CreateRole', 'iam:AttachRolePolicy', 'ssm:UpdateServiceSetting'],
  },
];

describe('dhmc enable: each write failing in turn', () => {
  it.each(rows(ENABLE_CASES, (c) => c.name))('%s', async (_title, c) => {
    dhmcWorld(c.roleExists, '$None');
    const { error, code } = failure(c.kind, c.operation, c.otherCode);
    c.fail(error);
    const r = await cli(['dhmc', 'enable', '--region', 'us-east-1', '--json']);
    expect(r.code, r.stderr).toBe(EXIT[c.kind]);
    const doc = JSON.parse(r.stdout) as MutationDoc;
    await expectReported(doc, c.expected, c.operation, code);
    expect(sentWrites()).toEqual(c.sent);
    // The region was not turned on, whichever step failed.
    expect(doc.regions).toEqual([{ region: 'us-east-1', ok: false, error: expect.objectContaining({ code: c.operation.startsWith('ssm:') ? code : NA }) }]);
  });
});

describe('dhmc disable: ResetServiceSetting failing', () => {
  it.each(KINDS)('%s: the reset is failed with the AWS code and the region not ok', async (kind) => {
    dhmcWorld(true, `service-role/${DHMC_ROLE}`);
    const { error, code } = failure(kind, 'ssm:ResetServiceSetting', 'InternalServerError');
    ssm.on(ResetServiceSettingCommand).rejects(error);
    const r = await cli(['dhmc', 'disable', '--region', 'us-east-1', '--yes', '--json']);
    expect(r.code, r.stderr).toBe(EXIT[kind]);
    const doc = JSON.parse(r.stdout) as MutationDoc;
    await expectReported(doc, [['ssm:ResetServiceSetting', 'failed', FAIL]], 'ssm:ResetServiceSetting', code);
    expect(sentWrites()).toEqual(['ssm:ResetServiceSetting']);
    expect(doc.regions).toEqual([{ region: 'us-east-1', ok: false, error: expect.objectContaining({ code }) }]);
  });
});
