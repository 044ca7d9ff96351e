// parseAccountFlags: --accounts and its companions, validated before any AWS call. Each refusal is a
// usage error (exit 2) naming the option, the value and the rule. The shapes are the services' own,
// as botocore's models (the aws CLI's data) state them: organizations AccountId, OrganizationalUnitId,
// RootId; sts roleSessionNameType and externalIdType (min, max, pattern) - the differential test below
// reads them from the installed botocore.
import { describe, expect, it } from 'vitest';
import { parseAccountFlags } from '../../../src/commands/shared/account-flags.js';
import { UsageError } from '../../../src/services/errors.js';
import { runPythonWith } from '../../helpers/python.js';

const parse = (o: Record<string, unknown>) => parseAccountFlags(o);

/** The usage error `o` is refused with. */
function refusal(o: Record<string, unknown>): UsageError {
  try {
    parse(o);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    expect((e as UsageError).exitCode).toBe(2);
    return e as UsageError;
  }
  throw new Error(`accepted: ${JSON.stringify(o)}`);
}

describe('parseAccountFlags: what is accepted', () => {
  it('is null without --accounts and its companions', () => {
    expect(parse({ region: ['us-east-1'] })).toBeNull();
  });

  it('reads ids, OUs and the root from comma lists and repeated options, trimmed, with the defaults', () => {
    expect(parse({ accounts: ['111122223333, ou-ab12-cdefgh34', 'r-ab12'] })).toEqual({
      selectors: [
        { kind: 'account', id: '111122223333' },
        { kind: 'ou', id: 'ou-ab12-cdefgh34' },
        { kind: 'root', id: 'r-ab12' },
      ],
      exclude: [],
      roleName: 'OrganizationAccountAccessRole',
      rolePath: '/',
      externalId: undefined,
      sessionName: 'ssm-perms',
      concurrency: 8,
    });
  });

  it('reads all, the exclusions and every companion', () => {
    expect(
      parse({
        accounts: 'all',
        excludeAccounts: ['111122223333,444455556666', '777788889999'],
        orgRole: 'AWSControlTowerExecution',
        orgRolePath: '/ct/',
        externalId: 'a:b/c@d',
        roleSessionName: 'ops@example.com',
        accountConcurrency: '64',
      }),
    ).toEqual({
      selectors: [{ kind: 'all' }],
      exclude: ['111122223333', '444455556666', '777788889999'],
      roleName: 'AWSControlTowerExecution',
      rolePath: '/ct/',
      externalId: 'a:b/c@d',
      sessionName: 'ops@example.com',
      concurrency: 64,
    });
  });

  it('accepts the bounds: concurrency 1 and 64, a 2- and 64-character session name, 2- and 1224-character external ids', () => {
    const ok = (o: Record<string, unknown>) => parse({ accounts: '111122223333', ...o })!;
    expect(ok({ accountConcurrency: '1' }).concurrency).toBe(1);
    expect(ok({ accountConcurrency: '64' }).concurrency).toBe(64);
    expect(ok({ roleSessionName: 'ab' }).sessionName).toBe('ab');
    expect(ok({ roleSessionName: 'a'.repeat(64) }).sessionName).toHaveLength(64);
    expect(ok({ externalId: 'ab' }).externalId).toBe('ab');
    expect(ok({ externalId: 'x'.repeat(1224) }).externalId).toHaveLength(1224);
  });
});

describe('parseAccountFlags: each rule refuses with exit 2, naming the value and the rule', () => {
  it.each([
    ['11112222333', '11 digits'],
    ['1111222233334', '13 digits'],
    ['11112222333a', 'a letter'],
    ['ou-ab1-cdefgh34', 'an OU whose root part is 3 characters'],
    ['ou-ab12-cdefgh3', 'an OU whose own part is 7 characters'],
    ['ou-AB12-cdefgh34', 'upper case in an OU'],
    ['r-ab1', 'a root of 3 characters'],
    ['r-AB12', 'upper case in a root'],
    ['ALL', '"all" in capitals'],
    ['prod', 'an account name'],
  ])('--accounts %s (%s)', (value) => {
    const e = refusal({ accounts: value });
    expect(e.code).toBe('InvalidAccounts');
    expect(e.message).toBe(`invalid --accounts "${value}": must be a 12-digit account id, an OU id (ou-xxxx-xxxxxxxx), the root id (r-xxxx) or all`);
    expect(e.info.hint).toContain('aws organizations list-accounts');
  });

  it('"all" stands alone', () => {
    const e = refusal({ accounts: ['all', '111122223333'] });
    expect(e.message).toBe('invalid --accounts "all,111122223333": "all" stands alone');
    expect(e.info.hint).toContain('--exclude-accounts');
  });

  it.each([
    [{ accounts: '111122223333,,444455556666' }, 'invalid --accounts "111122223333,,444455556666": empty entry in the list'],
    [{ accounts: ['111122223333', ' '] }, 'invalid --accounts "111122223333, ": empty entry in the list'],
    [{ accounts: '111122223333,' }, 'invalid --accounts "111122223333,": empty entry in the list'],
    [{ accounts: 'all', excludeAccounts: ',111122223333' }, 'invalid --exclude-accounts ",111122223333": empty entry in the list'],
  ])('an empty entry: %j', (o, message) => {
    expect(refusal(o).message).toBe(message);
  });

  it('--exclude-accounts takes account ids only', () => {
    const e = refusal({ accounts: 'all', excludeAccounts: 'ou-ab12-cdefgh34' });
    expect(e.message).toBe('invalid --exclude-accounts "ou-ab12-cdefgh34": must be a 12-digit AWS account id');
  });

  it.each([
    ['a', 'shorter than 2'],
    ['a'.repeat(65), 'longer than 64'],
    ['ops jane', 'a space'],
    ['ops/jane', 'a slash (allowed in an external id, not in a session name)'],
    ['ops:jane', 'a colon'],
    ['opsé', 'a letter outside ASCII'],
  ])('--role-session-name %s (%s)', (value) => {
    const e = refusal({ accounts: '111122223333', roleSessionName: value });
    expect(e.message).toBe(`invalid --role-session-name ${JSON.stringify(value)}: must be 2-64 of letters, digits and _ + = , . @ -`);
  });

  it.each([
    ['a', 'shorter than 2'],
    ['a'.repeat(1225), 'longer than 1224'],
    ['ext id', 'a space'],
    ['ext#id', 'a #'],
  ])('--external-id (%s: %s)', (value) => {
    const e = refusal({ accounts: '111122223333', externalId: value });
    expect(e.message).toMatch(/^invalid --external-id "/);
    expect(e.message).toMatch(/: must be 2-1224 of letters, digits and _ \+ = , \. @ : \/ -$/);
    expect(e.message).toContain(value.slice(0, 20));
  });

  it.each([
    [{ orgRole: 'Org Role' }, 'invalid --org-role "Org Role": must be 1-64 characters of letters, digits and + = , . @ _ -'],
    [{ orgRole: 'R'.repeat(65) }, `invalid --org-role "${'R'.repeat(65)}": must be 1-64 characters of letters, digits and + = , . @ _ -`],
    [{ orgRolePath: 'ct/' }, 'invalid --org-role-path "ct/": must start and end with "/"'],
    [{ orgRolePath: '/ct' }, 'invalid --org-role-path "/ct": must start and end with "/"'],
    [{ orgRolePath: '/a//b/' }, 'invalid --org-role-path "/a//b/": must start and end with "/"'],
  ])('the role: %j', (o, message) => {
    expect(refusal({ accounts: '111122223333', ...o }).message).toContain(message);
  });

  it.each(['0', '65', '-1', '1.5', 'eight', ''])('--account-concurrency %j', (value) => {
    expect(refusal({ accounts: '111122223333', accountConcurrency: value }).message).toBe(
      `invalid --account-concurrency ${JSON.stringify(value)}: must be a whole number from 1 to 64`,
    );
  });

  it.each([
    ['excludeAccounts', '--exclude-accounts', '111122223333'],
    ['orgRole', '--org-role', 'R'],
    ['orgRolePath', '--org-role-path', '/'],
    ['externalId', '--external-id', 'abc'],
    ['roleSessionName', '--role-session-name', 'abc'],
    ['accountConcurrency', '--account-concurrency', '4'],
  ])('%s without --accounts is refused, naming %s', (key, flag, value) => {
    const e = refusal({ [key]: value });
    expect(e.message).toBe(`${flag} works only with --accounts`);
    expect(e.info.hint).toContain('Add --accounts');
  });
});

describe('parseAccountFlags against botocore', () => {
  /** Deterministic pseudo-random strings over `alphabet`, of length min..max. */
  function strings(seed: number, n: number, alphabet: string, min: number, max: number): string[] {
    let x = seed;
    const next = () => (x = (x * 1103515245 + 12345) % 2 ** 31);
    return Array.from({ length: n }, () => Array.from({ length: min + (next() % (max - min + 1)) }, () => alphabet[next() % alphabet.length]).join(''));
  }
  const lower = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const selectorCandidates = [
    ...strings(1, 60, '0123456789', 10, 14),
    ...strings(2, 60, lower + 'A', 2, 36).map((s) => `r-${s}`),
    ...strings(3, 60, lower + 'A', 2, 35).flatMap((s) => [`ou-${s}`, `ou-${s.slice(0, 5)}-${s.slice(5)}`, `ou-${s.slice(0, 3)}-${s.slice(3)}`]),
    ...strings(4, 40, lower + '-_A', 1, 20),
  ];
  const textCandidates = [
    ...strings(5, 200, 'aZ09_+=,.@-:/ #é*', 0, 70),
    ...strings(6, 100, 'aZ09_+=,.@-:/', 0, 70),
    ...strings(7, 100, 'aZ09_+=,.@-', 0, 70),
    'x'.repeat(1224),
    'x'.repeat(1225),
  ];

  const botocore = JSON.parse(
    runPythonWith(
      'botocore',
      `
import json, re, sys, botocore.session
s = botocore.session.get_session()
org = s.get_service_model('organizations'); sts = s.get_service_model('sts')
def shape(m, name):
    return m.shape_for(name).metadata
cases = json.load(sys.stdin)
def ok(meta, v):
    return meta.get('min', 0) <= len(v) <= meta.get('max', 10**9) and re.fullmatch(meta['pattern'], v, re.ASCII) is not None
sel = [shape(org, n) for n in ('AccountId', 'OrganizationalUnitId', 'RootId')]
print(json.dumps({
  'selectors': [any(ok(m, v) for m in sel) for v in cases['selectors']],
  'sessionNames': [ok(shape(sts, 'roleSessionNameType'), v) for v in cases['texts']],
  'externalIds': [ok(shape(sts, 'externalIdType'), v) for v in cases['texts']],
}))
`,
      JSON.stringify({ selectors: selectorCandidates, texts: textCandidates }),
    ),
  ) as { selectors: boolean[]; sessionNames: boolean[]; externalIds: boolean[] };

  const accepted = (o: Record<string, unknown>) => {
    try {
      parse({ accounts: '111122223333', ...o });
      return true;
    } catch {
      return false;
    }
  };

  it('takes an --accounts entry exactly when it is an AccountId, OrganizationalUnitId or RootId', () => {
    expect(botocore.selectors.filter(Boolean).length).toBeGreaterThan(30);
    expect(botocore.selectors.filter((b) => !b).length).toBeGreaterThan(30);
    expect(selectorCandidates.map((v) => accepted({ accounts: v }))).toEqual(botocore.selectors);
  });

  it('takes a --role-session-name and an --external-id exactly when STS would', () => {
    expect(botocore.sessionNames.filter(Boolean).length).toBeGreaterThan(50);
    expect(botocore.externalIds.filter(Boolean).length).toBeGreaterThan(botocore.sessionNames.filter(Boolean).length);
    expect(textCandidates.map((v) => accepted({ roleSessionName: v }))).toEqual(botocore.sessionNames);
    expect(textCandidates.map((v) => accepted({ externalId: v }))).toEqual(botocore.externalIds);
  });
});
