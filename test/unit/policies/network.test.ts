import { describe, expect, it } from 'vitest';
import { cidrContains, egressAllows, ingressAllows, internetPath, routeTableFor, type RouteTable, type SecurityGroup } from '../../../src/policies/network.js';
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
