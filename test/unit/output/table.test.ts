import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { cut, fitColumns, fitCommand, hang, table, wrap, displayWidth } from '../../../src/output/table.js';
import { createStyle, outputWidth } from '../../../src/output/style.js';
import { loadDisplayWidth } from '../../../src/output/width.js';

// string-width is loaded when a command runs; these tests measure as the CLI then does.
beforeAll(loadDisplayWidth);

const widest = (s: string) => Math.max(...s.split('\n').map(displayWidth));

describe('table', () => {
  const rows = [
    [
      'us-east-1',
      'on',
      'service-role/AWSSystemsManagerDefaultEC2InstanceManagementRole',
      'Customized',
      '2026-11-28T10:00:00Z by arn:aws:iam::123456789012:user/admin',
    ],
    ['eu-west-3', 'off', '-', 'Default', '-'],
  ];
  const columns = [
    { header: 'REGION' },
    { header: 'DHMC' },
    { header: 'ROLE' },
    { header: 'STATUS', drop: 2, min: 10 },
    { header: 'LAST CHANGE', drop: 1, min: 20 },
  ];

  it('prints every column at its natural width when there is no limit (a pipe or a file)', () => {
    const out = table(columns, rows);
    expect(out.split('\n')[1]).toBe(
      'us-east-1  on    service-role/AWSSystemsManagerDefaultEC2InstanceManagementRole  Customized  2026-11-28T10:00:00Z by arn:aws:iam::123456789012:user/admin',
    );
  });

  it('fits 80 columns: drops the dispensable columns, highest `drop` first, then wraps the widest inside its cell', () => {
    const out = table(columns, rows, 80);
    expect(widest(out)).toBeLessThanOrEqual(80);
    expect(out).not.toContain('LAST CHANGE');
    expect(out).not.toContain('STATUS');
    expect(out.split('\n')[0]).toBe('REGION     DHMC  ROLE');
    // The role is all there, across two lines of its own column.
    expect(out.replace(/\n\s+/g, '')).toContain('service-role/AWSSystemsManagerDefaultEC2InstanceManagementRole');
  });

  it('keeps a dispensable column that fits at its minimum, and shrinks it before the others: at 120 columns the role stays whole', () => {
    const out = table(columns, rows, 120);
    expect(out.split('\n')[0]).toMatch(/^REGION +DHMC +ROLE +STATUS +LAST CHANGE$/);
    expect(out.split('\n')[1]).toContain('service-role/AWSSystemsManagerDefaultEC2InstanceManagementRole  Customized');
    expect(widest(out)).toBeLessThanOrEqual(120);
  });

  it('drops the least valuable column first: at 105 columns STATUS goes and LAST CHANGE stays', () => {
    const out = table(columns, rows, 105);
    expect(out).not.toContain('STATUS');
    expect(out).toContain('LAST CHANGE');
    expect(widest(out)).toBeLessThanOrEqual(105);
  });

  it('cuts a column marked `cut` with an ellipsis instead of wrapping it', () => {
    const out = table([{ header: 'ID' }, { header: 'NAME', overflow: 'cut' }], [['i-1', 'a very long name that does not fit']], 20);
    expect(out.split('\n')[1]).toBe('i-1  a very long na…');
    expect(widest(out)).toBe(20);
  });

  it('paints a cell after fitting it, so colour codes neither count nor get cut', () => {
    const style = createStyle(true);
    const out = table(['A', 'B'], [[{ text: 'on', paint: style.ok }, 'x']]);
    expect(out.split('\n')[1]).toBe(`${style.ok('on')}  x`);
  });

  it('escapes control characters in cells: a Name tag cannot clear the screen or break the row', () => {
    const out = table(['ID', 'NAME'], [['i-1', 'evil\u001b[2J\nname\u009b']]);
    expect(out.split('\n')[1]).toBe('i-1  evil\\x1b[2J\\nname\\x9b');
  });

  it('measures wide characters as two columns', () => {
    const out = table(
      ['A', 'B'],
      [
        ['名前', 'x'],
        ['ab', 'y'],
      ],
    );
    expect(out.split('\n').slice(1, 3)).toEqual(['名前  x', 'ab    y']);
  });

  it('never prints a line wider than the room while every column can still shrink (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ maxLength: 60 }), { minLength: 4, maxLength: 4 }), { maxLength: 6 }),
        fc.integer({ min: 40, max: 120 }),
        (cells, room) => {
          const out = table(['AAAA', 'BBBB', 'CCCC', 'DDDD'], cells, room);
          expect(widest(out)).toBeLessThanOrEqual(room);
        },
      ),
    );
  });
});

describe('fitColumns', () => {
  it('shrinks the widest column first, never below its minimum', () => {
    expect(fitColumns([{ header: 'A' }, { header: 'B' }], [30, 20], 30).widths).toEqual([14, 14]);
    const { shown, widths } = fitColumns([{ header: 'A' }, { header: 'B', min: 10 }], [30, 30], 20);
    expect(shown).toEqual([0, 1]);
    expect(widths).toEqual([8, 10]);
  });
});

describe('wrap and cut', () => {
  it('wrap breaks at the last space that fits, else after a separator of an ARN or path, inside a word only when it must', () => {
    expect(wrap('one two three', 7)).toEqual(['one two', 'three']);
    expect(wrap('arn:aws:iam::123456789012:role/service-role/OtherDhmcRole', 30)).toEqual([
      'arn:aws:iam::123456789012:',
      'role/service-role/',
      'OtherDhmcRole',
    ]);
    expect(wrap('service-role/AWSSystemsManagerDefaultEC2InstanceManagementRole', 58)).toEqual([
      'service-role/',
      'AWSSystemsManagerDefaultEC2InstanceManagementRole',
    ]);
    expect(wrap('i-0123456789abcdef0123', 10)).toEqual(['i-01234567', '89abcdef01', '23']);
  });
  it('cut keeps whole graphemes and ends in an ellipsis', () => {
    expect(cut('abcdef', 4)).toBe('abc…');
    expect(cut('abc', 4)).toBe('abc');
    expect(cut('名前名前', 5)).toBe('名前…');
  });
});

describe('fitCommand', () => {
  // What bash makes of a command: its words, one per line.
  const words = (command: string) => execFileSync('bash', ['-c', `printf '%s\\n' ${command}`], { encoding: 'utf8' });
  const ids = Array.from({ length: 30 }, (_, k) => `i-0${String(k).padStart(16, '0')}`).join(',');
  const long = `ssm-perms profile attach --region us-east-1 --instance-profile-name SSMInstanceProfile --instance-id ${ids}`;

  it('leaves a command that fits alone', () => {
    expect(fitCommand('ssm-perms dhmc enable --region us-east-1', 80)).toBe('ssm-perms dhmc enable --region us-east-1');
  });

  it('breaks a long command into lines of at most the width that bash reads as the same words', () => {
    const fitted = fitCommand(long, 80, '  ');
    expect(fitted.split('\n').length).toBeGreaterThan(3);
    expect(widest(fitted)).toBeLessThanOrEqual(80);
    expect(words(fitted)).toBe(words(long));
  });

  it('never breaks inside quotes, where bash keeps a backslash-newline as it is: the quoted word overflows instead', () => {
    const trust = `aws iam update-assume-role-policy --role-name WeakProfileRole --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ssm.amazonaws.com"},"Action":"sts:AssumeRole"}]}'`;
    const fitted = fitCommand(trust, 60, '  ');
    expect(words(fitted)).toBe(words(trust));
    expect(fitted.split('\n').at(-1)).toMatch(/^ {2}'\{"Version".*\}'$/);
    // A quoted word with spaces stays one word too.
    const spaced = "aws ssm send-command --comment 'a comment with several words in it' --region us-east-1";
    expect(words(fitCommand(spaced, 30, '  '))).toBe(words(spaced));
  });

  it('keeps the words the same for any width (property, checked by bash)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 12, max: 90 }), (w) => {
        const fitted = fitCommand(long, w, '    ');
        expect(widest(fitted)).toBeLessThanOrEqual(w);
        expect(words(fitted)).toBe(words(long));
      }),
      { numRuns: 15 },
    );
  });
});

describe('outputWidth', () => {
  it("is the terminal's columns, 80 on a terminal that does not say, and no limit on a pipe", () => {
    expect(outputWidth({ isTTY: true, columns: 132 }, {})).toBe(132);
    expect(outputWidth({ isTTY: true }, {})).toBe(80);
    expect(outputWidth({ isTTY: true }, { COLUMNS: '100' })).toBe(100);
    expect(outputWidth({ isTTY: false, columns: 132 }, {})).toBeUndefined();
    expect(outputWidth({ isTTY: false }, { COLUMNS: '90' })).toBe(90);
    expect(outputWidth({ isTTY: false }, { COLUMNS: 'wide' })).toBeUndefined();
  });
});

describe('hang', () => {
  it('gives every line the same room and starts the later ones under the first', () => {
    expect(hang('one two three four', 14, 4)).toBe('one two\n    three four');
    expect(hang('one two three four', undefined, 4)).toBe('one two three four');
  });
});
