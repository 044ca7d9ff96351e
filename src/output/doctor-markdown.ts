// `doctor -o markdown`: the grouped report as GitHub-flavoured Markdown, for a change ticket or a
// pull-request comment: a summary table, then one section per group with its fix in a code block.
import type { DoctorReport } from '../services/doctor/diagnose.js';
import { EXAMPLES } from './doctor.js';
import { escapeControls } from './escape.js';
import { plural } from './words.js';

const TITLE: Record<string, string> = { 'not-ready': 'Not ready', unknown: 'Unknown', ready: 'Ready', stopped: 'Stopped', managed: 'Managed' };

/**
 * Text inside a table cell or a line: no control characters, and none of the characters that start
 * markup in GitHub-flavoured Markdown (emphasis, code, links, HTML, tables, headings, strikethrough).
 * Parentheses need none once the brackets of a link are escaped.
 */
const md = (s: string) => escapeControls(s).replace(/[\\`*_[\]<>#|~]/g, (c) => `\\${c}`);

/** A code span that holds its text whatever backticks it contains (CommonMark: a longer fence). */
function code(s: string): string {
  const text = escapeControls(s);
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  return longest > 0 ? `${fence} ${text} ${fence}` : `${fence}${text}${fence}`;
}

/** A fenced block of shell commands, fenced longer than any run of backticks inside. */
function block(commands: string): string[] {
  const text = commands
    .split('\n')
    .map((line) => escapeControls(line))
    .join('\n');
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  return [`${fence}sh`, ...text.split('\n'), fence];
}

export function renderDoctorMarkdown(r: DoctorReport): string {
  const s = r.summary;
  const lines = [
    `## Systems Manager readiness: account ${md(r.account)}`,
    '',
    `${plural(s.total, 'instance')}: ${s.managed} managed, ${s.ready} ready, ${s.notReady} not ready${s.stopped ? `, ${s.stopped} stopped` : ''}${s.unknown ? `, ${s.unknown} unknown` : ''}.`,
    '',
  ];
  if (r.groups.length) {
    lines.push('| verdict | instances | region | reason |', '|---|---:|---|---|');
    for (const g of r.groups) lines.push(`| ${TITLE[g.verdict] ?? g.verdict} | ${g.count} | ${md(g.region)} | ${md(g.reason)} |`);
    lines.push('');
  }
  for (const g of r.groups.filter((x) => x.verdict !== 'managed')) {
    lines.push(`### ${TITLE[g.verdict] ?? g.verdict}: ${plural(g.count, 'instance')} in ${md(g.region)}`, '', md(g.reason), '');
    const shown = g.instanceIds.slice(0, EXAMPLES).map(code).join(', ');
    lines.push(`Instances: ${shown}${g.count > EXAMPLES ? `, and ${g.count - EXAMPLES} more` : ''}.`, '');
    // The other blockers behind the cause, as the text says them.
    if (g.also.length) lines.push(...g.also.map((a) => `- Also: ${md(a.message)} (${a.count === g.count ? 'all' : a.count})`), '');
    if (g.fix) lines.push('Fix:', '', ...block(g.fix), '');
    if (g.alternative) lines.push('Or instead:', '', ...block(g.alternative), '');
  }
  const unread = r.regions.filter((x) => !x.ok);
  if (unread.length || r.readErrors.length || r.notFound.length) {
    lines.push('### Not checked', '');
    for (const x of unread) lines.push(`- region ${md(x.region)} could not be read: ${md(`${x.error?.code}: ${x.error?.message}`)}`);
    for (const e of r.readErrors) lines.push(`- ${md(`could not read ${e.read}${e.region ? ` in ${e.region}` : ''} (${e.error.code}); ${e.effect}`)}`);
    if (r.notFound.length) lines.push(`- not found: ${r.notFound.map(code).join(', ')}`);
    lines.push('');
  }
  return lines.join('\n');
}
