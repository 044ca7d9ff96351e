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
  /** The permissions boundary's policy ARN, or null. */
  boundaryArn: string | null;
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
    boundaryArn: role.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
  };
}

export async function attachedPolicyArns(iam: IamApi, roleName: string): Promise<string[]> {
  try {
    const pages = await allPages(
      (Marker) => iam.listAttachedRolePolicies({ RoleName: roleName, Marker }),
      (p) => (p.IsTruncated ? p.Marker : undefined),
    );
    return pages.flatMap((p) => p.AttachedPolicies ?? []).flatMap((p) => (p.PolicyArn ? [p.PolicyArn] : []));
  } catch (e) {
    throw translateAwsError(e, site('ListAttachedRolePolicies'));
  }
}

/** A policy document with the name reports use for it (the policy ARN, or `inline:NAME`). */
export interface NamedDocument {
  name: string;
  document: string;
}

/**
 * What IAM evaluates for the role: the default version of each attached policy, the inline ones, and
 * the permissions boundary (which caps them).
 */
export async function rolePolicies(
  iam: IamApi,
  role: RoleState,
  /** Managed policy documents already read (doctor reads each once for the whole fleet). */
  cache: Map<string, Promise<string | null>> = new Map(),
): Promise<{ policies: NamedDocument[]; boundary: NamedDocument | null }> {
  // The call in progress, so a failure names the action that was refused.
  let operation = 'GetPolicy';
  const managed = (arn: string): Promise<string | null> => {
    let doc = cache.get(arn);
    if (!doc) {
      doc = (async () => {
        operation = 'GetPolicy';
        const policy = (await iam.getPolicy({ PolicyArn: arn })).Policy;
        if (!policy?.DefaultVersionId) return null;
        operation = 'GetPolicyVersion';
        return (await iam.getPolicyVersion({ PolicyArn: arn, VersionId: policy.DefaultVersionId })).PolicyVersion?.Document ?? null;
      })();
      cache.set(arn, doc);
    }
    return doc;
  };
  const policies: NamedDocument[] = [];
  try {
    for (const arn of role.attachedPolicyArns) {
      const document = await managed(arn);
      if (document) policies.push({ name: arn, document });
    }
    operation = 'ListRolePolicies';
    const pages = await allPages(
      (Marker) => iam.listRolePolicies({ RoleName: role.name, Marker }),
      (p) => (p.IsTruncated ? p.Marker : undefined),
    );
    operation = 'GetRolePolicy';
    for (const name of pages.flatMap((p) => p.PolicyNames ?? [])) {
      const inline = await iam.getRolePolicy({ RoleName: role.name, PolicyName: name });
      if (inline.PolicyDocument) policies.push({ name: `inline:${name}`, document: inline.PolicyDocument });
    }
    // A permissions boundary caps what the role's own policies allow (IAM policy evaluation logic).
    const boundary = role.boundaryArn ? { name: role.boundaryArn, document: (await managed(role.boundaryArn)) ?? '{}' } : null;
    return { policies, boundary };
  } catch (e) {
    throw translateAwsError(e, site(operation));
  }
}
