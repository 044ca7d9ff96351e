// The many-accounts global options (--accounts and its companions), validated before any AWS call.
// The shapes are those of the services' own models (botocore data, as the AWS CLI ships it):
// organizations AccountId `^\d{12}$`, OrganizationalUnitId `^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$`,
// RootId `^r-[0-9a-z]{4,32}$`; sts roleSessionNameType 2-64 of `[\w+=,.@-]`, externalIdType 2-1224 of
// `[\w+=,.@:\/-]`. The role name and path follow IAM's rules (validateRoleName, validatePath).
import type { AccountSelector } from '../../services/org/accounts.js';
import { UsageError } from '../../services/errors.js';
import { stringList } from '../define.js';
import { shown, validateAccountId, validatePath, validateRoleName, validateWholeNumber } from './validate.js';

/** What a run across accounts needs to know, from the global options. */
export interface AccountsFlags {
  selectors: AccountSelector[];
  exclude: string[];
  roleName: string;
  rolePath: string;
  externalId: string | undefined;
  sessionName: string;
  /** Accounts worked on at once. */
  concurrency: number;
}

/** The role AWS Organizations creates in every account it creates ("OrganizationAccountAccessRole"). */
export const DEFAULT_ORG_ROLE = 'OrganizationAccountAccessRole';
export const DEFAULT_SESSION_NAME = 'ssm-perms';
export const DEFAULT_ACCOUNT_CONCURRENCY = 8;
export const MAX_ACCOUNT_CONCURRENCY = 64;

const OU = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;
const ROOT = /^r-[0-9a-z]{4,32}$/;

function selector(token: string): AccountSelector {
  if (token === 'all') return { kind: 'all' };
  if (/^\d{12}$/.test(token)) return { kind: 'account', id: token };
  if (OU.test(token)) return { kind: 'ou', id: token };
  if (ROOT.test(token)) return { kind: 'root', id: token };
  throw new UsageError(
    'InvalidAccounts',
    `invalid --accounts ${shown(token)}: must be a 12-digit account id, an OU id (ou-xxxx-xxxxxxxx), the root id (r-xxxx) or all`,
    'List them with: aws organizations list-accounts, list-roots, list-organizational-units-for-parent --parent-id ROOT_ID',
  );
}

/** Comma lists and repeated options, trimmed, empty entries refused. */
function tokens(raw: unknown, option: string): string[] {
  return stringList(raw)
    .flatMap((v) => v.split(','))
    .map((t) => {
      const v = t.trim();
      if (v === '') throw new UsageError('InvalidAccounts', `invalid ${option} ${shown(String(raw))}: empty entry in the list`, null);
      return v;
    });
}

function patterned(value: string, option: string, min: number, max: number, pattern: RegExp, rule: string): string {
  if (value.length < min || value.length > max || !pattern.test(value)) {
    throw new UsageError('InvalidOption', `invalid ${option} ${shown(value)}: must be ${min}-${max} ${rule}`, null);
  }
  return value;
}

/** The many-accounts options, or null when --accounts is not given (and none of its companions either). */
/**
 * --org-role is the role's name, the same in every account: an ARN names one account's role, and its
 * path goes in --org-role-path. Said as such rather than as a character the name may not hold.
 */
function orgRoleName(value: string): string {
  if (/^arn:/i.test(value) || value.includes('/')) {
    throw new UsageError(
      'InvalidRoleName',
      `invalid --org-role ${shown(value)}: give the role's name, the same in every account (e.g. OrganizationAccountAccessRole), not an ARN or a path`,
      'Put a path in --org-role-path (e.g. --org-role-path /admin/); the account of each ARN is the account entered.',
    );
  }
  return validateRoleName(value, '--org-role');
}

export function parseAccountFlags(o: Readonly<Record<string, unknown>>): AccountsFlags | null {
  const companions = ['excludeAccounts', 'orgRole', 'orgRolePath', 'externalId', 'roleSessionName', 'accountConcurrency'] as const;
  if (o.accounts === undefined) {
    const given = companions.find((c) => o[c] !== undefined);
    if (given) {
      const flag = `--${given.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
      throw new UsageError('InvalidOption', `${flag} works only with --accounts`, 'Add --accounts (account ids, an OU id, the root id, or all).');
    }
    return null;
  }
  const list = tokens(o.accounts, '--accounts');
  const selectors = list.map(selector);
  if (selectors.some((s) => s.kind === 'all') && selectors.length > 1) {
    throw new UsageError(
      'InvalidAccounts',
      `invalid --accounts ${shown(list.join(','))}: "all" stands alone`,
      'Use --exclude-accounts to leave accounts out of all.',
    );
  }
  const exclude = o.excludeAccounts === undefined ? [] : tokens(o.excludeAccounts, '--exclude-accounts').map((t) => validateAccountId(t, '--exclude-accounts'));
  return {
    selectors,
    exclude,
    roleName: o.orgRole === undefined ? DEFAULT_ORG_ROLE : orgRoleName(String(o.orgRole)),
    rolePath: o.orgRolePath === undefined ? '/' : validatePath(String(o.orgRolePath), '--org-role-path'),
    externalId:
      o.externalId === undefined
        ? undefined
        : patterned(String(o.externalId), '--external-id', 2, 1224, /^[\w+=,.@:/-]*$/, 'of letters, digits and _ + = , . @ : / -'),
    sessionName:
      o.roleSessionName === undefined
        ? DEFAULT_SESSION_NAME
        : patterned(String(o.roleSessionName), '--role-session-name', 2, 64, /^[\w+=,.@-]*$/, 'of letters, digits and _ + = , . @ -'),
    concurrency:
      o.accountConcurrency === undefined
        ? DEFAULT_ACCOUNT_CONCURRENCY
        : validateWholeNumber(String(o.accountConcurrency), '--account-concurrency', 1, MAX_ACCOUNT_CONCURRENCY),
  };
}

/**
 * The options that select the same accounts the same way, for commands the tool suggests as a next step
 * (`Next: ssm-perms dhmc status ...`): without them the suggestion would run in the caller's account only.
 * `only`: these accounts instead of the selection (a step that concerns some of them).
 */
export function accountArgs(f: AccountsFlags, only?: readonly string[]): string {
  const words = [`--accounts ${only ? only.join(',') : f.selectors.map((s) => (s.kind === 'all' ? 'all' : s.id)).join(',')}`];
  if (f.exclude.length && !only) words.push(`--exclude-accounts ${f.exclude.join(',')}`);
  if (f.roleName !== DEFAULT_ORG_ROLE) words.push(`--org-role ${f.roleName}`);
  if (f.rolePath !== '/') words.push(`--org-role-path ${f.rolePath}`);
  if (f.externalId !== undefined) words.push(`--external-id ${f.externalId}`);
  return words.join(' ');
}
