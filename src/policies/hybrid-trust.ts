// The trust policy of the service role for hybrid and multicloud nodes (the "Create the IAM service
// role required for Systems Manager in hybrid and multicloud environments" procedure): ssm.amazonaws.com,
// confused-deputy protection with aws:SourceAccount and aws:SourceArn. The guide's example:
//   "Condition":{"StringEquals":{"aws:SourceAccount":"123456789012"},
//                "ArnEquals":{"aws:SourceArn":"arn:aws:ssm:us-east-2:123456789012:*"}}
// (https://docs.aws.amazon.com/systems-manager/latest/userguide/hybrid-multicloud-service-role.html):
// activations made in a region the SourceArn does not name cannot use the role.
import { evaluate } from './iam/index.js';
import { SSM_SERVICE_PRINCIPAL, type PolicyDocument, type PolicyStatement } from './trust.js';
import { trustStatements, trustWithStatement } from './trust-merge.js';

export function hybridTrustPolicy(partition: string, account: string, regions: readonly string[]): PolicyDocument {
  const arns = regions.map((r) => `arn:${partition}:ssm:${r}:${account}:*`);
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: SSM_SERVICE_PRINCIPAL },
        Action: 'sts:AssumeRole',
        Condition: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnEquals: { 'aws:SourceArn': arns.length === 1 ? arns[0]! : arns },
        },
      },
    ],
  };
}

/** What an existing role's trust means for the regions asked. */
export type HybridTrustReview =
  /** Every region asked can use the role. */
  | { kind: 'covered' }
  /** The trust is this tool's document for fewer regions: the same document naming these too only adds. */
  | { kind: 'widen'; missing: string[]; document: PolicyDocument }
  /** Someone else's trust leaves these regions out: changing it is theirs to decide. `fix` keeps it and adds ours. */
  | { kind: 'uncovered'; missing: string[]; fix: PolicyDocument }
  /** The trust depends on something not known here for these regions (other condition keys, odd syntax). */
  | { kind: 'unsure'; regions: string[] };

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** The regions of a trust that is exactly hybridTrustPolicy(partition, account, regions), else null. */
export function toolTrustRegions(documentText: string | undefined, partition: string, account: string): string[] | null {
  const stmts = trustStatements(documentText);
  if (stmts.length !== 1) return null;
  const arns = asList((stmts[0]!.Condition?.ArnEquals as Record<string, unknown> | undefined)?.['aws:SourceArn']);
  const prefix = `arn:${partition}:ssm:`;
  const suffix = `:${account}:*`;
  const regions = arns.map((a) => (typeof a === 'string' && a.startsWith(prefix) && a.endsWith(suffix) ? a.slice(prefix.length, -suffix.length) : ''));
  if (regions.length === 0 || regions.some((r) => !/^[a-z0-9-]+$/.test(r))) return null;
  // Same statement, key for key, as the one this tool writes for those regions (Version aside).
  const ours = hybridTrustPolicy(partition, account, regions).Statement[0]!;
  return JSON.stringify(canonical(stmts[0])) === JSON.stringify(canonical(ours)) ? regions : null;
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

/** The statements that speak about ssm.amazonaws.com, as identity statements the IAM evaluator reads. */
function ssmStatements(stmts: PolicyStatement[]): PolicyStatement[] {
  const namesSsm = (p: unknown) =>
    p === '*' || (!!p && typeof p === 'object' && asList((p as { Service?: unknown }).Service).some((s) => s === SSM_SERVICE_PRINCIPAL || s === '*'));
  // A trust policy has no Resource (the role is the resource); the evaluator wants one, and '*' matches it.
  return stmts.filter((s) => namesSsm(s.Principal)).map((s) => ({ ...s, Principal: undefined, Resource: '*' }));
}

/**
 * Can Systems Manager assume the role for activations in each region asked? Judged by the IAM evaluator
 * on the statements naming ssm.amazonaws.com, for sts:AssumeRole with aws:SourceAccount = the account
 * and aws:SourceArn = an SSM resource of that region in the account (the guide scopes it to
 * `arn:aws:ssm:REGION:ACCOUNT:*`); a trust limited to some SSM resources of a region is not assumed
 * to cover the activations.
 */
export function reviewHybridTrust(documentText: string | undefined, partition: string, account: string, regions: readonly string[]): HybridTrustReview {
  const policy = { identity: [{ name: 'trust', document: { Version: '2012-10-17', Statement: ssmStatements(trustStatements(documentText)) } }] };
  const decisions = regions.map((region) => ({
    region,
    decision: evaluate(policy, {
      action: 'sts:AssumeRole',
      resource: '*',
      known: { 'aws:SourceAccount': account, 'aws:SourceArn': `arn:${partition}:ssm:${region}:${account}:*` },
    }).decision,
  }));
  const missing = decisions.filter((d) => d.decision === 'not-allowed' || d.decision === 'denied').map((d) => d.region);
  const unsure = decisions.filter((d) => d.decision === 'uncertain').map((d) => d.region);
  if (missing.length) {
    const covered = toolTrustRegions(documentText, partition, account);
    if (covered) return { kind: 'widen', missing, document: hybridTrustPolicy(partition, account, [...covered, ...missing]) };
    return { kind: 'uncovered', missing, fix: trustWithStatement(documentText, hybridTrustPolicy(partition, account, missing).Statement[0]!) };
  }
  return unsure.length ? { kind: 'unsure', regions: unsure } : { kind: 'covered' };
}
