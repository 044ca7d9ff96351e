// A run across accounts as one table (commands with a row per region or instance): the account id and
// an instance id are never split (they are what gets copied), the account's name is told from an
// instance's Name tag by its header, and a run where no account has a row prints no header over nothing.
import { describe, expect, it } from 'vitest';
import { renderAccounts, type AccountSection, type AccountsSummary } from '../../../src/output/accounts.js';
import { createStyle } from '../../../src/output/style.js';
import type { TablePart } from '../../../src/output/table.js';

const summary: AccountsSummary = { accounts: 2, ok: 2, failed: 0, partial: 0, notAttempted: 0, skipped: [] };
const view = { everyRegion: false, unread: [] };
const section = (id: string, name: string | null, part: TablePart): AccountSection => ({
  id,
  name,
  status: 'done',
  text: () => 'unused',
  table: () => part,
  error: null,
});
const attachPart = (rows: string[][], after = ''): TablePart => ({
  columns: [{ header: 'INSTANCE', min: 19 }, { header: 'REGION' }, { header: 'NAME' }, { header: 'RESULT' }, { header: 'DETAIL' }],
  rows,
  after,
});

describe('renderAccounts as one table', () => {
  const row = ['i-0123456789abcdef0', 'us-east-1', 'web-server-with-a-long-name', 'planned', 'replaces WeakProfileWithALongName'];

  it('keeps account ids and instance ids whole at a narrow width, and heads the account name ACCOUNT NAME', () => {
    const out = renderAccounts(
      [section('111122223333', 'prod-eu-1', attachPart([row])), section('444455556666', 'dev-1', attachPart([]))],
      summary,
      view,
      createStyle(false, 72),
    );
    const lines = out.split('\n');
    expect(out).toContain('111122223333');
    expect(out).toContain('i-0123456789abcdef0');
    expect(lines.every((l) => l.length <= 72)).toBe(true);
    // With room, the account's name is there, under a header that is not the instance's NAME.
    const wide = renderAccounts([section('111122223333', 'prod-eu-1', attachPart([row]))], summary, view, createStyle(false, 140));
    expect(wide.split('\n')[0]).toMatch(/^ACCOUNT\s+ACCOUNT NAME\s+INSTANCE\s+REGION\s+NAME\s/);
  });

  it('prints no header when no account has a row, and starts with the first account that has something to say', () => {
    const out = renderAccounts(
      [section('111122223333', null, attachPart([], 'No instance matched in us-east-1.\n')), section('444455556666', null, attachPart([]))],
      summary,
      view,
      createStyle(false, 80),
    );
    expect(out).toBe('account 111122223333\nNo instance matched in us-east-1.\n\n2 accounts: 2 ok, 0 failed\n');
  });

  it('more than six accounts alike: the first five ids and how many more, on one heading', () => {
    const ids = Array.from({ length: 8 }, (_, n) => String(111122223330 + n));
    const plain = (id: string): AccountSection => ({ id, name: `n-${id}`, status: 'done', text: () => 'No instance matched.\n', table: null, error: null });
    const out = renderAccounts(ids.map(plain), { ...summary, accounts: 8, ok: 8 }, view, createStyle(false, 80));
    // Wrapped at 80 columns under itself.
    expect(out).toBe(`8 accounts: ${ids.slice(0, 4).join(', ')},\n  ${ids[4]} and 3 more\nNo instance matched.\n\n8 accounts: 8 ok, 0 failed\n`);
  });
});
