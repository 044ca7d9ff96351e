// Requests that never end: an endpoint that accepts and never answers stops at --cli-read-timeout, one
// that never accepts stops at --cli-connect-timeout, each with an error that names the timeout and the
// call; bad values are refused before anything is sent. A credential_process that never returns stops
// at the first Ctrl-C, and does not outlive the CLI.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorEnv } from '../emulator/moto.mjs';
import { BIN, type ChildRun } from '../helpers/child.js';

/** The built CLI, killed if it is still running after `ms`: a regression fails the test, not the run. */
function ssmPerms(args: string[], env: Record<string, string>, ms = 15_000): Promise<ChildRun & { killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, ms);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr: killed ? `${stderr}\n(killed: still running after ${ms} ms)` : stderr, killed });
    });
  });
}

interface Silent {
  url: string;
  connections: () => number;
  close: () => Promise<void>;
}

/** A TCP server on 127.0.0.1 that accepts every connection, reads what is sent, and never answers. */
async function silentServer(): Promise<Silent> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('data', () => undefined);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => connections,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

interface Unaccepting {
  url: string;
  close: () => void;
}

/**
 * The accept queue of the socket listening on 127.0.0.1:`port`, from the kernel's table (Linux): for a
 * listener /proc/net/tcp shows the queue's length as rx_queue and its limit (the backlog) as tx_queue.
 */
function acceptQueue(port: number): { queued: number; backlog: number } {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    // sl local_address rem_address st tx_queue:rx_queue ...; st 0A is LISTEN.
    if (f[1] === local && f[3] === '0A') {
      const [tx, rx] = f[4]!.split(':').map((h) => parseInt(h, 16));
      return { queued: rx!, backlog: tx! };
    }
  }
  throw new Error(`no listener on 127.0.0.1:${port} in /proc/net/tcp`);
}

/**
 * A listener on 127.0.0.1 that never accepts: a backlog of 0, filled by one parked connection, so the
 * kernel leaves every later SYN unanswered and a client's connect() hangs. Node always accepts, so a
 * few lines of Python (already needed by the emulator) hold the socket. Full is read from the kernel's
 * own count, not guessed from how long a connect takes.
 */
async function unacceptingListener(): Promise<Unaccepting> {
  const py: ChildProcess = spawn(
    'python3',
    ['-c', "import socket,sys,time\ns=socket.socket()\ns.bind(('127.0.0.1',0))\ns.listen(0)\nprint(s.getsockname()[1],flush=True)\nsys.stdin.read()"],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    py.stdout!.once('data', (d) => resolve(Number(String(d).trim())));
    py.once('error', reject);
  });
  // Park connections until the kernel counts the queue full (more queued than the backlog): from then
  // on it drops every SYN. Each parked connect completes (the queue had room), however slow the machine.
  const parked: Socket[] = [];
  for (let q = acceptQueue(port); q.queued <= q.backlog; q = acceptQueue(port)) {
    if (parked.length >= 8) throw new Error(`the accept queue of port ${port} never fills: ${JSON.stringify(q)}`);
    const s = connect(port, '127.0.0.1');
    parked.push(s);
    await new Promise<void>((resolve, reject) => {
      s.once('connect', resolve);
      s.once('error', reject);
    });
    s.on('error', () => undefined);
    const want = parked.length;
    if (!(await until(() => acceptQueue(port).queued >= want, 10_000))) throw new Error(`connection ${want} to port ${port} never reached its accept queue`);
  }
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      for (const s of parked) s.destroy();
      py.stdin!.end();
      py.kill();
    },
  };
}

const lastJson = (stderr: string) => JSON.parse(stderr.trim().split('\n').pop()!) as { error: { code: string; message: string; hint: string } };

let silent: Silent;
beforeAll(async () => {
  silent = await silentServer();
});
afterAll(async () => silent?.close());

describe('--cli-read-timeout', () => {
  it('stops a call the endpoint never answers, naming the timeout, the call and the option (text)', async () => {
    const r = await ssmPerms(['dhmc', 'status', '--region', 'us-east-1', '--cli-read-timeout', '1', '--max-attempts', '1'], emulatorEnv(silent.url));
    expect(r.code, r.stderr).toBe(5);
    expect(r.stderr).toMatch(/error: sts:GetCallerIdentity in us-east-1 timed out/);
    expect(r.stderr).toContain('1 s');
    expect(r.stderr).toMatch(/hint: .*--cli-read-timeout/);
    expect(r.stdout).toBe('');
  }, 20_000);

  it('the same as one JSON line on stderr with --json', async () => {
    const r = await ssmPerms(['dhmc', 'status', '--region', 'us-east-1', '--cli-read-timeout=1', '--max-attempts', '1', '--json'], emulatorEnv(silent.url));
    expect(r.code, r.stderr).toBe(5);
    const { error } = lastJson(r.stderr);
    expect(error.code).toBe('ReadTimeout');
    expect(error.message).toContain('sts:GetCallerIdentity in us-east-1');
    expect(error.hint).toContain('--cli-read-timeout');
    expect(r.stdout).toBe('');
  }, 20_000);
});

describe('--cli-connect-timeout', () => {
  it('stops a connection the endpoint never accepts', async () => {
    const listener = await unacceptingListener();
    try {
      const r = await ssmPerms(
        ['dhmc', 'status', '--region', 'us-east-1', '--cli-connect-timeout', '1', '--max-attempts', '1', '--json'],
        emulatorEnv(listener.url),
      );
      expect(r.code, r.stderr).toBe(5);
      const { error } = lastJson(r.stderr);
      expect(error.code).toBe('ConnectTimeout');
      expect(error.message).toContain('sts:GetCallerIdentity in us-east-1');
      expect(error.hint).toContain('--cli-connect-timeout');
    } finally {
      listener.close();
    }
  }, 20_000);
});

describe('timeout values are checked before any AWS call', () => {
  it.each([
    ['--cli-read-timeout', '-1'],
    ['--cli-read-timeout', '1.5'],
    ['--cli-read-timeout', 'ten'],
    ['--cli-read-timeout', ''],
    ['--cli-connect-timeout', '-5'],
    ['--cli-connect-timeout', '99999999'],
    ['--cli-connect-timeout', '1e3'],
  ])('%s %j exits 2 naming the value and the rule', async (option, value) => {
    const before = silent.connections();
    const r = await ssmPerms(['dhmc', 'status', '--region', 'us-east-1', `${option}=${value}`, '--json'], emulatorEnv(silent.url));
    expect(r.code, r.stderr).toBe(2);
    const { error } = lastJson(r.stderr);
    expect(error.message).toContain(option);
    expect(error.message).toContain(JSON.stringify(value));
    expect(error.message).toMatch(/must be a whole number from 0 to 86400/);
    expect(silent.connections()).toBe(before);
  });

  it('0 (no timeout, as in the AWS CLI) is accepted', async () => {
    // Against the unreachable port 9: the value is accepted and the call fails for its own reason.
    const r = await ssmPerms(
      ['dhmc', 'status', '--region', 'us-east-1', '--cli-read-timeout', '0', '--cli-connect-timeout', '0', '--max-attempts', '1', '--json'],
      emulatorEnv('http://127.0.0.1:9'),
    );
    expect(r.code, r.stderr).toBe(5);
    expect(lastJson(r.stderr).error.code).toBe('NetworkError');
  });
});

/** Whether a process runs (a zombie waiting for its parent to reap it does not). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return existsSync(`/proc/${pid}`);
  }
}

async function until(check: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) if (check()) return true;
  return check();
}

describe('a credential_process that never returns', () => {
  it('stops at the first Ctrl-C with exit 130, and neither the process nor its children outlive the CLI', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssm-perms-hang-'));
    const pidFile = join(dir, 'pids');
    const script = join(dir, 'hang.sh');
    // The script, then a child of its own (what a real helper that waits on a browser or a device does).
    writeFileSync(script, '#!/bin/sh\necho $$ > "$1"\nsleep 600 &\necho $! >> "$1"\nwait\n', { mode: 0o755 });
    const config = join(dir, 'config');
    writeFileSync(config, `[profile hang]\ncredential_process = ${script} ${pidFile}\nregion = us-east-1\n`);
    const env: Record<string, string> = { ...emulatorEnv(silent.url), AWS_CONFIG_FILE: config };
    delete env.AWS_ACCESS_KEY_ID;
    delete env.AWS_SECRET_ACCESS_KEY;

    const child = spawn(process.execPath, [BIN, 'dhmc', 'status', '--profile', 'hang', '--region', 'us-east-1', '--json'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.resume();
    const closed = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    const pids = () => (existsSync(pidFile) ? readFileSync(pidFile, 'utf8').split('\n').filter(Boolean).map(Number) : []);
    try {
      expect(await until(() => pids().length === 2, 10_000), 'the credential_process started').toBe(true);
      child.kill('SIGINT');
      const code = await Promise.race([closed, new Promise<string>((r) => setTimeout(() => r('still running 10 s after Ctrl-C'), 10_000))]);
      expect(code, stderr).toBe(130);
      expect(stderr).toContain('interrupted');
      // Abandoned, not failed: the credentials were resolved under the abort signal.
      expect(lastJson(stderr).error.code).toBe('Interrupted');
      // A poll with a deadline (the processes are gone within milliseconds; a loaded machine only slows the poll).
      expect(await until(() => pids().every((pid) => !alive(pid)), 10_000), `still running: ${pids().filter(alive).join(' ')}`).toBe(true);
    } finally {
      child.kill('SIGKILL');
      for (const pid of pids()) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
