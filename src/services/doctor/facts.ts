// What doctor knows about the fleet after its batched reads: plain data, so the checks are pure.
import type { ErrorInfo } from '../errors.js';
import type { Endpoint, RouteTable, SecurityGroup } from '../../policies/network.js';

export interface InstanceFacts {
  instanceId: string;
  region: string;
  name: string | null;
  state: string;
  vpcId: string | null;
  subnetId: string | null;
  privateIp: string | null;
  hasPublicIp: boolean;
  securityGroupIds: string[];
  /** IMDS: HttpEndpoint enabled|disabled, HttpTokens optional|required. */
  httpEndpoint: string;
  httpTokens: string;
  /** The instance profile attached now (from the association), or null. */
  profileArn: string | null;
  tags: Record<string, string>;
}

export interface ManagedNode {
  pingStatus: string | null;
  agentVersion: string | null;
  lastPing: string | null;
  platform: string | null;
}

/** A policy document with the name reports use for it (the policy ARN, or `inline:NAME`). */
export interface NamedDocument {
  name: string;
  document: string;
}

export interface RoleFacts {
  name: string;
  arn: string | null;
  exists: boolean;
  trustPolicy: string | undefined;
  attachedPolicyArns: string[];
  /** Every identity policy on the role (attached default versions and inline), for evaluation. */
  policies: NamedDocument[];
  /** The permissions boundary's document (GetRole names it), or null when the role has none. */
  boundary: NamedDocument | null;
  /** The role's tags (aws:PrincipalTag/... in the agent's requests). */
  tags: Record<string, string>;
  /** Set when the role's policies could not be read. */
  error: ErrorInfo | null;
}

export interface ProfileFacts {
  name: string;
  arn: string;
  exists: boolean;
  roleName: string | null;
  error: ErrorInfo | null;
}

export interface VpcFacts {
  routeTables: RouteTable[];
  endpoints: Endpoint[];
  groups: Map<string, SecurityGroup>;
}

export interface DhmcFacts {
  enabled: boolean;
  settingValue: string | null;
  roleName: string | null;
  error: ErrorInfo | null;
}

export interface QuickSetupAssociation {
  associationId: string;
  associationName: string | null;
  /** State Manager targets: InstanceIds, tag:KEY, tag-key, resource-groups:Name... */
  targets: { key: string; values: string[] }[];
}

export interface RegionFacts {
  region: string;
  instances: InstanceFacts[];
  managed: Map<string, ManagedNode>;
  dhmc: DhmcFacts;
  vpcs: Map<string, VpcFacts>;
  quickSetup: QuickSetupAssociation[];
  /** A read that failed for the whole region (its instances could not be listed). */
  error: ErrorInfo | null;
  /** Partial reads that failed (network facts, managed nodes...): the checks that need them are skipped. */
  gaps: Map<string, ErrorInfo>;
}

export interface FleetFacts {
  account: string;
  partition: string;
  /** When the facts were read: the time of the agent's requests (aws:CurrentTime) as doctor judges them. */
  readAt?: Date;
  regions: RegionFacts[];
  profiles: Map<string, ProfileFacts>;
  roles: Map<string, RoleFacts>;
}
