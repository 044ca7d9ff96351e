// endpoints create, planning: from what the VPC has (read.ts), the changes that give its instances a
// private way to Systems Manager - the DNS attributes private DNS needs, the endpoint security group
// and its 443 rule, the interface endpoints (ssm, ssmmessages, ec2messages when asked) and the S3
// gateway endpoint. Each change carries the call that makes it (apply.ts runs them in order). What
// already exists is reused and completed, never replaced, so a second run plans nothing.
import { randomUUID } from 'node:crypto';
import type { ServiceEnv } from '../env.js';
import { PreconditionError, UsageError } from '../errors.js';
import { regionOutcomes, type Change, type MutationResult } from '../result.js';
import { planned, type Step } from '../steps.js';
import {
  ec2ResourceArn,
  endpointServiceName,
  ENDPOINT_GROUP_NAME,
  LEGACY_INTERFACE_SERVICE,
  REQUIRED_INTERFACE_SERVICES,
} from '../../policies/endpoint-names.js';
import { routeTableFor } from '../../policies/network.js';
import { readVpc, type EndpointState, type GroupState, type SubnetState, type VpcState } from './read.js';
import { cidrCovered } from './cidr.js';

export interface EndpointsRequest {
  partition: string;
  account: string;
  region: string;
  vpcId: string;
  /** --subnet-id values; empty: the instances' subnets, else one subnet per availability zone. */
  subnetIds: readonly string[];
  /** --security-group-id; null: the VPC's `ssm-endpoints` group, created when missing. */
  securityGroupId: string | null;
  ec2messages: boolean;
  s3Gateway: boolean;
}

export type DnsAttribute = 'enableDnsSupport' | 'enableDnsHostnames';

export interface EndpointsPlan {
  request: EndpointsRequest;
  /** The subnets the interface endpoints are (or will be) in, one per availability zone. */
  subnets: SubnetState[];
  /** VPC attributes that are off and must be turned on for private DNS: changing them needs consent. */
  dnsAttributes: DnsAttribute[];
  steps: Step[];
  changes: Change[];
  warnings: string[];
}

/** What the steps share while they run: the endpoint group's id once it exists. */
interface Shared {
  groupId: string | null;
}

export function interfaceServices(req: Pick<EndpointsRequest, 'ec2messages'>): string[] {
  return [...REQUIRED_INTERFACE_SERVICES, ...(req.ec2messages ? [LEGACY_INTERFACE_SERVICE] : [])];
}

export async function planEndpoints(env: ServiceEnv, req: EndpointsRequest): Promise<EndpointsPlan> {
  const ec2 = await env.clients.ec2(req.region);
  const names = interfaceServices(req).map((s) => endpointServiceName(req.region, s));
  const s3Name = endpointServiceName(req.region, 's3');
  const state = await readVpc(ec2, {
    region: req.region,
    vpcId: req.vpcId,
    serviceNames: [...names, ...(req.s3Gateway ? [s3Name] : [])],
    instances: req.subnetIds.length === 0,
    routeTables: req.s3Gateway,
    securityGroupId: req.securityGroupId,
  });
  const warnings: string[] = [];
  checkServicesOffered(req, state, [...names, ...(req.s3Gateway ? [s3Name] : [])], warnings);
  const subnets = chooseSubnets(req, state, warnings);

  const arn = (type: 'vpc' | 'vpc-endpoint' | 'security-group', id: string) => ec2ResourceArn(req.partition, req.region, req.account, type, id);
  const vpcArn = arn('vpc', req.vpcId);
  const shared: Shared = { groupId: state.group?.id ?? null };
  const steps: Step[] = [];

  // 1. DNS: private DNS needs both attributes on. "To use a private hosted zone, you must set the
  // following VPC attributes to true: enableDnsHostnames and enableDnsSupport. Use ModifyVpcAttribute
  // to set the VPC attributes." (EC2 API Reference, CreateVpcEndpoint, PrivateDnsEnabled). One call
  // each, support first: "You cannot modify the DNS resolution and DNS hostnames attributes in the same
  // request. Use separate requests for each attribute. You can only enable DNS hostnames if you've
  // enabled DNS support." (EC2 API Reference, ModifyVpcAttribute, EnableDnsHostnames).
  const dnsAttributes: DnsAttribute[] = [];
  if (!state.dnsSupport) dnsAttributes.push('enableDnsSupport');
  if (!state.dnsHostnames) dnsAttributes.push('enableDnsHostnames');
  for (const attribute of dnsAttributes) {
    steps.push({
      change: planned({
        region: req.region,
        action: 'update',
        resource: vpcArn,
        operation: 'ec2:ModifyVpcAttribute',
        details: { vpcId: req.vpcId, attribute, value: 'true', previousValue: 'false' },
      }),
      run: async () => {
        const Value = { Value: true };
        await ec2.modifyVpcAttribute(
          attribute === 'enableDnsSupport' ? { VpcId: req.vpcId, EnableDnsSupport: Value } : { VpcId: req.vpcId, EnableDnsHostnames: Value },
        );
      },
    });
  }

  // 2. The endpoint security group: HTTPS in from the VPC, as aws-cdk's InterfaceVpcEndpoint does by
  // default (`open`: allowDefaultPortFrom(Peer.ipv4(vpc.vpcCidrBlock))) and as the guide asks (the
  // endpoint's group must allow inbound 443 from the instances). A group given is used as it is.
  if (req.securityGroupId) {
    const missing = uncoveredCidrs(state.group!, state);
    if (missing.length) {
      warnings.push(
        `security group ${req.securityGroupId} does not allow inbound TCP 443 from ${missing.join(', ')} (the VPC's CIDR blocks); instances there cannot reach the endpoints until it does. It is used as it is: add the rule, or leave --security-group-id out to use ${ENDPOINT_GROUP_NAME}.`,
      );
    }
  } else {
    steps.push(...groupSteps(req, state, shared, vpcArn, arn, ec2));
  }

  // 3. The interface endpoints, each reused (completed) when one exists for the service in the VPC.
  for (const name of names) {
    const azs = state.services?.get(name) ?? null;
    const placed = azs ? subnets.filter((s) => azs.includes(s.az)) : subnets;
    const left = subnets.filter((s) => !placed.includes(s));
    if (left.length) {
      warnings.push(
        `${name} is not offered in ${[...new Set(left.map((s) => s.az))].join(', ')}: no endpoint interface there (instances in that zone use another zone's).`,
      );
    }
    if (placed.length === 0) {
      throw new PreconditionError(
        'EndpointServiceNotInZones',
        `${name} is offered in ${azs!.join(', ')} only, and none of the chosen subnets is there`,
        `Pass --subnet-id with a subnet of ${req.vpcId} in one of those zones.`,
      );
    }
    const existing = pickInterfaceEndpoint(state.endpoints, name);
    if (existing) {
      const step = completeInterfaceEndpoint(req, existing, placed, state, shared, arn, ec2);
      if (step) steps.push(step);
    } else {
      steps.push(createInterfaceEndpoint(req, name, placed, shared, vpcArn, arn, ec2));
    }
  }

  // 4. The S3 gateway endpoint on the route tables of the chosen subnets (explicit association, else
  // the VPC's main table: VPC User Guide, "Subnet route tables").
  if (req.s3Gateway) {
    const tableIds = [...new Set(subnets.map((s) => routeTableFor(state.routeTables, s.id)?.id).filter((id): id is string => !!id))];
    if (tableIds.length === 0) warnings.push(`no route table applies to the chosen subnets of ${req.vpcId}; no S3 gateway endpoint planned.`);
    else {
      const step = s3GatewayStep(req, s3Name, state.endpoints, tableIds, vpcArn, arn, ec2);
      if (step) steps.push(step);
    }
  }

  return { request: req, subnets, dnsAttributes, steps, changes: steps.map((s) => s.change), warnings };
}

/** A service the region does not offer: nothing to create (the name is wrong for the region, or not there yet). */
function checkServicesOffered(req: EndpointsRequest, state: VpcState, names: readonly string[], warnings: string[]): void {
  if (state.servicesError?.code === 'InvalidServiceName') {
    throw new PreconditionError(
      'EndpointServiceNotFound',
      `${req.region} does not offer one of the endpoint services ${names.join(', ')}: ${state.servicesError.message}`,
      `List what it offers with: aws ec2 describe-vpc-endpoint-services --region ${req.region} --query "ServiceNames"`,
    );
  }
  if (state.servicesError) {
    warnings.push(`could not list the region's endpoint services (${state.servicesError.code}); using the documented names ${names.join(', ')}.`);
    return;
  }
  const missing = names.filter((n) => !state.services!.has(n));
  if (missing.length) {
    throw new PreconditionError(
      'EndpointServiceNotFound',
      `${req.region} does not offer the endpoint service${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
      `List what it offers with: aws ec2 describe-vpc-endpoint-services --region ${req.region} --query "ServiceNames"`,
    );
  }
}

/**
 * One subnet per availability zone: an interface endpoint takes at most one subnet per zone (EC2 API
 * Reference, CreateVpcEndpoint SubnetIds; aws-cdk InterfaceVpcEndpoint "At most one per availability
 * zone", selectSubnets({ onePerAz: true })). --subnet-id is taken as given (each checked to be in the
 * VPC); else the zones of the VPC's instances, each by its busiest subnet; else every zone of the VPC.
 */
export function chooseSubnets(
  req: Pick<EndpointsRequest, 'vpcId' | 'subnetIds' | 'region'>,
  state: Pick<VpcState, 'subnets' | 'instanceSubnets'>,
  warnings: string[],
): SubnetState[] {
  const byId = new Map(state.subnets.map((s) => [s.id, s]));
  if (req.subnetIds.length) {
    const chosen: SubnetState[] = [];
    for (const id of req.subnetIds) {
      const s = byId.get(id);
      if (!s) {
        throw new UsageError(
          'InvalidSubnet',
          `invalid --subnet-id ${id}: it is not a subnet of ${req.vpcId} in ${req.region} (nothing was changed)`,
          `List the VPC's subnets with: aws ec2 describe-subnets --filters Name=vpc-id,Values=${req.vpcId} --region ${req.region}`,
        );
      }
      const same = chosen.find((c) => c.az === s.az);
      if (same) {
        throw new UsageError(
          'InvalidSubnet',
          `invalid --subnet-id ${id}: ${same.id} is in the same availability zone (${s.az}), and an endpoint takes one subnet per zone`,
          'Give at most one subnet per availability zone.',
        );
      }
      chosen.push(s);
    }
    return chosen;
  }
  if (state.subnets.length === 0) {
    throw new PreconditionError('NoSubnets', `VPC ${req.vpcId} has no subnets to place the endpoints in`, 'Create a subnet in it first.');
  }
  const withInstances = state.subnets.filter((s) => (state.instanceSubnets.get(s.id) ?? 0) > 0);
  const pool = withInstances.length ? withInstances : state.subnets;
  const perZone = new Map<string, SubnetState>();
  const count = (s: SubnetState) => state.instanceSubnets.get(s.id) ?? 0;
  for (const s of [...pool].sort((a, b) => count(b) - count(a) || a.id.localeCompare(b.id))) {
    if (!perZone.has(s.az)) perZone.set(s.az, s);
  }
  const chosen = [...perZone.values()].sort((a, b) => a.az.localeCompare(b.az));
  const skipped = withInstances.filter((s) => !chosen.includes(s));
  if (skipped.length) {
    warnings.push(
      `instances are in more than one subnet of the same zone; the endpoints use ${chosen.map((s) => s.id).join(', ')} (one per zone), which serves the others in the VPC too.`,
    );
  }
  return chosen;
}

/** The VPC's CIDR blocks that no inbound rule of `group` admits on TCP 443. */
function uncoveredCidrs(group: GroupState, state: Pick<VpcState, 'ipv4Cidrs' | 'ipv6Cidrs'>): string[] {
  const https = group.ingress.filter(
    (p) => p.protocol === '-1' || ((p.protocol === 'tcp' || p.protocol === '6') && (p.fromPort ?? 0) <= 443 && (p.toPort ?? 65535) >= 443),
  );
  return [...state.ipv4Cidrs, ...state.ipv6Cidrs].filter((cidr) => !https.some((p) => p.cidrs.some((rule) => cidrCovered(rule, cidr))));
}

type Arn = (type: 'vpc' | 'vpc-endpoint' | 'security-group', id: string) => string;
type Ec2 = Awaited<ReturnType<ServiceEnv['clients']['ec2']>>;

function groupSteps(req: EndpointsRequest, state: VpcState, shared: Shared, vpcArn: string, arn: Arn, ec2: Ec2): Step[] {
  const steps: Step[] = [];
  const group = state.group;
  if (!group) {
    const change = planned({
      region: req.region,
      action: 'create',
      // The group has no id (so no ARN) until it exists: the plan names the VPC it goes in.
      resource: vpcArn,
      operation: 'ec2:CreateSecurityGroup',
      details: { groupName: ENDPOINT_GROUP_NAME, vpcId: req.vpcId, groupId: null },
    });
    steps.push({
      change,
      run: async () => {
        const r = await ec2.createSecurityGroup({
          GroupName: ENDPOINT_GROUP_NAME,
          VpcId: req.vpcId,
          Description: 'HTTPS from the VPC to the Systems Manager VPC endpoints (created by ssm-perms)',
        });
        shared.groupId = r.GroupId ?? null;
        // The change names what it made once it exists.
        change.resource = arn('security-group', shared.groupId ?? '');
        change.details.groupId = shared.groupId;
      },
    });
  }
  const cidrs = group ? uncoveredCidrs(group, state) : [...state.ipv4Cidrs, ...state.ipv6Cidrs];
  if (cidrs.length === 0) return steps;
  const ipv4 = cidrs.filter((c) => !c.includes(':'));
  const ipv6 = cidrs.filter((c) => c.includes(':'));
  const change = planned({
    region: req.region,
    action: 'update',
    resource: group ? arn('security-group', group.id) : vpcArn,
    operation: 'ec2:AuthorizeSecurityGroupIngress',
    details: { groupName: group?.name ?? ENDPOINT_GROUP_NAME, groupId: group?.id ?? null, protocol: 'tcp', port: '443', cidrs: cidrs.join(',') },
  });
  steps.push({
    change,
    run: async () => {
      const description = 'HTTPS to the Systems Manager VPC endpoints';
      await ec2.authorizeSecurityGroupIngress({
        GroupId: shared.groupId!,
        IpPermissions: [
          {
            IpProtocol: 'tcp',
            FromPort: 443,
            ToPort: 443,
            ...(ipv4.length ? { IpRanges: ipv4.map((CidrIp) => ({ CidrIp, Description: description })) } : {}),
            ...(ipv6.length ? { Ipv6Ranges: ipv6.map((CidrIpv6) => ({ CidrIpv6, Description: description })) } : {}),
          },
        ],
      });
      change.resource = arn('security-group', shared.groupId!);
      change.details.groupId = shared.groupId;
    },
  });
  return steps;
}

/**
 * The endpoint to reuse for a service: one with private DNS first (only one endpoint of a service in a
 * VPC can hold its private DNS name), then an available one.
 */
function pickInterfaceEndpoint(endpoints: readonly EndpointState[], name: string): EndpointState | undefined {
  const same = endpoints.filter((e) => e.type === 'interface' && e.serviceName === name);
  return same.find((e) => e.privateDns) ?? same.find((e) => e.state === 'available') ?? same[0];
}

function createInterfaceEndpoint(req: EndpointsRequest, name: string, subnets: SubnetState[], shared: Shared, vpcArn: string, arn: Arn, ec2: Ec2): Step {
  const change = planned({
    region: req.region,
    action: 'create',
    resource: vpcArn,
    operation: 'ec2:CreateVpcEndpoint',
    details: {
      serviceName: name,
      vpcEndpointType: 'Interface',
      vpcId: req.vpcId,
      subnetIds: subnets.map((s) => s.id).join(','),
      securityGroupId: shared.groupId,
      privateDnsEnabled: 'true',
      vpcEndpointId: null,
    },
  });
  // One token per planned endpoint: a retry of the same call (the SDK's, after a timeout) cannot make
  // two (EC2 API Reference, CreateVpcEndpoint ClientToken; "How to ensure idempotency").
  const ClientToken = randomUUID();
  return {
    change,
    run: async () => {
      const r = await ec2.createVpcEndpoint({
        VpcId: req.vpcId,
        VpcEndpointType: 'Interface',
        ServiceName: name,
        SubnetIds: subnets.map((s) => s.id),
        SecurityGroupIds: shared.groupId ? [shared.groupId] : undefined,
        PrivateDnsEnabled: true,
        ClientToken,
      });
      const id = r.VpcEndpoint?.VpcEndpointId ?? '';
      change.resource = arn('vpc-endpoint', id);
      change.details.vpcEndpointId = id;
      change.details.securityGroupId = shared.groupId;
    },
  };
}

/**
 * An existing endpoint completed: the chosen zones it lacks (a zone it already covers, through any of
 * its subnets, is left alone: a second subnet there would be refused), the endpoint group, private DNS.
 */
function completeInterfaceEndpoint(
  req: EndpointsRequest,
  e: EndpointState,
  subnets: SubnetState[],
  state: VpcState,
  shared: Shared,
  arn: Arn,
  ec2: Ec2,
): Step | null {
  const zoneOf = new Map(state.subnets.map((s) => [s.id, s.az]));
  const covered = new Set(e.subnetIds.map((id) => zoneOf.get(id)));
  const addSubnets = subnets.filter((s) => !covered.has(s.az)).map((s) => s.id);
  const addGroup = !shared.groupId || !e.groupIds.includes(shared.groupId);
  const dns = !e.privateDns;
  if (addSubnets.length === 0 && !addGroup && !dns) return null;
  const change = planned({
    region: req.region,
    action: 'update',
    resource: arn('vpc-endpoint', e.id),
    operation: 'ec2:ModifyVpcEndpoint',
    details: {
      vpcEndpointId: e.id,
      serviceName: e.serviceName,
      addSubnetIds: addSubnets.length ? addSubnets.join(',') : null,
      addSecurityGroupIds: addGroup ? (shared.groupId ?? ENDPOINT_GROUP_NAME) : null,
      privateDnsEnabled: dns ? 'true' : null,
    },
  });
  return {
    change,
    run: async () => {
      await ec2.modifyVpcEndpoint({
        VpcEndpointId: e.id,
        ...(addSubnets.length ? { AddSubnetIds: addSubnets } : {}),
        ...(addGroup && shared.groupId ? { AddSecurityGroupIds: [shared.groupId] } : {}),
        ...(dns ? { PrivateDnsEnabled: true } : {}),
      });
      if (addGroup) change.details.addSecurityGroupIds = shared.groupId;
    },
  };
}

function s3GatewayStep(
  req: EndpointsRequest,
  name: string,
  endpoints: readonly EndpointState[],
  tableIds: string[],
  vpcArn: string,
  arn: Arn,
  ec2: Ec2,
): Step | null {
  const existing = endpoints.find((e) => e.type === 'gateway' && e.serviceName === name);
  if (existing) {
    const add = tableIds.filter((id) => !existing.routeTableIds.includes(id));
    if (add.length === 0) return null;
    return {
      change: planned({
        region: req.region,
        action: 'update',
        resource: arn('vpc-endpoint', existing.id),
        operation: 'ec2:ModifyVpcEndpoint',
        details: { vpcEndpointId: existing.id, serviceName: name, addRouteTableIds: add.join(',') },
      }),
      run: async () => {
        await ec2.modifyVpcEndpoint({ VpcEndpointId: existing.id, AddRouteTableIds: add });
      },
    };
  }
  const change = planned({
    region: req.region,
    action: 'create',
    resource: vpcArn,
    operation: 'ec2:CreateVpcEndpoint',
    details: { serviceName: name, vpcEndpointType: 'Gateway', vpcId: req.vpcId, routeTableIds: tableIds.join(','), vpcEndpointId: null },
  });
  const ClientToken = randomUUID();
  return {
    change,
    run: async () => {
      const r = await ec2.createVpcEndpoint({ VpcId: req.vpcId, VpcEndpointType: 'Gateway', ServiceName: name, RouteTableIds: tableIds, ClientToken });
      const id = r.VpcEndpoint?.VpcEndpointId ?? '';
      change.resource = arn('vpc-endpoint', id);
      change.details.vpcEndpointId = id;
    },
  };
}

/** The plan as a result, for --dry-run. */
export function endpointsPlanResult(plan: EndpointsPlan): MutationResult {
  return {
    account: plan.request.account,
    dryRun: true,
    changes: plan.changes,
    regions: regionOutcomes([plan.request.region], new Map(), []),
    warnings: plan.warnings,
  };
}
