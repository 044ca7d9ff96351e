// Regions (and pages) done, for the progress line of a command that works in many regions (`--region
// all` is 17 or more): "doctor: read 5 of 17 regions, 42 pages", "dhmc enable: changed 3 of 4 regions".
// Counted by the command on the clients it hands the service, which stays as it is: services report
// no per-call progress of their own.
import type { SsmApi } from '../../services/aws/clients.js';
import type { ServiceEnv } from '../../services/env.js';
import type { Context } from '../types.js';

/** The counter's text: "doctor: read 5 of 17 regions". */
const regionsDone = (label: string, verb: string, done: number, total: number): string =>
  `${label}: ${verb} ${done} of ${total} region${total === 1 ? '' : 's'}`;

const regionsRead = (label: string, done: number, total: number): string => regionsDone(label, 'read', done, total);

/** The SSM calls a dhmc command makes once per region: reading the setting, and changing it. */
type SettingCall = 'getServiceSetting' | 'updateServiceSetting' | 'resetServiceSetting';

/**
 * Regions done for the dhmc commands, whose services read (and then change) one setting per region:
 * `work` gets a services' environment whose SSM clients count, per region, the first `call` that
 * succeeds ("read" counts a read that failed too: that region is done, with its error), as
 * "dhmc enable: read 5 of 17 regions" or "dhmc enable: changed 3 of 4 regions"; the line is erased
 * when `work` ends or fails. One region, or none to change: no counter, the plain environment.
 */
export async function withSettingProgress<T>(
  ctx: Context,
  label: string,
  call: SettingCall,
  regions: readonly (string | null)[],
  work: (services: ServiceEnv) => Promise<T>,
): Promise<T> {
  const services = ctx.services;
  const total = new Set(regions).size;
  if (total < 2) return work(services);
  const verb = call === 'getServiceSetting' ? 'read' : 'changed';
  const done = new Set<string>();
  const finished = (region: string) => {
    if (done.has(region)) return;
    done.add(region);
    services.progress({ kind: 'progress', message: regionsDone(label, verb, done.size, total) });
  };
  const counted = (ssm: SsmApi, region: string): SsmApi =>
    observe(ssm, (method, ok) => {
      // A failed change may be retried (IAM propagation) or is reported as failed: not "changed".
      if (method === call && (ok || call === 'getServiceSetting')) finished(region);
    });
  const clients = { ...services.clients, ssm: async (region: string) => counted(await services.clients.ssm(region), region) };
  try {
    return await work({ ...services, clients });
  } finally {
    services.progress({ kind: 'progress', message: '', done: true });
  }
}

/**
 * A copy of a client (an object of calls, as the client factory makes them) whose calls tell `after`
 * how they ended, once they have.
 */
function observe<T extends object>(api: T, after: (method: string, ok: boolean) => void): T {
  const calls = Object.entries(api as Record<string, (input: unknown) => Promise<unknown>>).map(([method, call]) => {
    const observed = async (input: unknown) => {
      try {
        const out = await call(input);
        after(method, true);
        return out;
      } catch (e) {
        after(method, false);
        throw e;
      }
    };
    return [method, observed] as const;
  });
  return Object.fromEntries(calls) as T;
}

/**
 * The reads of a fleet (doctor): the regions read, as the service reports them, and the pages read so
 * far - every Describe or List call that answered, of EC2, SSM and IAM - so the line moves while a
 * large region is paged through, and after the last region while the fleet's profiles are read:
 * "doctor: read 3 of 17 regions, 42 pages". The line is erased when `work` ends or fails.
 */
export async function withReadProgress<T>(
  ctx: Context,
  label: string,
  regions: number,
  work: (services: ServiceEnv, onRegionDone: (done: number, total: number) => void) => Promise<T>,
): Promise<T> {
  const services = ctx.services;
  const state = { done: 0, total: regions, pages: 0 };
  const show = () =>
    services.progress({
      kind: 'progress',
      message: `${regionsRead(label, state.done, state.total)}${state.pages ? `, ${state.pages} page${state.pages === 1 ? '' : 's'}` : ''}`,
    });
  const page = (method: string, ok: boolean) => {
    if (!ok || !/^(describe|list)/.test(method)) return;
    state.pages += 1;
    show();
  };
  const clients = {
    ...services.clients,
    ec2: async (region: string) => observe(await services.clients.ec2(region), page),
    ssm: async (region: string) => observe(await services.clients.ssm(region), page),
    iam: async (region: string) => observe(await services.clients.iam(region), page),
  };
  try {
    return await work({ ...services, clients }, (done, total) => {
      Object.assign(state, { done, total });
      show();
    });
  } finally {
    services.progress({ kind: 'progress', message: '', done: true });
  }
}
