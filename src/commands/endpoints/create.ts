import { UsageError } from '../../services/errors.js';
import { defineCommand, stringList, type RawOptions } from '../define.js';
import { shown } from '../shared/validate.js';

export interface EndpointsCreateInput {
  vpcId: string;
  subnetIds: string[];
  securityGroupId: string | null;
  ec2messages: boolean;
  s3Gateway: boolean;
}

/**
 * EC2 resource ids: the prefix and 8 hexadecimal digits (older resources) or 17 (EC2 User Guide,
 * "Resource IDs": "The longer IDs ... 17 characters after the hyphen").
 */
function resourceId(value: string, option: string, prefix: string, what: string): string {
  if (!new RegExp(`^${prefix}-([0-9a-f]{8}|[0-9a-f]{17})$`).test(value)) {
    throw new UsageError(
      `Invalid${what.replace(/ /g, '')}Id`,
      `invalid ${option} ${shown(value)}: must be a ${what} id: ${prefix}- and 8 or 17 hexadecimal digits`,
      null,
    );
  }
  return value;
}

function parse(options: RawOptions): EndpointsCreateInput {
  if (options.vpcId === undefined) {
    throw new UsageError(
      'MissingOption',
      'endpoints create needs --vpc-id VPC',
      'Name the VPC of the instances (doctor prints it), e.g. --vpc-id vpc-0123456789abcdef0.',
    );
  }
  const subnetIds = [
    ...new Set(
      stringList(options.subnetId)
        .flatMap((v) => v.split(','))
        .map((v) => resourceId(v.trim(), '--subnet-id', 'subnet', 'Subnet')),
    ),
  ];
  return {
    vpcId: resourceId(String(options.vpcId), '--vpc-id', 'vpc', 'VPC'),
    subnetIds,
    securityGroupId: options.securityGroupId === undefined ? null : resourceId(String(options.securityGroupId), '--security-group-id', 'sg', 'security group'),
    ec2messages: options.ec2messages === true,
    s3Gateway: options.s3Gateway === true,
  };
}

export const endpointsCreateCommand = defineCommand<EndpointsCreateInput>({
  path: ['endpoints', 'create'],
  summary: 'Create the VPC endpoints Systems Manager needs (ssm, ssmmessages; private DNS; HTTPS from the VPC) in one VPC',
  options: [
    { flags: '--vpc-id <vpc>', description: 'the VPC (required; in the one --region)', kind: 'string' },
    {
      flags: '--subnet-id <subnet>',
      description: "a subnet for the endpoints, one per availability zone (repeatable, or comma-separated; default: the instances' subnets, else one per zone)",
      kind: 'repeatable',
    },
    {
      flags: '--security-group-id <sg>',
      description: 'use this group for the endpoints as it is (default: ssm-endpoints, created with 443 from the VPC)',
      kind: 'string',
    },
    { flags: '--ec2messages', description: 'also the ec2messages endpoint (SSM Agent older than 3.3.40.0)', kind: 'boolean' },
    {
      flags: '--s3-gateway',
      description: "also the S3 gateway endpoint on the subnets' route tables (agent updates, patching, output to S3)",
      kind: 'boolean',
    },
  ],
  examples: [
    'ssm-perms endpoints create --vpc-id vpc-0123456789abcdef0 --region us-east-2 --dry-run',
    'ssm-perms endpoints create --vpc-id vpc-0123456789abcdef0 --region us-east-2 --s3-gateway --yes',
    'ssm-perms endpoints create --vpc-id vpc-0123456789abcdef0 --subnet-id subnet-0aaaaaaaaaaaaaaaa,subnet-0bbbbbbbbbbbbbbbb --ec2messages',
    'ssm-perms endpoints create --vpc-id vpc-0123456789abcdef0 --json | jq -r \'.changes[] | "\\(.operation) \\(.status) \\(.details.serviceName // .details.attribute // .details.groupName)"\'',
  ],
  permissions: [
    'sts:GetCallerIdentity',
    'ec2:DescribeVpcs, ec2:DescribeVpcAttribute, ec2:DescribeSubnets, ec2:DescribeVpcEndpoints, ec2:DescribeVpcEndpointServices, ec2:DescribeSecurityGroups',
    'ec2:DescribeInstances (without --subnet-id), ec2:DescribeRouteTables (with --s3-gateway)',
    // Resources per the AWS PrivateLink guide, "Identity and access management for VPC endpoints".
    'ec2:CreateVpcEndpoint, ec2:ModifyVpcEndpoint (on the VPC, its subnets, security groups and route tables, and vpc-endpoint/*)',
    'ec2:CreateSecurityGroup, ec2:AuthorizeSecurityGroupIngress (without --security-group-id)',
    'ec2:ModifyVpcAttribute (only when DNS support or DNS hostnames is off, with consent)',
  ],
  parse,
  load: () => import('./create.run.js'),
});
