// Shapes shared by every mutating command: the plan/apply change list and the per-region outcome
// (the README's "Commands" section documents them). Keys are camelCase and only ever added to.
import type { ErrorInfo } from './errors.js';

export type ChangeStatus = 'planned' | 'applied' | 'failed';

export interface Change {
  /** null for global (IAM) resources. */
  region: string | null;
  action: 'create' | 'attach' | 'detach' | 'update' | 'reset';
  /** ARN of the resource that changes. */
  resource: string;
  /** The IAM action of the call that makes the change, e.g. ssm:UpdateServiceSetting. */
  operation: string;
  status: ChangeStatus;
  /** What the change sets: the policy attached, the new and previous setting value... */
  details: Record<string, string | null>;
  error: ErrorInfo | null;
}

export interface RegionOutcome {
  region: string;
  ok: boolean;
  error: ErrorInfo | null;
}

export interface MutationResult {
  account: string;
  dryRun: boolean;
  changes: Change[];
  regions: RegionOutcome[];
  warnings: string[];
}

/** Events a service reports while it works; the CLI decides whether and how to show them. */
export type ProgressEvent =
  | { kind: 'waiting'; message: string }
  | { kind: 'note'; message: string }
  /** A counter for long runs; `done` clears it. */
  | { kind: 'progress'; message: string; done?: boolean };

export type ProgressListener = (event: ProgressEvent) => void;

/** Per-region outcome: a region failed if its setting could not be read or one of its changes failed. */
export function regionOutcomes(regions: readonly string[], readErrors: ReadonlyMap<string, ErrorInfo>, changes: readonly Change[]): RegionOutcome[] {
  return regions.map((region) => {
    const error = readErrors.get(region) ?? changes.find((c) => c.region === region && c.status === 'failed')?.error ?? null;
    return { region, ok: error === null, error };
  });
}

/** A planned change that was never sent, and why (an earlier failure, an interrupt). */
export function notAttempted(c: Change, reason: string): Change {
  return { ...c, status: 'failed', error: { code: 'NotAttempted', message: reason, hint: 'Fix the failure above and run the command again.' } };
}
