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
import { AccessDeniedError, ConfigError, UsageError } from '../errors.js';

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
  /** --exclude-accounts ids the selection did not hold anyway (a typo would leave the account meant in). */
  excludedNotSelected: string[];
  /** How many ACTIVE accounts the selectors covered that --exclude-accounts left out. */
  excludedActive: number;
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

/**
 * A listing, its errors in the tool's terms. Organizations is one global endpoint, so no region is named.
 * `parent`: the OU or root id the listing is about, named when AWS says it does not exist.
 */
async function listed<T>(operation: string, work: () => Promise<T>, parent?: string): Promise<T> {
  try {
    return await work();
  } catch (e) {
    const err = translateAwsError(e, { service: 'organizations', operation, region: null });
    if (err.code === 'ParentNotFoundException' && parent) {
      return Promise.reject(
        new UsageError(
          'ParentNotFound',
          `--accounts ${parent}: the organization has no such ${parent.startsWith('r-') ? 'root' : 'OU'}`,
          'List them with: aws organizations list-roots, then aws organizations list-organizational-units-for-parent --parent-id ROOT_OR_OU_ID',
          { cause: e },
        ),
      );
    }
    if (err.code === 'AWSOrganizationsNotInUseException') {
      return Promise.reject(
        new ConfigError(
          err.code,
          'the account you run from is not in an organization, so --accounts with an OU, the root or all has nothing to list',
          "Run from the organization's management account (or a delegated administrator), or give account ids: they are entered without Organizations.",
          { cause: e },
        ),
      );
    }
    if (err.code === 'AccessDeniedException' || err.code === 'AccessDenied') {
      return Promise.reject(
        new AccessDeniedError(
          err.code,
          err.message,
          `Organizations answers only the management account and delegated administrators: run from one of those, with ${operation === 'ListAccounts' ? 'organizations:ListAccounts' : 'organizations:ListAccountsForParent and organizations:ListOrganizationalUnitsForParent'} allowed; or give account ids, which need no Organizations call.`,
          `organizations:${operation}`,
          { cause: e },
        ),
      );
    }
    throw err;
  }
}

async function everyAccount(org: OrganizationsApi): Promise<OrgAccount[]> {
  const pages = await listed('ListAccounts', () =>
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
    listed(
      'ListAccountsForParent',
      () =>
        allPages(
          (t) => org.listAccountsForParent({ ParentId: parent, NextToken: t }),
          (p) => p.NextToken,
        ),
      parent,
    ),
    listed(
      'ListOrganizationalUnitsForParent',
      () =>
        allPages(
          (t) => org.listOrganizationalUnitsForParent({ ParentId: parent, NextToken: t }),
          (p) => p.NextToken,
        ),
      parent,
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
      selectors.some((s) => s.kind === 'account') ? everyAccount(org) : Promise.resolve([]),
      ...selectors.map((s) => (s.kind === 'all' ? everyAccount(org) : s.kind === 'account' ? Promise.resolve([]) : accountsUnder(org, region, s.id))),
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
  const excludedNotSelected = exclude.filter((id) => !byId.has(id));
  const excludedActive = [...byId.values()].filter((a) => excluded.has(a.id) && isActive(a)).length;
  return { accounts: chosen.filter(isActive), skipped: chosen.filter((a) => !isActive(a)), notInOrganization, excludedNotSelected, excludedActive };
}
