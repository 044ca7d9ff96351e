// The client factory hands the CLI's timeouts to the SDK's request handler (NodeHttpHandler options:
// connectionTimeout for --cli-connect-timeout, socketTimeout - the idle read - for --cli-read-timeout).
import { getEventListeners } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { NetworkHandler } from '../../../src/services/aws/network-handler.js';

/**
 * The SDK clients as the factory uses them: each records its config, the commands it sends and the options
 * they are sent with, and runs the middleware added to its stack around the call, as the SDK's
 * middlewareStack does (an 'initialize' middleware gets `next` and the context, whose commandName is the
 * command class's name). Inside, as the SDK does on every call, `credentials.provider` is resolved
 * first - a test makes it hang like a credential_process that never returns - then the command is
 * answered by `answer` (a test makes it fail, or answer without $metadata).
 */
const sdk = vi.hoisted(() => {
  type Handler = (args: unknown) => Promise<{ output: Record<string, unknown> }>;
  type Middleware = (next: Handler, context: { commandName?: string }) => Handler;
  const made: Record<string, unknown>[] = [];
  const sent: string[] = [];
  const sendOptions: unknown[] = [];
  const middleware: { options: unknown }[] = [];
  const credentials = { provider: async (): Promise<unknown> => ({ accessKeyId: 'AKIA', secretAccessKey: 's' }) };
  const defaults = {
    answer: async (): Promise<Record<string, unknown>> => ({
      $metadata: { httpStatusCode: 200, attempts: 1 },
      Account: '111122223333',
      Arn: 'arn:aws:iam::111122223333:user/u',
    }),
    context: (command: string): { commandName?: string } => ({ commandName: command }),
  };
  const behaviour = { ...defaults };
  class Client {
    stack: Middleware[] = [];
    middlewareStack = {
      add: (mw: Middleware, options: unknown) => {
        this.stack.push(mw);
        middleware.push({ options });
      },
    };
    config: Record<string, unknown>;
    constructor(config: Record<string, unknown>) {
      made.push(config);
      this.config = { credentials: credentials.provider, ...config, region: async () => 'us-east-1' };
    }
    async send(command: object, options?: unknown) {
      const name = command.constructor.name;
      let handler: Handler = async () => {
        if (typeof this.config.credentials === 'function') await (this.config.credentials as () => Promise<unknown>)();
        sent.push(name);
        sendOptions.push(options);
        return { output: await behaviour.answer() };
      };
      for (const mw of this.stack) handler = mw(handler, behaviour.context(name));
      return (await handler(command)).output;
    }
  }
  /** A command class that keeps its name, as the SDK's do. */
  const command = (name: string) => ({ [name]: class {} })[name]!;
  const commands = (ops: string[]) => Object.fromEntries(ops.map((op) => [`${op}Command`, command(`${op}Command`)]));
  return { made, sent, sendOptions, middleware, credentials, defaults, behaviour, Client, commands };
});
const { made, credentials } = sdk;
vi.mock('@aws-sdk/client-sts', () => ({ STSClient: sdk.Client, ...sdk.commands(['GetCallerIdentity']) }));
vi.mock('@aws-sdk/client-ssm', () => ({
  SSMClient: sdk.Client,
  ...sdk.commands(['GetServiceSetting', 'UpdateServiceSetting', 'ResetServiceSetting', 'DescribeInstanceInformation', 'ListAssociations', 'SendCommand']),
}));
vi.mock('@aws-sdk/client-ec2', () => ({
  EC2Client: sdk.Client,
  ...sdk.commands([
    'DescribeRegions',
    'DescribeInstances',
    'DescribeIamInstanceProfileAssociations',
    'AssociateIamInstanceProfile',
    'ReplaceIamInstanceProfileAssociation',
    'DisassociateIamInstanceProfile',
    'DescribeRouteTables',
    'DescribeVpcEndpoints',
    'DescribeSecurityGroups',
    'DescribeNetworkInterfaces',
    'DescribeVpcs',
    'DescribeVpcAttribute',
    'ModifyVpcAttribute',
    'DescribeSubnets',
    'DescribeVpcEndpointServices',
    'CreateVpcEndpoint',
    'ModifyVpcEndpoint',
    'CreateSecurityGroup',
    'AuthorizeSecurityGroupIngress',
    'AuthorizeSecurityGroupEgress',
    'ModifyInstanceMetadataOptions',
  ]),
}));
vi.mock('@aws-sdk/client-iam', () => ({
  IAMClient: sdk.Client,
  ...sdk.commands([
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
    'UpdateAssumeRolePolicy',
    'GetInstanceProfile',
    'CreateInstanceProfile',
    'AddRoleToInstanceProfile',
    'ListInstanceProfilesForRole',
  ]),
}));

const { createClientFactory } = await import('../../../src/services/aws/clients.js');

const resolved = credentials.provider;
beforeEach(() => {
  made.length = 0;
  sdk.sent.length = 0;
  sdk.sendOptions.length = 0;
  sdk.middleware.length = 0;
  credentials.provider = resolved;
  Object.assign(sdk.behaviour, sdk.defaults);
  vi.restoreAllMocks();
});

describe('request timeouts', () => {
  it('default to 60 s each, as in the AWS CLI', async () => {
    await createClientFactory({}).sts('us-east-1');
    expect((made[0]!.requestHandler as NetworkHandler).options).toEqual({ connectionTimeout: 60_000, socketTimeout: 60_000 });
  });

  it('pass the values given, in milliseconds', async () => {
    await createClientFactory({ connectTimeoutSeconds: 3, readTimeoutSeconds: 7 }).sts('us-east-1');
    expect((made[0]!.requestHandler as NetworkHandler).options).toEqual({ connectionTimeout: 3_000, socketTimeout: 7_000 });
  });

  it('are those of one request handler that every client of the factory shares', async () => {
    const factory = createClientFactory({ connectTimeoutSeconds: 3 });
    await factory.sts('us-east-1');
    await factory.ssm('eu-west-1');
    expect(made).toHaveLength(2);
    expect(made[1]!.requestHandler).toBe(made[0]!.requestHandler);
  });

  it('0 means no timeout (0 disables both in NodeHttpHandler)', async () => {
    await createClientFactory({ connectTimeoutSeconds: 0, readTimeoutSeconds: 0 }).sts('us-east-1');
    expect((made[0]!.requestHandler as NetworkHandler).options).toEqual({ connectionTimeout: 0, socketTimeout: 0 });
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
    await expect(read).rejects.toMatchObject({ name: 'AbortError', message: 'interrupted while the credentials were being resolved' });
    await expect(write).rejects.toMatchObject({ name: 'AbortError' });
    // Once interrupted, a new call does not wait for them either.
    await expect(sts.getCallerIdentity({})).rejects.toMatchObject({ name: 'AbortError' });
    await expect(iam.attachRolePolicy({ RoleName: 'R', PolicyArn: 'arn:aws:iam::aws:policy/P' })).rejects.toMatchObject({ name: 'AbortError' });
    expect(sdk.sent).toEqual([]);
    // The credentials never settle, yet nothing is left listening on the signal once it has fired.
    expect(getEventListeners(controller.signal, 'abort')).toEqual([]);
  }, 2_000);

  it('resolve as usual without an interruption, and the call is sent', async () => {
    const factory = createClientFactory({ signal: new AbortController().signal });
    await expect((await factory.sts('us-east-1')).getCallerIdentity({})).resolves.toMatchObject({ Account: '111122223333' });
    await (await factory.iam('us-east-1')).createRole({ RoleName: 'R', AssumeRolePolicyDocument: '{}' });
    expect(sdk.sent).toEqual(['GetCallerIdentityCommand', 'CreateRoleCommand']);
  });

  it('leave no listener on the signal once resolved, however many calls a run makes', async () => {
    // (Node warns of a possible leak past 10 listeners on one AbortSignal.)
    const controller = new AbortController();
    const sts = await createClientFactory({ signal: controller.signal }).sts('us-east-1');
    for (let i = 0; i < 12; i++) await sts.getCallerIdentity({});
    expect(getEventListeners(controller.signal, 'abort')).toEqual([]);
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

  it("shares the base factory's request handler (connections are reused across accounts), and logs each call with the account", async () => {
    const calls: { account?: string }[] = [];
    const base = createClientFactory({ onCall: (c) => calls.push(c) });
    const other = base.withCredentials('role:x', { accessKeyId: 'ASIAMEMBER', secretAccessKey: 'm' }, '444455556666');
    await (await other.sts('us-east-1')).getCallerIdentity({});
    await (await base.sts('us-east-1')).getCallerIdentity({});
    const [memberConfig, baseConfig] = made as { requestHandler: unknown }[];
    expect(memberConfig!.requestHandler).toBe(baseConfig!.requestHandler);
    expect(calls.map((c) => c.account)).toEqual(['444455556666', undefined]);
  });
});

describe('client configuration', () => {
  it('names the tool in the user agent, and sets only the settings given', async () => {
    await createClientFactory({}).sts('eu-west-1');
    const requestHandler = made[0]!.requestHandler;
    expect(requestHandler).toBeInstanceOf(NetworkHandler);
    // The credential providers' own clients (SSO) get the same handler through clientConfig.
    expect(made[0]).toStrictEqual({ customUserAgent: 'ssm-perms', requestHandler, clientConfig: { requestHandler }, region: 'eu-west-1' });
  });

  it('passes --profile, --endpoint-url, the attempts and the retry mode to the SDK', async () => {
    await createClientFactory({ profile: 'ops', endpoint: 'http://127.0.0.1:4566', maxAttempts: 5, retryMode: 'adaptive' }).ssm('eu-west-1');
    expect(made[0]).toMatchObject({ profile: 'ops', endpoint: 'http://127.0.0.1:4566', maxAttempts: 5, retryMode: 'adaptive', region: 'eu-west-1' });
  });

  it('builds one client per service and region, and reuses it', async () => {
    const factory = createClientFactory({});
    const first = await factory.sts('us-east-1');
    expect(await factory.sts('us-east-1')).toBe(first);
    await factory.sts('eu-west-1');
    await factory.ssm('us-east-1');
    expect(made.map((c) => c.region)).toEqual(['us-east-1', 'eu-west-1', 'us-east-1']);
  });

  it("reads the profile's region through the SDK", async () => {
    await expect(createClientFactory({ profile: 'ops' }).profileRegion()).resolves.toBe('us-east-1');
    expect(made[0]).toMatchObject({ profile: 'ops' });
    expect(made[0]).not.toHaveProperty('region');
  });
});

describe('Ctrl-C and calls in flight', () => {
  it('reads (Get, List, Describe) are sent with the abort signal, writes without it', async () => {
    const signal = new AbortController().signal;
    const factory = createClientFactory({ signal });
    const iam = await factory.iam('us-east-1');
    const ec2 = await factory.ec2('us-east-1');
    await iam.getRole({ RoleName: 'R' });
    await iam.listAttachedRolePolicies({ RoleName: 'R' });
    await ec2.describeInstances({});
    await iam.createRole({ RoleName: 'R', AssumeRolePolicyDocument: '{}' });
    await ec2.associateIamInstanceProfile({ InstanceId: 'i-1', IamInstanceProfile: { Name: 'P' } });
    expect(sdk.sendOptions).toEqual([{ abortSignal: signal }, { abortSignal: signal }, { abortSignal: signal }, undefined, undefined]);
  });

  it('without a signal, nothing is sent with one', async () => {
    await (await createClientFactory({}).iam('us-east-1')).getRole({ RoleName: 'R' });
    expect(sdk.sendOptions).toEqual([undefined]);
  });
});

describe('the call log (--debug, call counting)', () => {
  it('records one line per operation: service, operation, region, time and the attempts the SDK made', async () => {
    const calls: unknown[] = [];
    const factory = createClientFactory({ onCall: (c) => calls.push(c) });
    sdk.behaviour.answer = async () => ({ $metadata: { attempts: 3 } });
    vi.spyOn(performance, 'now').mockReturnValueOnce(1000).mockReturnValueOnce(1250.4);
    await (await factory.ssm('eu-west-1')).getServiceSetting({ SettingId: 'x' });
    expect(calls).toEqual([{ service: 'ssm', operation: 'GetServiceSetting', region: 'eu-west-1', ms: 250, attempts: 3, error: null }]);
  });

  it('names each service as the README and the IAM actions do', async () => {
    const calls: { service: string; operation: string }[] = [];
    const factory = createClientFactory({ onCall: (c) => calls.push(c) });
    await (await factory.ssm('us-east-1')).listAssociations({});
    await (await factory.iam('us-east-1')).getRole({ RoleName: 'R' });
    await (await factory.ec2('us-east-1')).describeRegions({});
    await (await factory.sts('us-east-1')).getCallerIdentity({});
    expect(calls.map((c) => `${c.service}:${c.operation}`)).toEqual(['ssm:ListAssociations', 'iam:GetRole', 'ec2:DescribeRegions', 'sts:GetCallerIdentity']);
  });

  it('wraps the retries: it is added at the initialize step, first', async () => {
    await createClientFactory({ onCall: () => undefined }).sts('us-east-1');
    expect(sdk.middleware).toEqual([{ options: { step: 'initialize', name: 'ssmPermsCallLog', priority: 'high' } }]);
  });

  it('is not added without onCall', async () => {
    await createClientFactory({}).sts('us-east-1');
    expect(sdk.middleware).toEqual([]);
  });

  it('records a failed call with its AWS error code and attempts, and the error still reaches the caller', async () => {
    const calls: unknown[] = [];
    const failure = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { attempts: 3 } });
    sdk.behaviour.answer = async () => {
      throw failure;
    };
    vi.spyOn(performance, 'now').mockReturnValueOnce(500).mockReturnValueOnce(2500);
    const ec2 = await createClientFactory({ onCall: (c) => calls.push(c) }).ec2('ap-south-1');
    await expect(ec2.describeInstances({})).rejects.toBe(failure);
    expect(calls).toEqual([{ service: 'ec2', operation: 'DescribeInstances', region: 'ap-south-1', ms: 2000, attempts: 3, error: 'ThrottlingException' }]);
  });

  it('counts one attempt when the SDK gives no $metadata, and Error when a failure has no name', async () => {
    const calls: { attempts: number; error: string | null }[] = [];
    const sts = await createClientFactory({ onCall: (c) => calls.push(c) }).sts('us-east-1');
    sdk.behaviour.answer = async () => ({});
    await sts.getCallerIdentity({});
    // e.g. a credentials provider failing before any request: no $metadata.
    sdk.behaviour.answer = async () => {
      throw Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    };
    await expect(sts.getCallerIdentity({})).rejects.toThrow('Could not load credentials');
    sdk.behaviour.answer = async () => {
      throw { message: 'not an Error' };
    };
    await expect(sts.getCallerIdentity({})).rejects.toEqual({ message: 'not an Error' });
    expect(calls.map((c) => [c.attempts, c.error])).toEqual([
      [1, null],
      [1, 'CredentialsProviderError'],
      [1, 'Error'],
    ]);
  });

  it('names the operation Unknown when the SDK context has no command name', async () => {
    const calls: { operation: string }[] = [];
    sdk.behaviour.context = () => ({});
    await (await createClientFactory({ onCall: (c) => calls.push(c) }).sts('us-east-1')).getCallerIdentity({});
    expect(calls.map((c) => c.operation)).toEqual(['Unknown']);
  });
});
