// doctor for a fleet: instances with the same verdict and main reason, in the same region, form one
// group with ONE fix that covers them all - a command over the whole group (ids joined, or the
// selection's tags when the group is every instance selected there), not one command per instance.
import type { InstanceReport, Verdict } from './diagnose.js';

export interface DoctorGroup {
  region: string;
  verdict: Verdict;
  /** The check that decided the verdict (`identity-route`, `imds`...), or null (managed, ready, stopped). */
  cause: string | null;
  reason: string;
  count: number;
  /** Every instance of the group, in the order they were read. */
  instanceIds: string[];
  /** The commands that fix the whole group, one per line, ready to paste; null when none. */
  fix: string | null;
  /** Another way to fix the whole group instead, or null. */
  alternative: string | null;
  /**
   * The other checks that fail on the group's instances besides its cause (a network with no route
   * behind a missing identity): each message once, with how many of the instances it is said of.
   */
  also: { check: string; message: string; count: number }[];
}

/** How the instances were selected: a group that is all of them in a region is fixed by the same selection. */
export interface GroupSelection {
  instanceIds: readonly string[];
  tags: readonly { Key: string; Value: string }[];
}

/** Worst first: what needs doing comes before what is fine. */
const ORDER: Verdict[] = ['not-ready', 'unknown', 'ready', 'stopped', 'managed'];

const PLACEHOLDER = '\u0000';

/** A managed instance's reason names its agent version and ping time: they group as one. */
const groupReason = (i: InstanceReport) => (i.verdict === 'managed' ? 'managed by Systems Manager (Online)' : i.reason);

/** A shell word for a tag filter: KEY=VALUE, single-quoted when it holds anything but safe characters. */
function shellWord(s: string): string {
  return /^[A-Za-z0-9_.:/=@+,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * One command line for every instance of the group, from the lines each instance got. A line that
 * names its instance becomes one line naming them all: ssm-perms takes `--instance-id a,b,c` (or,
 * when the group is the whole selection of its region, the selection's --tag filters); an aws CLI
 * command that takes one instance at a time runs in a loop over them.
 */
function mergeLine(template: string, ids: readonly string[], tags: string | null): string {
  if (!template.includes(PLACEHOLDER)) return template;
  // One instance: its own command, no list and no loop.
  if (ids.length === 1 && tags === null) return template.split(PLACEHOLDER).join(ids[0]!);
  if (template.startsWith('ssm-perms ') && template.includes(`--instance-id ${PLACEHOLDER}`)) {
    if (tags) return template.replace(`--instance-id ${PLACEHOLDER}`, tags);
    // One command per batch of ids: a single argument may not exceed 128 KiB on Linux (MAX_ARG_STRLEN,
    // 32 pages: execve(2), "Limits on size of arguments and environment"), about 6,500 ids joined.
    return batches(ids, IDS_PER_COMMAND)
      .map((batch) => template.replace(`--instance-id ${PLACEHOLDER}`, `--instance-id ${batch.join(',')}`))
      .join('\n');
  }
  return `for id in ${ids.join(' ')}; do ${template.split(PLACEHOLDER).join('"$id"')}; done`;
}

/** Ids in one ssm-perms command line: ~20 KB, far under the kernel's limit for one argument. */
export const IDS_PER_COMMAND = 1000;

function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function mergeFixes(instances: readonly InstanceReport[], field: 'fix' | 'alternative', tags: string | null): string | null {
  const present = instances.filter((i) => i[field]);
  if (present.length === 0) return null;
  const ids = present.map((i) => i.instanceId);
  // Each instance's commands with its own id taken out: the same template means one command for all.
  const templates = present.map((i) => i[field]!.split(i.instanceId).join(PLACEHOLDER));
  if (templates.every((t) => t === templates[0])) {
    return templates[0]!
      .split('\n')
      .map((line) => mergeLine(line, ids, present.length === instances.length ? tags : null))
      .join('\n');
  }
  // Different commands (other subnets, other groups): each once, in the order first met.
  return [...new Set(present.flatMap((i) => i[field]!.split('\n')))].join('\n');
}

/**
 * What each check is about: a failing check of the cause's own kind is its consequence (a profile that
 * cannot register the agent leaves no identity), one of another kind a second blocker. `managed` and
 * `quick-setup` observe rather than block.
 */
const KIND: Record<string, string> = {
  'instance-profile': 'identity',
  'identity-route': 'identity',
  'dhmc-role': 'identity',
  'dhmc-role-policy': 'identity',
  'dhmc-role-trust': 'identity',
  'agent-version': 'identity',
  imds: 'imds',
  network: 'network',
};

/** The other blockers of a not-ready group's instances, besides the kind of its cause: most said first. */
function otherFailures(members: readonly InstanceReport[]): DoctorGroup['also'] {
  const seen = new Map<string, { check: string; message: string; count: number }>();
  for (const i of members)
    for (const c of i.checks) {
      const kind = KIND[c.id];
      if (i.verdict !== 'not-ready' || c.status !== 'fail' || !kind || kind === KIND[i.cause ?? '']) continue;
      const key = `${c.id}\u0000${c.message}`;
      const known = seen.get(key);
      if (known) known.count += 1;
      else seen.set(key, { check: c.id, message: c.message, count: 1 });
    }
  return [...seen.values()].sort((a, b) => b.count - a.count);
}

export function groupInstances(instances: readonly InstanceReport[], selection: GroupSelection): DoctorGroup[] {
  const groups = new Map<string, InstanceReport[]>();
  for (const i of instances) {
    const key = JSON.stringify([i.region, i.verdict, groupReason(i)]);
    // Appended in place: copying the group for each member made grouping quadratic in the fleet.
    const members = groups.get(key);
    if (members) members.push(i);
    else groups.set(key, [i]);
  }
  const perRegion = new Map<string, number>();
  for (const i of instances) perRegion.set(i.region, (perRegion.get(i.region) ?? 0) + 1);
  const tagFilter =
    selection.instanceIds.length === 0 && selection.tags.length > 0 ? selection.tags.map((t) => `--tag ${shellWord(`${t.Key}=${t.Value}`)}`).join(' ') : null;

  const out = [...groups.values()].map((members): DoctorGroup => {
    const first = members[0]!;
    // The selection's tags stand for the group only when the group is all that was selected there.
    const tags = tagFilter && members.length === perRegion.get(first.region) ? tagFilter : null;
    return {
      region: first.region,
      verdict: first.verdict,
      cause: first.cause,
      reason: groupReason(first),
      count: members.length,
      instanceIds: members.map((i) => i.instanceId),
      fix: mergeFixes(members, 'fix', tags),
      alternative: mergeFixes(members, 'alternative', tags),
      also: otherFailures(members),
    };
  });
  return out.sort((a, b) => ORDER.indexOf(a.verdict) - ORDER.indexOf(b.verdict) || b.count - a.count || a.region.localeCompare(b.region));
}
