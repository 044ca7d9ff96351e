// AWS managed policies that AWS's "Configure instance permissions required for Systems Manager" guide
// names, by their name (with path where they have one).

/** What DHMC's default role carries: the core agent permissions without ssm:GetParameter(s). */
export const DHMC_DEFAULT_POLICY = 'AmazonSSMManagedEC2InstanceDefaultPolicy';
/** The instance-profile route's core policy; a superset of the DHMC default policy. */
export const INSTANCE_CORE_POLICY = 'AmazonSSMManagedInstanceCore';
export const CLOUDWATCH_AGENT_POLICY = 'CloudWatchAgentServerPolicy';
export const DIRECTORY_SERVICE_POLICY = 'AmazonSSMDirectoryServiceAccess';

/**
 * The actions SSM Agent needs to register and take commands (the AllowSSMAgentPermissions,
 * AllowSSMChannelMessaging and AllowSSMLegacyMessaging statements of the DHMC default policy).
 */
export const AGENT_CORE_ACTIONS: readonly string[] = [
  'ssm:UpdateInstanceInformation',
  'ssm:ListInstanceAssociations',
  'ssm:GetDocument',
  'ssm:PutInventory',
  'ssmmessages:CreateControlChannel',
  'ssmmessages:CreateDataChannel',
  'ssmmessages:OpenControlChannel',
  'ssmmessages:OpenDataChannel',
  'ec2messages:GetMessages',
  'ec2messages:AcknowledgeMessage',
  'ec2messages:SendReply',
];
