// One emulator per test file: started before its tests, wiped before each, stopped after.
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/moto.mjs';

export interface Suite {
  emu: Emulator;
  /** The environment for a child process that talks to this emulator only (region us-east-1). */
  env: Record<string, string>;
}

export function emulatorSuite(
  options: { propagationSeconds?: number; profilePropagationSeconds?: number; associatingSeconds?: number; resetEach?: boolean } = {},
): Suite {
  const suite = {} as Suite;
  beforeAll(async () => {
    suite.emu = await startEmulator({
      propagationSeconds: options.propagationSeconds,
      profilePropagationSeconds: options.profilePropagationSeconds,
      associatingSeconds: options.associatingSeconds,
    });
    suite.env = suite.emu.env('us-east-1');
  });
  afterAll(async () => suite.emu?.stop());
  if (options.resetEach !== false) beforeEach(async () => suite.emu.reset());
  return suite;
}
