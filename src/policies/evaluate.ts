// Superseded by src/policies/iam (evaluate: resources, conditions, variables, boundaries, unknown keys)
// and src/policies/agent-request.ts (judgeAgentPermissions); kept, unchanged in behaviour, until its
// callers move over.
// A small IAM policy evaluator for "does this role allow the agent's actions?". It follows IAM's order
// for identity policies (an explicit Deny wins, then any Allow, otherwise implicitly denied), matches
// actions case-insensitively with * and ? wildcards, and understands NotAction. Resources are judged
// for the agent's calls, which act on the instance itself: an Allow counts when its Resource could
// match any resource (`*`); a Deny counts whatever resource it names, to stay on the safe side.
import { parsePolicyDocument, type PolicyStatement } from './trust.js';

export type Decision = 'allowed' | 'denied' | 'not-allowed';

function asList(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

const patternCache = new Map<string, RegExp>();
/** IAM action pattern (`ssm:Update*`, `ssm:?etDocument`) as a case-insensitive regular expression. */
export function actionPattern(pattern: string): RegExp {
  let re = patternCache.get(pattern);
  if (!re) {
    const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    re = new RegExp(`^${body}$`, 'i');
    patternCache.set(pattern, re);
  }
  return re;
}

function statementCoversAction(s: PolicyStatement, action: string): boolean {
  if (s.Action !== undefined) return asList(s.Action).some((p) => actionPattern(p).test(action));
  if (s.NotAction !== undefined) return !asList(s.NotAction).some((p) => actionPattern(p).test(action));
  return false;
}

function allowsAnyResource(s: PolicyStatement): boolean {
  if (s.NotResource !== undefined) return true; // applies to everything except some: instances included
  return asList(s.Resource).some((r) => r === '*' || /^arn:[^:]*:ec2:[^:]*:[^:]*:instance\/\*$/.test(r));
}

function statementsOf(doc: unknown): PolicyStatement[] {
  const parsed = typeof doc === 'string' ? parsePolicyDocument(doc) : (doc as { Statement?: unknown } | undefined);
  const s = parsed?.Statement;
  if (Array.isArray(s)) return s as PolicyStatement[];
  return s && typeof s === 'object' ? [s as PolicyStatement] : [];
}

/** Decides one action against a set of identity policies (documents as objects or JSON / URL-encoded text). */
export function decide(documents: readonly unknown[], action: string): Decision {
  const stmts = documents.flatMap(statementsOf);
  if (stmts.some((s) => s.Effect === 'Deny' && statementCoversAction(s, action))) return 'denied';
  if (stmts.some((s) => s.Effect === 'Allow' && statementCoversAction(s, action) && allowsAnyResource(s))) {
    return 'allowed';
  }
  return 'not-allowed';
}

/** The actions of `actions` that the documents do not allow. */
export function missingActions(documents: readonly unknown[], actions: readonly string[]): string[] {
  return actions.filter((a) => decide(documents, a) !== 'allowed');
}
