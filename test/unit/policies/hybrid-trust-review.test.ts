// reviewHybridTrust: does an existing trust let Systems Manager use the role for activations in each
// region asked, and may ssm-perms widen it itself (only its own document, only by adding regions)?
import { describe, expect, it } from 'vitest';
import { hybridTrustPolicy, reviewHybridTrust, toolTrustRegions } from '../../../src/policies/hybrid-trust.js';
import { checkServiceTrust, type PolicyStatement } from '../../../src/policies/trust.js';

const A = '111122223333';
const enc = (d: unknown) => encodeURIComponent(JSON.stringify(d));
const ours = (partition: string, regions: string[]) => enc(hybridTrustPolicy(partition, A, regions));
const doc = (...Statement: PolicyStatement[]) => enc({ Version: '2012-10-17', Statement });
const ssmAllow = (Condition?: PolicyStatement['Condition']): PolicyStatement => ({
  Effect: 'Allow',
  Principal: { Service: 'ssm.amazonaws.com' },
  Action: 'sts:AssumeRole',
  ...(Condition ? { Condition } : {}),
});

describe('toolTrustRegions', () => {
  it("reads the regions of the tool's own trust, one (a string) or several (a list), in its partition", () => {
    expect(toolTrustRegions(ours('aws', ['us-east-2']), 'aws', A)).toEqual(['us-east-2']);
    expect(toolTrustRegions(ours('aws-cn', ['cn-north-1', 'cn-northwest-1']), 'aws-cn', A)).toEqual(['cn-north-1', 'cn-northwest-1']);
  });

  it('is null for any other document: another account, another partition, an extra key or statement', () => {
    expect(toolTrustRegions(ours('aws', ['us-east-2']), 'aws', '999999999999')).toBeNull();
    expect(toolTrustRegions(ours('aws', ['us-east-2']), 'aws-cn', A)).toBeNull();
    const extraKey = hybridTrustPolicy('aws', A, ['us-east-2']);
    extraKey.Statement[0]!.Condition!.StringEquals!['aws:PrincipalTag/x'] = 'y';
    expect(toolTrustRegions(enc(extraKey), 'aws', A)).toBeNull();
    const extraStatement = hybridTrustPolicy('aws', A, ['us-east-2']);
    extraStatement.Statement.push({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' });
    expect(toolTrustRegions(enc(extraStatement), 'aws', A)).toBeNull();
  });

  // The tool's statement with aws:SourceArn replaced by `value` (one ARN as a string, several as a list,
  // as hybridTrustPolicy writes them), so that the value is the only difference from the tool's own.
  const withSourceArn = (value: unknown) => {
    const d = hybridTrustPolicy('aws', A, ['us-east-2']);
    d.Statement[0]!.Condition!.ArnEquals!['aws:SourceArn'] = value as string;
    return enc(d);
  };
  const arn = (region: string) => `arn:aws:ssm:${region}:${A}:*`;

  it('is null when an aws:SourceArn region is not a plain region name, even in an otherwise identical document', () => {
    // The control: the same document with plain region names is the tool's.
    expect(toolTrustRegions(withSourceArn(arn('eu-west-1')), 'aws', A)).toEqual(['eu-west-1']);
    expect(toolTrustRegions(withSourceArn([arn('us-east-2'), arn('eu-west-1')]), 'aws', A)).toEqual(['us-east-2', 'eu-west-1']);
    // The tool writes only region names (lower case, digits, hyphens); a wildcard region is someone's own
    // choice of scope, which the tool must not take over and "widen".
    for (const region of ['*', 'us-*', '*-east-1', 'US-EAST-2', '']) expect(toolTrustRegions(withSourceArn(arn(region)), 'aws', A), region).toBeNull();
    // One such region among plain ones is enough.
    expect(toolTrustRegions(withSourceArn([arn('us-east-2'), arn('us-*')]), 'aws', A)).toBeNull();
  });

  it('is null, without throwing, for a SourceArn that is an empty list or holds something other than text', () => {
    for (const value of [[], 12, null, [arn('us-east-2'), 12]]) expect(toolTrustRegions(withSourceArn(value), 'aws', A), JSON.stringify(value)).toBeNull();
  });

  it("reads the tool's trust whatever the order of its keys (another tool may have rewritten the JSON)", () => {
    const reordered = {
      Action: 'sts:AssumeRole',
      Condition: { ArnEquals: { 'aws:SourceArn': [arn('eu-west-1'), arn('us-east-2')] }, StringEquals: { 'aws:SourceAccount': A } },
      Principal: { Service: 'ssm.amazonaws.com' },
      Effect: 'Allow',
    };
    expect(toolTrustRegions(doc(reordered as PolicyStatement), 'aws', A)).toEqual(['eu-west-1', 'us-east-2']);
  });
});

describe('reviewHybridTrust', () => {
  it("covered: the tool's trust for the same regions, in any order, or for more", () => {
    expect(reviewHybridTrust(ours('aws', ['us-east-2', 'eu-west-1']), 'aws', A, ['eu-west-1', 'us-east-2'])).toEqual({ kind: 'covered' });
    expect(reviewHybridTrust(ours('aws', ['us-east-2', 'eu-west-1']), 'aws', A, ['eu-west-1'])).toEqual({ kind: 'covered' });
  });

  it("widen: the tool's trust for fewer regions becomes the same document naming the old regions, then the new", () => {
    const r = reviewHybridTrust(ours('aws-us-gov', ['us-gov-west-1']), 'aws-us-gov', A, ['us-gov-west-1', 'us-gov-east-1']);
    expect(r).toEqual({ kind: 'widen', missing: ['us-gov-east-1'], document: hybridTrustPolicy('aws-us-gov', A, ['us-gov-west-1', 'us-gov-east-1']) });
    // What it widens to covers every region asked.
    if (r.kind !== 'widen') throw new Error('not widened');
    expect(reviewHybridTrust(enc(r.document), 'aws-us-gov', A, ['us-gov-west-1', 'us-gov-east-1'])).toEqual({ kind: 'covered' });
  });

  it("uncovered: someone else's trust keeps its statements in the fix, which adds ours for the missing regions and then covers them", () => {
    const theirs: PolicyStatement[] = [
      { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ssmAllow({ StringEquals: { 'aws:SourceAccount': A }, ArnLike: { 'aws:SourceArn': `arn:aws:ssm:us-east-2:${A}:*` } }),
    ];
    const r = reviewHybridTrust(doc(...theirs), 'aws', A, ['us-east-2', 'eu-west-1', 'ap-south-1']);
    expect(r.kind).toBe('uncovered');
    if (r.kind !== 'uncovered') throw new Error('not uncovered');
    expect(r.missing).toEqual(['eu-west-1', 'ap-south-1']);
    expect(r.fix.Statement).toEqual([...theirs, hybridTrustPolicy('aws', A, ['eu-west-1', 'ap-south-1']).Statement[0]]);
    expect(reviewHybridTrust(enc(r.fix), 'aws', A, ['us-east-2', 'eu-west-1', 'ap-south-1'])).toEqual({ kind: 'covered' });
    expect(checkServiceTrust(enc(r.fix), 'ec2.amazonaws.com').trusted).toBe(true);
  });

  it('another account in aws:SourceAccount covers no region; a Deny of one region takes that one away', () => {
    expect(reviewHybridTrust(doc(ssmAllow({ StringEquals: { 'aws:SourceAccount': '999999999999' } })), 'aws', A, ['us-east-2'])).toMatchObject({
      kind: 'uncovered',
      missing: ['us-east-2'],
    });
    const denyEu: PolicyStatement = { ...ssmAllow({ ArnLike: { 'aws:SourceArn': 'arn:aws:ssm:eu-west-1:*:*' } }), Effect: 'Deny' };
    expect(reviewHybridTrust(doc(ssmAllow(), denyEu), 'aws', A, ['us-east-2', 'eu-west-1'])).toMatchObject({ kind: 'uncovered', missing: ['eu-west-1'] });
  });

  it('statements about other principals do not count for ssm.amazonaws.com', () => {
    const ec2: PolicyStatement = { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' };
    expect(reviewHybridTrust(doc(ec2), 'aws', A, ['us-east-2'])).toMatchObject({ kind: 'uncovered', missing: ['us-east-2'] });
  });

  it('counts a statement naming every principal ("*"), every service, or ssm.amazonaws.com among other services', () => {
    const scoped = { StringEquals: { 'aws:SourceAccount': A } };
    const anyone: PolicyStatement = { ...ssmAllow(scoped), Principal: '*' };
    const anyService: PolicyStatement = { ...ssmAllow(scoped), Principal: { Service: '*' } };
    const both: PolicyStatement = { ...ssmAllow(scoped), Principal: { Service: ['ec2.amazonaws.com', 'ssm.amazonaws.com'] } };
    for (const s of [anyone, anyService, both])
      expect(reviewHybridTrust(doc(s), 'aws', A, ['us-east-2']), JSON.stringify(s.Principal)).toEqual({ kind: 'covered' });
  });

  it('a malformed Principal (null, a bare string) names no service, and does not throw', () => {
    for (const Principal of [null, 'ssm.amazonaws.com']) {
      expect(reviewHybridTrust(doc({ ...ssmAllow(), Principal }), 'aws', A, ['us-east-2'])).toMatchObject({ kind: 'uncovered', missing: ['us-east-2'] });
    }
  });

  it('resolves policy variables in the trust (Version 2012-10-17): ${aws:SourceAccount} in the SourceArn is the account', () => {
    // ARN operators take policy variables ("Where you can use policy variables", reference_policies_variables.html).
    const byVariable = ssmAllow({ ArnLike: { 'aws:SourceArn': 'arn:aws:ssm:*:${aws:SourceAccount}:*' } });
    expect(reviewHybridTrust(doc(byVariable), 'aws', A, ['us-east-2'])).toEqual({ kind: 'covered' });
  });

  it('unsure: a condition on a key the activation request does not tell', () => {
    expect(reviewHybridTrust(doc(ssmAllow({ StringEquals: { 'aws:PrincipalTag/team': 'ops' } })), 'aws', A, ['us-east-2'])).toEqual({
      kind: 'unsure',
      regions: ['us-east-2'],
    });
  });
});
