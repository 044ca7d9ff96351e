// `admin-policy generate --with-role-setup` promises a policy granting what `dhmc enable` needs. Every
// IAM and SSM call `dhmc enable` makes against the mocked clients is turned into the request IAM would
// authorize, and the IAM evaluator judges it against the generated policy: the next call the service
// starts making without the policy following fails here (iam:GetPolicy was the last one missed).
import { CreateRoleCommand, GetRoleCommand, ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import { GetServiceSettingCommand } from '@aws-sdk/client-ssm';
import { beforeEach, describe, expect, it } from 'vitest';
import { evaluate, type IamRequest } from '../../src/policies/iam/index.js';
import { ACCOUNT, iam, resetAws, roleAnswer, ssm } from '../helpers/aws-mocks.js';
import { awsError } from '../helpers/aws-errors.js';
import { cli } from '../helpers/cli-io.js';

const ROLE = 'AWSSystemsManagerDefaultEC2InstanceManagementRole';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/service-role/${ROLE}`;
const REGIONS = ['us-east-2', 'eu-west-1'];

interface SentCall {
  service: 'iam' | 'ssm';
  operation: string;
  input: Record<string, unknown>;
}

function sentCalls(): SentCall[] {
  const of = (service: 'iam' | 'ssm', m: typeof iam | typeof ssm) =>
    m.calls().map((c) => {
      const command = c.args[0] as unknown as { constructor: { name: string }; input: Record<string, unknown> };
      return { service, operation: command.constructor.name.replace(/Command$/, ''), input: command.input };
    });
  return [...of('iam', iam), ...of('ssm', ssm)];
}

/**
 * The requests IAM authorizes for one call, with the resource types of the Service Authorization
 * Reference (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html,
 * .../list_awssystemsmanager.html): role operations on the role, GetPolicy on the policy, the service
 * setting operations on the setting ARN. UpdateServiceSetting naming a role also passes it to SSM
 * (iam:PassRole with iam:PassedToService), as the DHMC guide's administrator policy grants.
 */
function requestsFor(c: SentCall): IamRequest[] {
  const action = `${c.service}:${c.operation}`;
  const i = c.input;
  if (typeof i.RoleName === 'string') {
    const known: Record<string, string> = typeof i.PolicyArn === 'string' ? { 'iam:PolicyARN': i.PolicyArn } : {};
    return [{ action, resource: `arn:aws:iam::${ACCOUNT}:role${typeof i.Path === 'string' ? i.Path : '/service-role/'}${i.RoleName}`, known }];
  }
  if (typeof i.PolicyArn === 'string') return [{ action, resource: i.PolicyArn, known: {} }];
  if (typeof i.SettingId === 'string') {
    const setting = { action, resource: i.SettingId, known: {} };
    if (c.operation !== 'UpdateServiceSetting') return [setting];
    return [setting, { action: 'iam:PassRole', resource: ROLE_ARN, known: { 'iam:PassedToService': 'ssm.amazonaws.com' } }];
  }
  throw new Error(`no resource known for ${action} ${JSON.stringify(i)}: teach requestsFor about it`);
}

async function generatedPolicy(): Promise<unknown> {
  const r = await cli(['admin-policy', 'generate', '--account', ACCOUNT, '--region', REGIONS.join(','), '--with-role-setup']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

/** Runs dhmc enable, then judges each call it made against the generated policy. */
async function refusedCalls(): Promise<{ calls: SentCall[]; refused: string[] }> {
  const policy = await generatedPolicy();
  resetAws();
  arrange();
  const r = await cli(['dhmc', 'enable', '-r', REGIONS.join(',')]);
  expect(r.code, r.stderr).toBe(0);
  const calls = sentCalls();
  const refused = calls
    .flatMap(requestsFor)
    .filter((q) => evaluate({ identity: [{ name: 'admin', document: policy }] }, q).decision !== 'allowed')
    .map((q) => `${q.action} on ${q.resource}`);
  return { calls, refused };
}

let arrange: () => void = () => undefined;
const settingOff = () => ssm.on(GetServiceSettingCommand).resolves({ ServiceSetting: { SettingValue: '$None', Status: 'Default' } });

beforeEach(resetAws);

describe('admin-policy generate --with-role-setup allows every call dhmc enable makes', () => {
  it('creating the role: GetRole, GetPolicy, CreateRole, AttachRolePolicy, GetServiceSetting, UpdateServiceSetting (and PassRole)', async () => {
    arrange = () => {
      iam.on(GetRoleCommand).rejects(awsError('NoSuchEntity', 'not found', 404));
      iam.on(CreateRoleCommand).resolves(roleAnswer(ROLE, 'ssm.amazonaws.com', '/service-role/'));
      settingOff();
    };
    const { calls, refused } = await refusedCalls();
    expect(new Set(calls.map((c) => c.operation))).toEqual(
      new Set(['GetRole', 'GetPolicy', 'CreateRole', 'AttachRolePolicy', 'GetServiceSetting', 'UpdateServiceSetting']),
    );
    expect(refused).toEqual([]);
  });

  it('an existing role without the DHMC policy: GetRole, ListAttachedRolePolicies, GetPolicy, AttachRolePolicy and the setting calls', async () => {
    arrange = () => {
      iam.on(GetRoleCommand).resolves(roleAnswer(ROLE, 'ssm.amazonaws.com', '/service-role/'));
      iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [], IsTruncated: false });
      settingOff();
    };
    const { calls, refused } = await refusedCalls();
    expect(calls.map((c) => c.operation)).toEqual(expect.arrayContaining(['ListAttachedRolePolicies', 'GetPolicy', 'AttachRolePolicy']));
    expect(refused).toEqual([]);
  });
});
