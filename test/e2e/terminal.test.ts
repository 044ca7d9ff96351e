// Ctrl-C typed at a real (pseudo-)terminal: the pty turns it into SIGINT, as a keyboard does. The
// progress line on screen is replaced by the "interrupted" message, not left above it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../emulator/fault-proxy.mjs';
import { emulatorSuite } from '../helpers/emulator-suite.js';
import { startInTerminal, uncolour } from '../helpers/terminal.js';

const suite = emulatorSuite();
let proxy: FaultProxy;

beforeAll(async () => {
  proxy = await startFaultProxy(suite.emu.url, { seed: 3 });
});
afterAll(async () => proxy?.stop());

describe('Ctrl-C at the terminal', () => {
  it('while the regions counter shows: the line is erased and replaced by "interrupted", then exit 130', async () => {
    // us-east-1's setting is read; us-east-2's is held, so the counter stays on "read 1 of 2".
    proxy.setRules([{ service: 'ssm', operation: 'GetServiceSetting', region: 'us-east-2', fault: 'hold' }]);
    const run = startInTerminal(['dhmc', 'status', '--region', 'us-east-1,us-east-2'], { ...suite.env, AWS_ENDPOINT_URL: proxy.url }, 80);
    await run.waitFor(/read 1 of 2 regions/);
    run.type('\u0003');
    await run.waitFor(/interrupted: finishing calls in flight/);
    proxy.stopHolding();
    const r = await run.done;
    expect(r.code).toBe(130);
    const shown = uncolour(r.stdout);
    // The counter's text is followed by the erase, then the message on the same row: nothing of the
    // counter is left on screen above "interrupted".
    expect(shown).toMatch(/read 1 of 2 regions(\^C)?\r\u001b\[2Kinterrupted: finishing calls in flight/);
  });
});
