import { describe, expect, it } from 'vitest';
import { withReadProgress, withSettingProgress } from '../../../src/commands/shared/region-progress.js';
import type { Context } from '../../../src/commands/types.js';
import type { SsmApi } from '../../../src/services/aws/clients.js';
import type { ProgressEvent } from '../../../src/services/result.js';

/** A context whose SSM client answers (or fails) each call as told, and which records progress events. */
function context(fail: (region: string) => boolean) {
  const events: ProgressEvent[] = [];
  const ssm = (region: string) =>
    ({
      getServiceSetting: async () => {
        if (fail(region)) throw new Error('boom');
        return {};
      },
      updateServiceSetting: async () => {
        if (fail(region)) throw new Error('boom');
        return {};
      },
    }) as unknown as SsmApi;
  const ctx = { services: { progress: (e: ProgressEvent) => events.push(e), clients: { ssm: async (r: string) => ssm(r) } } } as unknown as Context;
  return { ctx, events, messages: () => events.map((e) => ('done' in e && e.done ? 'done' : e.message)) };
}

describe('withSettingProgress', () => {
  const setting = { SettingId: 'x', SettingValue: 'y' };

  it('counts a region once, however many times its call succeeds there, and ends the line after the work', async () => {
    const { ctx, messages } = context(() => false);
    const out = await withSettingProgress(ctx, 'dhmc enable', 'updateServiceSetting', ['us-east-1', 'us-east-2'], async (services) => {
      const east1 = await services.clients.ssm('us-east-1');
      await east1.updateServiceSetting(setting);
      await east1.updateServiceSetting(setting);
      await (await services.clients.ssm('us-east-2')).updateServiceSetting(setting);
      return 'result';
    });
    expect(out).toBe('result');
    expect(messages()).toEqual(['dhmc enable: changed 1 of 2 regions', 'dhmc enable: changed 2 of 2 regions', 'done']);
  });

  it('a failed read still finishes its region; a failed change does not (it may be retried, or it failed)', async () => {
    const { ctx, messages } = context((r) => r === 'us-east-2');
    await withSettingProgress(ctx, 'dhmc status', 'getServiceSetting', ['us-east-1', 'us-east-2'], async (services) => {
      await expect((await services.clients.ssm('us-east-2')).getServiceSetting({ SettingId: 'x' })).rejects.toThrow('boom');
    });
    await withSettingProgress(ctx, 'dhmc enable', 'updateServiceSetting', ['us-east-1', 'us-east-2'], async (services) => {
      await expect((await services.clients.ssm('us-east-2')).updateServiceSetting(setting)).rejects.toThrow('boom');
    });
    expect(messages()).toEqual(['dhmc status: read 1 of 2 regions', 'done', 'done']);
  });

  it('work that fails still ends the line, and its error is what the caller gets', async () => {
    const { ctx, messages } = context(() => false);
    await expect(
      withSettingProgress(ctx, 'dhmc disable', 'getServiceSetting', ['us-east-1', 'us-east-2'], async () => {
        throw new Error('interrupted');
      }),
    ).rejects.toThrow('interrupted');
    expect(messages()).toEqual(['done']);
  });

  it('leaves the other calls of the client as they are, and one region gets the plain environment', async () => {
    const { ctx, events } = context(() => false);
    await withSettingProgress(ctx, 'dhmc enable', 'updateServiceSetting', ['us-east-1', 'us-east-2'], async (services) => {
      await (await services.clients.ssm('us-east-1')).getServiceSetting({ SettingId: 'x' });
    });
    expect(events).toHaveLength(1);
    events.length = 0;
    const seen = await withSettingProgress(ctx, 'dhmc enable', 'updateServiceSetting', ['us-east-1', 'us-east-1'], async (services) => services);
    expect(seen).toBe(ctx.services);
    expect(events).toEqual([]);
  });
});

describe('withReadProgress', () => {
  /** A context whose clients answer every call, except those named in `failing`. */
  function fleetContext(failing: string[] = []) {
    const events: ProgressEvent[] = [];
    const api = (...methods: string[]) =>
      Object.fromEntries(
        methods.map((m) => [
          m,
          async () => {
            if (failing.includes(m)) throw new Error('boom');
            return {};
          },
        ]),
      );
    const clients = {
      ec2: async () => api('describeInstances', 'associateIamInstanceProfile'),
      ssm: async () => api('describeInstanceInformation', 'getServiceSetting'),
      iam: async () => api('listAttachedRolePolicies', 'getRole'),
    };
    const ctx = { services: { progress: (e: ProgressEvent) => events.push(e), clients } } as unknown as Context;
    return { ctx, messages: () => events.map((e) => ('done' in e && e.done ? 'done' : e.message)) };
  }

  it('counts every Describe or List call that answered as a page, beside the regions the service reports', async () => {
    const { ctx, messages } = fleetContext(['describeInstanceInformation']);
    await withReadProgress(ctx, 'doctor', 2, async (services, onRegionDone) => {
      const ec2 = (await services.clients.ec2('us-east-1')) as unknown as Record<string, () => Promise<unknown>>;
      const ssm = (await services.clients.ssm('us-east-1')) as unknown as Record<string, () => Promise<unknown>>;
      const iam = (await services.clients.iam('us-east-1')) as unknown as Record<string, () => Promise<unknown>>;
      await ec2.describeInstances!();
      await ec2.associateIamInstanceProfile!();
      await ssm.getServiceSetting!();
      await expect(ssm.describeInstanceInformation!()).rejects.toThrow('boom');
      onRegionDone(1, 2);
      await iam.getRole!();
      await iam.listAttachedRolePolicies!();
    });
    expect(messages()).toEqual(['doctor: read 0 of 2 regions, 1 page', 'doctor: read 1 of 2 regions, 1 page', 'doctor: read 1 of 2 regions, 2 pages', 'done']);
  });

  it('work that fails still ends the line', async () => {
    const { ctx, messages } = fleetContext();
    await expect(
      withReadProgress(ctx, 'doctor', 1, async () => {
        throw new Error('interrupted');
      }),
    ).rejects.toThrow('interrupted');
    expect(messages()).toEqual(['done']);
  });
});
