// selectAccounts: which accounts a run across accounts covers, as AWS Organizations lists them.
// ListAccountsForParent lists only the accounts directly under the parent ("does not list accounts in
// OUs below the parent"), so an OU is walked with ListOrganizationalUnitsForParent; every listing can
// answer an empty page that still has a NextToken ("The NextToken response parameter value is null
// only when there are no more results to display", API_ListAccounts.html), and the Account object's
// State replaces its legacy Status (@aws-sdk/client-organizations Account).
import {
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  type ListAccountsForParentCommandInput,
} from '@aws-sdk/client-organizations';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { selectAccounts, type AccountSelector } from '../../../src/services/org/accounts.js';
import { AccessDeniedError, AwsServiceError } from '../../../src/services/errors.js';
import { awsError } from '../../helpers/aws-errors.js';
import { resetAws } from '../../helpers/aws-mocks.js';
import { account, org, organization, resetOrg } from '../../helpers/org-mocks.js';
import { testEnv } from '../../helpers/service-env.js';

const id = (n: number) => String(n).repeat(12).slice(0, 12);
const A = id(1);
const B = id(2);
const C = id(3);
const D = id(4);
const E = id(5);
const ids = (s: { accounts: { id: string }[] }) => s.accounts.map((a) => a.id);
const acct = (x: string): AccountSelector => ({ kind: 'account', id: x });
const ou = (x: string): AccountSelector => ({ kind: 'ou', id: x });
const ROOT: AccountSelector = { kind: 'root', id: 'r-ab12' };
const ALL: AccountSelector = { kind: 'all' };

beforeEach(() => {
  resetAws();
  resetOrg();
});
afterEach(() => vi.unstubAllEnvs());

describe('selectAccounts: ids alone', () => {
  it('makes no Organizations call and takes each id as given, without name or state, in order, once each', async () => {
    const s = await selectAccounts(testEnv(), 'us-east-1', [acct(B), acct(A), acct(B)], []);
    expect(s).toEqual({
      accounts: [
        { id: B, name: null, state: null },
        { id: A, name: null, state: null },
      ],
      skipped: [],
      notInOrganization: [],
      excludedNotSelected: [],
      excludedActive: 0,
    });
    expect(org.calls()).toHaveLength(0);
    // An exclusion of a selected account is counted (it left the selection; the CLI says so if it empties it).
    expect((await selectAccounts(testEnv(), 'us-east-1', [acct(B), acct(A)], [B])).excludedActive).toBe(1);
  });

  it('leaves out the excluded ids', async () => {
    const s = await selectAccounts(testEnv(), 'us-east-1', [acct(A), acct(B), acct(C)], [B]);
    expect(ids(s)).toEqual([A, C]);
    expect(org.calls()).toHaveLength(0);
  });
});

describe('selectAccounts: all', () => {
  it('follows ListAccounts to its last page, through an empty page that still has a NextToken', async () => {
    org
      .on(ListAccountsCommand)
      .resolvesOnce({ Accounts: [account(A, 'a')], NextToken: 't1' })
      .resolvesOnce({ Accounts: [], NextToken: 't2' })
      .resolvesOnce({ Accounts: [account(B, 'b'), account(C, 'c')] });
    const s = await selectAccounts(testEnv(), 'eu-west-1', [ALL], []);
    expect(s.accounts).toEqual([
      { id: A, name: 'a', state: 'ACTIVE' },
      { id: B, name: 'b', state: 'ACTIVE' },
      { id: C, name: 'c', state: 'ACTIVE' },
    ]);
    expect(org.commandCalls(ListAccountsCommand).map((c) => c.args[0].input.NextToken)).toEqual([undefined, 't1', 't2']);
    // Organizations is called from the run's home region, as the caller's clients are.
    const regions = await Promise.all(
      org.commandCalls(ListAccountsCommand).map((c) => (c.thisValue as { config: { region(): Promise<string> } }).config.region()),
    );
    expect(regions).toEqual(['eu-west-1', 'eu-west-1', 'eu-west-1']);
  });

  it('skips SUSPENDED and PENDING_CLOSURE accounts, read from State, or from the legacy Status when State is missing', async () => {
    org.on(ListAccountsCommand).resolves({
      Accounts: [
        account(A, 'active'),
        account(B, 'suspended', 'SUSPENDED'),
        { Id: C, Name: 'closing-legacy', Status: 'PENDING_CLOSURE' },
        { Id: D, Name: 'closing', State: 'PENDING_CLOSURE' },
        { Id: E, Name: 'legacy-active', Status: 'ACTIVE' },
      ],
    });
    const s = await selectAccounts(testEnv(), 'us-east-1', [ALL], []);
    expect(ids(s)).toEqual([A, E]);
    expect(s.skipped).toEqual([
      { id: B, name: 'suspended', state: 'SUSPENDED' },
      { id: C, name: 'closing-legacy', state: 'PENDING_CLOSURE' },
      { id: D, name: 'closing', state: 'PENDING_CLOSURE' },
    ]);
  });

  it('reads State before the legacy Status when an account has both', async () => {
    org.on(ListAccountsCommand).resolves({
      Accounts: [
        { Id: A, Name: 'a', State: 'SUSPENDED', Status: 'ACTIVE' },
        { Id: B, Name: 'b', State: 'ACTIVE', Status: 'SUSPENDED' },
      ],
    });
    const s = await selectAccounts(testEnv(), 'us-east-1', [ALL], []);
    expect(ids(s)).toEqual([B]);
    expect(s.skipped.map((a) => a.id)).toEqual([A]);
  });

  it('applies the exclusions before skipping: an excluded suspended account is not reported', async () => {
    org.on(ListAccountsCommand).resolves({ Accounts: [account(A, 'a'), account(B, 'b', 'SUSPENDED'), account(C, 'c')] });
    const s = await selectAccounts(testEnv(), 'us-east-1', [ALL], [B, C]);
    expect(ids(s)).toEqual([A]);
    expect(s.skipped).toEqual([]);
    // Only C, an ACTIVE account, was taken out by the exclusions: the suspended one could not have run.
    expect(s.excludedActive).toBe(1);
  });

  it('reports an id given beside an OU that the organization does not list, and still tries it', async () => {
    organization({ 'ou-ab12-cdefgh34': { accounts: [account(A, 'a')] } });
    const s = await selectAccounts(testEnv(), 'us-east-1', [acct(D), ou('ou-ab12-cdefgh34'), acct(A)], []);
    expect(s.notInOrganization).toEqual([D]);
    expect(s.accounts).toEqual([
      { id: D, name: null, state: null },
      { id: A, name: 'a', state: 'ACTIVE' },
    ]);
  });

  it('gives an id the organization lists its name and state, and skips it when it is suspended', async () => {
    org.on(ListAccountsCommand).resolves({ Accounts: [account(A, 'prod-1'), account(B, 'old', 'SUSPENDED')] });
    const s = await selectAccounts(testEnv(), 'us-east-1', [ALL, acct(B)], []);
    expect(s.accounts).toEqual([{ id: A, name: 'prod-1', state: 'ACTIVE' }]);
    expect(s.skipped).toEqual([{ id: B, name: 'old', state: 'SUSPENDED' }]);
    expect(s.notInOrganization).toEqual([]);
  });
});

describe('selectAccounts: an OU or the root', () => {
  /**
   * r-ab12: A; ou-prod: B; ou-prod-eu (below prod): C, D; ou-dev: E. Every listing in two pages, the
   * first one empty but for its token.
   */
  function twoLevels(): void {
    const tree: Record<string, { accounts: string[]; units: string[] }> = {
      'r-ab12': { accounts: [A], units: ['ou-ab12-prod0001', 'ou-ab12-dev00001'] },
      'ou-ab12-prod0001': { accounts: [B], units: ['ou-ab12-prodeu01'] },
      'ou-ab12-prodeu01': { accounts: [C, D], units: [] },
      'ou-ab12-dev00001': { accounts: [E], units: [] },
    };
    // Ids given beside an OU are looked up in the whole organization (ListAccounts).
    org.on(ListAccountsCommand).resolves({ Accounts: [A, B, C, D, E].map((x) => account(x, `n${x[0]}`)) });
    for (const [parent, { accounts, units }] of Object.entries(tree)) {
      org
        .on(ListAccountsForParentCommand, { ParentId: parent })
        .callsFake((input: ListAccountsForParentCommandInput) =>
          input.NextToken === undefined ? { Accounts: [], NextToken: `${parent}-a` } : { Accounts: accounts.map((x) => account(x, `n${x[0]}`)) },
        );
      org
        .on(ListOrganizationalUnitsForParentCommand, { ParentId: parent })
        .callsFake((input: { NextToken?: string }) =>
          input.NextToken === undefined ? { OrganizationalUnits: [], NextToken: `${parent}-u` } : { OrganizationalUnits: units.map((Id) => ({ Id })) },
        );
    }
  }

  it('an OU covers the accounts of the OUs below it, two levels deep, each listing followed to its last page', async () => {
    twoLevels();
    const s = await selectAccounts(testEnv(), 'us-east-1', [ou('ou-ab12-prod0001')], []);
    expect(ids(s)).toEqual([B, C, D]);
    const parents = (cmd: typeof ListAccountsForParentCommand | typeof ListOrganizationalUnitsForParentCommand) =>
      org.commandCalls(cmd).map((c) => `${c.args[0].input.ParentId} ${c.args[0].input.NextToken ?? '-'}`);
    expect(parents(ListAccountsForParentCommand).sort()).toEqual([
      'ou-ab12-prod0001 -',
      'ou-ab12-prod0001 ou-ab12-prod0001-a',
      'ou-ab12-prodeu01 -',
      'ou-ab12-prodeu01 ou-ab12-prodeu01-a',
    ]);
    expect(parents(ListOrganizationalUnitsForParentCommand).sort()).toEqual([
      'ou-ab12-prod0001 -',
      'ou-ab12-prod0001 ou-ab12-prod0001-u',
      'ou-ab12-prodeu01 -',
      'ou-ab12-prodeu01 ou-ab12-prodeu01-u',
    ]);
    // The root and the OUs beside this one are not read, and ListAccounts is not needed.
    expect(org.commandCalls(ListAccountsCommand)).toHaveLength(0);
  });

  it('the root covers the whole tree, the parent accounts first, then each OU in the order listed', async () => {
    twoLevels();
    const s = await selectAccounts(testEnv(), 'us-east-1', [ROOT], []);
    expect(ids(s)).toEqual([A, B, C, D, E]);
    expect(s.accounts[1]).toEqual({ id: B, name: 'n2', state: 'ACTIVE' });
  });

  it('keeps the order of first mention and each account once, across OUs, ids and the root', async () => {
    twoLevels();
    const s = await selectAccounts(testEnv(), 'us-east-1', [acct(D), ou('ou-ab12-dev00001'), ROOT, acct(E)], [C]);
    expect(ids(s)).toEqual([D, E, A, B]);
    expect(s.notInOrganization).toEqual([]);
  });

  it('gives an id named beside an OU, outside it, its name and state from the whole organization', async () => {
    twoLevels();
    const s = await selectAccounts(testEnv(), 'us-east-1', [ou('ou-ab12-dev00001'), acct(B)], []);
    expect(s.accounts).toEqual([
      { id: E, name: 'n5', state: 'ACTIVE' },
      { id: B, name: 'n2', state: 'ACTIVE' },
    ]);
    expect(s.notInOrganization).toEqual([]);
  });

  it('fails with the first refusal when every listing is refused, leaving no rejection unhandled', async () => {
    const denied = awsError('AccessDeniedException', 'You don’t have permissions to access this resource.');
    org.on(ListAccountsCommand).rejects(denied);
    org.on(ListAccountsForParentCommand).rejects(denied);
    org.on(ListOrganizationalUnitsForParentCommand).rejects(denied);
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const err = await selectAccounts(testEnv(), 'us-east-1', [ROOT, acct(A)], []).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AccessDeniedError);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('names the operation and region when Organizations refuses (not the management account or a delegated administrator)', async () => {
    org.on(ListAccountsForParentCommand).rejects(awsError('AccessDeniedException', 'You don’t have permissions to access this resource.'));
    org.on(ListOrganizationalUnitsForParentCommand).resolves({ OrganizationalUnits: [] });
    const err = await selectAccounts(testEnv(), 'us-east-1', [ROOT], []).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AccessDeniedError);
    expect((err as Error).message).toContain('organizations:ListAccountsForParent');
  });

  it('stops a listing that hands back the same NextToken twice instead of looping', async () => {
    org.on(ListAccountsCommand).resolves({ Accounts: [], NextToken: 'same' });
    const err = await selectAccounts(testEnv(), 'us-east-1', [ALL], []).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AwsServiceError);
    expect(err).toMatchObject({ code: 'PaginationLoop' });
    expect(org.commandCalls(ListAccountsCommand)).toHaveLength(2);
  });
});
