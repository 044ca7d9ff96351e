// The process entry: wires the real process into runCli, and turns Ctrl-C into an abort that lets
// the command stop making new calls and report what it already did (a second Ctrl-C exits at once).
// Child processes (a profile's credential_process) are stopped at the first Ctrl-C: nothing was sent
// with the credentials they were fetching, and one that hangs must not hold the CLI or outlive it.
import { setMaxListeners } from 'node:events';
import { trackChildren } from './children.js';
import { runCli } from './run.js';
import { ExitCode } from '../services/errors.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// A reader that stops early (`ssm-perms doctor | head -1`) closes the pipe: the next write to it fails
// with EPIPE (Node ignores SIGPIPE, so it is an 'error' event, and unhandled it is a crash with a stack
// trace). The result is complete by the time it is printed, and whoever closed the pipe read what they
// wanted, so the run ends as it would have: the rest of the output is dropped, quietly. Other write
// errors are still errors.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    // ERR_STREAM_DESTROYED: a write after the EPIPE, to the stream Node has closed since.
    if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e;
  });
}

const controller = new AbortController();
// Every call in flight listens to this one signal (regions x operations, with bounded concurrency):
// many listeners are expected here, not a leak, so Node's warning past 10 would only alarm people.
setMaxListeners(0, controller.signal);
const children = trackChildren();
let interrupts = 0;
process.on('SIGINT', () => {
  interrupts += 1;
  if (interrupts > 1) {
    children.stop('SIGKILL');
    process.exit(ExitCode.Interrupted);
  }
  // On a terminal, the progress line (or the ^C the terminal echoed) is replaced, not left above it.
  const start = process.stderr.isTTY ? '\r\u001b[2K' : '\n';
  process.stderr.write(`${start}interrupted: finishing calls in flight and reporting what was done (Ctrl-C again to quit now)\n`);
  controller.abort(new Error('interrupted'));
  children.stop('SIGTERM');
});

const code = await runCli({
  argv: process.argv.slice(2),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  signal: controller.signal,
});
process.exitCode = code;
// Everything is reported, so nothing left may keep the process alive: work abandoned on Ctrl-C (the
// SDK's credential chain trying its next source, a read nobody waits for), or a connection that never
// answers (a proxy that accepted the socket and stays silent after the call timed out). Flush, then leave.
if (controller.signal.aborted) children.stop('SIGTERM');
// A child the credential chain starts while this happens is stopped on the way out.
process.once('exit', () => children.stop('SIGTERM'));
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
