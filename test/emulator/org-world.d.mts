export const MANAGEMENT: '123456789012';
export const ORG_ROLE: 'OrganizationAccountAccessRole';

export interface MemberCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

/** The organization seedOrganization built: OU Web is below OU Prod; `closed` (dev-closed, in Dev) is SUSPENDED. */
export interface OrgWorld {
  root: string;
  ou: { prod: string; web: string; dev: string };
  accounts: { prod1: string; prod2: string; web1: string; dev1: string; dev2: string; closed: string };
  /** One instance (tag Team=ops) in each of these two accounts. */
  instances: { prod1: string; dev1: string };
}

export function memberCredentials(url: string, account: string, region?: string): Promise<MemberCredentials>;
export function seedOrganization(url: string, region?: string): Promise<OrgWorld>;
