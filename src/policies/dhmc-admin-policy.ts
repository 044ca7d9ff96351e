// The least-privilege policy for administrators who turn DHMC on (the example of AWS's "Configure
// instance permissions required for Systems Manager" guide, per region).
//
// Every Resource is a list, even of one ARN. The guide's example writes each as a string; IAM reads both
// the same: its grammar is <resource_block> = ("Resource" | "NotResource") : ("*" | [<resource_string>,
// ...]), and "if the element takes an array but only one value is included, the brackets are optional"
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html). One shape whatever
// the number of regions lets scripts read `.Statement[].Resource[]`, and adding a region changes only
// the list, not its type.
import { dhmcSettingArn } from './dhmc-setting.js';
import { DHMC_DEFAULT_POLICY } from './managed-policies.js';
import { awsManagedPolicyArn, roleArn } from './partition.js';
import { SSM_SERVICE_PRINCIPAL, type PolicyDocument } from './trust.js';

export interface AdminPolicyInput {
  partition: string;
  account: string;
  regions: readonly string[];
  roleName: string;
  rolePath: string;
  /** Also let the administrator create the role and attach its policy (what `dhmc enable` does). */
  withRoleSetup?: boolean;
}

export function dhmcAdminPolicy(input: AdminPolicyInput): PolicyDocument {
  const settingArns = input.regions.map((r) => dhmcSettingArn(input.partition, r, input.account));
  const role = roleArn(input.partition, input.account, input.rolePath, input.roleName);
  const policy: PolicyDocument = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['ssm:GetServiceSetting', 'ssm:ResetServiceSetting', 'ssm:UpdateServiceSetting'],
        Resource: settingArns,
      },
      {
        Effect: 'Allow',
        Action: ['iam:PassRole'],
        Resource: [role],
        Condition: { StringEquals: { 'iam:PassedToService': [SSM_SERVICE_PRINCIPAL] } },
      },
    ],
  };
  if (input.withRoleSetup) {
    policy.Statement.push(
      { Sid: 'ReadAndCreateDhmcRole', Effect: 'Allow', Action: ['iam:GetRole', 'iam:CreateRole', 'iam:ListAttachedRolePolicies'], Resource: [role] },
      {
        Sid: 'AttachOnlyTheDhmcPolicy',
        Effect: 'Allow',
        Action: ['iam:AttachRolePolicy'],
        Resource: [role],
        // A separate statement: the condition key exists only for AttachRolePolicy.
        Condition: { ArnEquals: { 'iam:PolicyARN': [awsManagedPolicyArn(input.partition, DHMC_DEFAULT_POLICY)] } },
      },
      // dhmc enable checks that the policy it attaches exists before changing anything (iam:GetPolicy on
      // the policy's ARN: "GetPolicy ... Resource types: policy*", Service Authorization Reference,
      // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html).
      { Sid: 'ReadTheDhmcPolicy', Effect: 'Allow', Action: ['iam:GetPolicy'], Resource: [awsManagedPolicyArn(input.partition, DHMC_DEFAULT_POLICY)] },
    );
  }
  return policy;
}
