// The progress line as an operator sees it: the built CLI in a pseudo-terminal 80 columns wide
// (`script`, whose pty carries stdout and stderr together, as a terminal shows them), attaching a
// profile to 200 instances in the emulator through a slow loopback link (the fault proxy adds
// latency to every association), so the counter has time to move.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../emulator/fault-proxy.mjs';
import { emulatorSuite } from '../helpers/emulator-suite.js';
import { aws, ssmPerms, startSsmPerms } from '../helpers/child.js';
import { inTerminal, rowWidths, uncolour } from '../helpers/terminal.js';

const suite = emulatorSuite();
let proxy: FaultProxy;

beforeAll(async () => {
  proxy = await startFaultProxy(suite.emu.url, { seed: 7 });
});
afterAll(async () => proxy?.stop());

describe('profile attach in an 80-column terminal, through a slow link', () => {
  it('the counter advances (several distinct "attached N/200"), and no line is wider than 80', async () => {
    const created = await ssmPerms(['profile', 'create', '--json'], suite.env);
    expect(created.code, created.stderr).toBe(0);
    await aws(
      [
        'ec2',
        'run-instances',
        '--image-id',
        'ami-12345678',
        '--count',
        '200',
        '--tag-specifications',
        'ResourceType=instance,Tags=[{Key=Fleet,Value=progress}]',
      ],
      suite.env,
    );
    // Every association takes 150 ms more on the way: 200 of them, 8 at a time, take about 4 s.
    proxy.setRules([{ service: 'ec2', operation: 'AssociateIamInstanceProfile', fault: 'latency', ms: 150 }]);
    const r = await inTerminal(
      ['profile', 'attach', '--name', 'SSMInstanceProfile', '--tag', 'Fleet=progress'],
      { ...suite.env, AWS_ENDPOINT_URL: proxy.url },
      80,
    );
    expect(r.code, r.stdout).toBe(0);
    expect(proxy.log().filter((e) => e.operation === 'AssociateIamInstanceProfile')).toHaveLength(200);

    const counts = [...uncolour(r.stdout).matchAll(/profile attach: attached (\d+)\/200/g)].map((m) => Number(m[1]));
    expect(new Set(counts).size, counts.join(' ')).toBeGreaterThanOrEqual(4);
    // It only ever goes up.
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(counts[0]).toBe(0);
    // The result, after the line was erased: the summary on a row of its own.
    expect(uncolour(r.stdout)).toMatch(/\r?\n200 attached, 0 replaced, 0 unchanged, 0 skipped, 0 failed\r?\n/);
    const widths = rowWidths(r.stdout);
    expect(Math.max(...widths)).toBeLessThanOrEqual(80);
    // The table was drawn to the terminal's width, not shorter by accident.
    expect(Math.max(...widths)).toBeGreaterThan(60);

    // A rerun changes nothing and says so in one line.
    proxy.setRules([]);
    const again = await inTerminal(['profile', 'attach', '--name', 'SSMInstanceProfile', '--tag', 'Fleet=progress'], suite.env, 80);
    expect(again.code, again.stdout).toBe(0);
    expect(uncolour(again.stdout).trim()).toBe('200 instances already have SSMInstanceProfile');
  });

  it('Ctrl-C halfway: exit 130, and the summary counts "not attempted" apart from "failed"; EC2 agrees on what was attached', async () => {
    expect((await ssmPerms(['profile', 'create', '--json'], suite.env)).code).toBe(0);
    await aws(
      ['ec2', 'run-instances', '--image-id', 'ami-12345678', '--count', '20', '--tag-specifications', 'ResourceType=instance,Tags=[{Key=Fleet,Value=stop}]'],
      suite.env,
    );
    // Every association is held at the proxy: one at a time (--concurrency 1), five let through, Ctrl-C while the sixth waits.
    proxy.setRules([{ service: 'ec2', operation: 'AssociateIamInstanceProfile', fault: 'hold' }]);
    const cli = startSsmPerms(['profile', 'attach', '--name', 'SSMInstanceProfile', '--tag', 'Fleet=stop', '--concurrency', '1'], {
      ...suite.env,
      AWS_ENDPOINT_URL: proxy.url,
    });
    const associations = () => proxy.log().filter((e) => e.operation === 'AssociateIamInstanceProfile').length;
    for (let n = 1; n <= 6; n++) {
      await proxy.waitFor(() => proxy.held() === 1 && associations() === n, { what: `association ${n} held` });
      if (n < 6) proxy.release();
    }
    cli.interrupt();
    await cli.waitForStderr(/interrupted/);
    // The write in flight is let through; nothing after it starts.
    proxy.stopHolding();
    const r = await cli.done;
    expect(r.code, r.stderr).toBe(130);
    expect(associations()).toBe(6);
    const summary = /(\d+) attached, 0 replaced, 0 unchanged, 0 skipped, (\d+) failed, 14 not attempted \(interrupted\)\n$/.exec(r.stdout);
    expect(summary, r.stdout).not.toBeNull();
    const [attached, failed] = [Number(summary![1]), Number(summary![2])];
    // The sixth was cut off or finished: either way it was tried, so it is never "not attempted".
    expect(attached + failed).toBe(6);
    expect(attached).toBeGreaterThanOrEqual(5);
    const made = (await aws(['ec2', 'describe-iam-instance-profile-associations'], suite.env)) as { IamInstanceProfileAssociations: unknown[] };
    expect(made.IamInstanceProfileAssociations.length).toBeGreaterThanOrEqual(5);
    expect(made.IamInstanceProfileAssociations.length).toBeLessThanOrEqual(6);
  });
});
