// Text rendering of `dhmc status`: one row per region (fitted to the terminal: STATUS and LAST CHANGE
// are the first to go on a narrow one), the regions that could not be read under it, then the checks.
import type { DhmcRegionStatus } from '../services/dhmc/setting.js';
import type { RegionCheck } from '../services/dhmc/check.js';
import { escapeControls } from './escape.js';
import type { Style } from './style.js';
import { fitCommand, fitText, hang, table, type Cell, type Column, type TablePart } from './table.js';

const COLUMNS: Column[] = [
  { header: 'REGION' },
  { header: 'DHMC' },
  { header: 'ROLE', min: 20 },
  { header: 'STATUS', drop: 2, min: 10 },
  { header: 'LAST CHANGE', drop: 1, min: 20 },
];

/** The status as table parts: a row per region, and the errors that go under the table. */
export function dhmcStatusTable(regions: readonly DhmcRegionStatus[], style: Style): TablePart {
  const rows = regions.map((r): Cell[] => {
    if (r.error) return [r.region, { text: 'error', paint: style.bad }, '-', '-', '-'];
    return [
      r.region,
      r.enabled ? { text: 'on', paint: style.ok } : { text: 'off', paint: style.warn },
      r.enabled ? (r.settingValue ?? '-') : '-',
      r.status ?? '-',
      r.lastModifiedDate ? `${r.lastModifiedDate}${r.lastModifiedUser ? ` by ${r.lastModifiedUser}` : ''}` : '-',
    ];
  });
  // An error's message is worth its whole line: under the table, not squeezed into a column.
  const errors = regions
    .filter((r) => r.error)
    .map((r) => style.bad(fitText(escapeControls(`${r.region}: ${r.error!.code}: ${r.error!.message}`), style.width, '  ')) + '\n');
  return { columns: COLUMNS, rows, after: errors.join('') };
}

export function renderDhmcStatus(regions: readonly DhmcRegionStatus[], style: Style): string {
  const t = dhmcStatusTable(regions, style);
  return table(t.columns, t.rows, style.width) + t.after;
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
  // Message lines start after the mark: "  pass  " is 8 columns wide ("unknown" overhangs by 1, so
  // its lines keep one column spare); a fix starts after "        fix: ", 13 columns in.
  const lines: string[] = [];
  for (const c of checks) {
    lines.push('', style.bold(`${c.region}:`));
    for (const x of c.checks) {
      lines.push(`  ${mark(x.status)}  ${hang(escapeControls(x.message), style.width === undefined ? undefined : style.width - 1, 8)}`);
      if (x.fix)
        lines.push(
          `        fix: ${x.fix
            .split('\n')
            .map((f) => fitCommand(f, style.width === undefined ? undefined : style.width - 13, '  '))
            .join('\n             ')}`,
        );
    }
    if (c.fleet) {
      const f = c.fleet;
      const fleet = `fleet: ${f.instances} instances, ${f.managed} managed; ready for DHMC ${f.readyForDhmc}, shadowed by a profile ${f.shadowedByProfile}, IMDS disabled ${f.imdsDisabled}, IMDSv1 allowed ${f.imdsV1Allowed}, agent too old ${f.agentTooOld}, agent unknown ${f.agentUnknown}`;
      lines.push(`  ${fitText(fleet, style.width === undefined ? undefined : style.width - 2, '    ')}`);
    }
  }
  return lines.join('\n') + '\n';
}
