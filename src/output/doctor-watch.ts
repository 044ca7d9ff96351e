// The last line of doctor --watch: how long it watched, what changed, and what is still not managed.
import type { WatchResult } from '../services/doctor/watch.js';
import type { Style } from './style.js';
import { fitText } from './table.js';
import { plural } from './words.js';

export function renderWatchSummary(w: WatchResult, style: Style): string {
  const became = new Set(w.changes.filter((c) => c.to === 'managed').map((c) => c.instanceId)).size;
  const left = w.waiting;
  const minutes = w.elapsedSeconds >= 120 ? `${Math.round(w.elapsedSeconds / 60)} min` : `${w.elapsedSeconds} s`;
  const head = `watched ${minutes} (${w.rounds} ${w.rounds === 1 ? 'diagnosis' : 'diagnoses'}): ${plural(became, 'instance')} became managed`;
  const tail = w.allManaged
    ? '; every running instance is managed'
    : `; ${plural(left.length, 'instance')} still not managed${w.timedOut ? ' at the timeout' : ''} (${left
        .slice(0, 5)
        .map((i) => `${i.instanceId} ${i.verdict}`)
        .join(', ')}${left.length > 5 ? ', ...' : ''})`;
  const line = fitText(head + tail, style.width, '  ');
  return `\n${w.allManaged ? style.ok(line) : style.warn(line)}\n`;
}
