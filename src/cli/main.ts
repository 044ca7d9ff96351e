// The process entry: wires the real process into runCli, and turns Ctrl-C into an abort that lets
// the command stop making new calls and report what it already did (a second Ctrl-C exits at once).
import { runCli } from './run.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const controller = new AbortController();
let interrupts = 0;
process.on('SIGINT', () => {
  interrupts += 1;
  if (interrupts > 1) process.exit(130);
  process.stderr.write('\ninterrupted: finishing calls in flight and reporting what was done (Ctrl-C again to quit now)\n');
  controller.abort(new Error('interrupted'));
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
