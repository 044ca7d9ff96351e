// The requests SSM Agent makes to register and take commands, as IAM sees them, and the judgement of a
// role's policies against them (for doctor and dhmc). Pure: no I/O, no clock unless `now` is given.
//
// Resources follow the Service Authorization Reference for Systems Manager
// (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssystemsmanager.html):
// ssm:UpdateInstanceInformation and ssm:ListInstanceAssociations act on `instance`
// (arn:P:ec2:R:A:instance/ID) for EC2 instances and on `managed-instance` (arn:P:ssm:R:A:managed-instance/
// mi-...) for hybrid nodes; ssm:GetDocument acts on `document` (arn:P:ssm:R:A:document/NAME, with an empty
// account for documents AWS owns); ssm:PutInventory, ssmmessages:* and ec2messages:* have no resource
// type, so IAM authorizes them against "*".
//
// Context keys follow "AWS global condition context keys"
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html). Keys are
// known when the agent's credentials determine them, known absent when the page says they appear only
// in situations the agent is never in, and unknown otherwise (network path, organization, session
// details we do not read).
import { evaluate, type ContextValue, type Evaluation, type IamRequest, type PolicySet, type StatementRef } from './iam/index.js';
import { AGENT_CORE_ACTIONS } from './managed-policies.js';
import { ec2InstanceArn, managedInstanceArn, ssmDocumentArn } from './arn.js';

export interface AgentRequestInput {
  partition: string;
  region: string;
  account: string;
  /** An EC2 instance id (i-...) or a hybrid managed node id (mi-...). */
  instanceId: string;
  /** The role whose credentials the agent uses. */
  roleArn: string;
  roleTags?: Record<string, string>;
  instanceTags?: Record<string, string>;
  /** How the agent gets those credentials: the instance profile, or Default Host Management Configuration. */
  route: 'instance-profile' | 'dhmc';
  privateIp?: string | null;
  vpcId?: string | null;
  now?: Date;
  /** The SSM document the agent fetches with ssm:GetDocument (an association's document). */
  documentName?: string;
}

export interface AgentRequest extends IamRequest {
  known: Record<string, ContextValue>;
  absent: string[];
}

// Keys the global condition keys page makes present only where the agent never is.
const ALWAYS_ABSENT = [
  // "only when a service makes a request on your behalf" (forward access sessions): the agent calls directly.
  'aws:CalledVia',
  'aws:CalledViaFirst',
  'aws:CalledViaLast',
  'aws:CalledViaAWSMCP',
  // Only in requests that pass tags; none of the agent's calls tag anything.
  'aws:RequestTag/*',
  'aws:TagKeys',
  // Only when a service principal acts for a resource (service-to-service calls).
  'aws:SourceAccount',
  'aws:SourceArn',
  'aws:SourceOrgID',
  'aws:SourceOrgPaths',
  'aws:SourceOwner',
  // Only for principals federated through a web identity or SAML provider.
  'aws:FederatedProvider',
  // Only for IAM users; the agent is an assumed role.
  'aws:username',
  // Only when the principal is an AWS service principal.
  'aws:PrincipalServiceName',
  'aws:PrincipalServiceNamesList',
  // Only when a source identity was set while assuming the role; EC2 and Systems Manager set none.
  'aws:SourceIdentity',
  // Only when MFA was used (aws:MultiFactorAuthPresent itself is present, false, for temporary credentials).
  'aws:MultiFactorAuthAge',
  // Only when the caller sends an HTTP Referer header; SDK calls do not.
  'aws:referer',
  // Only for sessions started with sts:AssumeRoot.
  'aws:AssumedRoot',
];

function resourceFor(action: string, input: AgentRequestInput): string {
  const { partition: p, region: r, account: a, instanceId: id } = input;
  if (action === 'ssm:UpdateInstanceInformation' || action === 'ssm:ListInstanceAssociations') {
    return id.startsWith('mi-') ? managedInstanceArn(p, r, a, id) : ec2InstanceArn(p, r, a, id);
  }
  if (action === 'ssm:GetDocument') return ssmDocumentArn(p, r, '', input.documentName ?? 'AWS-RunShellScript');
  return '*';
}

/** One request per action of AGENT_CORE_ACTIONS, with what is known and known absent of its context. */
export function agentRequests(input: AgentRequestInput): AgentRequest[] {
  const hybrid = input.instanceId.startsWith('mi-');
  const instanceArn = ec2InstanceArn(input.partition, input.region, input.account, input.instanceId);
  const base: Record<string, ContextValue> = {
    'aws:RequestedRegion': input.region,
    'aws:PrincipalAccount': input.account,
    // "For IAM roles, the request context returns the ARN of the role, not the ARN of the user that assumed the role."
    'aws:PrincipalArn': input.roleArn,
    'aws:PrincipalType': 'AssumedRole',
    // The agent talks to Systems Manager over HTTPS only.
    'aws:SecureTransport': true,
    'aws:ViaAWSService': false,
    'aws:PrincipalIsAWSService': false,
    // "Key is present only in requests that are signed using temporary security credentials": the agent's
    // role credentials are temporary, and no MFA stands behind them.
    'aws:MultiFactorAuthPresent': false,
  };
  const absent = [...ALWAYS_ABSENT];
  if (input.now) {
    base['aws:CurrentTime'] = input.now.toISOString().replace(/\.\d{3}Z$/, 'Z');
    base['aws:EpochTime'] = Math.floor(input.now.getTime() / 1000);
  }
  if (input.roleTags) {
    for (const [k, v] of Object.entries(input.roleTags)) base[`aws:PrincipalTag/${k}`] = v;
    // Principal tags are the role's tags and session tags; these sessions carry none.
    absent.push('aws:PrincipalTag/*');
  }
  if (hybrid) {
    // EC2 role credentials are what put these keys in the context; a hybrid node has none.
    absent.push('ec2:SourceInstanceARN', 'aws:Ec2InstanceSourceVpc', 'aws:Ec2InstanceSourcePrivateIPv4');
  } else if (input.route === 'instance-profile') {
    // Instance profile credentials carry the instance: ec2:SourceInstanceARN ("the ARN of the instance from
    // which the request originated", Service Authorization Reference for EC2) and, per the global keys page,
    // aws:Ec2InstanceSourceVpc / aws:Ec2InstanceSourcePrivateIPv4 for credentials delivered to an instance.
    base['ec2:SourceInstanceARN'] = instanceArn;
    if (input.vpcId) base['aws:Ec2InstanceSourceVpc'] = input.vpcId;
    if (input.privateIp) base['aws:Ec2InstanceSourcePrivateIPv4'] = input.privateIp;
    // The Service Authorization Reference says of ssm:SourceInstanceARN: "This key is not present when the
    // request comes from the managed instance authenticated with an IAM role associated with EC2 instance
    // profile."
    absent.push('ssm:SourceInstanceARN');
  }
  // Under DHMC the credentials come from Systems Manager, not from the instance profile: which instance
  // keys it sets is not documented, so ec2:/ssm:SourceInstanceARN and the Ec2Instance* keys stay unknown.

  return AGENT_CORE_ACTIONS.map((action) => {
    const resource = resourceFor(action, input);
    const known: Record<string, ContextValue> = { ...base };
    const requestAbsent = [...absent];
    if (resource.includes(':instance/') || resource.includes(':managed-instance/')) {
      known['aws:ResourceAccount'] = input.account;
      if (input.instanceTags) {
        // The instance and managed-instance resource types carry aws:ResourceTag/${TagKey}.
        for (const [k, v] of Object.entries(input.instanceTags)) known[`aws:ResourceTag/${k}`] = v;
        requestAbsent.push('aws:ResourceTag/*');
      }
    } else if (resource === '*') {
      // No resource, so no resource tags.
      requestAbsent.push('aws:ResourceTag/*');
    }
    return { action, resource, known, absent: requestAbsent };
  });
}

export interface AgentJudgement {
  /** Can the agent register (ssm:UpdateInstanceInformation)? */
  registers: 'yes' | 'no' | 'maybe';
  /** Does an explicit Deny block any of the agent's actions? */
  denied: boolean;
  /** Core actions that are denied or not allowed (those that are only uncertain are in `uncertain`). */
  missing: string[];
  uncertain: { action: string; statement: StatementRef; keys: string[] }[];
  /** Each request's full evaluation, in the order given. */
  evaluations: { action: string; evaluation: Evaluation }[];
}

export function judgeAgentPermissions(policies: PolicySet, requests: readonly IamRequest[]): AgentJudgement {
  const evaluations = requests.map((r) => ({ action: r.action, evaluation: evaluate(policies, r) }));
  const registration = evaluations.find((e) => e.action === 'ssm:UpdateInstanceInformation')?.evaluation.decision;
  return {
    registers: registration === 'allowed' ? 'yes' : registration === 'uncertain' ? 'maybe' : 'no',
    denied: evaluations.some((e) => e.evaluation.decision === 'denied'),
    missing: evaluations.filter((e) => e.evaluation.decision === 'denied' || e.evaluation.decision === 'not-allowed').map((e) => e.action),
    uncertain: evaluations.flatMap((e) =>
      e.evaluation.decision === 'uncertain' ? e.evaluation.uncertain.map((u) => ({ action: e.action, statement: u.statement, keys: u.keys })) : [],
    ),
    evaluations,
  };
}
