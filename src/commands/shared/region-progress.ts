// Regions done, for the progress line of a command that works in many regions (`--region all` is 17
// or more): "doctor: read 5 of 17 regions", "dhmc enable: changed 3 of 4 regions".
import type { SsmApi } from '../../services/aws/clients.js';
import type { ServiceEnv } from '../../services/env.js';
import type { Context } from '../types.js';

/** The counter's text: "doctor: read 5 of 17 regions". */
const regionsDone = (label: string, verb: string, done: number, total: number): string =>
  `${label}: ${verb} ${done} of ${total} region${total === 1 ? '' : 's'}`;

export const regionsRead = (label: string, done: number, total: number): string => regionsDone(label, 'read', done, total);

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
  const counted = (ssm: SsmApi, region: string): SsmApi => {
    const methods = bound(ssm);
    const original = methods[call] as (input: never) => Promise<unknown>;
    const observed = async (input: never) => {
      try {
        const out = await original(input);
        finished(region);
        return out;
      } catch (e) {
        // A failed change may be retried (IAM propagation) or is reported as failed: not "changed".
        if (call === 'getServiceSetting') finished(region);
        throw e;
      }
    };
    return { ...methods, [call]: observed } as SsmApi;
  };
  const clients = { ...services.clients, ssm: async (region: string) => counted(await services.clients.ssm(region), region) };
  try {
    return await work({ ...services, clients });
  } finally {
    services.progress({ kind: 'progress', message: '', done: true });
  }
}

/** The SSM client's methods, bound, so a copy with one of them replaced still calls the client. */
function bound(ssm: SsmApi): SsmApi {
  return {
    getServiceSetting: (i) => ssm.getServiceSetting(i),
    updateServiceSetting: (i) => ssm.updateServiceSetting(i),
    resetServiceSetting: (i) => ssm.resetServiceSetting(i),
    describeInstanceInformation: (i) => ssm.describeInstanceInformation(i),
    listAssociations: (i) => ssm.listAssociations(i),
  };
}
