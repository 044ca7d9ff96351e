// Lazy loading, measured on the built bundle: --help and offline generators load no AWS SDK code,
// (each command loading only its own clients is checked against the emulator in dhmc.test.ts).
import { describe, expect, it } from 'vitest';
import { emulatorEnv } from '../emulator/moto.mjs';
import { packagesLoaded, sdkPackagesLoaded } from '../helpers/loaded-modules.js';

// No emulator is needed for what is checked here; an unreachable endpoint keeps anything from leaving.
const env = emulatorEnv('http://127.0.0.1:9');

describe('start-up loads only what the command needs', () => {
  it('--help loads no @aws-sdk module', async () => {
    const r = await sdkPackagesLoaded(['--help'], env);
    expect(r.code).toBe(0);
    expect(r.packages).toEqual([]);
  });

  it('a command help and the offline admin policy load no @aws-sdk module', async () => {
    expect((await sdkPackagesLoaded(['dhmc', 'enable', '--help'], env)).packages).toEqual([]);
    const offline = await sdkPackagesLoaded(['admin-policy', 'generate', '--account', '111122223333', '--region', 'us-east-2'], env);
    expect(offline.code).toBe(0);
    expect(offline.packages).toEqual([]);
  });

  it('the offline s3-policy generator loads no @aws-sdk module', async () => {
    const r = await sdkPackagesLoaded(['s3-policy', 'generate', '--region', 'us-east-2', '--vpc-endpoint', '--bucket', 'amzn-s3-demo-bucket'], env);
    expect(r.code).toBe(0);
    expect(r.packages).toEqual([]);
  });

  it('--help and the generators load neither jmespath nor string-width; --query loads jmespath', async () => {
    const lazy = /node_modules\/(jmespath|string-width|emoji-regex|get-east-asian-width)\//;
    expect((await packagesLoaded(['--help'], env, lazy)).packages).toEqual([]);
    expect((await packagesLoaded(['s3-policy', 'generate', '--region', 'us-east-2', '--vpc-endpoint'], env, lazy)).packages).toEqual([]);
    // A malformed query is refused once jmespath has compiled it, before any call; nothing is measured.
    const query = await packagesLoaded(['dhmc', 'status', '--region', 'us-east-1', '--query', 'regions[?'], env, lazy);
    expect(query.code).toBe(2);
    expect(query.packages).toEqual(['jmespath']);
  });
});
