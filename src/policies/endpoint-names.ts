// The VPC endpoints Systems Manager needs, their service names per region, and the ARNs of the EC2
// resources `endpoints create` makes. Pure data and string building, no I/O.

/**
 * The interface endpoints SSM Agent talks to. `ssm` and `ssmmessages` always (from agent 3.3.40.0 the
 * agent sends commands through ssmmessages too: amazon-ssm-agent RELEASENOTES 3.3.40.0); `ec2messages`
 * only for older agents (see reference/aws-facts.md section 9, and the guide "Improve the security of
 * EC2 instances by using VPC endpoints for Systems Manager").
 */
export const REQUIRED_INTERFACE_SERVICES = ['ssm', 'ssmmessages'] as const;
export const LEGACY_INTERFACE_SERVICE = 'ec2messages';

/** The security group `endpoints create` makes (or reuses) in the VPC when none is given. */
export const ENDPOINT_GROUP_NAME = 'ssm-endpoints';

/**
 * In the China regions some services' endpoint names start `cn.com.amazonaws.` instead of
 * `com.amazonaws.`. aws-cdk's exception table (aws/aws-cdk, packages/aws-cdk-lib/aws-ec2/lib/vpc-endpoint.ts,
 * getDefaultEndpointPrefix: VPC_ENDPOINT_SERVICE_EXCEPTIONS) lists `s3` and `ec2` for both regions and
 * not ssm, ssmmessages or ec2messages, which keep the `com.amazonaws.` prefix. Only the services this
 * tool creates are listed here; ec2:DescribeVpcEndpointServices confirms the names at run time.
 */
const CN_PREFIXED: Readonly<Record<string, readonly string[]>> = {
  'cn-north-1': ['s3', 'ec2'],
  'cn-northwest-1': ['s3', 'ec2'],
};

/** e.g. com.amazonaws.us-east-2.ssm, cn.com.amazonaws.cn-north-1.s3. */
export function endpointServiceName(region: string, service: string): string {
  const prefix = CN_PREFIXED[region]?.includes(service) ? 'cn.com.amazonaws' : 'com.amazonaws';
  return `${prefix}.${region}.${service}`;
}

/**
 * ARNs of EC2 resources, in the region's partition (Service Authorization Reference, "Resource types
 * defined by Amazon EC2": arn:${Partition}:ec2:${Region}:${Account}:vpc/${VpcId},
 * vpc-endpoint/${VpcEndpointId}, security-group/${SecurityGroupId}).
 */
export function ec2ResourceArn(
  partition: string,
  region: string,
  account: string,
  type: 'vpc' | 'vpc-endpoint' | 'security-group' | 'subnet',
  id: string,
): string {
  return `arn:${partition}:ec2:${region}:${account}:${type}/${id}`;
}
