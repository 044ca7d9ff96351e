// Text rendering of `dhmc status`.
import type { DhmcRegionStatus } from '../services/dhmc/setting.js';
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
