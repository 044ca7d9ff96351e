// Runs the built CLI (bin/ssm-perms.js) and the AWS CLI as child processes.
import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/ssm-perms.js', import.meta.url));

export interface ChildRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(command: string, args: string[], env: Record<string, string>, input?: string): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal === 'SIGINT' ? 130 : -1), stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** The built CLI, as a user runs it. */
export function ssmPerms(args: string[], env: Record<string, string>, input?: string): Promise<ChildRun> {
  return run(process.execPath, [BIN, ...args], env, input);
}

/** The AWS CLI, an independent client to cross-check what ssm-perms did; returns its parsed JSON. */
export function aws(args: string[], env: Record<string, string>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    execFile('aws', [...args, '--output', 'json'], { env }, (err, stdout, stderr) => {
      if (err) reject(new Error(`aws ${args.join(' ')} failed: ${stderr}`));
      else resolve(stdout.trim() ? JSON.parse(stdout) : null);
    });
  });
}

/** The built CLI, sent one Ctrl-C (SIGINT) once `when(stderr)` holds - or after 10 s if it never does. */
export function ssmPermsInterrupted(args: string[], env: Record<string, string>, when: (stderr: string) => boolean): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let sent = false;
    const interrupt = () => {
      if (sent) return;
      sent = true;
      child.kill('SIGINT');
    };
    const timer = setTimeout(interrupt, 10_000);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      if (when(stderr)) interrupt();
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal === 'SIGINT' ? 130 : -1), stdout, stderr });
    });
  });
}
