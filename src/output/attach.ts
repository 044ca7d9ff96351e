// Text rendering of profile attach: one row per instance changed, failed or skipped, one line for
// the instances that already had the profile (a rerun over 407 instances prints that line, not 407
// rows; the JSON keeps every instance), then a summary line. Also the replace question, summed up
// per region and per current profile with a few examples, never a wall of ARNs.
import type { AttachResult, InstanceResult } from '../services/profile/attach-plan.js';
import type { Style } from './style.js';
import { noInstanceMatched, plural } from './words.js';
import { fitText, table, type Cell, type TablePart } from './table.js';

/** The profile's name (with its path, when it has one) from its ARN: arn:aws:iam::123:instance-profile/path/Name. */
export function profileLabel(arn: string | null): string {
  if (!arn) return '(unknown profile)';
  const at = arn.indexOf(':instance-profile/');
  return at < 0 ? arn : arn.slice(at + ':instance-profile/'.length);
}

/** Counts by key, in the order keys first appear. */
function countBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const t of items) groups.set(key(t), [...(groups.get(key(t)) ?? []), t]);
  return groups;
}

/** Up to `max` ids, "e.g." when there are more. */
function examples(ids: readonly string[], max = 3): string {
  return ids.length <= max ? ids.join(', ') : `e.g. ${ids.slice(0, max).join(', ')}`;
}

/** Source profiles listed one by one before the rest are counted together. */
const MAX_SOURCES = 5;

/**
 * The consent question of --replace: how many instances, in which regions, from which profiles (with
 * a few example ids each) to which one. The prompt adds " [y/N] " after the last line.
 */
export function replaceQuestion(swaps: readonly Pick<InstanceResult, 'instanceId' | 'region' | 'previousInstanceProfileArn'>[], profileName: string): string {
  const regions = [...countBy(swaps, (s) => s.region ?? '-')].map(([region, list]) => `${region}: ${list.length}`);
  const sources = [...countBy(swaps, (s) => profileLabel(s.previousInstanceProfileArn))].sort((a, b) => b[1].length - a[1].length);
  // The examples on a line of their own: three instance ids fit in 80 columns, whatever the profile's name.
  const lines = sources.slice(0, MAX_SOURCES).flatMap(([from, list]) => [`  from ${from}: ${list.length}`, `    ${examples(list.map((s) => s.instanceId))}`]);
  const rest = sources.slice(MAX_SOURCES);
  if (rest.length > 0) lines.push(`  from ${plural(rest.length, 'other profile')}: ${rest.reduce((n, [, list]) => n + list.length, 0)}`);
  return [
    `About to replace the instance profile of ${plural(swaps.length, 'instance')} with ${profileName}:`,
    `  in ${regions.join(', ')}`,
    ...lines,
    `Replace ${swaps.length === 1 ? 'it' : 'them'}?`,
  ].join('\n');
}

export interface AttachRenderOptions {
  /** The run was interrupted (Ctrl-C): the instances not attempted say so in the summary. */
  interrupted?: boolean;
  /** The regions looked in, for the "nothing matched" line. */
  regions?: readonly string[];
  /** --region all was given: no advice to add it. */
  everyRegion?: boolean;
  /** One account of a run across accounts: the ids asked for that are not in it (not a failure). */
  notHere?: readonly string[];
}

/** The instances that changed (or failed) as table parts, and what goes under the table: the rest of renderAttach. */
export function attachTable(r: AttachResult, style: Style, options: AttachRenderOptions = {}): TablePart {
  const word = (status: string): Cell =>
    status === 'applied'
      ? { text: 'attached', paint: style.ok }
      : status === 'failed'
        ? { text: 'FAILED', paint: style.bad }
        : status === 'planned'
          ? { text: 'planned', paint: style.dim }
          : status;
  // Instances never tried (Ctrl-C, or an id whose region could not be read): not failures, and not
  // worth a row each - the summary counts them.
  const isNotAttempted = (i: InstanceResult) => i.error?.code === 'NotAttempted';
  const listed = r.instances.filter((i) => i.status !== 'unchanged' && !isNotAttempted(i));
  // A replaced instance's previous profile by name: its ARN (in the JSON) would take four rows at 80 columns.
  const rows = listed.map((i) => [
    i.instanceId,
    i.region ?? '-',
    i.name ?? '-',
    i.state ?? '-',
    i.status === 'applied' && i.action === 'replace' ? { text: 'replaced', paint: style.ok } : word(i.status),
    i.error ? `${i.error.code}: ${i.error.message}` : (i.message ?? (i.action === 'replace' ? `was ${profileLabel(i.previousInstanceProfileArn)}` : '')),
  ]);
  // An instance id is what gets copied from the table: its column never narrows below one (19 characters).
  const columns = ATTACH_COLUMNS.map((header) => (header === 'INSTANCE' ? { header, min: 19 } : { header }));
  const s = r.summary;
  const unchanged = r.instances.filter((i) => i.status === 'unchanged').map((i) => i.instanceId);
  const name = profileLabel(r.instanceProfileArn);
  // Wrapped at the terminal's width: three ids in parentheses make it longer than 80 columns.
  const already = unchanged.length
    ? `${fitText(`${plural(unchanged.length, 'instance')} already ${unchanged.length === 1 ? 'has' : 'have'} ${name}${unchanged.length <= 3 ? ` (${unchanged.join(', ')})` : ''}`, style.width, '  ')}\n`
    : '';
  const failedRegions = r.regions
    .filter((x) => !x.ok && x.error?.code !== 'NotAttempted')
    .map((x) => style.bad(`region ${x.region} failed: ${x.error?.code}: ${x.error?.message}\n`));
  // The idempotent rerun: every instance as asked and nothing else to say, so one line says it all.
  if (unchanged.length > 0 && listed.length === 0 && failedRegions.length === 0) return { columns, rows, after: already };

  const notAttempted = r.instances.filter(isNotAttempted).length;
  const failed = `${s.failed - notAttempted} failed`;
  const skippedWork = notAttempted ? [`${notAttempted} not attempted${options.interrupted ? ' (interrupted)' : ''}`] : [];
  const parts = r.dryRun
    ? [`${s.planned} to change`, `${s.unchanged} unchanged`, `${s.skipped} skipped`, failed, ...skippedWork]
    : [`${s.attached} attached`, `${s.replaced} replaced`, `${s.unchanged} unchanged`, `${s.skipped} skipped`, failed, ...skippedWork];
  // In one account of a run across accounts, ids held elsewhere are said quietly, not as a failure.
  const notHere = options.notHere?.length
    ? style.dim(fitText(`not in this account (${options.regions?.join(', ') || 'the regions read'}): ${options.notHere.join(', ')}`, style.width, '  ')) + '\n'
    : '';
  const none =
    rows.length || unchanged.length || notAttempted || notHere
      ? notHere
      : fitText(noInstanceMatched(options.regions ?? [], options.everyRegion ?? false), style.width, '  ') + '\n';
  // A failure's next step can be a whole command: it goes under the table, once per distinct hint.
  const hints = [...new Set(r.instances.filter((i) => i.error?.hint).map((i) => i.error!.hint!))].map((h) => `${style.dim('hint:')} ${h}\n`);
  return { columns, rows, after: none + already + failedRegions.join('') + hints.join('') + `${parts.join(', ')}\n` };
}

const ATTACH_COLUMNS = ['INSTANCE', 'REGION', 'NAME', 'STATE', 'RESULT', 'DETAIL'];

export function renderAttach(r: AttachResult, style: Style, options: AttachRenderOptions = {}): string {
  const t = attachTable(r, style, options);
  // Wrapped as any line: the profile's ARN alone is some 70 columns.
  const head = r.dryRun ? style.bold(fitText(`Plan for ${r.instanceProfileArn} (dry run, nothing changed):`, style.width, '  ')) + '\n' : '';
  return head + (t.rows.length ? table(t.columns, t.rows, style.width) : '') + t.after;
}
