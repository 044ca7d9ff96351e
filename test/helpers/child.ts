// Runs the built CLI (bin/ssm-perms.js) and the AWS CLI as child processes.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
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

/** The built CLI, running: the test waits for what it prints and decides when to interrupt it. */
export interface RunningCli {
  stdout(): string;
  stderr(): string;
  /**
   * Resolves once stderr so far satisfies `when` (a pattern, or a test of the whole stderr). Rejects when
   * the CLI exits first, or after `timeoutMs` - a deadline for a hang, not a delay: a working run never
   * reaches it, so a slow machine only makes it wait longer.
   */
  waitForStderr(when: RegExp | ((stderr: string) => boolean), timeoutMs?: number): Promise<void>;
  /** One Ctrl-C. */
  interrupt(): void;
  /** SIGKILL, for a test that gives up on the run (a failed wait): no CLI outlives its test. */
  kill(): void;
  /** The run's outcome once the CLI has exited (130 for a SIGINT it did not handle). */
  done: Promise<ChildRun>;
}

const running = new Set<ChildProcess>();

/** Kills every CLI started by startSsmPerms that is still running (the emulator suite does it after each test). */
export function killStrayClis(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

/** Starts the built CLI (stdin closed). `killAfterMs` bounds a hang: the CLI is then killed and says so on stderr. */
export function startSsmPerms(args: string[], env: Record<string, string>, { killAfterMs = 120_000 } = {}): RunningCli {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let stdout = '';
  let stderr = '';
  let exited = false;
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const l of [...listeners]) l();
  };
  const killer = setTimeout(() => {
    stderr += `\n(killed: still running after ${killAfterMs} ms)`;
    child.kill('SIGKILL');
  }, killAfterMs);
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => {
    stderr += d;
    changed();
  });
  const done = new Promise<ChildRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      running.delete(child);
      exited = true;
      changed();
      resolve({ code: code ?? (signal === 'SIGINT' ? 130 : -1), stdout, stderr });
    });
  });
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    waitForStderr(when, timeoutMs = 60_000) {
      const holds = typeof when === 'function' ? when : (text: string) => when.test(text);
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (holds(stderr)) finish();
          else if (exited) finish(new Error(`the CLI exited before its stderr showed ${String(when)}:\n${stderr}`));
        };
        const finish = (err?: Error) => {
          listeners.delete(check);
          clearTimeout(timer);
          if (err) reject(err);
          else resolve();
        };
        const timer = setTimeout(() => finish(new Error(`no ${String(when)} on the CLI's stderr after ${timeoutMs} ms:\n${stderr}`)), timeoutMs);
        listeners.add(check);
        check();
      });
    },
    interrupt: () => child.kill('SIGINT'),
    kill: () => child.kill('SIGKILL'),
    done,
  };
}

/**
 * The built CLI, sent one Ctrl-C (SIGINT) once `when(stderr)` holds - never at a guessed moment: when
 * it never holds, this rejects (with the CLI's stderr) rather than interrupting something else.
 */
export async function ssmPermsInterrupted(args: string[], env: Record<string, string>, when: (stderr: string) => boolean): Promise<ChildRun> {
  const cli = startSsmPerms(args, env);
  try {
    await cli.waitForStderr(when);
  } catch (e) {
    cli.kill();
    throw e;
  }
  cli.interrupt();
  return cli.done;
}
