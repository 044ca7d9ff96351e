import { describe, expect, it } from 'vitest';
import {
  cidrContains,
  egressAllows,
  ingressAllows,
  internetPath,
  ipv4ToInt,
  routeTableFor,
  type RouteTable,
  type SecurityGroup,
} from '../../../src/policies/network.js';
import { atLeast, compareVersions } from '../../../src/policies/agent-version.js';

const route = (over: Partial<RouteTable['routes'][number]>) => ({
  destination: '0.0.0.0/0',
  gatewayId: null,
  natGatewayId: null,
  otherTarget: null,
  blackhole: false,
  ...over,
});
const https = (over: Partial<SecurityGroup['egress'][number]> = {}) => ({
  protocol: 'tcp',
  fromPort: 443,
  toPort: 443,
  cidrs: [],
  groupIds: [],
  prefixListIds: [],
  ...over,
});

describe('agent versions', () => {
  it('compares numerically, not as strings', () => {
    expect(compareVersions('3.2.1705.0', '3.2.582.0')).toBe(1);
    expect(compareVersions('3.2.582.0', '3.2.582.0')).toBe(0);
    expect(compareVersions('3.2.58.0', '3.2.582.0')).toBe(-1);
    expect(atLeast('3.3.40.0', '3.2.582.0')).toBe(true);
    expect(atLeast('2.3.1319.0', '3.2.582.0')).toBe(false);
  });
});

describe('routes', () => {
  const main: RouteTable = { id: 'rtb-main', main: true, subnetIds: [], routes: [] };
  const own: RouteTable = { id: 'rtb-own', main: false, subnetIds: ['subnet-a'], routes: [route({ natGatewayId: 'nat-1' })] };

  it('uses the subnet table, else the main one', () => {
    expect(routeTableFor([main, own], 'subnet-a')!.id).toBe('rtb-own');
    expect(routeTableFor([main, own], 'subnet-b')!.id).toBe('rtb-main');
  });

  it('tells internet gateway (with and without public IP), NAT, other targets, blackholes and none apart', () => {
    const igw: RouteTable = { ...main, routes: [route({ gatewayId: 'igw-1' })] };
    expect(internetPath(igw, true).path).toBe('internet-gateway');
    expect(internetPath(igw, false).path).toBe('igw-without-public-ip');
    expect(internetPath(own, false).path).toBe('nat');
    expect(internetPath({ ...main, routes: [route({ otherTarget: 'tgw-1' })] }, false).path).toBe('other');
    expect(internetPath({ ...main, routes: [route({ gatewayId: 'igw-1', blackhole: true })] }, true).path).toBe('none');
    expect(internetPath(main, true).path).toBe('none');
  });
});

describe('security groups', () => {
  it('matches CIDRs', () => {
    expect(cidrContains('10.0.0.0/16', '10.0.200.3')).toBe(true);
    expect(cidrContains('10.0.0.0/16', '10.1.0.3')).toBe(false);
    expect(cidrContains('0.0.0.0/0', '192.0.2.1')).toBe(true);
    expect(cidrContains('10.0.0.5/32', '10.0.0.5')).toBe(true);
    expect(cidrContains('nonsense', '10.0.0.5')).toBe(false);
  });

  it('finds outbound 443 to anywhere, to an address, or to a group; all-traffic rules count', () => {
    const open: SecurityGroup = { id: 'sg-open', ingress: [], egress: [https({ protocol: '-1', fromPort: null, toPort: null, cidrs: ['0.0.0.0/0'] })] };
    const toVpc: SecurityGroup = { id: 'sg-vpc', ingress: [], egress: [https({ cidrs: ['10.0.0.0/16'] })] };
    const toSg: SecurityGroup = { id: 'sg-to', ingress: [], egress: [https({ groupIds: ['sg-endpoint'] })] };
    const sshOnly: SecurityGroup = { id: 'sg-ssh', ingress: [], egress: [https({ fromPort: 22, toPort: 22, cidrs: ['0.0.0.0/0'] })] };
    expect(egressAllows([open], { anyIp: true })).toBe(true);
    expect(egressAllows([toVpc], { anyIp: true })).toBe(false);
    expect(egressAllows([toVpc], { ips: ['10.0.3.4'] })).toBe(true);
    // Every address of the destination must be allowed: its DNS name resolves to each of them.
    expect(egressAllows([toVpc], { ips: ['10.0.3.4', '192.168.0.9'] })).toBe(false);
    expect(egressAllows([toVpc], { ips: [] })).toBe(false);
    expect(egressAllows([toSg], { groupIds: ['sg-endpoint'] })).toBe(true);
    expect(egressAllows([sshOnly], { anyIp: true })).toBe(false);
  });

  it('finds inbound 443 from the instance group or address', () => {
    const bySg: SecurityGroup = { id: 'sg-e', egress: [], ingress: [https({ groupIds: ['sg-i'] })] };
    const byCidr: SecurityGroup = { id: 'sg-e', egress: [], ingress: [https({ fromPort: 0, toPort: 65535, cidrs: ['10.0.0.0/8'] })] };
    expect(ingressAllows([bySg], { ip: null, groupIds: ['sg-i'] })).toBe(true);
    expect(ingressAllows([bySg], { ip: '10.0.0.1', groupIds: ['sg-x'] })).toBe(false);
    expect(ingressAllows([byCidr], { ip: '10.0.0.1', groupIds: [] })).toBe(true);
  });
});

// Route semantics: each subnet uses its explicitly associated table, else the VPC's main one
// (https://docs.aws.amazon.com/vpc/latest/userguide/subnet-route-tables.html). A route's gatewayId is
// "the ID of a gateway attached to your VPC": an internet gateway (igw-...) or a virtual private gateway
// (vgw-...); a blackhole route's target is not available
// (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Route.html). Only an internet gateway
// reaches the internet, and only for an instance with a public IPv4 address
// (https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Internet_Gateway.html).
describe('internet path details', () => {
  const table = (routes: RouteTable['routes']): RouteTable => ({ id: 'rtb-1', main: true, subnetIds: [], routes });

  it('says so when no route table applies at all', () => {
    expect(internetPath(undefined, true)).toEqual({ path: 'none', detail: 'no route table applies to the subnet' });
  });

  it('names the NAT gateway that 0.0.0.0/0 goes to', () => {
    expect(internetPath(table([route({ natGatewayId: 'nat-0abc' })]), false)).toEqual({ path: 'nat', detail: '0.0.0.0/0 goes to NAT gateway nat-0abc' });
  });

  it('does not take a virtual private gateway for an internet gateway, and names it', () => {
    expect(internetPath(table([route({ gatewayId: 'vgw-0abc' })]), true)).toEqual({
      path: 'other',
      detail: '0.0.0.0/0 goes to vgw-0abc, which this check cannot follow',
    });
  });

  it('names a transit gateway (or other target) it cannot follow', () => {
    expect(internetPath(table([route({ otherTarget: 'tgw-0abc' })]), true)).toEqual({
      path: 'other',
      detail: '0.0.0.0/0 goes to tgw-0abc, which this check cannot follow',
    });
  });

  it('says "another target" when the route names no target it knows', () => {
    expect(internetPath(table([route({})]), true)).toEqual({ path: 'other', detail: '0.0.0.0/0 goes to another target, which this check cannot follow' });
  });
});

describe('IPv4 addresses and CIDR blocks', () => {
  it('reads a dotted quad as its 32-bit number, octets of any width up to 255', () => {
    expect(ipv4ToInt('10.20.0.5')).toBe(169082885);
    expect(ipv4ToInt('192.168.1.1')).toBe(3232235777);
    expect(ipv4ToInt('255.255.255.255')).toBe(4294967295);
  });

  it('refuses an octet above 255 and anything around or beyond the four octets', () => {
    expect(ipv4ToInt('10.0.0.256')).toBeNull();
    expect(ipv4ToInt('x10.0.0.5')).toBeNull();
    expect(ipv4ToInt('1.10.0.0.5')).toBeNull();
    expect(ipv4ToInt('10.0.0.5x')).toBeNull();
    expect(ipv4ToInt('10.0.0.5.7')).toBeNull();
  });

  it('matches the high octets that a prefix covers', () => {
    expect(cidrContains('10.20.0.0/16', '10.20.9.9')).toBe(true);
    expect(cidrContains('10.0.0.0/8', '10.255.0.1')).toBe(true);
  });

  // AWS writes a single address as a /32 (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpRange.html);
  // an address with no prefix is read the same way: it contains itself only.
  it('reads an address without a prefix as that one address', () => {
    expect(cidrContains('10.0.0.5', '10.0.0.5')).toBe(true);
    expect(cidrContains('10.0.0.5', '10.0.0.6')).toBe(false);
  });

  it('contains nothing that is not an address, and a malformed block contains nothing', () => {
    expect(cidrContains('0.0.0.0/0', 'garbage')).toBe(false);
    expect(cidrContains('0.0.0.0/8', 'garbage')).toBe(false);
    expect(cidrContains('bogus/8', '0.1.2.3')).toBe(false);
    expect(cidrContains('bogus/0', '10.0.0.1')).toBe(false);
  });

  it('refuses a prefix length outside 0..32', () => {
    expect(cidrContains('10.0.0.0/33', '10.0.0.0')).toBe(false);
    expect(cidrContains('10.0.0.0/-1', '10.0.0.1')).toBe(false);
    expect(cidrContains('10.0.0.0/x', '10.0.0.0')).toBe(false);
  });
});

// Rule semantics (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpPermission.html): IpProtocol is a
// name (tcp, udp, icmp, icmpv6) or a protocol number (6 is TCP), -1 is all protocols; for tcp the rule covers
// FromPort..ToPort. The rules of all the groups on a resource are aggregated into one set, and a rule can
// name a security group instead of addresses (https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html).
describe('which rules carry HTTPS (TCP 443)', () => {
  const out = (over: Partial<SecurityGroup['egress'][number]>): SecurityGroup => ({
    id: 'sg-i',
    ingress: [],
    egress: [https({ cidrs: ['0.0.0.0/0'], ...over })],
  });

  it('counts TCP given by its protocol number 6', () => {
    expect(egressAllows([out({ protocol: '6' })], { anyIp: true })).toBe(true);
  });

  it('does not count UDP 443, by name or by number', () => {
    expect(egressAllows([out({ protocol: 'udp' })], { anyIp: true })).toBe(false);
    expect(egressAllows([out({ protocol: '17' })], { anyIp: true })).toBe(false);
  });

  it('counts a TCP range only when 443 lies inside it', () => {
    expect(egressAllows([out({ fromPort: 400, toPort: 500 })], { anyIp: true })).toBe(true);
    expect(egressAllows([out({ fromPort: 8443, toPort: 8443 })], { anyIp: true })).toBe(false);
    expect(egressAllows([out({ fromPort: 444, toPort: 65535 })], { anyIp: true })).toBe(false);
  });
});

describe('outbound HTTPS to the endpoint', () => {
  const toVpc: SecurityGroup = { id: 'sg-vpc', ingress: [], egress: [https({ cidrs: ['10.0.0.0/16'] })] };
  const toHome: SecurityGroup = { id: 'sg-home', ingress: [], egress: [https({ cidrs: ['192.168.0.0/16'] })] };
  const toSg: SecurityGroup = { id: 'sg-to', ingress: [], egress: [https({ groupIds: ['sg-endpoint'] })] };

  it('does not take a rule to a security group for outbound to the internet', () => {
    expect(egressAllows([toSg], { anyIp: true })).toBe(false);
    expect(egressAllows([toSg], { ips: ['10.0.3.4'] })).toBe(false);
  });

  it('lets each address be allowed by a different rule of the instance groups', () => {
    expect(egressAllows([toVpc, toHome], { ips: ['10.0.3.4', '192.168.0.9'] })).toBe(true);
    expect(egressAllows([toHome, toVpc], { ips: ['10.0.3.4'] })).toBe(true);
  });

  it('lets any one of the CIDRs of a rule allow the address', () => {
    const both: SecurityGroup = { id: 'sg-both', ingress: [], egress: [https({ cidrs: ['192.168.0.0/16', '10.0.0.0/16'] })] };
    expect(egressAllows([both], { ips: ['10.0.3.4'] })).toBe(true);
  });
});

describe('inbound HTTPS on the endpoint', () => {
  const fromHome = https({ cidrs: ['192.168.0.0/16'] });
  const fromInstanceSg = https({ groupIds: ['sg-i'] });

  it('is allowed when any one of the endpoint groups allows it', () => {
    const other: SecurityGroup = { id: 'sg-other', egress: [], ingress: [fromHome] };
    const bySg: SecurityGroup = { id: 'sg-e', egress: [], ingress: [fromInstanceSg] };
    expect(ingressAllows([other, bySg], { ip: '10.0.0.1', groupIds: ['sg-i'] })).toBe(true);
  });

  it('is allowed when any one rule of a group allows it', () => {
    const mixed: SecurityGroup = { id: 'sg-e', egress: [], ingress: [fromHome, fromInstanceSg] };
    expect(ingressAllows([mixed], { ip: '10.0.0.1', groupIds: ['sg-i'] })).toBe(true);
  });

  it('is allowed when a rule naming several groups names one of the instance groups', () => {
    const several: SecurityGroup = { id: 'sg-e', egress: [], ingress: [https({ groupIds: ['sg-other', 'sg-i'] })] };
    expect(ingressAllows([several], { ip: null, groupIds: ['sg-i'] })).toBe(true);
  });
});
