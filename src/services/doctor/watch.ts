// doctor --watch: the fleet after a fix, followed until it registers. DHMC can take up to 30 minutes to
// reach an instance, and a new profile a few minutes, so one diagnosis right after a change says
// "ready", not "managed". Each round diagnoses again; a verdict that changed is said at once on stderr
// (i-0abc (us-east-1): ready -> managed), and the watch ends when every running instance is managed, at
// the timeout, or at Ctrl-C - with the last diagnosis as the result. Stopped instances are not waited
// for: their agent does not run.
import type { DoctorReport, InstanceReport } from './diagnose.js';
import type { ServiceEnv } from '../env.js';

export interface WatchOptions {
  intervalSeconds: number;
  timeoutSeconds: number;
}

export interface VerdictChange {
  instanceId: string;
  region: string;
  from: string | null;
  to: string;
  /** When the round that saw it began (ISO 8601). */
  at: string;
}

export interface WatchResult {
  report: DoctorReport;
  rounds: number;
  elapsedSeconds: number;
  changes: VerdictChange[];
  /** Every running instance is managed. */
  allManaged: boolean;
  /** The running instances still not managed at the end. */
  waiting: InstanceReport[];
  /** The timeout ended the watch. */
  timedOut: boolean;
}

/** Instances the watch waits for: running (not stopped) and not managed yet. */
export const waitingFor = (r: DoctorReport): InstanceReport[] => r.instances.filter((i) => i.verdict !== 'managed' && i.verdict !== 'stopped');

export async function watchFleet(env: ServiceEnv, first: DoctorReport, diagnose: () => Promise<DoctorReport>, w: WatchOptions): Promise<WatchResult> {
  const { clock, signal, progress } = env;
  const started = clock.now();
  const timeoutMs = w.timeoutSeconds * 1000;
  let report = first;
  let rounds = 1;
  const changes: VerdictChange[] = [];
  const toWatch = waitingFor(first).length;
  if (toWatch > 0) {
    progress({
      kind: 'note',
      message: `watching ${toWatch} instance${toWatch === 1 ? '' : 's'} until managed: a diagnosis every ${w.intervalSeconds} s for at most ${w.timeoutSeconds} s (Ctrl-C stops and prints the last one)`,
    });
  }
  while (waitingFor(report).length > 0 && !signal.aborted) {
    const elapsed = clock.now() - started;
    if (elapsed >= timeoutMs) break;
    try {
      await clock.sleep(Math.min(w.intervalSeconds * 1000, timeoutMs - elapsed), signal);
    } catch {
      break; // Ctrl-C while waiting: the last diagnosis stands.
    }
    const at = new Date(clock.now()).toISOString();
    let next: DoctorReport;
    try {
      next = await diagnose();
    } catch (e) {
      // Ctrl-C during a round: the last whole diagnosis stands.
      if (signal.aborted) break;
      throw e;
    }
    rounds += 1;
    const before = new Map(report.instances.map((i) => [i.instanceId, i.verdict]));
    for (const i of next.instances) {
      const from = before.get(i.instanceId) ?? null;
      if (from === i.verdict) continue;
      changes.push({ instanceId: i.instanceId, region: i.region, from, to: i.verdict, at });
      progress({ kind: 'note', message: `${i.instanceId} (${i.region}): ${from ?? 'new'} -> ${i.verdict}` });
    }
    report = next;
  }
  const waiting = waitingFor(report);
  const allManaged = waiting.length === 0;
  return {
    report,
    waiting,
    rounds,
    elapsedSeconds: Math.round((clock.now() - started) / 1000),
    changes,
    allManaged,
    timedOut: !allManaged && !signal.aborted && clock.now() - started >= timeoutMs,
  };
}
