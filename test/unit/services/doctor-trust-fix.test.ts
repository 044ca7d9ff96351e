// The trust fixes doctor and `dhmc status --check` print keep the role's current trust: applied to an
// instance profile's role (trusting ec2.amazonaws.com) that DHMC also uses, the instances keep their
// credentials. The command is unquoted by a real shell, as an operator pasting it would.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runChecks } from '../../../src/services/doctor/checks.js';
import { checkServiceTrust } from '../../../src/policies/trust.js';
import { CORE_DOC, doc, fleet, instance, P, region, role } from '../../helpers/doctor-facts.js';

const EC2_ONLY = doc(
  { Sid: 'Ec2', Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
  // A quote in a value: the single-quoted argument must survive it.
  {
    Sid: 'Ci',
    Effect: 'Allow',
    Principal: { AWS: 'arn:aws:iam::123456789012:root' },
    Action: 'sts:AssumeRole',
    Condition: { StringEquals: { 'sts:ExternalId': "it's" } },
  },
);
const SSM_ONLY = doc({ Effect: 'Allow', Principal: { Service: 'ssm.amazonaws.com' }, Action: 'sts:AssumeRole' });

/** The --policy-document argument after a POSIX shell has unquoted the command. */
function shellDocument(fix: string): { Version: string; Statement: Record<string, unknown>[] } {
  expect(fix).toMatch(/^aws iam update-assume-role-policy --role-name D --policy-document '/);
  const words = execFileSync('bash', ['-c', `set -- ${fix}; for w; do printf '%s\\0' "$w"; done`], { encoding: 'utf8' }).split('\0');
  expect(words[words.length - 1]).toBe('');
  const arg = words[words.length - 2]!;
  const parsed = JSON.parse(arg) as { Version: string; Statement: Record<string, unknown>[] };
  // One compact JSON argument (as JSON.stringify writes it), ending the command.
  expect(arg).toBe(JSON.stringify(parsed));
  return parsed;
}

function dhmcTrustFix(trustPolicy: string | undefined) {
  const on = region({ dhmc: { enabled: true, settingValue: 'D', roleName: 'D', error: null } });
  const d = runChecks(instance(), on, fleet([role('D', [CORE_DOC], { trustPolicy })]));
  const c = d.checks.find((x) => x.id === 'dhmc-role-trust')!;
  expect(c.status).toBe('fail');
  return c.fix!;
}

describe('the dhmc-role-trust fix', () => {
  it('keeps every current statement of a URL-encoded trust and adds one allowing ssm.amazonaws.com sts:AssumeRole', () => {
    const document = shellDocument(dhmcTrustFix(encodeURIComponent(EC2_ONLY)));
    const before = JSON.parse(EC2_ONLY) as { Statement: unknown[] };
    expect(document.Version).toBe('2012-10-17');
    expect(document.Statement.slice(0, 2)).toEqual(before.Statement);
    expect(document.Statement).toHaveLength(3);
    expect(document.Statement[2]).toEqual({ Effect: 'Allow', Principal: { Service: 'ssm.amazonaws.com' }, Action: 'sts:AssumeRole' });
  });

  it('the fixed document trusts both services, where the old one trusted only EC2', () => {
    const fixed = JSON.stringify(shellDocument(dhmcTrustFix(encodeURIComponent(EC2_ONLY))));
    expect(checkServiceTrust(EC2_ONLY, 'ssm.amazonaws.com').trusted).toBe(false);
    expect(checkServiceTrust(fixed, 'ssm.amazonaws.com')).toEqual({ trusted: true, conditional: false });
    expect(checkServiceTrust(fixed, 'ec2.amazonaws.com')).toEqual({ trusted: true, conditional: false });
  });

  it('a single Statement object (not a list) is kept too', () => {
    const single = JSON.stringify({
      Version: '2012-10-17',
      Statement: { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
    });
    const document = shellDocument(dhmcTrustFix(single));
    expect(document.Statement).toHaveLength(2);
    expect(checkServiceTrust(JSON.stringify(document), 'ec2.amazonaws.com').trusted).toBe(true);
  });

  it('an unreadable trust gives the lone SSM statement', () => {
    expect(shellDocument(dhmcTrustFix(undefined)).Statement).toEqual([
      { Effect: 'Allow', Principal: { Service: 'ssm.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ]);
  });
});

describe("the instance profile's EC2 trust fix", () => {
  it('keeps the role trusting ssm.amazonaws.com and adds ec2.amazonaws.com', () => {
    const d = runChecks(instance({ profileArn: P }), region(), fleet([role('D', [CORE_DOC], { trustPolicy: encodeURIComponent(SSM_ONLY) })], { [P]: 'D' }));
    const c = d.checks.find((x) => x.id === 'instance-profile')!;
    const fixed = JSON.stringify(shellDocument(c.fix!.split('\n').find((l) => l.includes('update-assume-role-policy'))!));
    expect(checkServiceTrust(fixed, 'ssm.amazonaws.com').trusted).toBe(true);
    expect(checkServiceTrust(fixed, 'ec2.amazonaws.com').trusted).toBe(true);
  });
});
