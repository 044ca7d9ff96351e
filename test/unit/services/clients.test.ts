// The client factory hands the CLI's timeouts to the SDK's request handler (NodeHttpHandler options:
// connectionTimeout for --cli-connect-timeout, socketTimeout - the idle read - for --cli-read-timeout).
import { beforeEach, describe, expect, it, vi } from 'vitest';

const made: Record<string, unknown>[] = [];
vi.mock('@aws-sdk/client-sts', () => {
  class STSClient {
    middlewareStack = { add: () => undefined };
    config: Record<string, unknown>;
    constructor(config: Record<string, unknown>) {
      made.push(config);
      this.config = { ...config, region: async () => 'us-east-1' };
    }
    async send() {
      return { Account: '111122223333', Arn: 'arn:aws:iam::111122223333:user/u' };
    }
  }
  return { STSClient, GetCallerIdentityCommand: class {} };
});

const { createClientFactory } = await import('../../../src/services/aws/clients.js');

beforeEach(() => {
  made.length = 0;
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
