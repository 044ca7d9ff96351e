// Random identity policies, permissions boundaries and requests for the differential test against the
// independent engine. Everything is drawn from small pools so that statements often match; every key
// a policy mentions is either known in the request context or known to be absent (the oracle has no
// notion of an unknown key).
//
// Shapes left out on purpose, because the oracle departs from AWS's documentation there (see
// oracle.ts and the report of each in the differential test's comments):
// - ...IfExists under ForAnyValue with a missing key: the docs say IfExists makes a missing key true
//   (reference_policies_elements_condition_operators.html#Conditions_IfExists); the oracle says false.
// - Date comparisons that mix epoch seconds and ISO 8601 text: the operators page accepts both forms
//   for the same key; the oracle compares epoch seconds with milliseconds.
// - Wildcards in an ARN's resource-type part ("instan*/..."), in the service segment, and short ARNs
//   that do not end in `*`: the Resource element page forbids the first two and gives the third no
//   meaning; the oracle gives each one its own.
// - Policy variables outside the resource part of an ARN (the oracle splits ARNs on every colon,
//   including those inside `${aws:...}`), and in operators other than String* and Arn*.
// - Empty strings as context values, empty default values and multivalued keys with no values: AWS
//   documents none of them; the oracle treats empty strings as missing.
// - Colons inside a request ARN's resource part together with a policy whose `*` ends an earlier
//   segment (the docs let such a `*` cross colons; the oracle never does) - see RESOURCES below.
import type { ContextValue, IamRequest, NamedPolicy } from '../../../../../src/policies/iam/index.js';
import { Random } from './random.js';

export const ACCOUNT = '111122223333';
export const OTHER_ACCOUNT = '444455556666';
export const PRINCIPAL = `arn:aws:sts::${ACCOUNT}:assumed-role/ssm-role/i-0123456789abcdef0`;

type KeyType = 'string' | 'arn' | 'ip' | 'date' | 'epoch' | 'numeric' | 'bool' | 'multi' | 'binary';
interface KeySpec {
  key: string;
  type: KeyType;
  /** Values the request may carry. */
  request: readonly (string | readonly string[])[];
  /** Values a policy may test against (besides the request values). */
  policy: readonly string[];
}

const INSTANCE = `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/i-0123456789abcdef0`;
const STRING_VARIABLES = ['${aws:username}', '${aws:PrincipalTag/env}', "${aws:PrincipalTag/env, 'prod'}", '${aws:SourceVpc}', "${aws:username, 'bob'}"];

const KEYS: readonly KeySpec[] = [
  {
    key: 'aws:PrincipalTag/team',
    type: 'string',
    request: ['blue', 'Blue', 'red', 'ops*1', 'a?b', 'i-0123*'],
    policy: ['green', 'bl*', '*e', 'r?d', 'ops${*}1', 'a${?}b', '*', 'BLUE', ...STRING_VARIABLES],
  },
  { key: 'aws:PrincipalTag/env', type: 'string', request: ['prod', 'dev'], policy: ['Prod', 'pr*', 'd?v', ...STRING_VARIABLES] },
  { key: 'aws:ResourceTag/env', type: 'string', request: ['prod', 'dev', 'Prod'], policy: ['PROD', 'p*', '${aws:PrincipalTag/env}'] },
  { key: 'aws:RequestedRegion', type: 'string', request: ['us-east-1', 'eu-west-1', 'cn-north-1'], policy: ['us-*', 'eu-west-?', 'US-EAST-1'] },
  { key: 'aws:PrincipalAccount', type: 'string', request: [ACCOUNT, OTHER_ACCOUNT], policy: ['1111*'] },
  { key: 'aws:username', type: 'string', request: ['alice', 'bob'], policy: ['al*', 'ALICE', "${aws:PrincipalTag/env, 'alice'}"] },
  { key: 'aws:PrincipalType', type: 'string', request: ['AssumedRole', 'User'], policy: ['assumedrole', '*Role'] },
  { key: 'aws:SourceVpc', type: 'string', request: ['vpc-111', 'vpc-222'], policy: ['vpc-*', '${aws:Ec2InstanceSourceVpc}'] },
  { key: 'aws:Ec2InstanceSourceVpc', type: 'string', request: ['vpc-111', 'vpc-333'], policy: ['${aws:SourceVpc}', 'vpc-3*'] },
  { key: 'aws:PrincipalTag/blob', type: 'binary', request: ['QUJD', 'REVGRw=='], policy: ['QUJDRA=='] },
  {
    key: 'aws:PrincipalArn',
    type: 'arn',
    request: [`arn:aws:iam::${ACCOUNT}:role/ssm-role`, `arn:aws:iam::${ACCOUNT}:role/path/other`, `arn:aws-cn:iam::${OTHER_ACCOUNT}:role/ssm-role`],
    policy: [
      `arn:aws:iam::${ACCOUNT}:role/*`,
      'arn:aws*:iam::*:role/ssm-role',
      `arn:aws:iam::${ACCOUNT}:role/\${aws:username}`,
      'arn:aws:iam::*:role/path/*',
      'arn:aws:iam::1111222233?3:role/ssm-?ole',
    ],
  },
  {
    key: 'aws:SourceArn',
    type: 'arn',
    request: [`arn:aws:s3:::bucket-a/key`, `arn:aws:sns:us-east-1:${ACCOUNT}:topic:x`],
    policy: ['arn:aws:s3:::bucket-*', 'arn:aws:sns:*:*:topic:*', 'arn:aws:s3:::*/key'],
  },
  {
    key: 'ec2:SourceInstanceARN',
    type: 'arn',
    request: [INSTANCE, `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-0fedcba9876543210`],
    policy: [
      `arn:aws:ec2:*:${ACCOUNT}:instance/i-0123*`,
      'arn:aws:ec2:us-east-1:*:instance/?-*',
      'arn:aws:ec2:*:*:instance/${aws:PrincipalTag/team}',
      'arn:*:ec2:eu-*:*:*',
    ],
  },
  {
    key: 'ssm:SourceInstanceARN',
    type: 'arn',
    request: [`arn:aws:ssm:us-east-1:${ACCOUNT}:managed-instance/mi-0123456789abcdef0`],
    policy: ['arn:aws:ssm:*:*:managed-instance/mi-*', 'arn:aws:ssm:*:*:managed-instance/*'],
  },
  {
    key: 'aws:SourceIp',
    type: 'ip',
    request: ['203.0.113.7', '198.51.100.200', '2001:db8::1', '2001:db8:1::ff'],
    policy: ['203.0.113.0/24', '198.51.100.0/25', '2001:db8::/32', '2001:db8:1::/48', '203.0.113.7/32', '192.0.0.0/2'],
  },
  { key: 'aws:Ec2InstanceSourcePrivateIPv4', type: 'ip', request: ['10.0.1.5', '10.1.2.3'], policy: ['10.0.0.0/16', '10.0.0.0/8', '10.1.2.3/32'] },
  { key: 'aws:VpcSourceIp', type: 'ip', request: ['10.0.1.5', '172.16.0.9'], policy: ['172.16.0.0/12', '10.0.1.0/24'] },
  {
    key: 'aws:CurrentTime',
    type: 'date',
    request: ['2026-05-01T12:00:00Z', '2024-01-01T00:00:00Z'],
    policy: ['2025-01-01T00:00:00Z', '2026-05-01', '2026-05-01T12:00:00Z'],
  },
  {
    key: 'aws:TokenIssueTime',
    type: 'date',
    request: ['2026-05-01T11:00:00Z', '2026-05-01T12:00:00Z'],
    policy: ['2026-05-01T11:30:00Z', '2026-05-01T12:00:00.000Z'],
  },
  { key: 'aws:EpochTime', type: 'epoch', request: ['1777636800', '1704067200'], policy: ['1700000000', '1777636800'] },
  { key: 'aws:MultiFactorAuthAge', type: 'numeric', request: ['0', '3600', '86400', '12.5'], policy: ['3600', '100.5', '0'] },
  { key: 'aws:SecureTransport', type: 'bool', request: ['true', 'false'], policy: ['True'] },
  { key: 'aws:MultiFactorAuthPresent', type: 'bool', request: ['true', 'false'], policy: [] },
  { key: 'aws:ViaAWSService', type: 'bool', request: ['false', 'true'], policy: [] },
  { key: 'aws:TagKeys', type: 'multi', request: [['env'], ['env', 'team'], ['Team']], policy: ['env', 'team', 't*', 'T*'] },
  {
    key: 'aws:CalledVia',
    type: 'multi',
    request: [['athena.amazonaws.com'], ['athena.amazonaws.com', 'glue.amazonaws.com']],
    policy: ['*.amazonaws.com', 'athena.amazonaws.com', 'glue.*'],
  },
  {
    key: 'aws:PrincipalServiceNamesList',
    type: 'multi',
    request: [['ec2.amazonaws.com', 'ssm.amazonaws.com']],
    policy: ['ssm.amazonaws.com', 's3.amazonaws.com'],
  },
];

/** The values a request may carry for `key` (for completing a context whose key was hidden). */
export function requestValues(key: string): readonly ContextValue[] {
  return KEYS.find((k) => k.key === key)?.request ?? [];
}

const STRING_OPS = ['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike'];
const OPS: Record<KeyType, readonly string[]> = {
  string: STRING_OPS,
  binary: ['BinaryEquals', 'StringEquals'],
  arn: ['ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike', 'StringEquals', 'StringLike', 'StringNotLike'],
  ip: ['IpAddress', 'NotIpAddress'],
  date: ['DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals'],
  epoch: ['DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals'],
  numeric: ['NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals'],
  bool: ['Bool'],
  multi: STRING_OPS,
};

interface ActionSpec {
  action: string;
  resource: (r: Random, partition: string, region: string) => string;
}
const instanceArn = (_r: Random, p: string, region: string) => `arn:${p}:ec2:${region}:${ACCOUNT}:instance/i-0123456789abcdef0`;
const nodeArn = (r: Random, p: string, region: string) =>
  r.chance(0.6) ? instanceArn(r, p, region) : `arn:${p}:ssm:${region}:${ACCOUNT}:managed-instance/mi-0123456789abcdef0`;
const star = () => '*';
const ACTIONS: readonly ActionSpec[] = [
  { action: 'ssm:UpdateInstanceInformation', resource: nodeArn },
  { action: 'ssm:ListInstanceAssociations', resource: nodeArn },
  // AWS-owned documents have no account in their ARN (arn:aws:ssm:R::document/AWS-...), but the oracle
  // cannot type such an ARN ("no.resource.types"); the unit tests cover that form.
  { action: 'ssm:GetDocument', resource: (r, p, region) => `arn:${p}:ssm:${region}:${ACCOUNT}:document/${r.pick(['AWS-RunShellScript', 'MyDoc'])}` },
  { action: 'ssm:PutInventory', resource: star },
  { action: 'ssmmessages:CreateControlChannel', resource: star },
  { action: 'ssmmessages:OpenDataChannel', resource: star },
  { action: 'ec2messages:GetMessages', resource: star },
  { action: 'ec2messages:AcknowledgeMessage', resource: star },
  { action: 'ssm:GetParameter', resource: (r, p, region) => `arn:${p}:ssm:${region}:${ACCOUNT}:parameter/app/${r.pick(['db', 'alice/key', 'bob/key'])}` },
  { action: 'ec2:StartInstances', resource: instanceArn },
  { action: 'ec2:DescribeInstances', resource: star },
  { action: 'logs:PutLogEvents', resource: (r, p, region) => `arn:${p}:logs:${region}:${ACCOUNT}:log-group:grp:log-stream:${r.pick(['s1', 's22'])}` },
];

const ACTION_PATTERNS = [
  '*',
  'ssm:*',
  'ssm:Update*',
  'ssm:?etDocument',
  'SSM:updateinstanceinformation',
  'ssm:List*',
  'ssm:GetParameter',
  'ssm:PutInventory',
  'ssmmessages:*',
  'ssmmessages:*Channel',
  'ssmmessages:Open?ataChannel',
  'ec2messages:*',
  'ec2messages:GetMessages',
  'ec2:Describe*',
  'ec2:StartInstances',
  'ec2:*',
  'logs:Put*',
  's3:*',
  'iam:PassRole',
  'ssm:GetDocument',
  'ssm:ListInstanceAssociations',
];

// Resource patterns. `*` ending an earlier segment is only paired with request ARNs whose resource part
// has no colon (logs ARNs use patterns whose early segments end in letters or are exact), so the two
// readings of a segment-final `*` cannot differ (see the header).
const RESOURCES = [
  '*',
  `arn:aws:ec2:*:${ACCOUNT}:instance/*`,
  'arn:*:ec2:*:*:instance/i-0123456789abcdef0',
  `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/i-0123*`,
  'arn:aws:ec2:eu-west-?:*:instance/*',
  'arn:aws:ec2:*:4444*:instance/*',
  'arn:aws:ssm:*:*:managed-instance/*',
  `arn:aws-cn:ssm:cn-north-1:${ACCOUNT}:managed-instance/mi-0123456789abcdef0`,
  'arn:aws:ssm:*::document/AWS-*',
  'arn:*:ssm:*:*:document/AWS-Run?hellScript',
  `arn:aws:ssm:us-east-1:${ACCOUNT}:document/*`,
  'arn:aws:ssm:*:*:parameter/app/*',
  `arn:aws:ssm:*:${ACCOUNT}:parameter/app/\${aws:username}/*`,
  'arn:aws:ec2:*:*:instance/${aws:PrincipalTag/team}',
  "arn:aws:ec2:*:*:instance/${aws:PrincipalTag/team, 'i-0123456789abcdef0'}",
  'arn:aws:ssm:*:*:parameter/${*}',
  `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:grp:*`,
  `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:*:log-stream:s?`,
  `arn:aws-cn:logs:cn-north-1:${ACCOUNT}:log-group:grp:log-stream:s1`,
  'arn:aws:ssm:*',
  'arn:aws:ec2:us-east-1:*',
];

const absentVariable = (entry: string, request: IamRequest) => [...entry.matchAll(/\$\{([^},]+)\}/g)].some((m) => request.absent?.includes(m[1] ?? ''));

/**
 * NotResource entries the oracle reads as AWS does. Left out: short ARNs (the oracle never lets a
 * mismatching short ARN widen a NotResource, where the Resource page gives a trailing `*` its plain
 * meaning), and entries whose variable names an absent key. For those AWS says only that "this might
 * cause the entire statement to be invalid"; we call the statement invalid when the entry could match
 * for some value of the variable, the oracle when everything before the resource id matches.
 */
function notResourceSafe(entry: string, request: IamRequest): boolean {
  return (entry === '*' || entry.split(':').length >= 6) && !absentVariable(entry, request);
}

function conditionValue(r: Random, spec: KeySpec, op: string): string {
  // (A /0 block is left out too: the oracle computes its mask as -1 << 32, which JavaScript reads as
  // -1 << 0, so 0.0.0.0/0 contains only 0.0.0.0 there.)
  // A bare address as an IpAddress value: the oracle compares it as text and answers false for
  // NotIpAddress against an address of the other family; CIDR blocks only.
  const fromRequest = spec.type === 'ip' ? [] : spec.request.flatMap((v) => (typeof v === 'string' ? [v] : v));
  const variablesAllowed = op.startsWith('String') || op.startsWith('Arn');
  // `${*}`, `${?}` and `${$}` stand for the characters themselves wherever variables are substituted
  // (reference_policies_variables.html#policy-vars-specialchars); the oracle substitutes them only in
  // the *Like operators and keeps the literal text "${*}" in StringEquals.
  const specialAllowed = /Like$/.test(op);
  const policy = spec.policy.filter((v) => (variablesAllowed || !v.includes('${')) && (specialAllowed || !/\$\{[*?$]\}/.test(v)));
  return r.pick([...fromRequest, ...policy]);
}

function oneOrMany(r: Random, values: string[]): string | string[] {
  return values.length === 1 && r.chance(0.6) ? (values[0] as string) : values;
}

function condition(r: Random): Record<string, Record<string, string | string[]>> {
  const out: Record<string, Record<string, string | string[]>> = {};
  const n = 1 + r.int(3);
  for (let i = 0; i < n; i++) {
    const spec = r.pick(KEYS);
    let op: string;
    let values: string[];
    if (r.chance(0.1)) {
      op = 'Null';
      values = [r.pick(['true', 'false'])];
    } else {
      const base = r.pick(OPS[spec.type]);
      values = Array.from({ length: 1 + r.int(3) }, () => conditionValue(r, spec, base));
      if (spec.type === 'multi') op = `${r.pick(['ForAnyValue', 'ForAllValues'])}:${base}`;
      else if (r.chance(0.1)) op = `${r.pick(['ForAnyValue', 'ForAllValues'])}:${base}`;
      else op = r.chance(0.25) ? `${base}IfExists` : base;
    }
    (out[op] ??= {})[spec.key] = oneOrMany(r, values);
  }
  return out;
}

function statement(r: Random, request: IamRequest, boundary: boolean): Record<string, unknown> {
  const s: Record<string, unknown> = { Effect: r.chance(boundary ? 0.8 : 0.65) ? 'Allow' : 'Deny' };
  if (r.chance(0.3)) s.Sid = `S${r.int(1000)}`;
  const actions = r.some([...ACTION_PATTERNS, request.action]);
  s[r.chance(0.8) ? 'Action' : 'NotAction'] = oneOrMany(r, actions);
  if (r.chance(0.8)) s.Resource = oneOrMany(r, r.some([...RESOURCES, request.resource]));
  else s.NotResource = oneOrMany(r, r.some([...RESOURCES.filter((e) => notResourceSafe(e, request)), request.resource]));
  if (r.chance(0.6)) s.Condition = condition(r);
  return s;
}

function policy(r: Random, name: string, request: IamRequest, boundary: boolean): NamedPolicy {
  const statements = Array.from({ length: 1 + r.int(boundary ? 3 : 4) }, () => statement(r, request, boundary));
  const document = { Version: '2012-10-17', Statement: statements.length === 1 && r.chance(0.3) ? statements[0] : statements };
  return { name, document };
}

export interface FuzzCase {
  identity: NamedPolicy[];
  boundary: NamedPolicy[] | null;
  request: IamRequest;
}

export function generateCase(r: Random): FuzzCase {
  const spec = r.pick(ACTIONS);
  const [partition, region] = r.pick([
    ['aws', 'us-east-1'],
    ['aws', 'eu-west-1'],
    ['aws-cn', 'cn-north-1'],
  ] as const);
  const known: Record<string, ContextValue> = {};
  const absent: string[] = [];
  for (const k of KEYS) {
    if (r.chance(0.65)) known[k.key] = r.pick(k.request);
    else absent.push(k.key);
  }
  const request: IamRequest = { action: spec.action, resource: spec.resource(r, partition, region), known, absent };
  const identity = Array.from({ length: 1 + r.int(3) }, (_, i) => policy(r, `policy-${i + 1}`, request, false));
  const boundary = r.chance(0.3) ? [policy(r, 'boundary', request, true)] : null;
  return { identity, boundary, request };
}

/** The same document in one of the forms IAM hands out: an object, JSON text, or URL-encoded JSON. */
export function asDelivered(r: Random, p: NamedPolicy): NamedPolicy {
  const form = r.int(3);
  if (form === 0) return p;
  const json = JSON.stringify(p.document);
  return { name: p.name, document: form === 1 ? json : encodeURIComponent(json) };
}
