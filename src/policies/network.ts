// Pure network reasoning for "can this instance reach Systems Manager?": the route out of its subnet,
// the interface endpoints of its VPC, and the security group rules on both ends. Inputs are plain
// shapes copied from the EC2 API, so this file stays free of I/O.

export interface Route {
  destination: string | null;
  gatewayId: string | null;
  natGatewayId: string | null;
  /** Transit gateway, peering, ENI, instance or other targets this tool cannot follow. */
  otherTarget: string | null;
  blackhole: boolean;
}

export interface RouteTable {
  id: string;
  main: boolean;
  subnetIds: string[];
  routes: Route[];
}

export interface Permission {
  protocol: string; // '-1' = all
  fromPort: number | null;
  toPort: number | null;
  cidrs: string[];
  groupIds: string[];
  prefixListIds: string[];
}

export interface SecurityGroup {
  id: string;
  ingress: Permission[];
  egress: Permission[];
}

export interface Endpoint {
  id: string;
  /** ssm, ssmmessages, ec2messages... (the last part of com.amazonaws.REGION.X). */
  service: string;
  privateDns: boolean;
  available: boolean;
  groupIds: string[];
  /** The private IPs of the endpoint's network interfaces: where the instance's HTTPS goes. */
  ips: string[];
}

export function ipv4ToInt(ip: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
}

export function cidrContains(cidr: string, ip: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const b = ipv4ToInt(base ?? '');
  const i = ipv4ToInt(ip);
  const bits = Number(bitsText ?? '32');
  if (b === null || i === null || !(bits >= 0 && bits <= 32)) return false;
  if (bits === 0) return true;
  const mask = (0xffffffff << (32 - bits)) >>> 0;
  return (b & mask) === (i & mask);
}

const coversHttps = (p: Permission) =>
  p.protocol === '-1' || ((p.protocol === 'tcp' || p.protocol === '6') && (p.fromPort ?? 0) <= 443 && (p.toPort ?? 65535) >= 443);

/** The route table that applies to a subnet: its explicit association, else the VPC's main table. */
export function routeTableFor(tables: readonly RouteTable[], subnetId: string | null): RouteTable | undefined {
  return tables.find((t) => subnetId && t.subnetIds.includes(subnetId)) ?? tables.find((t) => t.main);
}

export type InternetPath = 'internet-gateway' | 'nat' | 'igw-without-public-ip' | 'other' | 'none';

export function internetPath(table: RouteTable | undefined, hasPublicIp: boolean): { path: InternetPath; detail: string } {
  const route = table?.routes.find((r) => r.destination === '0.0.0.0/0' && !r.blackhole);
  if (!route) return { path: 'none', detail: table ? `route table ${table.id} has no 0.0.0.0/0 route` : 'no route table applies to the subnet' };
  if (route.natGatewayId) return { path: 'nat', detail: `0.0.0.0/0 goes to NAT gateway ${route.natGatewayId}` };
  if (route.gatewayId?.startsWith('igw-')) {
    return hasPublicIp
      ? { path: 'internet-gateway', detail: `0.0.0.0/0 goes to internet gateway ${route.gatewayId} and the instance has a public IP` }
      : { path: 'igw-without-public-ip', detail: `0.0.0.0/0 goes to internet gateway ${route.gatewayId}, but the instance has no public IP` };
  }
  return { path: 'other', detail: `0.0.0.0/0 goes to ${route.otherTarget ?? route.gatewayId ?? 'another target'}, which this check cannot follow` };
}

/**
 * Does any of the instance's groups allow outbound HTTPS to the destination: anywhere (`anyIp`), or a
 * set of addresses - every one of them, since the endpoint's DNS name resolves to each - or a group?
 */
export function egressAllows(groups: readonly SecurityGroup[], to: { anyIp?: boolean; ips?: readonly string[]; groupIds?: readonly string[] }): boolean {
  const rules = groups.flatMap((g) => g.egress).filter(coversHttps);
  if (rules.some((p) => p.cidrs.includes('0.0.0.0/0'))) return true;
  if (rules.some((p) => p.groupIds.some((id) => to.groupIds?.includes(id)))) return true;
  const ips = to.anyIp ? [] : (to.ips ?? []);
  return ips.length > 0 && ips.every((ip) => rules.some((p) => p.cidrs.some((c) => cidrContains(c, ip))));
}

/** Does an endpoint's security group let HTTPS in from the instance (by group or by address)? */
export function ingressAllows(endpointGroups: readonly SecurityGroup[], from: { ip: string | null; groupIds: readonly string[] }): boolean {
  return endpointGroups.some((g) =>
    g.ingress.some(
      (p) => coversHttps(p) && (p.groupIds.some((id) => from.groupIds.includes(id)) || (from.ip !== null && p.cidrs.some((c) => cidrContains(c, from.ip!)))),
    ),
  );
}
