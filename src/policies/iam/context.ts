// The request context, with IAM's case-insensitive key names and our three states for a key:
// present with values, known to be absent, or unknown.
// Key names are case-insensitive: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html
import type { ContextValue, IamRequest } from './types.js';

export type KeyState = { state: 'present'; values: string[]; multi: boolean } | { state: 'absent' } | { state: 'unknown' };

function asText(v: string | number | boolean): string {
  return typeof v === 'string' ? v : String(v);
}

export class RequestContext {
  private readonly known = new Map<string, { values: string[]; multi: boolean }>();
  private readonly absentExact = new Set<string>();
  private readonly absentPrefixes: string[] = [];

  constructor(request: Pick<IamRequest, 'known' | 'absent'>) {
    for (const [key, value] of Object.entries(request.known)) {
      const v = value as ContextValue;
      this.known.set(key.toLowerCase(), Array.isArray(v) ? { values: v.map(asText), multi: true } : { values: [asText(v as string)], multi: false });
    }
    for (const key of request.absent ?? []) {
      const k = key.toLowerCase();
      if (k.endsWith('*')) this.absentPrefixes.push(k.slice(0, -1));
      else this.absentExact.add(k);
    }
  }

  /** A known value wins over an absent pattern, so `aws:PrincipalTag/*` can be absent around known tags. */
  get(key: string): KeyState {
    const k = key.toLowerCase();
    const hit = this.known.get(k);
    if (hit) return { state: 'present', values: hit.values, multi: hit.multi };
    if (this.absentExact.has(k) || this.absentPrefixes.some((p) => k.startsWith(p))) return { state: 'absent' };
    return { state: 'unknown' };
  }
}
