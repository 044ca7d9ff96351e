// doctor --fix as text: the plan grouped by fix (what changes, for which instances, and its status),
// the calls it makes (renderMutation), what is left for the operator and why, and the fleet's
// verdicts before and after.
import type { FixOutcome, FixResult } from '../services/doctor/fix-apply.js';
import type { DoctorReport } from '../services/doctor/diagnose.js';
import { renderMutation } from './changes.js';
import { escapeControls } from './escape.js';
import type { Style } from './style.js';
import { fitCommand, hang } from './table.js';
import { plural } from './words.js';

const ids = (list: readonly string[]) => `${list.slice(0, 5).join(', ')}${list.length > 5 ? ` and ${list.length - 5} more` : ''}`;

function mark(f: FixOutcome, style: Style): string {
  switch (f.status) {
    case 'applied':
      return style.ok('applied  ');
    case 'planned':
      return style.dim('planned  ');
    case 'unchanged':
      return style.dim('unchanged');
    default:
      return style.bad('FAILED   ');
  }
}

/** The one question asked before applying: every fix with what it changes. */
/** The one question: each fix, then what the fixes replace (another DHMC role, a VPC's DNS attributes). */
export function fixQuestion(r: FixResult, replaces: readonly string[] = []): string {
  const todo = r.fixes.filter((f) => f.status === 'planned');
  const lines = todo.map((f) => `  - ${f.region ?? 'global'}: ${f.summary} (${plural(f.instanceIds.length, 'instance')})`);
  const fixes = `${todo.length} ${todo.length === 1 ? 'fix' : 'fixes'}`;
  const replacing = replaces.length ? `\nThis replaces:\n${replaces.map((x) => `  - ${x}`).join('\n')}` : '';
  return `doctor --fix will make ${plural(r.changes.length, 'change')} in ${fixes}:\n${lines.join('\n')}${replacing}\nApply ${todo.length === 1 ? 'it' : 'them'}?`;
}

/** The instances left for the operator, grouped by region, reason and command, in the order first met. */
function leftGroups(left: FixResult['leftForYou']): { region: string; reason: string; command: string | null; ids: string[] }[] {
  const groups = new Map<string, { region: string; reason: string; command: string | null; ids: string[] }>();
  for (const l of left) {
    const key = JSON.stringify([l.region, l.reason, l.command ?? null]);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { region: l.region, reason: l.reason, command: l.command ?? null, ids: [] }));
    g.ids.push(l.instanceId);
  }
  return [...groups.values()];
}

export function renderFix(r: FixResult, style: Style): string {
  const fit = (text: string, indent: number) => hang(escapeControls(text), style.width, indent);
  const out: string[] = [];
  // "Nothing to fix" would be wrong above an aws command left for the operator: say whose the rest is.
  if (r.fixes.length === 0)
    out.push(
      r.leftForYou.length ? style.warn('Nothing doctor --fix can change itself: what is left is yours, below.') : style.ok('Nothing to fix from the AWS side.'),
    );
  else out.push(style.bold(r.dryRun ? 'Fix plan (dry run, nothing changed):' : 'Fixes:'));
  for (const f of r.fixes) {
    out.push(`  ${mark(f, style)}  ${(f.region ?? 'global').padEnd(14)} ${fit(f.summary, 28)}`);
    out.push(`             ${fit(`for ${plural(f.instanceIds.length, 'instance')}: ${ids(f.instanceIds)}`, 13)}`);
    if (f.sharedWith.length) out.push(`             ${fit(`also used by ${plural(f.sharedWith.length, 'other instance')}: ${ids(f.sharedWith)}`, 13)}`);
    if (f.warning) out.push(`             ${style.warn(fit(`warning: ${f.warning}`, 13))}`);
    if (f.error) out.push(`             ${style.bad(fit(`${f.error.code}: ${f.error.message}`, 13))}`);
  }
  if (r.changes.length > 0) out.push('', renderMutation(r, style).trimEnd());
  if (r.leftForYou.length > 0) {
    out.push('', style.bold(`Left for you (${plural(r.leftForYou.length, 'instance')}; not fixable from the AWS side by doctor --fix):`));
    // One entry per reason, as the plan groups its fixes: hundreds of instances without an agent are one
    // reason with its instances named, not hundreds of paragraphs (the JSON keeps one entry per instance).
    for (const g of leftGroups(r.leftForYou)) {
      const who = g.ids.length === 1 ? `${g.ids[0]} (${g.region}):` : `${plural(g.ids.length, 'instance')} in ${g.region}: ${ids(g.ids)}`;
      // The ids continue deeper than the reason below them, so the two read apart.
      out.push(`  ${fit(who, 6)}`, `    ${fit(g.reason, 4)}`);
      if (g.command) for (const line of g.command.split('\n')) out.push(`    ${fitCommand(line, style.width, '      ')}`);
    }
  }
  for (const n of r.notes) out.push('', `note: ${fit(n, 6)}`);
  return `${out.join('\n')}\n`;
}

type Summary = DoctorReport['summary'];
const VERDICTS: [keyof Summary, string][] = [
  ['managed', 'managed'],
  ['ready', 'ready'],
  ['notReady', 'not-ready'],
  ['unknown', 'unknown'],
  ['stopped', 'stopped'],
];

/** Counts per verdict, before and after the fixes: `managed 1 -> 4, not-ready 3 -> 0`. */
export function renderBeforeAfter(before: Summary, after: Summary, style: Style): string {
  const parts = VERDICTS.filter(([k]) => before[k] > 0 || after[k] > 0).map(([k, name]) => `${name} ${before[k]} -> ${after[k]}`);
  const line = `before -> after (${plural(after.total, 'instance')}): ${parts.join(', ')}`;
  return `\n${after.notReady === 0 ? style.ok(line) : style.warn(line)}\n`;
}
