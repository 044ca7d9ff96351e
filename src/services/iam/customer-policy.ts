// A customer managed policy kept equal to a generated document: created when missing, left alone
// when the default version already says the same, otherwise given a new default version (which
// replaces what the policy grants, so it needs consent). IAM keeps at most five versions: the
// oldest non-default one is deleted first when five exist.
import type { PolicyDocument } from '../../policies/trust.js';
import { parsePolicyDocument } from '../../policies/trust.js';
import type { IamApi } from '../aws/clients.js';
import { sdkErrorCode, translateAwsError } from '../aws/translate-error.js';
import { planned, type Step } from '../steps.js';
import { customerPolicyArn } from '../../policies/arn.js';
import { allPages } from '../paginate.js';

export interface CustomerPolicyPlan {
  arn: string;
  steps: Step[];
  /** Set when an existing policy's document would be replaced (needs consent). */
  replaces: string | null;
}

/** JSON with object keys sorted, so documents that differ only in key order compare equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function sameDocument(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

export async function planCustomerPolicy(
  iam: IamApi,
  partition: string,
  account: string,
  name: string,
  document: PolicyDocument,
  description: string,
): Promise<CustomerPolicyPlan> {
  const arn = customerPolicyArn(partition, account, name);
  const text = JSON.stringify(document);
  let defaultVersion: string | undefined;
  try {
    defaultVersion = (await iam.getPolicy({ PolicyArn: arn })).Policy?.DefaultVersionId;
  } catch (e) {
    if (sdkErrorCode(e) !== 'NoSuchEntity') throw translateAwsError(e, { service: 'iam', operation: 'GetPolicy', region: null });
    return {
      arn,
      replaces: null,
      steps: [
        {
          change: planned({ region: null, action: 'create', resource: arn, operation: 'iam:CreatePolicy', details: { policyName: name } }),
          run: async () => {
            await iam.createPolicy({ PolicyName: name, PolicyDocument: text, Description: description });
          },
        },
      ],
    };
  }

  // The call in progress, so a failure names the action that was refused.
  let operation = 'GetPolicyVersion';
  try {
    const current = defaultVersion ? (await iam.getPolicyVersion({ PolicyArn: arn, VersionId: defaultVersion })).PolicyVersion?.Document : undefined;
    if (sameDocument(parsePolicyDocument(current), document)) return { arn, steps: [], replaces: null };
    // IAM may answer in pages (IsTruncated) even for five versions: the oldest may be on the last one.
    operation = 'ListPolicyVersions';
    const pages = await allPages(
      (Marker) => iam.listPolicyVersions({ PolicyArn: arn, Marker }),
      (p) => (p.IsTruncated ? p.Marker : undefined),
    );
    const versions = pages.flatMap((p) => p.Versions ?? []);
    const steps: Step[] = [];
    if (versions.length >= 5) {
      const oldest = versions.filter((v) => !v.IsDefaultVersion).sort((a, b) => (a.CreateDate?.getTime() ?? 0) - (b.CreateDate?.getTime() ?? 0))[0];
      if (oldest?.VersionId) {
        const versionId = oldest.VersionId;
        steps.push({
          change: planned({
            region: null,
            action: 'update',
            resource: arn,
            operation: 'iam:DeletePolicyVersion',
            details: { versionId, reason: 'IAM keeps at most 5 versions' },
          }),
          run: async () => {
            await iam.deletePolicyVersion({ PolicyArn: arn, VersionId: versionId });
          },
        });
      }
    }
    steps.push({
      change: planned({
        region: null,
        action: 'update',
        resource: arn,
        operation: 'iam:CreatePolicyVersion',
        details: { previousDefaultVersion: defaultVersion ?? null, setAsDefault: 'true' },
      }),
      run: async () => {
        await iam.createPolicyVersion({ PolicyArn: arn, PolicyDocument: text, SetAsDefault: true });
      },
    });
    return { arn, steps, replaces: `the document of policy ${name} (default version ${defaultVersion})` };
  } catch (e) {
    throw translateAwsError(e, { service: 'iam', operation, region: null });
  }
}
