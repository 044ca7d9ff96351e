// SSM Agent versions, compared numerically (3.2.1705.0 > 3.2.582.0, which a string comparison gets wrong).

/** DHMC needs at least this agent. */
export const DHMC_MIN_AGENT = '3.2.582.0';
/** From this version the agent uses ssmmessages for commands too; older agents need ec2messages. */
export const SSMMESSAGES_ONLY_AGENT = '3.3.40.0';

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i += 1) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

export const atLeast = (version: string, min: string) => compareVersions(version, min) >= 0;
