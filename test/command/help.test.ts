// Help as a newcomer reads it: every command's --help lists the global options too, and the top-level
// help shows real command lines that ssm-perms accepts.
import { beforeEach, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { COMMANDS } from '../../src/cli/commands.js';
import type { CliIO, InStream } from '../../src/cli/io.js';
import { buildProgram, parseGlobals } from '../../src/cli/program.js';
import type { CommandDef, RawOptions } from '../../src/commands/types.js';
import { expectNoAwsCall, resetAws } from '../helpers/aws-mocks.js';
import { cli } from '../helpers/cli-io.js';

beforeEach(resetAws);

/** A program whose commands only record what commander parsed (nothing runs, nothing is printed). */
function recordingProgram() {
  const runs: { def: CommandDef; opts: RawOptions }[] = [];
  const io: CliIO = {
    argv: [],
    env: {},
    stdout: { write: () => true },
    stderr: { write: () => true },
    stdin: new PassThrough() as PassThrough & InStream,
    signal: new AbortController().signal,
  };
  const program = buildProgram(io, COMMANDS, async (def, opts) => {
    runs.push({ def, opts });
  });
  return { program, runs };
}

/** The long (or only) flag of each of the program's own options: the global options. */
const globalFlags = () => recordingProgram().program.options.map((o) => o.long ?? o.short!);

/** The lines of one section of a help text ("Global Options:", "Examples:"), up to the next blank line. */
function section(help: string, heading: string): string[] {
  const lines = help.split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) return [];
  const end = lines.indexOf('', start);
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

describe('<noun> <verb> --help', () => {
  it.each(COMMANDS.map((def) => [def.path.join(' '), def.path]))('%s lists every global option under "Global Options:"', async (_name, path) => {
    const r = await cli([...path, '--help']);
    expect(r.code).toBe(0);
    const globals = section(r.stdout, 'Global Options:').join('\n');
    expect(globals).not.toBe('');
    for (const flag of globalFlags()) expect(globals, flag).toContain(flag);
    // The command's own options stay in their own section, before the global ones.
    expect(r.stdout.indexOf('Options:')).toBeLessThan(r.stdout.indexOf('Global Options:'));
    expectNoAwsCall();
  });

  it('a group (dhmc --help) lists them too, and its commands', async () => {
    const r = await cli(['dhmc', '--help']);
    expect(r.code).toBe(0);
    expect(section(r.stdout, 'Global Options:').join('\n')).toContain('--region <region>');
    expect(r.stdout).toContain('enable [options]');
  });

  it('the global options are not repeated as a second "Global Options:" section at the top level, where they are the options', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('Global Options:');
    const options = section(r.stdout, 'Options:').join('\n');
    for (const flag of globalFlags()) expect(options, flag).toContain(flag);
  });
});

describe('ssm-perms --help', () => {
  const examples = async () =>
    section((await cli(['--help'])).stdout, 'Examples:')
      .map((l) => l.trim())
      .filter((l) => l.startsWith('$ ssm-perms '))
      .map((l) => l.slice('$ ssm-perms '.length));

  it('shows several examples, covering doctor, dhmc, profile and admin-policy', async () => {
    const lines = await examples();
    expect(lines.length).toBeGreaterThanOrEqual(5);
    for (const noun of ['doctor', 'dhmc', 'profile', 'admin-policy'])
      expect(
        lines.some((l) => l.startsWith(`${noun} `)),
        noun,
      ).toBe(true);
  });

  it('every example is a command line ssm-perms accepts: a real command, known options, valid global values', async () => {
    for (const line of await examples()) {
      // The shell part (a pipe into jq, a redirection) is not ssm-perms's; no example quotes its own arguments.
      const argv = line.split(/ [|>] /)[0]!.split(' ');
      const { program, runs } = recordingProgram();
      await program.parseAsync(argv, { from: 'user' });
      expect(runs, line).toHaveLength(1);
      expect(argv.slice(0, runs[0]!.def.path.length), line).toEqual(runs[0]!.def.path);
      expect(() => parseGlobals(runs[0]!.opts), line).not.toThrow();
    }
  });

  it('says where the per-command help is', async () => {
    const r = await cli(['--help']);
    expect(r.stdout).toContain('ssm-perms <command> [verb] --help');
  });
});

describe('help at a terminal', () => {
  it('fits its examples and IAM permissions to the width: examples continued with " \\", permissions under themselves', async () => {
    const r = await cli(['doctor', '--help'], { stdoutTty: true, columns: 80 });
    const tail = r.stdout.slice(r.stdout.indexOf('Examples:'));
    // Only a quoted jq program may overflow: the shell keeps a quoted word whole.
    expect(tail.split('\n').filter((l) => l.length > 80 && !/'/.test(l))).toEqual([]);
    expect(tail).toMatch(/ \\\n {6}/);
    expect(tail).toContain('\n  with --fix, what each fix needs: an instance profile - iam:CreateRole,\n  iam:AttachRolePolicy,');
    // Into a pipe nothing is wrapped: one line per example and per permission, as before.
    const piped = await cli(['doctor', '--help']);
    expect(piped.stdout).toMatch(/\n {2}with --fix, what each fix needs: [^\n]*--update-agent - ssm:SendCommand\n/);
  });
});
