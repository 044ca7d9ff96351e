// Text rendering of `dhmc status`.
import type { DhmcRegionStatus } from '../services/dhmc/setting.js';
import type { RegionCheck } from '../services/dhmc/check.js';
import type { Style } from './style.js';
import { table } from './table.js';

export function renderDhmcStatus(regions: readonly DhmcRegionStatus[], style: Style): string {
  const rows = regions.map((r) => {
    if (r.error) return [r.region, style.bad('error'), '-', '-', `${r.error.code}: ${r.error.message}`];
    return [
      r.region,
      r.enabled ? style.ok('on') : style.warn('off'),
      r.enabled ? (r.settingValue ?? '-') : '-',
      r.status ?? '-',
      r.lastModifiedDate ? `${r.lastModifiedDate}${r.lastModifiedUser ? ` by ${r.lastModifiedUser}` : ''}` : '-',
    ];
  });
  return table(['REGION', 'DHMC', 'ROLE', 'STATUS', 'LAST CHANGE'], rows);
}

export function renderDhmcChecks(checks: readonly RegionCheck[], style: Style): string {
  const mark = (s: string) =>
    s === 'pass'
      ? style.ok('pass')
      : s === 'fail'
        ? style.bad('FAIL')
        : s === 'warn'
          ? style.warn('warn')
          : s === 'unknown'
            ? style.warn('unknown')
            : style.dim('skip');
  const lines: string[] = [];
  for (const c of checks) {
    lines.push('', style.bold(`${c.region}:`));
    for (const x of c.checks) lines.push(`  ${mark(x.status)}  ${x.message}${x.fix ? `\n        fix: ${x.fix}` : ''}`);
    if (c.fleet) {
      const f = c.fleet;
      lines.push(
        `  fleet: ${f.instances} instances, ${f.managed} managed; ready for DHMC ${f.readyForDhmc}, shadowed by a profile ${f.shadowedByProfile}, IMDS disabled ${f.imdsDisabled}, IMDSv1 allowed ${f.imdsV1Allowed}, agent too old ${f.agentTooOld}, agent unknown ${f.agentUnknown}`,
      );
    }
  }
  return lines.join('\n') + '\n';
}
