// Lazy loading, measured on the built bundle: --help and offline generators load no AWS SDK code,
// (each command loading only its own clients is checked against the emulator in dhmc.test.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

describe('the bundle keeps only the SDK shapes of the commands sent', () => {
  const ROOT = fileURLToPath(new URL('../../', import.meta.url));
  const meta = JSON.parse(readFileSync(join(ROOT, 'dist/metafile.json'), 'utf8')) as { outputs: Record<string, { inputs: Record<string, unknown> }> };
  /** The text of the chunk holding a client's schemas. */
  const schemaChunk = (pkg: string) => {
    const out = Object.entries(meta.outputs).find(([, o]) => Object.keys(o.inputs).some((i) => i.includes(`${pkg}/dist-es/schemas/`)));
    if (!out) throw new Error(`no chunk holds ${pkg}'s schemas`);
    return readFileSync(join(ROOT, out[0]), 'utf8');
  };
  // Shape names are strings in the schemas: a command sent keeps its request shape, one never sent does not.
  it.each([
    ['@aws-sdk/client-ec2', 'DescribeInstancesRequest', ['RunInstancesRequest', 'CreateFleetRequest', 'DescribeImagesRequest']],
    ['@aws-sdk/client-ssm', 'SendCommandRequest', ['CreateDocumentRequest', 'StartSessionRequest']],
    ['@aws-sdk/client-iam', 'GetRoleRequest', ['CreateUserRequest', 'DeleteRoleRequest']],
  ])('%s: %s kept, operations never sent left out', (pkg, kept, dropped) => {
    const chunk = schemaChunk(pkg);
    // Named, not the chunk itself: a failure prints the names found, not a megabyte of bundle.
    const has = (name: string) => chunk.includes(`"${name}"`);
    expect(has(kept), kept).toBe(true);
    expect(dropped.filter(has)).toEqual([]);
  });
});
