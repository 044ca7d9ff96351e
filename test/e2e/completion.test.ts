// Shell completion, exercised in a real bash, and --version.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { emulatorEnv } from '../emulator/moto.mjs';
import { BIN, ssmPerms } from '../helpers/child.js';
import { sdkPackagesLoaded } from '../helpers/loaded-modules.js';

const env = emulatorEnv('http://127.0.0.1:9');

function complete(words: string[]): Promise<string[]> {
  const script = `source <("${process.execPath}" "${BIN}" completion bash); COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _ssm_perms; printf '%s\\n' "\${COMPREPLY[@]}"`;
  return new Promise((resolve, reject) =>
    execFile('bash', ['-c', script], { env }, (err, stdout) => (err ? reject(err) : resolve(stdout.split('\n').filter(Boolean)))),
  );
}

describe('completion', () => {
  it('completes commands, subcommands, their flags and region codes in bash', async () => {
    expect(await complete(['ssm-perms', ''])).toEqual(expect.arrayContaining(['dhmc', 'profile', 's3-policy', 'doctor', 'completion', '--region']));
    expect(await complete(['ssm-perms', 'dhmc', ''])).toEqual(['status', 'enable', 'disable']);
    expect(await complete(['ssm-perms', 'dhmc', 'enable', '--no-'])).toEqual(expect.arrayContaining(['--no-create-role', '--no-input', '--no-color']));
    expect(await complete(['ssm-perms', 'profile', 'attach', '--rep'])).toEqual(['--replace']);
    expect(await complete(['ssm-perms', 'doctor', '--region', 'eu-west-'])).toEqual(['eu-west-1', 'eu-west-2', 'eu-west-3']);
    // The values of -o, and each command name once.
    expect(await complete(['ssm-perms', 'doctor', '-o', ''])).toEqual(['table', 'text', 'json', 'markdown']);
    expect(await complete(['ssm-perms', 'dhmc', 'status', '--output', 'ma'])).toEqual(['markdown']);
    expect((await complete(['ssm-perms', 'comp'])).filter((w) => w === 'completion')).toHaveLength(1);
  });

  it('prints zsh too, refuses other shells with exit 2, and loads no SDK', async () => {
    const zsh = await ssmPerms(['completion', 'zsh'], env);
    expect(zsh.stdout.startsWith('#compdef ssm-perms')).toBe(true);
    expect((await ssmPerms(['completion', 'fish'], env)).code).toBe(2);
    expect((await sdkPackagesLoaded(['completion', 'bash'], env)).packages).toEqual([]);
  });

  it('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect((await ssmPerms(['--version'], env)).stdout.trim()).toBe(version);
  });
});
