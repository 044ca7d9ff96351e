// Which accounts of the organization a run covers (--accounts / --exclude-accounts), as AWS Organizations
// lists them from the caller's credentials (the management account or a delegated administrator):
// ListAccounts for `all`, ListAccountsForParent and ListOrganizationalUnitsForParent, recursively, for an
// OU or the root ("ListAccountsForParent ... does not list accounts in OUs below the parent";
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccountsForParent.html). Every
// listing is paginated to the end: "These operations can occasionally return an empty set of results even
// when there are more results available. The NextToken response parameter value is null only when there
// are no more results to display" (API_ListAccounts.html).
import type { OrganizationsApi } from '../aws/clients.js';
import { translateAwsError } from '../aws/translate-error.js';
import type { ServiceEnv } from '../env.js';
import { allPages } from '../paginate.js';

/** One --accounts token, already validated: an account id, an OU, the root, or `all`. */
export type AccountSelector = { kind: 'account'; id: string } | { kind: 'ou'; id: string } | { kind: 'root'; id: string } | { kind: 'all' };

export interface OrgAccount {
  id: string;
  /** The account's name in the organization; null when it was not listed (ids given alone). */
  name: string | null;
  /** ACTIVE, SUSPENDED, PENDING_CLOSURE...; null when not listed. */
  state: string | null;
}

export interface AccountSelection {
  /** The accounts to run in, by id. */
  accounts: OrgAccount[];
  /** Accounts the selectors covered that are not ACTIVE: nothing can be done in them. */
  skipped: OrgAccount[];
  /** Ids given explicitly that the organization did not list (only known when it was listed). */
  notInOrganization: string[];
}

interface ListedAccount {
  Id?: string | undefined;
  Name?: string | undefined;
  State?: string | undefined;
  Status?: string | undefined;
}

/**
 * The account's state. `State` replaced `Status` ("The Status parameter in the Account object will be
 * retired on September 9, 2026 ... use the State parameter instead"; @aws-sdk/client-organizations
 * Account): read State, and Status where an older endpoint sends only that.
 */
function toAccount(a: ListedAccount): OrgAccount {
  return { id: a.Id ?? '', name: a.Name ?? null, state: a.State ?? a.Status ?? null };
}

async function listed<T>(operation: string, region: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw translateAwsError(e, { service: 'organizations', operation, region });
  }
}

async function everyAccount(org: OrganizationsApi, region: string): Promise<OrgAccount[]> {
  const pages = await listed('ListAccounts', region, () =>
    allPages(
      (t) => org.listAccounts({ NextToken: t }),
      (p) => p.NextToken,
    ),
  );
  return pages.flatMap((p) => (p.Accounts ?? []).map(toAccount));
}

/** The accounts directly in `parent` and in every OU below it. */
async function accountsUnder(org: OrganizationsApi, region: string, parent: string): Promise<OrgAccount[]> {
  const [accounts, units] = await Promise.all([
    listed('ListAccountsForParent', region, () =>
      allPages(
        (t) => org.listAccountsForParent({ ParentId: parent, NextToken: t }),
        (p) => p.NextToken,
      ),
    ),
    listed('ListOrganizationalUnitsForParent', region, () =>
      allPages(
        (t) => org.listOrganizationalUnitsForParent({ ParentId: parent, NextToken: t }),
        (p) => p.NextToken,
      ),
    ),
  ]);
  const below = await Promise.all(units.flatMap((p) => p.OrganizationalUnits ?? []).map((ou) => accountsUnder(org, region, ou.Id ?? '')));
  return [...accounts.flatMap((p) => (p.Accounts ?? []).map(toAccount)), ...below.flat()];
}

/**
 * The accounts the selectors name, minus the exclusions, in the order of first mention (an OU's
 * accounts in the order Organizations lists them). Account ids given alone need no Organizations
 * call: they are taken as given, with no name or state.
 */
export async function selectAccounts(
  env: ServiceEnv,
  region: string,
  selectors: readonly AccountSelector[],
  exclude: readonly string[],
): Promise<AccountSelection> {
  const byId = new Map<string, OrgAccount>();
  const add = (a: OrgAccount) => {
    if (!byId.has(a.id)) byId.set(a.id, a);
  };
  const needsListing = selectors.some((s) => s.kind !== 'account');
  let known: Map<string, OrgAccount> | null = null;
  if (needsListing) {
    const org = await env.clients.organizations(region);
    // Ids given next to an OU are looked up in the whole organization (their names, their states).
    // One Promise.all, so a refused listing is one rejection, awaited, whichever listing it is.
    const [whole, ...lists] = await Promise.all([
      selectors.some((s) => s.kind === 'account') ? everyAccount(org, region) : Promise.resolve([]),
      ...selectors.map((s) => (s.kind === 'all' ? everyAccount(org, region) : s.kind === 'account' ? Promise.resolve([]) : accountsUnder(org, region, s.id))),
    ]);
    known = new Map([...lists.flat(), ...whole!].map((a) => [a.id, a]));
    selectors.forEach((s, i) => {
      if (s.kind === 'account') add(known!.get(s.id) ?? { id: s.id, name: null, state: null });
      else lists[i]!.forEach(add);
    });
  } else {
    for (const s of selectors) if (s.kind === 'account') add({ id: s.id, name: null, state: null });
  }
  const excluded = new Set(exclude);
  const chosen = [...byId.values()].filter((a) => !excluded.has(a.id));
  // Only ACTIVE accounts can be worked in; a suspended or closing one is reported, not tried.
  const isActive = (a: OrgAccount) => a.state === null || a.state === 'ACTIVE';
  const notInOrganization =
    known === null ? [] : selectors.filter((s): s is { kind: 'account'; id: string } => s.kind === 'account' && !known!.has(s.id)).map((s) => s.id);
  return { accounts: chosen.filter(isActive), skipped: chosen.filter((a) => !isActive(a)), notInOrganization };
}
