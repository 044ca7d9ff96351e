// Identity-policy evaluation as IAM does it, in three values.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
// - An explicit Deny in any applicable statement wins.
// - Otherwise an Allow is needed in the identity policies, and, when the principal has a permissions
//   boundary, in the boundary too ("the effective permissions are the intersection").
// - Otherwise the request is implicitly denied (not allowed).
// A statement whose applicability depends on an unknown key "possibly applies": a possible Deny next to
// any Allow, or a possible Allow alone, makes the answer uncertain instead of guessed.
import { resourceEntryMatches } from './arn-match.js';
import { conditionBlockHolds } from './conditions.js';
import { RequestContext } from './context.js';
import { parseDocument, type Statement } from './document.js';
import { all, any, isUnknown, not, problem, unknownOf, type Tri } from './tri.js';
import type { Decision, Evaluation, IamRequest, NamedPolicy, PolicySet, StatementRef, UncertainStatement } from './types.js';
import { actionRegExp } from './wildcard.js';

/** An element the document parser already reported missing contributes nothing but that report. */
const missing = (): Tri => unknownOf([]);

function actionMatches(patterns: readonly string[], action: string): Tri {
  return any(
    patterns.map((p): Tri => {
      // "service:action" with wildcards in the action part, or "*" (reference_policies_elements_action.html)
      if (p !== '*' && !/^[^:*?]+:[^:]*$/.test(p)) return problem(`action "${p}" is not "service:action"`);
      return actionRegExp(p).test(action);
    }),
  );
}

function resourceMatches(s: Statement, request: IamRequest, ctx: RequestContext, variables: boolean): Tri {
  if (s.resource) {
    return any(
      s.resource.map((entry) => {
        const m = resourceEntryMatches(entry, request.resource, ctx, variables);
        return typeof m === 'object' && 'unresolvable' in m ? false : m;
      }),
    );
  }
  if (s.notResource) {
    const results = s.notResource.map((entry) => resourceEntryMatches(entry, request.resource, ctx, variables));
    // An unresolvable variable invalidates the statement rather than widening it.
    if (results.some((m) => typeof m === 'object' && 'unresolvable' in m)) return false;
    return not(any(results as Tri[]));
  }
  return missing();
}

/** Does the statement apply to the request (ignoring its effect)? */
export function statementApplies(s: Statement, request: IamRequest, ctx: RequestContext, variables: boolean): Tri {
  const parts: Tri[] = s.problems.map((p) => problem(p));
  const action = s.action ? actionMatches(s.action, request.action) : s.notAction ? not(actionMatches(s.notAction, request.action)) : missing();
  // Cheapest first; `all` stops at the first definite false.
  return all(
    (function* () {
      yield action;
      yield resourceMatches(s, request, ctx, variables);
      yield conditionBlockHolds(s.condition, ctx, variables);
      yield* parts;
    })(),
  );
}

interface SetResult {
  decision: Decision;
  definiteDeny: StatementRef[];
  possibleDeny: UncertainStatement[];
  definiteAllow: StatementRef[];
  possibleAllow: UncertainStatement[];
}

function ref(kind: StatementRef['kind'], policy: string, index: number, sid?: string): StatementRef {
  const label = sid ?? (index ? `policy ${policy} statement #${index}` : `policy ${policy}`);
  return { kind, policy, index, ...(sid ? { sid } : {}), label };
}

function evaluateSet(kind: StatementRef['kind'], policies: readonly NamedPolicy[], request: IamRequest, ctx: RequestContext): SetResult {
  const r: SetResult = { decision: 'not-allowed', definiteDeny: [], possibleDeny: [], definiteAllow: [], possibleAllow: [] };
  for (const policy of policies) {
    const doc = parseDocument(policy.document);
    if (doc.problem) {
      // We cannot see what the document says: it may allow or deny anything.
      const u: UncertainStatement = { statement: ref(kind, policy.name, 0), keys: [], problems: [doc.problem] };
      r.possibleDeny.push(u);
      r.possibleAllow.push(u);
      continue;
    }
    doc.statements.forEach((s, i) => {
      const applies = statementApplies(s, request, ctx, doc.variables);
      if (applies === false) return;
      const at = ref(kind, policy.name, i + 1, s.sid);
      const effects = s.effect ? [s.effect] : (['Allow', 'Deny'] as const);
      for (const effect of effects) {
        if (applies === true && s.effect) (effect === 'Deny' ? r.definiteDeny : r.definiteAllow).push(at);
        else {
          const u: UncertainStatement = { statement: at, keys: isUnknown(applies) ? applies.keys : [] };
          const problems = isUnknown(applies) ? applies.problems : [];
          if (problems.length) u.problems = problems;
          (effect === 'Deny' ? r.possibleDeny : r.possibleAllow).push(u);
        }
      }
    });
  }
  if (r.definiteDeny.length) r.decision = 'denied';
  else if (r.possibleDeny.length && (r.definiteAllow.length || r.possibleAllow.length)) r.decision = 'uncertain';
  else if (r.definiteAllow.length) r.decision = 'allowed';
  else if (r.possibleAllow.length) r.decision = 'uncertain';
  return r;
}

/** Decides one request against the principal's identity policies and permissions boundary. */
export function evaluate(policies: PolicySet, request: IamRequest): Evaluation {
  const ctx = new RequestContext(request);
  const identity = evaluateSet('identity', policies.identity, request, ctx);
  const boundary = policies.boundary?.length ? evaluateSet('boundary', policies.boundary, request, ctx) : undefined;
  const sets = boundary ? [identity, boundary] : [identity];
  const possible = (s: SetResult) => [...s.possibleDeny, ...s.possibleAllow];
  const uniq = (list: UncertainStatement[]) => [...new Map(list.map((u) => [`${u.statement.kind}/${u.statement.policy}/${u.statement.index}`, u])).values()];

  if (sets.some((s) => s.decision === 'denied')) {
    return { decision: 'denied', reasons: sets.flatMap((s) => s.definiteDeny), uncertain: [] };
  }
  if (sets.some((s) => s.decision === 'not-allowed')) {
    return { decision: 'not-allowed', reasons: [], uncertain: [] };
  }
  if (sets.every((s) => s.decision === 'allowed')) {
    return { decision: 'allowed', reasons: sets.flatMap((s) => s.definiteAllow), uncertain: [] };
  }
  return { decision: 'uncertain', reasons: [], uncertain: uniq(sets.flatMap(possible)) };
}
