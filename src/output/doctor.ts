// Text rendering of doctor: one row per instance (the verdict, its main reason and fix), then a summary.
import type { DoctorReport } from '../services/doctor/diagnose.js';
import type { Style } from './style.js';
import { table, type Cell } from './table.js';

export function renderDoctor(r: DoctorReport, style: Style): string {
  const verdict = (v: string): Cell => ({
    text: v,
    paint: v === 'managed' ? style.ok : v === 'ready' || v === 'unknown' ? style.warn : v === 'stopped' ? style.dim : style.bad,
  });
  const rows = r.instances.map((i) => [i.instanceId, i.region, i.name ?? '-', verdict(i.verdict), i.reason, i.fix ?? '']);
  const failed = r.regions.filter((x) => !x.ok).map((x) => style.bad(`region ${x.region} could not be read: ${x.error?.code}: ${x.error?.message}\n`));
  const body = rows.length ? table(['INSTANCE', 'REGION', 'NAME', 'VERDICT', 'MAIN REASON', 'FIX'], rows, style.width) : 'No instance matched.\n';
  const s = r.summary;
  const notFound = r.notFound.length ? style.bad(`not found (or terminated; instances are regional, so check --region): ${r.notFound.join(', ')}\n`) : '';
  const stopped = `${s.stopped ? `, ${s.stopped} stopped` : ''}${s.unknown ? `, ${s.unknown} unknown` : ''}`;
  return `${body}${failed.join('')}${notFound}${s.total} instance${s.total === 1 ? '' : 's'}: ${s.managed} managed, ${s.ready} ready, ${s.notReady} not ready${stopped}\n`;
}
