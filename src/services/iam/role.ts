// Reading an IAM role as the tool needs it: where it is, whom it trusts, what is attached, and (only
// when asked) the documents of its policies, to judge permissions that are not a known managed policy.
import type { IamApi } from '../aws/clients.js';
import { sdkErrorCode, translateAwsError } from '../aws/translate-error.js';
import { allPages } from '../paginate.js';

export interface RoleState {
  name: string;
  path: string;
  arn: string;
  /** The trust policy as IAM returns it (URL-encoded JSON). */
  trustPolicy: string | undefined;
  attachedPolicyArns: string[];
  tags: { Key: string; Value: string }[];
}

const site = (operation: string) => ({ service: 'iam', operation, region: null });

/** The role, or null when it does not exist. */
export async function readRole(iam: IamApi, name: string): Promise<RoleState | null> {
  let role;
  try {
    role = (await iam.getRole({ RoleName: name })).Role;
  } catch (e) {
    if (sdkErrorCode(e) === 'NoSuchEntity') return null;
    throw translateAwsError(e, site('GetRole'));
  }
  if (!role) return null;
  return {
    name: role.RoleName ?? name,
    path: role.Path ?? '/',
    arn: role.Arn ?? '',
    trustPolicy: role.AssumeRolePolicyDocument,
    attachedPolicyArns: await attachedPolicyArns(iam, name),
    tags: (role.Tags ?? []).map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' })),
  };
}

export async function attachedPolicyArns(iam: IamApi, roleName: string): Promise<string[]> {
  try {
    const pages = await allPages((Marker) => iam.listAttachedRolePolicies({ RoleName: roleName, Marker }), (p) => (p.IsTruncated ? p.Marker : undefined));
    return pages.flatMap((p) => p.AttachedPolicies ?? []).flatMap((p) => (p.PolicyArn ? [p.PolicyArn] : []));
  } catch (e) {
    throw translateAwsError(e, site('ListAttachedRolePolicies'));
  }
}

/** The documents of every policy on the role: the default version of each attached one, and the inline ones. */
export async function rolePolicyDocuments(iam: IamApi, role: RoleState): Promise<string[]> {
  const docs: string[] = [];
  try {
    for (const arn of role.attachedPolicyArns) {
      const policy = (await iam.getPolicy({ PolicyArn: arn })).Policy;
      if (!policy?.DefaultVersionId) continue;
      const version = await iam.getPolicyVersion({ PolicyArn: arn, VersionId: policy.DefaultVersionId });
      if (version.PolicyVersion?.Document) docs.push(version.PolicyVersion.Document);
    }
    const pages = await allPages((Marker) => iam.listRolePolicies({ RoleName: role.name, Marker }), (p) => (p.IsTruncated ? p.Marker : undefined));
    for (const name of pages.flatMap((p) => p.PolicyNames ?? [])) {
      const inline = await iam.getRolePolicy({ RoleName: role.name, PolicyName: name });
      if (inline.PolicyDocument) docs.push(inline.PolicyDocument);
    }
  } catch (e) {
    throw translateAwsError(e, site('GetPolicyVersion'));
  }
  return docs;
}
