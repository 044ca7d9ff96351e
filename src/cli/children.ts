// The child processes this CLI starts - the AWS SDK runs a profile's credential_process through
// child_process.exec (`/bin/sh -c "<command>"`) - so that Ctrl-C can stop them: a credential_process
// that hangs (waiting on a browser, a device, a lock) must not keep the CLI waiting, nor outlive it.
// Node announces every new ChildProcess on the 'child_process' diagnostics channel, which sees the SDK's
// children without reaching into the SDK. A child runs in the CLI's process group, so a Ctrl-C typed at
// a terminal reaches it anyway; a SIGINT sent to the CLI alone (kill -INT, a supervisor, CI) does not,
// and the shell's own children (the command it runs, and theirs) would survive the shell: hence the tree.
import type { ChildProcess } from 'node:child_process';
import { subscribe } from 'node:diagnostics_channel';
import { readdirSync, readFileSync } from 'node:fs';

export interface Children {
  /**
   * Sends `signal` to every live child and all its descendants; a child started after this is sent it
   * as soon as it has started (the SDK's credential chain may try the next source after a kill).
   */
  stop(signal: NodeJS.Signals): void;
}

/** Every process's parent, from /proc on Linux, else from `ps` (macOS, the BSDs). */
function parents(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  const add = (pid: number, ppid: number) => {
    if (!Number.isInteger(pid) || !Number.isInteger(ppid)) return;
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  };
  if (process.platform === 'linux') {
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        add(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      } catch {
        /* exited while being read */
      }
    }
    return children;
  }
  const { spawnSync } = process.getBuiltinModule('node:child_process');
  const out = spawnSync('ps', ['-A', '-o', 'pid=', '-o', 'ppid='], { encoding: 'utf8' }).stdout ?? '';
  for (const line of out.split('\n')) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number);
    add(pid!, ppid!);
  }
  return children;
}

function send(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    /* already gone */
  }
}

/**
 * Signals a process and everything below it. The tree is frozen top-down first (SIGSTOP, listed again
 * until no new process appears), so nothing in it can fork a process that the listing misses - a
 * survivor holding the pipe open would keep the SDK's exec() waiting - then signalled, then resumed
 * so that it can act on a catchable signal.
 */
export function killTree(pid: number, signal: NodeJS.Signals): void {
  if (process.platform === 'win32') {
    process.getBuiltinModule('node:child_process').spawnSync('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore' });
    return;
  }
  const tree = new Set<number>();
  let found = [pid];
  for (let round = 0; round < 32 && found.length > 0; round += 1) {
    for (const p of found) {
      send(p, 'SIGSTOP');
      tree.add(p);
    }
    let table: Map<number, number[]>;
    try {
      table = parents();
    } catch {
      break;
    }
    found = [...tree].flatMap((p) => table.get(p) ?? []).filter((p) => !tree.has(p));
  }
  for (const p of tree) send(p, signal);
  for (const p of tree) send(p, 'SIGCONT');
}

export function trackChildren(): Children {
  const live = new Set<ChildProcess>();
  let stopping: NodeJS.Signals | null = null;
  subscribe('child_process', (message) => {
    const child = (message as { process?: ChildProcess }).process;
    if (!child) return;
    live.add(child);
    child.once('exit', () => live.delete(child));
    child.once('error', () => live.delete(child));
    child.once('spawn', () => {
      if (stopping && child.pid !== undefined) killTree(child.pid, stopping);
    });
  });
  return {
    stop(signal) {
      stopping = signal;
      for (const child of live) if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) killTree(child.pid, signal);
    },
  };
}
