// The client factory hands the CLI's timeouts to the SDK's request handler (NodeHttpHandler options:
// connectionTimeout for --cli-connect-timeout, socketTimeout - the idle read - for --cli-read-timeout).
import { beforeEach, describe, expect, it, vi } from 'vitest';

/**
 * The SDK clients as the factory uses them: each records its config and the commands it sends, and resolves
 * `credentials.provider` first, as the SDK does - a test makes it hang like a credential_process that never returns.
 */
const sdk = vi.hoisted(() => {
  const made: Record<string, unknown>[] = [];
  const sent: string[] = [];
  const credentials = { provider: async (): Promise<unknown> => ({ accessKeyId: 'AKIA', secretAccessKey: 's' }) };
  class Client {
    middlewareStack = { add: () => undefined };
    config: Record<string, unknown>;
    constructor(config: Record<string, unknown>) {
      made.push(config);
      this.config = { credentials: credentials.provider, ...config, region: async () => 'us-east-1' };
    }
    async send(command: object) {
      // As the SDK does on every call: resolve the identity from config.credentials first, then send.
      if (typeof this.config.credentials === 'function') await (this.config.credentials as () => Promise<unknown>)();
      sent.push(command.constructor.name);
      return { Account: '111122223333', Arn: 'arn:aws:iam::111122223333:user/u' };
    }
  }
  /** A command class that keeps its name, as the SDK's do. */
  const command = (name: string) => ({ [name]: class {} })[name]!;
  return { made, sent, credentials, Client, command };
});
const { made, credentials } = sdk;
vi.mock('@aws-sdk/client-sts', () => ({ STSClient: sdk.Client, GetCallerIdentityCommand: sdk.command('GetCallerIdentityCommand') }));
vi.mock('@aws-sdk/client-iam', () => ({
  IAMClient: sdk.Client,
  ...Object.fromEntries(
    [
      'GetRole',
      'CreateRole',
      'AttachRolePolicy',
      'ListAttachedRolePolicies',
      'ListRolePolicies',
      'GetRolePolicy',
      'GetPolicy',
      'GetPolicyVersion',
      'CreatePolicy',
      'ListPolicyVersions',
      'CreatePolicyVersion',
      'DeletePolicyVersion',
      'TagRole',
      'GetInstanceProfile',
      'CreateInstanceProfile',
      'AddRoleToInstanceProfile',
      'ListInstanceProfilesForRole',
    ].map((op) => [`${op}Command`, sdk.command(`${op}Command`)]),
  ),
}));

const { createClientFactory } = await import('../../../src/services/aws/clients.js');

const resolved = credentials.provider;
beforeEach(() => {
  made.length = 0;
  sdk.sent.length = 0;
  credentials.provider = resolved;
});

describe('request timeouts', () => {
  it('default to 60 s each, as in the AWS CLI', async () => {
    await createClientFactory({}).sts('us-east-1');
    expect(made[0]!.requestHandler).toEqual({ connectionTimeout: 60_000, socketTimeout: 60_000 });
  });

  it('pass the values given, in milliseconds', async () => {
    await createClientFactory({ connectTimeoutSeconds: 3, readTimeoutSeconds: 7 }).sts('us-east-1');
    expect(made[0]!.requestHandler).toEqual({ connectionTimeout: 3_000, socketTimeout: 7_000 });
  });

  it('0 means no timeout (0 disables both in NodeHttpHandler)', async () => {
    await createClientFactory({ connectTimeoutSeconds: 0, readTimeoutSeconds: 0 }).sts('us-east-1');
    expect(made[0]!.requestHandler).toEqual({ connectionTimeout: 0, socketTimeout: 0 });
  });
});

describe('credentials still being resolved', () => {
  it('are abandoned at Ctrl-C (an AbortError), for reads and writes alike: nothing is sent with them', async () => {
    credentials.provider = () => new Promise(() => undefined);
    const controller = new AbortController();
    const factory = createClientFactory({ signal: controller.signal });
    const sts = await factory.sts('us-east-1');
    const iam = await factory.iam('us-east-1');
    const read = sts.getCallerIdentity({});
    // A write gets no abort signal of its own (a write in flight is let finish): only its credentials are abandoned.
    const write = iam.createRole({ RoleName: 'R', AssumeRolePolicyDocument: '{}' });
    setTimeout(() => controller.abort(new Error('interrupted')), 10);
    await expect(read).rejects.toMatchObject({ name: 'AbortError' });
    await expect(write).rejects.toMatchObject({ name: 'AbortError' });
    // Once interrupted, a new call does not wait for them either.
    await expect(sts.getCallerIdentity({})).rejects.toMatchObject({ name: 'AbortError' });
    await expect(iam.attachRolePolicy({ RoleName: 'R', PolicyArn: 'arn:aws:iam::aws:policy/P' })).rejects.toMatchObject({ name: 'AbortError' });
    expect(sdk.sent).toEqual([]);
  }, 2_000);

  it('resolve as usual without an interruption, and the call is sent', async () => {
    const factory = createClientFactory({ signal: new AbortController().signal });
    await expect((await factory.sts('us-east-1')).getCallerIdentity({})).resolves.toMatchObject({ Account: '111122223333' });
    await (await factory.iam('us-east-1')).createRole({ RoleName: 'R', AssumeRolePolicyDocument: '{}' });
    expect(sdk.sent).toEqual(['GetCallerIdentityCommand', 'CreateRoleCommand']);
  });
});

describe('a factory per account', () => {
  it('builds its clients with that account credentials, keeps the other settings, and is reused by key', async () => {
    const base = createClientFactory({ endpoint: 'http://127.0.0.1:9', maxAttempts: 2 });
    const member = { accessKeyId: 'ASIAMEMBER', secretAccessKey: 'm', sessionToken: 't' };
    const other = base.withCredentials('444455556666', member);
    expect(base.withCredentials('444455556666', member)).toBe(other);
    expect(base.withCredentials('777788889999', member)).not.toBe(other);
    await (await other.sts('us-east-1')).getCallerIdentity({});
    await (await base.sts('us-east-1')).getCallerIdentity({});
    const [memberConfig, baseConfig] = made;
    expect(memberConfig).toMatchObject({ credentials: member, endpoint: 'http://127.0.0.1:9', maxAttempts: 2, region: 'us-east-1' });
    expect(baseConfig).not.toHaveProperty('credentials');
  });
});
