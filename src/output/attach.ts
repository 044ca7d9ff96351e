// Text rendering of profile attach: one row per instance, then a summary line.
import type { AttachResult } from '../services/profile/attach-plan.js';
import type { Style } from './style.js';
import { table, type Cell } from './table.js';

export function renderAttach(r: AttachResult, style: Style): string {
  const word = (status: string): Cell =>
    status === 'applied'
      ? { text: 'attached', paint: style.ok }
      : status === 'failed'
        ? { text: 'FAILED', paint: style.bad }
        : status === 'planned'
          ? { text: 'planned', paint: style.dim }
          : status;
  const rows = r.instances.map((i) => [
    i.instanceId,
    i.region ?? '-',
    i.name ?? '-',
    i.state ?? '-',
    i.status === 'applied' && i.action === 'replace' ? { text: 'replaced', paint: style.ok } : word(i.status),
    i.error ? `${i.error.code}: ${i.error.message}` : (i.message ?? (i.action === 'replace' ? `was ${i.previousInstanceProfileArn}` : '')),
  ]);
  const s = r.summary;
  const parts = r.dryRun
    ? [`${s.planned} to change`, `${s.unchanged} unchanged`, `${s.skipped} skipped`, `${s.failed} failed`]
    : [`${s.attached} attached`, `${s.replaced} replaced`, `${s.unchanged} unchanged`, `${s.skipped} skipped`, `${s.failed} failed`];
  const head = r.dryRun ? style.bold(`Plan for ${r.instanceProfileArn} (dry run, nothing changed):\n`) : '';
  const failedRegions = r.regions.filter((x) => !x.ok).map((x) => style.bad(`region ${x.region} failed: ${x.error?.code}: ${x.error?.message}\n`));
  const body = rows.length ? table(['INSTANCE', 'REGION', 'NAME', 'STATE', 'RESULT', 'DETAIL'], rows, style.width) : 'No instance matched.\n';
  // A failure's next step can be a whole command: it goes under the table, once per distinct hint.
  const hints = [...new Set(r.instances.filter((i) => i.error?.hint).map((i) => i.error!.hint!))].map((h) => `${style.dim('hint:')} ${h}\n`);
  return head + body + failedRegions.join('') + hints.join('') + `${parts.join(', ')}\n`;
}
