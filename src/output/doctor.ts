// Text rendering of doctor, for people: the fleet as groups (same region, verdict and main reason),
// each with a count, a few example instances and one fix for the whole group; a single instance
// asked by id with every check; then what could not be read and the summary. Lines fit the terminal
// and every fix stays a command that can be pasted as it is (fitCommand).
import type { DoctorReport, InstanceReport } from '../services/doctor/diagnose.js';
import type { DoctorGroup } from '../services/doctor/group.js';
import { escapeControls } from './escape.js';
import { lookedIn, noInstanceMatched, plural, regionalAdvice } from './words.js';
import type { Style } from './style.js';
import { fitText, labelled } from './table.js';

/** How many instances a group names before "and N more". */
export const EXAMPLES = 3;

const TITLE: Record<string, string> = {
  'not-ready': 'NOT READY',
  unknown: 'UNKNOWN',
  ready: 'READY',
  stopped: 'STOPPED',
  managed: 'MANAGED',
};

const paintFor = (style: Style, verdict: string) =>
  verdict === 'managed' ? style.ok : verdict === 'ready' || verdict === 'unknown' ? style.warn : verdict === 'stopped' ? style.dim : style.bad;

const named = (i: InstanceReport | undefined, id: string) => (i?.name ? `${id} (${escapeControls(i.name)})` : id);

/** Other failing checks named under a group's reason, at most. */
const MAX_ALSO = 3;

/** A group fix longer than this (some 300 ids joined) is too long to read or paste on a terminal. */
const LONGEST_FIX = 6000;

/**
 * A fix that names hundreds of instances is not printed whole (the JSON has it, one command per 1,000
 * ids): in its place, where to find it, said as prose - not a command, so nothing half-pasted runs.
 */
function shownFix(g: DoctorGroup, fix: string, field: 'fix' | 'alternative'): { text: string; command: boolean } {
  if (fix.length <= LONGEST_FIX) return { text: fix, command: true };
  return {
    text: `(${g.count} instances: too many to name here; with --json this group's "${field}" holds the commands, 1,000 instances each)`,
    command: false,
  };
}

function renderGroup(g: DoctorGroup, byId: ReadonlyMap<string, InstanceReport>, style: Style): string[] {
  const w = style.width;
  const head = `${paintFor(style, g.verdict)(TITLE[g.verdict] ?? g.verdict)}  ${plural(g.count, 'instance')} in ${escapeControls(g.region)}`;
  const lines = [head];
  if (g.verdict !== 'managed') lines.push(...labelled('  why:  ', g.reason, w));
  const shown = g.instanceIds.slice(0, EXAMPLES).map((id) => named(byId.get(id), id));
  const more = g.count > EXAMPLES ? `, and ${g.count - EXAMPLES} more` : '';
  lines.push(...labelled(g.count > EXAMPLES ? '  e.g.: ' : '  ids:  ', shown.join(', ') + more, w));
  // What else fails behind the cause: fixing the cause alone would not be the end of it.
  const also = g.also.slice(0, MAX_ALSO).map((a) => `${a.message}${g.count > 1 ? ` (${a.count === g.count ? 'all' : a.count})` : ''}`);
  if (g.also.length > MAX_ALSO) also.push(`and ${plural(g.also.length - MAX_ALSO, 'other finding')} (see --json)`);
  for (const a of also) lines.push(...labelled('  also: ', a, w));
  for (const [label, field] of [
    ['  fix:  ', 'fix'],
    ['  or:   ', 'alternative'],
  ] as const) {
    const fix = g[field];
    if (!fix) continue;
    const shown = shownFix(g, fix, field);
    lines.push(...labelled(label, shown.text, w, shown.command));
  }
  return lines;
}

const MARK: Record<string, string> = { pass: 'pass', fail: 'FAIL', warn: 'warn', unknown: 'unknown', skip: 'skip' };

/** One instance, every check: for `doctor --instance-id X`. */
export function renderInstance(i: InstanceReport, style: Style): string[] {
  const w = style.width;
  const paint = (s: string) => (s === 'pass' ? style.ok : s === 'fail' ? style.bad : s === 'warn' || s === 'unknown' ? style.warn : style.dim);
  // A message that already starts with its name ("managed: Online, ...") is not named twice.
  const titled = (title: string, text: string) => (text.startsWith(`${title}:`) ? text : `${title}: ${text}`);
  const verdict = titled(i.verdict, i.reason);
  const head = verdict.slice(0, verdict.indexOf(':') + 2);
  const lines = [
    style.bold(`${named(i, i.instanceId)}  ${i.region}  ${i.state}`),
    ...labelled(head, verdict.slice(head.length), w, false, paintFor(style, i.verdict)),
  ];
  for (const c of i.checks) {
    lines.push(...labelled(`  ${(MARK[c.status] ?? c.status).padEnd(8)}`, titled(c.id, c.message), w, false, paint(c.status)));
    if (c.fix) lines.push(...labelled('            fix: ', c.fix, w, true));
    if (c.alternative) lines.push(...labelled('            or:  ', c.alternative, w, true));
  }
  return lines;
}

/** The lines after the groups: unread regions and reads, ids not found, an empty selection, the summary. */
function footer(r: DoctorReport, style: Style, view: DoctorView): string[] {
  const w = style.width;
  const lines: string[] = [];
  for (const x of r.regions.filter((x) => !x.ok))
    lines.push(style.bad(fitText(escapeControls(`region ${x.region} could not be read: ${x.error?.code}: ${x.error?.message}`), w, '  ')));
  if (r.notFound.length && view.elsewhere)
    // One account of a run across accounts: the ids are likely in another; the run names those in none.
    lines.push(style.dim(fitText(`not in this account (${view.regions.join(', ') || 'the regions read'}): ${r.notFound.join(', ')}`, w, '  ')));
  else if (r.notFound.length)
    lines.push(
      style.bad(
        fitText(
          `not found in ${lookedIn(view.regions, view.everyRegion ?? false)} (or terminated): ${r.notFound.join(', ')}${regionalAdvice(view.everyRegion ?? false)}`,
          w,
          '  ',
        ),
      ),
    );
  lines.push(fleetLine(r.summary));
  return lines;
}

/** The verdicts counted: `41 instances: 29 managed, 3 ready, 9 not ready` (stopped and unknown when any). */
export function fleetLine(s: DoctorReport['summary']): string {
  const extra = `${s.stopped ? `, ${s.stopped} stopped` : ''}${s.unknown ? `, ${s.unknown} unknown` : ''}`;
  return `${plural(s.total, 'instance')}: ${s.managed} managed, ${s.ready} ready, ${s.notReady} not ready${extra}`;
}

export interface DoctorView {
  /** The regions looked in, for the "nothing matched" line. */
  regions: readonly string[];
  /** One instance asked by id: print its every check instead of the groups. */
  detail: boolean;
  /** One account of a run across accounts: ids asked for may be in another account. */
  elsewhere?: boolean;
  /** --region all was given: every region was read, so no advice to add it. */
  everyRegion?: boolean;
}

export function renderDoctor(r: DoctorReport, style: Style, view: DoctorView = { regions: [], detail: false }): string {
  const byId = new Map(r.instances.map((i) => [i.instanceId, i]));
  const lines: string[] = [];
  if (r.instances.length === 0) {
    // Ids that exist nowhere are named in the footer with the same advice: it is not said twice.
    if (r.notFound.length === 0) lines.push(fitText(noInstanceMatched(view.regions, view.everyRegion ?? false), style.width, '  '));
  } else if (view.detail && r.instances.length === 1) {
    lines.push(...renderInstance(r.instances[0]!, style), '');
  } else {
    for (const g of r.groups) lines.push(...renderGroup(g, byId, style), '');
  }
  return [...lines, ...footer(r, style, view)].join('\n') + '\n';
}
