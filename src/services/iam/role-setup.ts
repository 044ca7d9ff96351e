// A role with a given trust and policy set, made to exist: created when missing, completed when it
// lacks policies or tags, never stripped of anything. Shared by profile create / update and
// hybrid-role create.
import { roleArn as buildRoleArn } from '../../policies/partition.js';
import { checkServiceTrust, type PolicyDocument } from '../../policies/trust.js';
import { PreconditionError } from '../errors.js';
import type { IamApi } from '../aws/clients.js';
import { iamNotYetVisible, planned, type Step } from '../steps.js';
import { planCustomerPolicy } from './customer-policy.js';
import { readRole, type RoleState } from './role.js';
import { requirePoliciesExist } from './policy-exists.js';
import { trustStatements, updateTrustCommand } from '../../policies/trust-merge.js';
import type { HybridTrustReview } from '../../policies/hybrid-trust.js';
import { reviewedTrust } from './trust-review.js';

export interface Tag {
  Key: string;
  Value: string;
}

export interface RoleSetupSpec {
  partition: string;
  account: string;
  roleName: string;
  path: string;
  /** The service the role is for: ec2.amazonaws.com (instance profiles) or ssm.amazonaws.com (hybrid). */
  trustService: string;
  trustPolicy: PolicyDocument;
  /** What to do with an existing role that does not trust the service: refuse (exit 6) or warn. */
  existingTrust: 'refuse' | 'warn';
  /** profile update: the role must already exist. */
  mustExist: boolean;
  description: string | undefined;
  tags: Tag[];
  /** Managed policies to attach, in order (AWS managed or existing customer managed). */
  policyArns: string[];
  /** A customer managed policy to keep equal to a generated document, then attach. */
  customerPolicy?: { name: string; document: PolicyDocument; description: string } | undefined;
  /** Managed policies per role (IAM quota L-0DA4ABF3, 10 unless raised). */
  policyQuota: number;
  /**
   * hybrid-role: judges an existing trust that lets the service in (the regions its aws:SourceArn names)
   * instead of the generic "only under conditions" warning.
   */
  reviewTrust?: ((trustPolicy: string | undefined) => HybridTrustReview) | undefined;
}

export interface RoleSetupPlan {
  roleArn: string;
  existing: RoleState | null;
  steps: Step[];
  warnings: string[];
  /** Replacements that need consent (a customer policy's document). */
  replaces: string[];
  customerPolicyArn: string | null;
}

// The fix keeps what the role trusts now and adds the statements this command would have written.
const fixTrustHint = (name: string, current: string | undefined, trust: PolicyDocument) =>
  `Let the service assume it, keeping what the role trusts now (or choose another role name):\n${updateTrustCommand(name, { Version: '2012-10-17', Statement: [...trustStatements(current), ...trust.Statement] })}`;

export async function planRoleSetup(iam: IamApi, spec: RoleSetupSpec): Promise<RoleSetupPlan> {
  const existing = await readRole(iam, spec.roleName);
  const warnings: string[] = [];
  const steps: Step[] = [];
  const name = existing?.name ?? spec.roleName;
  const arn = existing?.arn || buildRoleArn(spec.partition, spec.account, spec.path, spec.roleName);

  if (!existing) {
    if (spec.mustExist) {
      throw new PreconditionError(
        'RoleNotFound',
        `role ${spec.roleName} does not exist`,
        'Check the name, or create a new role with: ssm-perms profile create --name NAME',
      );
    }
    steps.push({
      change: planned({
        region: null,
        action: 'create',
        resource: arn,
        operation: 'iam:CreateRole',
        details: { path: spec.path, trustedService: spec.trustService },
      }),
      run: async () => {
        await iam.createRole({
          RoleName: spec.roleName,
          Path: spec.path,
          AssumeRolePolicyDocument: JSON.stringify(spec.trustPolicy),
          Description: spec.description,
          Tags: spec.tags.length ? spec.tags : undefined,
        });
      },
    });
  } else {
    const trust = checkServiceTrust(existing.trustPolicy, spec.trustService);
    if (!trust.trusted) {
      const message = `role ${name} does not trust ${spec.trustService}`;
      if (spec.existingTrust === 'refuse') {
        throw new PreconditionError('RoleNotTrusted', `${message}, so it cannot be used here`, fixTrustHint(name, existing.trustPolicy, spec.trustPolicy));
      }
      warnings.push(`${message}: ${fixTrustHint(name, existing.trustPolicy, spec.trustPolicy)}`);
    } else if (spec.reviewTrust) {
      const review = spec.reviewTrust(existing.trustPolicy);
      warnings.push(
        ...reviewedTrust(review, name, arn, spec.trustService, (document) => iam.updateAssumeRolePolicy({ RoleName: name, PolicyDocument: document }), steps),
      );
    } else if (trust.conditional) {
      // An existing trust with conditions (aws:SourceAccount, aws:SourceArn...) may leave out this
      // account or these regions; it is not rewritten, so say what to compare it with.
      warnings.push(
        `role ${name} trusts ${spec.trustService} only under conditions; make sure they allow this use, as this trust policy does: ${JSON.stringify(spec.trustPolicy)}`,
      );
    }
    const missingTags = spec.tags.filter((t) => !existing.tags.some((x) => x.Key === t.Key && x.Value === t.Value));
    if (missingTags.length) {
      steps.push({
        change: planned({
          region: null,
          action: 'update',
          resource: arn,
          operation: 'iam:TagRole',
          details: { tags: missingTags.map((t) => `${t.Key}=${t.Value}`).join(',') },
        }),
        run: async () => {
          await iam.tagRole({ RoleName: name, Tags: missingTags });
        },
      });
    }
  }

  let customerPolicyArn: string | null = null;
  const replaces: string[] = [];
  const toAttach = [...spec.policyArns];
  if (spec.customerPolicy) {
    const p = await planCustomerPolicy(
      iam,
      spec.partition,
      spec.account,
      spec.customerPolicy.name,
      spec.customerPolicy.document,
      spec.customerPolicy.description,
    );
    customerPolicyArn = p.arn;
    steps.push(...p.steps);
    if (p.replaces) replaces.push(p.replaces);
    toAttach.push(p.arn);
  }

  const attached = existing?.attachedPolicyArns ?? [];
  const missing = [...new Set(toAttach)].filter((a) => !attached.includes(a));
  const room = spec.policyQuota - attached.length;
  if (missing.length > room) {
    const fits = missing.slice(0, Math.max(0, room));
    const overflow = missing.slice(Math.max(0, room));
    throw new PreconditionError(
      'PoliciesPerRoleQuota',
      `role ${name} has ${attached.length} managed policies attached and the quota is ${spec.policyQuota}: ${overflow.join(', ')} would not fit${fits.length ? ` (room for ${fits.join(', ')})` : ''}`,
      'Detach a policy the role no longer needs, raise the IAM quota "Managed policies per role" (L-0DA4ABF3) in Service Quotas and pass --role-policy-quota, or merge policies.',
    );
  }
  // A customer policy this run creates is the only one allowed not to exist yet.
  const createdHere = steps.some((st) => st.change.operation === 'iam:CreatePolicy') ? customerPolicyArn : null;
  await requirePoliciesExist(
    iam,
    missing.filter((a) => a !== createdHere),
  );
  for (const policyArn of missing) {
    steps.push({
      change: planned({ region: null, action: 'attach', resource: arn, operation: 'iam:AttachRolePolicy', details: { policyArn } }),
      run: async () => {
        await iam.attachRolePolicy({ RoleName: name, PolicyArn: policyArn });
      },
      propagation: { retryable: iamNotYetVisible, dependsOn: [arn, policyArn] },
    });
  }
  return { roleArn: arn, existing, steps, warnings, replaces, customerPolicyArn };
}
