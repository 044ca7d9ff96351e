// Messages on stderr at a terminal's width: prose wraps under its label; a command on a line of its own
// is fitted as a command, so that it still pastes (line continuations, never broken inside quotes).
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { labelled, type Printer } from '../../../src/cli/print.js';
import { createStyle } from '../../../src/output/style.js';
import { loadDisplayWidth } from '../../../src/output/width.js';

beforeAll(loadDisplayWidth);

const printer = (width: number | undefined): Printer => ({ style: createStyle(false), errStyle: createStyle(false, width), json: false, output: 'table' });
const words = (command: string) => execFileSync('bash', ['-c', `printf '%s\\n' ${command}`], { encoding: 'utf8' });
const COMMAND = `aws iam update-assume-role-policy --role-name ReviewPlainEc2Role --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":["ec2.amazonaws.com"]},"Action":"sts:AssumeRole"},{"Effect":"Allow","Principal":{"Service":"ssm.amazonaws.com"},"Action":"sts:AssumeRole"}]}'`;

describe('labelled', () => {
  it('wraps prose under its label, and fits a command line as a command that bash reads back whole', () => {
    const out = labelled(
      printer(60),
      'hint:',
      (s) => s,
      `Let ssm.amazonaws.com assume it, keeping what the role trusts now (or choose another role):\n${COMMAND}`,
    );
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toBe('hint: Let ssm.amazonaws.com assume it, keeping what the role');
    expect(lines[1]).toBe('      trusts now (or choose another role):');
    const command = lines.slice(2).join('\n');
    expect(command.startsWith('aws iam update-assume-role-policy')).toBe(true);
    expect(words(command)).toBe(words(COMMAND));
  });

  it('leaves everything on its lines without a width (a log)', () => {
    expect(labelled(printer(undefined), 'hint:', (s) => s, `Fix:\n${COMMAND}`)).toBe(`hint: Fix:\n${COMMAND}\n`);
  });
});
