// The instance profile that carries a role to EC2 instances: created when missing, given the role
// when empty. A profile holds one role at most, so one that holds another role is refused.
import { PreconditionError } from '../errors.js';
import type { IamApi } from '../aws/clients.js';
import { sdkErrorCode, translateAwsError } from '../aws/translate-error.js';
import { allPages } from '../paginate.js';
import { iamNotYetVisible, planned, type Step } from '../steps.js';
import type { Tag } from './role-setup.js';
import { instanceProfileArn } from '../../policies/arn.js';

export interface InstanceProfileState {
  name: string;
  arn: string;
  roleNames: string[];
}

export async function readInstanceProfile(iam: IamApi, name: string): Promise<InstanceProfileState | null> {
  try {
    const p = (await iam.getInstanceProfile({ InstanceProfileName: name })).InstanceProfile;
    if (!p) return null;
    return { name: p.InstanceProfileName ?? name, arn: p.Arn ?? '', roleNames: (p.Roles ?? []).map((r) => r.RoleName ?? '') };
  } catch (e) {
    if (sdkErrorCode(e) === 'NoSuchEntity') return null;
    throw translateAwsError(e, { service: 'iam', operation: 'GetInstanceProfile', region: null });
  }
}

export interface InstanceProfileSpec {
  partition: string;
  account: string;
  name: string;
  path: string;
  roleName: string;
  /** The role's ARN: adding it waits for IAM only when the role (or the profile) was created this run. */
  roleArn: string;
  tags: Tag[];
  /** The name is the role's own (profile update), not one the user chose: the hint cannot say "another name". */
  namedAfterRole?: boolean;
}

export async function planInstanceProfile(iam: IamApi, spec: InstanceProfileSpec): Promise<{ arn: string; steps: Step[] }> {
  const existing = await readInstanceProfile(iam, spec.name);
  const arn = existing?.arn || instanceProfileArn(spec.partition, spec.account, spec.path, spec.name);
  const steps: Step[] = [];
  if (existing) {
    if (existing.roleNames.some((r) => r.toLowerCase() === spec.roleName.toLowerCase())) return { arn, steps };
    if (existing.roleNames.length > 0) {
      throw new PreconditionError(
        'InstanceProfileHoldsAnotherRole',
        `instance profile ${existing.name} already holds role ${existing.roleNames.join(', ')}; a profile holds one role at most`,
        spec.namedAfterRole
          ? `Put role ${spec.roleName} in a profile of another name with: ssm-perms profile create --name ${spec.roleName}Profile --role-name ${spec.roleName} (it keeps the role and adds what it lacks)`
          : `Use another name (--name), or give that profile's role the Systems Manager permissions with: ssm-perms profile update --role-name ${existing.roleNames[0]}`,
      );
    }
  } else {
    steps.push({
      change: planned({ region: null, action: 'create', resource: arn, operation: 'iam:CreateInstanceProfile', details: { path: spec.path } }),
      run: async () => {
        await iam.createInstanceProfile({ InstanceProfileName: spec.name, Path: spec.path, Tags: spec.tags.length ? spec.tags : undefined });
      },
    });
  }
  steps.push({
    change: planned({ region: null, action: 'attach', resource: arn, operation: 'iam:AddRoleToInstanceProfile', details: { roleName: spec.roleName } }),
    run: async () => {
      await iam.addRoleToInstanceProfile({ InstanceProfileName: spec.name, RoleName: spec.roleName });
    },
    propagation: { retryable: iamNotYetVisible, dependsOn: [arn, spec.roleArn] },
  });
  return { arn, steps };
}

/** The instance profiles a role is in, with their ARNs as IAM gives them (path included). */
export async function profilesForRole(iam: IamApi, roleName: string): Promise<{ name: string; arn: string }[]> {
  try {
    const pages = await allPages(
      (Marker) => iam.listInstanceProfilesForRole({ RoleName: roleName, Marker }),
      (p) => (p.IsTruncated ? p.Marker : undefined),
    );
    return pages.flatMap((p) => p.InstanceProfiles ?? []).flatMap((p) => (p.InstanceProfileName && p.Arn ? [{ name: p.InstanceProfileName, arn: p.Arn }] : []));
  } catch (e) {
    throw translateAwsError(e, { service: 'iam', operation: 'ListInstanceProfilesForRole', region: null });
  }
}
