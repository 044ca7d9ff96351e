// A canned-response AWS on 127.0.0.1 for doctor at fleet scale: it answers the read calls doctor makes
// (EC2 and IAM query protocol in XML, SSM JSON 1.1, STS) from a generated fleet of realistic shape,
// honouring the filters, page sizes and NextToken pagination doctor relies on, with an optional
// latency per call. moto cannot serve 20,000 instances (its DescribeInstances costs ~3.5 ms per
// instance), so this measures the CLI, not the emulator. Signed requests are accepted unverified.
//
//   node bench/canned-aws.mjs --instances 20000 [--latency 100] [--port 0]
//
// prints the URL; `ssm-perms doctor --region us-east-1 --endpoint-url URL` then runs against it.
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

export const ACCOUNT = '123456789012';
const EC2_NS = 'http://ec2.amazonaws.com/doc/2016-11-15/';
const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

const xmlEscape = (text) => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const hex = (n, width) => n.toString(16).padStart(width, '0');

// ---- the fleet ------------------------------------------------------------------------------------
// Four VPCs of the kinds doctor tells apart: public subnets behind an internet gateway, private ones
// behind a NAT gateway, private ones with interface endpoints for ssm/ssmmessages/ec2messages, and
// isolated ones with no way out. Each instance's facts follow from its index, so nothing per instance
// is stored beyond what a page renders.
const VPCS = [
  { id: 'vpc-0a000000000000001', cidr: '10.0.0.0/16', kind: 'public' },
  { id: 'vpc-0a000000000000002', cidr: '10.1.0.0/16', kind: 'nat' },
  { id: 'vpc-0a000000000000003', cidr: '10.2.0.0/16', kind: 'endpoints' },
  { id: 'vpc-0a000000000000004', cidr: '10.3.0.0/16', kind: 'isolated' },
];
const subnetId = (v, s) => `subnet-0b${hex(v * 16 + s, 15)}`;
const groupId = (v) => `sg-0c${hex(v, 15)}`;
const endpointGroupId = (v) => `sg-0e${hex(v, 15)}`;

const CORE = 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore';
const DHMC_POLICY = 'arn:aws:iam::aws:policy/AmazonSSMManagedEC2InstanceDefaultPolicy';
const LOGS = `arn:aws:iam::${ACCOUNT}:policy/AppLogs`;
const DHMC_ROLE = 'AWSSystemsManagerDefaultEC2InstanceManagementRole';
// What the agent needs (AmazonSSMManagedInstanceCore's actions, as doctor's IAM evaluator reads them).
const AGENT_DOC = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: [
        'ssm:DescribeAssociation',
        'ssm:GetDocument',
        'ssm:ListAssociations',
        'ssm:ListInstanceAssociations',
        'ssm:PutInventory',
        'ssm:UpdateInstanceInformation',
      ],
      Resource: '*',
    },
    {
      Effect: 'Allow',
      Action: ['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel'],
      Resource: '*',
    },
    { Effect: 'Allow', Action: ['ec2messages:AcknowledgeMessage', 'ec2messages:GetMessages', 'ec2messages:SendReply'], Resource: '*' },
  ],
};
const LOGS_DOC = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' }] };
const POLICIES = { [CORE]: AGENT_DOC, [DHMC_POLICY]: AGENT_DOC, [LOGS]: LOGS_DOC };
const EC2_TRUST = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
const SSM_TRUST = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ssm.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
/** Roles by name: path, trust, attached policies, inline policies. */
const ROLES = {
  SSMInstanceProfileRole: { path: '/', trust: EC2_TRUST, attached: [CORE], inline: {} },
  AppServerRole: { path: '/', trust: EC2_TRUST, attached: [LOGS, CORE], inline: { 'app-config': LOGS_DOC } },
  // Attached to instances, but grants the agent nothing: those instances fall through to DHMC.
  LegacyRole: { path: '/', trust: EC2_TRUST, attached: [LOGS], inline: {} },
  [DHMC_ROLE]: { path: '/service-role/', trust: SSM_TRUST, attached: [DHMC_POLICY], inline: {} },
};
const PROFILES = { SSMInstanceProfile: 'SSMInstanceProfileRole', AppServer: 'AppServerRole', Legacy: 'LegacyRole' };
const PROFILE_OF = ['SSMInstanceProfile', 'AppServer', 'SSMInstanceProfile', 'Legacy', null, 'AppServer', null, 'SSMInstanceProfile'];
const AGENTS = ['3.3.1611.0', '3.3.1345.0', '3.2.582.0', '3.1.1732.0', '3.3.40.0'];
const TYPES = ['t3.micro', 't3.large', 'm5.xlarge', 'c6i.2xlarge', 'r6g.large'];

export function makeFleet(count, region = 'us-east-1') {
  const ids = Array.from({ length: count }, (_, i) => `i-0${hex(i + 1, 16)}`);
  const index = new Map(ids.map((id, i) => [id, i]));
  /** The facts of instance i, computed when a page renders it. */
  function instance(i) {
    const v = i % 13 < 5 ? 0 : i % 13 < 9 ? 1 : i % 13 < 12 ? 2 : 3;
    const s = (i >> 2) % 4;
    const stopped = i % 29 === 7;
    const profile = PROFILE_OF[i % PROFILE_OF.length];
    return {
      id: ids[i],
      i,
      vpc: VPCS[v],
      v,
      subnet: subnetId(v, s),
      ip: `10.${v}.${(i >> 8) & 255}.${i & 255 || 1}`,
      publicIp: VPCS[v].kind === 'public' ? `3.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255 || 1}` : null,
      state: stopped ? 'stopped' : 'running',
      imds: i % 41 === 3 ? 'disabled' : 'enabled',
      tokens: i % 3 === 0 ? 'optional' : 'required',
      profile,
      agent: i % 53 === 5 ? null : AGENTS[i % AGENTS.length],
      type: TYPES[i % TYPES.length],
      team: ['payments', 'search', 'web', 'data'][i % 4],
      launched: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
    };
  }
  /** Whether SSM lists it: running, IMDS on, an agent, a way out, and credentials from the profile or DHMC. */
  function registered(x) {
    if (x.state !== 'running' || x.imds !== 'enabled' || !x.agent || x.vpc.kind === 'isolated') return false;
    return x.profile !== 'Legacy' || x.agent >= '3.2.582.0';
  }
  return { region, ids, index, instance, registered };
}

// ---- request parsing --------------------------------------------------------------------------------
function serviceOf(headers) {
  const m = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(headers.authorization ?? '');
  return m ? { region: m[1], service: m[2] } : { region: null, service: null };
}

/** EC2/IAM query parameters: `Filter.1.Name=x&Filter.1.Value.1=y` -> filters [{ name, values }]. */
function queryOf(body) {
  const params = new URLSearchParams(body);
  const filters = new Map();
  for (const [k, v] of params) {
    const m = /^Filter\.(\d+)\.(Name|Value\.\d+)$/.exec(k);
    if (!m) continue;
    const f = filters.get(m[1]) ?? { name: '', values: [] };
    if (m[2] === 'Name') f.name = v;
    else f.values.push(v);
    filters.set(m[1], f);
  }
  return { params, filters: [...filters.values()] };
}

class ApiError extends Error {
  constructor(code, message, status = 400) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

/** A page of `items` (any array-like with a length and at()) from a token that is the offset. */
function page(total, token, max) {
  const start = token ? Number(Buffer.from(token, 'base64url').toString().replace(/^o:/, '')) : 0;
  if (!Number.isInteger(start) || start < 0) throw new ApiError('InvalidNextToken', 'The specified token is not valid.');
  const end = Math.min(total, start + max);
  return { start, end, next: end < total ? Buffer.from(`o:${end}`).toString('base64url') : null };
}

function maxResults(raw, min, max, fallback) {
  if (raw === undefined || raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new ApiError('InvalidParameterValue', `Value ( ${raw} ) for parameter maxResults is invalid. Expecting a value between ${min} and ${max}.`);
  return n;
}

/** EC2 counts every value of every filter together (FilterLimitExceeded above 200). */
function checkFilterLimit(filters) {
  const n = filters.reduce((sum, f) => sum + f.values.length, 0);
  if (n > 200) throw new ApiError('FilterLimitExceeded', 'The maximum number of filter values specified on a single call is 200');
}

// ---- EC2 ----------------------------------------------------------------------------------------------
function instanceXml(x, region) {
  const tags = [
    ['Name', `${x.team}-${x.i}`],
    ['team', x.team],
    ['env', x.i % 5 === 0 ? 'staging' : 'prod'],
    ['cost-center', `cc-${1000 + (x.i % 37)}`],
  ];
  const eni = `eni-0d${hex(x.i + 1, 15)}`;
  const az = `${region}${'abcd'[(x.i >> 2) % 4]}`;
  const running = x.state === 'running';
  return `<item><instanceId>${x.id}</instanceId><imageId>ami-0abcdef1234567890</imageId><instanceState><code>${running ? 16 : 80}</code><name>${x.state}</name></instanceState><privateDnsName>ip-${x.ip.replace(/\./g, '-')}.ec2.internal</privateDnsName><dnsName>${x.publicIp ? `ec2-${x.publicIp.replace(/\./g, '-')}.compute-1.amazonaws.com` : ''}</dnsName><reason>${running ? '' : 'User initiated (2026-01-02 10:00:00 GMT)'}</reason><keyName>ops-key</keyName><amiLaunchIndex>0</amiLaunchIndex><productCodes/><instanceType>${x.type}</instanceType><launchTime>${x.launched}</launchTime><placement><availabilityZone>${az}</availabilityZone><groupName></groupName><tenancy>default</tenancy></placement><monitoring><state>disabled</state></monitoring><subnetId>${x.subnet}</subnetId><vpcId>${x.vpc.id}</vpcId><privateIpAddress>${x.ip}</privateIpAddress>${x.publicIp ? `<ipAddress>${x.publicIp}</ipAddress>` : ''}<sourceDestCheck>true</sourceDestCheck><groupSet><item><groupId>${groupId(x.v)}</groupId><groupName>app-${x.v}</groupName></item></groupSet><architecture>x86_64</architecture><rootDeviceType>ebs</rootDeviceType><rootDeviceName>/dev/xvda</rootDeviceName><blockDeviceMapping><item><deviceName>/dev/xvda</deviceName><ebs><volumeId>vol-0f${hex(x.i + 1, 15)}</volumeId><status>attached</status><attachTime>${x.launched}</attachTime><deleteOnTermination>true</deleteOnTermination></ebs></item></blockDeviceMapping><virtualizationType>hvm</virtualizationType><clientToken>${hex(x.i * 2654435761, 8)}-bench</clientToken><tagSet>${tags.map(([k, v]) => `<item><key>${k}</key><value>${xmlEscape(v)}</value></item>`).join('')}</tagSet><hypervisor>xen</hypervisor><networkInterfaceSet><item><networkInterfaceId>${eni}</networkInterfaceId><subnetId>${x.subnet}</subnetId><vpcId>${x.vpc.id}</vpcId><description></description><ownerId>${ACCOUNT}</ownerId><status>in-use</status><macAddress>02:${hex(x.i & 255, 2)}:${hex((x.i >> 8) & 255, 2)}:aa:bb:cc</macAddress><privateIpAddress>${x.ip}</privateIpAddress><privateDnsName>ip-${x.ip.replace(/\./g, '-')}.ec2.internal</privateDnsName><sourceDestCheck>true</sourceDestCheck><groupSet><item><groupId>${groupId(x.v)}</groupId><groupName>app-${x.v}</groupName></item></groupSet><attachment><attachmentId>eni-attach-0${hex(x.i + 1, 16)}</attachmentId><deviceIndex>0</deviceIndex><status>attached</status><attachTime>${x.launched}</attachTime><deleteOnTermination>true</deleteOnTermination><networkCardIndex>0</networkCardIndex></attachment>${x.publicIp ? `<association><publicIp>${x.publicIp}</publicIp><publicDnsName></publicDnsName><ipOwnerId>amazon</ipOwnerId></association>` : ''}<privateIpAddressesSet><item><privateIpAddress>${x.ip}</privateIpAddress><privateDnsName>ip-${x.ip.replace(/\./g, '-')}.ec2.internal</privateDnsName><primary>true</primary></item></privateIpAddressesSet><ipv6AddressesSet/><interfaceType>interface</interfaceType></item></networkInterfaceSet>${x.profile ? `<iamInstanceProfile><arn>arn:aws:iam::${ACCOUNT}:instance-profile/${x.profile}</arn><id>AIPA${hex(x.i % 8, 17).toUpperCase()}</id></iamInstanceProfile>` : ''}<ebsOptimized>false</ebsOptimized><enaSupport>true</enaSupport><cpuOptions><coreCount>1</coreCount><threadsPerCore>2</threadsPerCore></cpuOptions><capacityReservationSpecification><capacityReservationPreference>open</capacityReservationPreference></capacityReservationSpecification><hibernationOptions><configured>false</configured></hibernationOptions><enclaveOptions><enabled>false</enabled></enclaveOptions><metadataOptions><state>applied</state><httpTokens>${x.tokens}</httpTokens><httpPutResponseHopLimit>2</httpPutResponseHopLimit><httpEndpoint>${x.imds}</httpEndpoint><httpProtocolIpv6>disabled</httpProtocolIpv6><instanceMetadataTags>disabled</instanceMetadataTags></metadataOptions><bootMode>uefi-preferred</bootMode><platformDetails>Linux/UNIX</platformDetails><usageOperation>RunInstances</usageOperation><usageOperationUpdateTime>${x.launched}</usageOperationUpdateTime><privateDnsNameOptions><hostnameType>ip-name</hostnameType><enableResourceNameDnsARecord>false</enableResourceNameDnsARecord><enableResourceNameDnsAAAARecord>false</enableResourceNameDnsAAAARecord></privateDnsNameOptions><maintenanceOptions><autoRecovery>default</autoRecovery></maintenanceOptions><currentInstanceBootMode>legacy-bios</currentInstanceBootMode></item>`;
}

/** The instances a DescribeInstances / association filter set selects, as indexes, in order. */
function selectInstances(fleet, filters) {
  let picked = null;
  const ids = filters.find((f) => f.name === 'instance-id');
  if (ids) picked = ids.values.map((id) => fleet.index.get(id)).filter((i) => i !== undefined);
  const all = picked ?? { length: fleet.ids.length };
  const out = [];
  for (let k = 0; k < all.length; k += 1) {
    const i = picked ? picked[k] : k;
    const x = fleet.instance(i);
    let ok = true;
    for (const f of filters) {
      if (f.name === 'instance-state-name') ok &&= f.values.includes(x.state);
      else if (f.name === 'tag:team') ok &&= f.values.includes(x.team);
      else if (f.name === 'vpc-id') ok &&= f.values.includes(x.vpc.id);
    }
    if (ok) out.push(i);
  }
  return out;
}

function routeTablesOf(v) {
  const vpc = VPCS[v];
  const local = `<item><destinationCidrBlock>${vpc.cidr}</destinationCidrBlock><gatewayId>local</gatewayId><state>active</state><origin>CreateRouteTable</origin></item>`;
  const out =
    vpc.kind === 'public'
      ? `<item><destinationCidrBlock>0.0.0.0/0</destinationCidrBlock><gatewayId>igw-0f00000000000001</gatewayId><state>active</state><origin>CreateRoute</origin></item>`
      : vpc.kind === 'nat'
        ? `<item><destinationCidrBlock>0.0.0.0/0</destinationCidrBlock><natGatewayId>nat-0f00000000000002</natGatewayId><state>active</state><origin>CreateRoute</origin></item>`
        : '';
  const assoc = [0, 1, 2, 3]
    .map(
      (s) =>
        `<item><main>false</main><routeTableAssociationId>rtbassoc-0${hex(v * 16 + s, 16)}</routeTableAssociationId><routeTableId>rtb-0${hex(v, 16)}</routeTableId><subnetId>${subnetId(v, s)}</subnetId><associationState><state>associated</state></associationState></item>`,
    )
    .join('');
  return [
    `<item><routeTableId>rtb-0${hex(v, 16)}</routeTableId><vpcId>${vpc.id}</vpcId><ownerId>${ACCOUNT}</ownerId><routeSet>${local}${out}</routeSet><associationSet>${assoc}</associationSet><propagatingVgwSet/><tagSet/></item>`,
    `<item><routeTableId>rtb-1${hex(v, 16)}</routeTableId><vpcId>${vpc.id}</vpcId><ownerId>${ACCOUNT}</ownerId><routeSet>${local}</routeSet><associationSet><item><main>true</main><routeTableAssociationId>rtbassoc-1${hex(v, 16)}</routeTableAssociationId><routeTableId>rtb-1${hex(v, 16)}</routeTableId><associationState><state>associated</state></associationState></item></associationSet><propagatingVgwSet/><tagSet/></item>`,
  ];
}

const ENDPOINT_SERVICES = ['ssm', 'ssmmessages', 'ec2messages'];
function endpointsOf(v, region) {
  if (VPCS[v].kind !== 'endpoints') return [];
  return ENDPOINT_SERVICES.map(
    (s, k) =>
      `<item><vpcEndpointId>vpce-0${hex(v * 4 + k, 16)}</vpcEndpointId><vpcEndpointType>Interface</vpcEndpointType><vpcId>${VPCS[v].id}</vpcId><serviceName>com.amazonaws.${region}.${s}</serviceName><state>available</state><routeTableIdSet/><subnetIdSet><item>${subnetId(v, 0)}</item></subnetIdSet><groupSet><item><groupId>${endpointGroupId(v)}</groupId><groupName>endpoints</groupName></item></groupSet><privateDnsEnabled>true</privateDnsEnabled><requesterManaged>false</requesterManaged><networkInterfaceIdSet><item>eni-0e${hex(v * 4 + k, 15)}</item></networkInterfaceIdSet><creationTimestamp>2026-01-01T00:00:00.000Z</creationTimestamp><ownerId>${ACCOUNT}</ownerId></item>`,
  );
}

function groupsOf(v) {
  const vpc = VPCS[v];
  const egressAll = `<ipPermissionsEgress><item><ipProtocol>-1</ipProtocol><groups/><ipRanges><item><cidrIp>0.0.0.0/0</cidrIp></item></ipRanges><ipv6Ranges/><prefixListIds/></item></ipPermissionsEgress>`;
  const app = `<item><ownerId>${ACCOUNT}</ownerId><groupId>${groupId(v)}</groupId><groupName>app-${v}</groupName><groupDescription>app</groupDescription><vpcId>${vpc.id}</vpcId><ipPermissions><item><ipProtocol>tcp</ipProtocol><fromPort>22</fromPort><toPort>22</toPort><groups/><ipRanges><item><cidrIp>10.0.0.0/8</cidrIp></item></ipRanges><ipv6Ranges/><prefixListIds/></item></ipPermissions>${egressAll}</item>`;
  if (vpc.kind !== 'endpoints') return [app];
  const ep = `<item><ownerId>${ACCOUNT}</ownerId><groupId>${endpointGroupId(v)}</groupId><groupName>endpoints</groupName><groupDescription>HTTPS from the VPC</groupDescription><vpcId>${vpc.id}</vpcId><ipPermissions><item><ipProtocol>tcp</ipProtocol><fromPort>443</fromPort><toPort>443</toPort><groups/><ipRanges><item><cidrIp>${vpc.cidr}</cidrIp></item></ipRanges><ipv6Ranges/><prefixListIds/></item></ipPermissions>${egressAll}</item>`;
  return [app, ep];
}

function endpointEnis(region) {
  const out = [];
  VPCS.forEach((vpc, v) => {
    if (vpc.kind !== 'endpoints') return;
    ENDPOINT_SERVICES.forEach((s, k) => {
      const ip = `10.${v}.255.${10 + k}`;
      out.push({
        id: `eni-0e${hex(v * 4 + k, 15)}`,
        xml: `<item><networkInterfaceId>eni-0e${hex(v * 4 + k, 15)}</networkInterfaceId><subnetId>${subnetId(v, 0)}</subnetId><vpcId>${vpc.id}</vpcId><availabilityZone>${region}a</availabilityZone><description>VPC Endpoint Interface vpce-0${hex(v * 4 + k, 16)}</description><ownerId>${ACCOUNT}</ownerId><requesterManaged>true</requesterManaged><status>in-use</status><privateIpAddress>${ip}</privateIpAddress><groupSet><item><groupId>${endpointGroupId(v)}</groupId><groupName>endpoints</groupName></item></groupSet><privateIpAddressesSet><item><privateIpAddress>${ip}</privateIpAddress><primary>true</primary></item></privateIpAddressesSet><interfaceType>vpc_endpoint</interfaceType></item>`,
      });
    });
  });
  return out;
}

/** A listing of pre-rendered items filtered by VPC: route tables, endpoints, security groups. */
function vpcListing(filters, render) {
  const vpcIds = filters.find((f) => f.name === 'vpc-id')?.values;
  return VPCS.flatMap((vpc, v) => (!vpcIds || vpcIds.includes(vpc.id) ? render(v) : []));
}

function ec2Answer(fleet, action, body) {
  const { params, filters } = queryOf(body);
  checkFilterLimit(filters);
  const token = params.get('NextToken') ?? undefined;
  const wrap = (inner, next) =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${EC2_NS}"><requestId>00000000-0000-4000-8000-000000000000</requestId>${inner}${next ? `<nextToken>${next}</nextToken>` : ''}</${action}Response>`;
  const listing = (tag, items, max) => {
    const p = page(items.length, token, max);
    return wrap(`<${tag}>${items.slice(p.start, p.end).join('')}</${tag}>`, p.next);
  };
  switch (action) {
    case 'DescribeInstances': {
      const picked = selectInstances(fleet, filters);
      const p = page(picked.length, token, maxResults(params.get('MaxResults'), 5, 1000, 1000));
      // Ten instances a reservation, as a launch of several instances groups them.
      let xml = '';
      for (let k = p.start; k < p.end; k += 10) {
        const items = picked
          .slice(k, Math.min(p.end, k + 10))
          .map((i) => instanceXml(fleet.instance(i), fleet.region))
          .join('');
        xml += `<item><reservationId>r-0${hex(picked[k] + 1, 16)}</reservationId><ownerId>${ACCOUNT}</ownerId><groupSet/><instancesSet>${items}</instancesSet></item>`;
      }
      return wrap(`<reservationSet>${xml}</reservationSet>`, p.next);
    }
    case 'DescribeIamInstanceProfileAssociations': {
      const picked = selectInstances(fleet, filters).filter((i) => fleet.instance(i).profile);
      const p = page(picked.length, token, maxResults(params.get('MaxResults'), 5, 1000, 1000));
      const items = picked.slice(p.start, p.end).map((i) => {
        const x = fleet.instance(i);
        return `<item><associationId>iip-assoc-0${hex(i + 1, 16)}</associationId><instanceId>${x.id}</instanceId><iamInstanceProfile><arn>arn:aws:iam::${ACCOUNT}:instance-profile/${x.profile}</arn><id>AIPA${hex(i % 8, 17).toUpperCase()}</id></iamInstanceProfile><state>associated</state></item>`;
      });
      return wrap(`<iamInstanceProfileAssociationSet>${items.join('')}</iamInstanceProfileAssociationSet>`, p.next);
    }
    case 'DescribeRouteTables':
      return listing('routeTableSet', vpcListing(filters, routeTablesOf), maxResults(params.get('MaxResults'), 5, 100, 100));
    case 'DescribeVpcEndpoints':
      return listing(
        'vpcEndpointSet',
        vpcListing(filters, (v) => endpointsOf(v, fleet.region)),
        maxResults(params.get('MaxResults'), 5, 1000, 1000),
      );
    case 'DescribeSecurityGroups':
      return listing('securityGroupInfo', vpcListing(filters, groupsOf), maxResults(params.get('MaxResults'), 5, 1000, 1000));
    case 'DescribeNetworkInterfaces': {
      const wanted = filters.find((f) => f.name === 'network-interface-id')?.values;
      const enis = endpointEnis(fleet.region).filter((e) => !wanted || wanted.includes(e.id));
      return listing(
        'networkInterfaceSet',
        enis.map((e) => e.xml),
        maxResults(params.get('MaxResults'), 5, 1000, 1000),
      );
    }
    case 'DescribeRegions':
      return wrap(
        `<regionInfo><item><regionName>${fleet.region}</regionName><regionEndpoint>ec2.${fleet.region}.amazonaws.com</regionEndpoint><optInStatus>opt-in-not-required</optInStatus></item></regionInfo>`,
      );
    default:
      throw new ApiError('InvalidAction', `The action ${action} is not valid for this web service.`);
  }
}

// ---- SSM ----------------------------------------------------------------------------------------------
function ssmAnswer(fleet, target, input) {
  switch (target) {
    case 'GetServiceSetting':
      return {
        ServiceSetting: {
          SettingId: input.SettingId,
          SettingValue: `service-role/${DHMC_ROLE}`,
          LastModifiedDate: 1767225600,
          LastModifiedUser: `arn:aws:iam::${ACCOUNT}:user/admin`,
          ARN: `arn:aws:ssm:${fleet.region}:${ACCOUNT}:servicesetting${input.SettingId}`,
          Status: 'Customized',
        },
      };
    case 'DescribeInstanceInformation': {
      const max = input.MaxResults ?? 10;
      // MaxResults 5-50 and at most 100 values a filter (botocore's SSM model: MaxResultsEC2Compatible,
      // InstanceInformationFilterValueSet).
      if (!Number.isInteger(max) || max < 5 || max > 50)
        throw new ApiError(
          'ValidationException',
          `1 validation error detected: Value '${max}' at 'maxResults' failed to satisfy constraint: Member must have value between 5 and 50`,
        );
      let picked = null;
      for (const f of input.Filters ?? []) {
        if ((f.Values ?? []).length > 100 || (f.Values ?? []).length < 1)
          throw new ApiError(
            'ValidationException',
            `1 validation error detected: Value at 'filters.1.member.values' failed to satisfy constraint: Member must have length less than or equal to 100`,
          );
        if (f.Key === 'InstanceIds') picked = f.Values.map((id) => fleet.index.get(id)).filter((i) => i !== undefined);
        else throw new ApiError('InvalidFilterKey', `The filter key ${f.Key} is not supported by this bench server`);
      }
      const nodes = (picked ?? fleet.ids.map((_, i) => i)).filter((i) => fleet.registered(fleet.instance(i)));
      const p = page(nodes.length, input.NextToken, max);
      return {
        InstanceInformationList: nodes.slice(p.start, p.end).map((i) => {
          const x = fleet.instance(i);
          return {
            InstanceId: x.id,
            PingStatus: 'Online',
            LastPingDateTime: 1767225600 + (i % 600),
            AgentVersion: x.agent,
            IsLatestVersion: x.agent === AGENTS[0],
            PlatformType: 'Linux',
            PlatformName: 'Amazon Linux',
            PlatformVersion: '2023',
            ResourceType: 'EC2Instance',
            IPAddress: x.ip,
            ComputerName: `ip-${x.ip.replace(/\./g, '-')}.ec2.internal`,
            AssociationStatus: 'Success',
            LastAssociationExecutionDate: 1767225000,
            LastSuccessfulAssociationExecutionDate: 1767225000,
            SourceId: x.id,
            SourceType: 'AWS::EC2::Instance',
          };
        }),
        ...(p.next ? { NextToken: p.next } : {}),
      };
    }
    case 'ListAssociations':
      return {
        Associations: [
          {
            Name: 'AWS-GatherSoftwareInventory',
            AssociationId: 'aaaaaaaa-0000-4000-8000-000000000001',
            AssociationVersion: '1',
            Targets: [{ Key: 'InstanceIds', Values: ['*'] }],
            ScheduleExpression: 'rate(30 minutes)',
          },
        ].filter((a) => !input.AssociationFilterList?.some((f) => f.key === 'Name' && f.value !== a.Name)),
      };
    default:
      throw new ApiError('InvalidAction', `${target} is not answered by this bench server`);
  }
}

// ---- IAM and STS ----------------------------------------------------------------------------------------
const iso = '2026-01-01T00:00:00Z';
const roleXml = (name) => {
  const r = ROLES[name];
  return `<Role><Path>${r.path}</Path><RoleName>${name}</RoleName><RoleId>AROA${hex(name.length * 7919, 17).toUpperCase()}</RoleId><Arn>arn:aws:iam::${ACCOUNT}:role${r.path}${name}</Arn><CreateDate>${iso}</CreateDate><AssumeRolePolicyDocument>${encodeURIComponent(JSON.stringify(r.trust))}</AssumeRolePolicyDocument><MaxSessionDuration>3600</MaxSessionDuration><Tags/></Role>`;
};
const noSuch = (what) => new ApiError('NoSuchEntity', `The ${what} cannot be found.`, 404);

function iamAnswer(action, body) {
  const { params } = queryOf(body);
  const role = params.get('RoleName');
  const result = (inner) =>
    `<${action}Response xmlns="${IAM_NS}"><${action}Result>${inner}</${action}Result><ResponseMetadata><RequestId>00000000-0000-4000-8000-000000000001</RequestId></ResponseMetadata></${action}Response>`;
  switch (action) {
    case 'GetInstanceProfile': {
      const name = params.get('InstanceProfileName');
      if (!PROFILES[name]) throw noSuch(`Instance Profile ${name}`);
      return result(
        `<InstanceProfile><Path>/</Path><InstanceProfileName>${name}</InstanceProfileName><InstanceProfileId>AIPA${hex(name.length, 17).toUpperCase()}</InstanceProfileId><Arn>arn:aws:iam::${ACCOUNT}:instance-profile/${name}</Arn><CreateDate>${iso}</CreateDate><Roles><member>${roleXml(PROFILES[name]).replace(/^<Role>|<\/Role>$/g, '')}</member></Roles></InstanceProfile>`,
      );
    }
    case 'GetRole':
      if (!ROLES[role]) throw noSuch(`role with name ${role}`);
      return result(roleXml(role));
    case 'ListAttachedRolePolicies':
      if (!ROLES[role]) throw noSuch(`role with name ${role}`);
      return result(
        `<IsTruncated>false</IsTruncated><AttachedPolicies>${ROLES[role].attached.map((a) => `<member><PolicyName>${a.split('/').pop()}</PolicyName><PolicyArn>${a}</PolicyArn></member>`).join('')}</AttachedPolicies>`,
      );
    case 'ListRolePolicies':
      if (!ROLES[role]) throw noSuch(`role with name ${role}`);
      return result(
        `<IsTruncated>false</IsTruncated><PolicyNames>${Object.keys(ROLES[role].inline)
          .map((n) => `<member>${n}</member>`)
          .join('')}</PolicyNames>`,
      );
    case 'GetRolePolicy': {
      const doc = ROLES[role]?.inline[params.get('PolicyName')];
      if (!doc) throw noSuch(`role policy with name ${params.get('PolicyName')}`);
      return result(
        `<RoleName>${role}</RoleName><PolicyName>${params.get('PolicyName')}</PolicyName><PolicyDocument>${encodeURIComponent(JSON.stringify(doc))}</PolicyDocument>`,
      );
    }
    case 'GetPolicy': {
      const arn = params.get('PolicyArn');
      if (!POLICIES[arn]) throw noSuch(`Policy ${arn}`);
      return result(
        `<Policy><PolicyName>${arn.split('/').pop()}</PolicyName><DefaultVersionId>v1</DefaultVersionId><PolicyId>ANPA${hex(arn.length, 17).toUpperCase()}</PolicyId><Path>/</Path><Arn>${arn}</Arn><AttachmentCount>1</AttachmentCount><IsAttachable>true</IsAttachable><CreateDate>${iso}</CreateDate><UpdateDate>${iso}</UpdateDate></Policy>`,
      );
    }
    case 'GetPolicyVersion': {
      const arn = params.get('PolicyArn');
      if (!POLICIES[arn]) throw noSuch(`Policy ${arn}`);
      return result(
        `<PolicyVersion><Document>${encodeURIComponent(JSON.stringify(POLICIES[arn]))}</Document><VersionId>v1</VersionId><IsDefaultVersion>true</IsDefaultVersion><CreateDate>${iso}</CreateDate></PolicyVersion>`,
      );
    }
    default:
      throw new ApiError('InvalidAction', `${action} is not answered by this bench server`);
  }
}

const STS_IDENTITY = `<GetCallerIdentityResponse xmlns="${STS_NS}"><GetCallerIdentityResult><Arn>arn:aws:iam::${ACCOUNT}:user/bench</Arn><UserId>AIDABENCH0000000000000</UserId><Account>${ACCOUNT}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>00000000-0000-4000-8000-000000000002</RequestId></ResponseMetadata></GetCallerIdentityResponse>`;

// ---- the server ---------------------------------------------------------------------------------------------
/** sts:AssumeRole (for runs across accounts): an hour's credentials for the role asked, whatever its account. */
function assumeRoleAnswer(params) {
  const arn = params.get('RoleArn') ?? '';
  const [, , , , account = ACCOUNT, resource = 'role/bench'] = arn.split(':');
  const session = params.get('RoleSessionName') ?? 'bench';
  const expiration = new Date(Date.now() + 3600_000).toISOString();
  return `<AssumeRoleResponse xmlns="${STS_NS}"><AssumeRoleResult><Credentials><AccessKeyId>ASIA${account}</AccessKeyId><SecretAccessKey>bench</SecretAccessKey><SessionToken>bench</SessionToken><Expiration>${expiration}</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>AROABENCH:${session}</AssumedRoleId><Arn>arn:aws:sts::${account}:assumed-role/${resource.split('/').pop()}/${session}</Arn></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>00000000-0000-4000-8000-000000000003</RequestId></ResponseMetadata></AssumeRoleResponse>`;
}

/**
 * Starts the server. `latencyMs` delays every answer (a slow link, as the fault proxy's latency rule
 * does for moto). `calls()` counts the calls answered, by service:operation.
 */
export async function startCannedAws({ instances = 1000, latencyMs = 0, port = 0, region = 'us-east-1' } = {}) {
  const fleet = makeFleet(instances, region);
  const counts = new Map();
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const { service } = serviceOf(req.headers);
      const target = req.headers['x-amz-target'] ? String(req.headers['x-amz-target']).split('.').pop() : null;
      const action = target ?? new URLSearchParams(body).get('Action') ?? 'Unknown';
      counts.set(`${service}:${action}`, (counts.get(`${service}:${action}`) ?? 0) + 1);
      let status = 200;
      let type = 'text/xml';
      let text;
      try {
        if (!req.headers.authorization) throw new ApiError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
        if (service === 'ec2') text = ec2Answer(fleet, action, body);
        else if (service === 'ssm') {
          type = 'application/x-amz-json-1.1';
          text = JSON.stringify(ssmAnswer(fleet, action, body ? JSON.parse(body) : {}));
        } else if (service === 'iam') text = iamAnswer(action, body);
        else if (service === 'sts' && action === 'GetCallerIdentity') text = STS_IDENTITY;
        else if (service === 'sts' && action === 'AssumeRole') text = assumeRoleAnswer(new URLSearchParams(body));
        else throw new ApiError('InvalidAction', `${service}:${action} is not answered by this bench server`);
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        status = e.status;
        if (service === 'ssm') {
          type = 'application/x-amz-json-1.1';
          text = JSON.stringify({ __type: e.code, message: e.message });
        } else if (service === 'ec2') {
          text = `<Response><Errors><Error><Code>${e.code}</Code><Message>${xmlEscape(e.message)}</Message></Error></Errors><RequestID>bench</RequestID></Response>`;
        } else {
          text = `<ErrorResponse><Error><Type>Sender</Type><Code>${e.code}</Code><Message>${xmlEscape(e.message)}</Message></Error><RequestId>bench</RequestId></ErrorResponse>`;
        }
      }
      const send = () => {
        res.writeHead(status, { 'content-type': type, 'x-amzn-requestid': 'bench', 'content-length': Buffer.byteLength(text) });
        res.end(text);
      };
      if (latencyMs > 0) setTimeout(send, latencyMs);
      else send();
    });
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    fleet,
    calls: () => Object.fromEntries(counts),
    resetCalls: () => counts.clear(),
    setLatency: (ms) => {
      latencyMs = ms;
    },
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const s = await startCannedAws({ instances: arg('--instances', 1000), latencyMs: arg('--latency', 0), port: arg('--port', 0) });
  process.stdout.write(`${s.url}\n`);
}
