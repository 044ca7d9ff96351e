// One emulator per test file: started before its tests, wiped before each, stopped after. A CLI a test
// started and left running (a failed wait) is killed after that test.
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/moto.mjs';
import { killStrayClis } from './child.js';

export interface Suite {
  emu: Emulator;
  /** The environment for a child process that talks to this emulator only (region us-east-1). */
  env: Record<string, string>;
}

/**
 * IAM propagation and "associating" are not timed here: a test holds them with emu.holdIamPropagation()
 * / emu.holdAssociating(region) and releases them when it decides, so no test depends on the machine's
 * speed (startEmulator's *Seconds options, timed, remain for trying the emulator by hand).
 */
export function emulatorSuite(options: { resetEach?: boolean } = {}): Suite {
  const suite = {} as Suite;
  beforeAll(async () => {
    suite.emu = await startEmulator();
    suite.env = suite.emu.env('us-east-1');
  });
  afterAll(async () => suite.emu?.stop());
  if (options.resetEach !== false) beforeEach(async () => suite.emu.reset());
  afterEach(() => killStrayClis());
  return suite;
}
