// The Condition element: every operator, IfExists, the ForAnyValue / ForAllValues set operators and
// Null, decided in three values against a context whose keys may be unknown.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html
//
// - Several operators, or several keys under one operator: all must hold (AND).
// - Several values for one key: any may match (OR); a negated operator (StringNotEquals, NotIpAddress,
//   ArnNotLike...) holds when the request value matches none of them.
// - A key missing from the request: a positive operator fails, a negated one holds ("If the policy
//   condition requires that the key is not matched, such as StringNotLike or ArnNotLike, and the right
//   key is not present, the condition can return true"), ...IfExists holds, ForAllValues holds (the empty
//   set), ForAnyValue fails (reference_policies_condition-single-vs-multi-valued-context-keys.html).
// - Multivalued keys need a set operator ("Multivalued context keys require a condition set operator");
//   a single-valued operator on one is not something we guess at.
// - Policy variables are substituted in the string and ARN operators only ("Where you can use policy
//   variables", reference_policies_variables.html).
import { arnValueMatches, type EntryMatch } from './arn-match.js';
import type { RequestContext } from './context.js';
import { all, any, not, problem, unknownOf, type Tri } from './tri.js';
import { ipInRange, parseDate, parseIpRange, parseNumber } from './values.js';
import { literalPieces, resolveTemplate, type Piece } from './variables.js';
import { piecesMatch } from './wildcard.js';

type ValueTest = (policyValue: string, requestValue: string, ctx: RequestContext, variables: boolean) => EntryMatch;

/**
 * A string operator's test. A value whose variable cannot be resolved matches nothing, and makes a
 * negated operator fail (see valueHolds): a string has no structure that could rule it out without the
 * variable, unlike an ARN whose other components may already differ (arn-match.ts).
 */
function stringTest(match: (pieces: Piece[], request: string) => boolean): ValueTest {
  return (policyValue, requestValue, ctx, variables) => {
    const r = resolveTemplate(policyValue, ctx, variables);
    if ('unknown' in r) return r;
    return r.ok ? match(r.pieces, requestValue) : { unresolvable: r.unresolvable };
  };
}

function typed<T>(parse: (s: string) => T | undefined, what: string, compare: (policy: T, request: T) => boolean): ValueTest {
  return (policyValue, requestValue) => {
    const p = parse(policyValue);
    if (p === undefined) return problem(`"${policyValue}" is not ${what}`);
    const r = parse(requestValue);
    if (r === undefined) return problem(`request value "${requestValue}" is not ${what}`);
    return compare(p, r);
  };
}

const parseBool = (s: string): boolean | undefined => (/^true$/i.test(s.trim()) ? true : /^false$/i.test(s.trim()) ? false : undefined);

/** The positive test of each operator; `negated` operators are the negation of their positive test. */
const OPERATORS: Record<string, { test: ValueTest; negated: boolean }> = {};
function define(names: string[], test: ValueTest): void {
  const [positive, negative] = names;
  if (positive) OPERATORS[positive.toLowerCase()] = { test, negated: false };
  if (negative) OPERATORS[negative.toLowerCase()] = { test, negated: true };
}
define(['StringEquals', 'StringNotEquals'], stringTest((pieces, request) => piecesMatch(literalPieces(pieces), request)));
define(['StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase'], stringTest((pieces, request) => piecesMatch(literalPieces(pieces), request, true)));
define(['StringLike', 'StringNotLike'], stringTest((pieces, request) => piecesMatch(pieces, request)));
define(['NumericEquals', 'NumericNotEquals'], typed(parseNumber, 'a number', (p, r) => p === r));
define(['NumericLessThan'], typed(parseNumber, 'a number', (p, r) => r < p));
define(['NumericLessThanEquals'], typed(parseNumber, 'a number', (p, r) => r <= p));
define(['NumericGreaterThan'], typed(parseNumber, 'a number', (p, r) => r > p));
define(['NumericGreaterThanEquals'], typed(parseNumber, 'a number', (p, r) => r >= p));
define(['DateEquals', 'DateNotEquals'], typed(parseDate, 'a date', (p, r) => p === r));
define(['DateLessThan'], typed(parseDate, 'a date', (p, r) => r < p));
define(['DateLessThanEquals'], typed(parseDate, 'a date', (p, r) => r <= p));
define(['DateGreaterThan'], typed(parseDate, 'a date', (p, r) => r > p));
define(['DateGreaterThanEquals'], typed(parseDate, 'a date', (p, r) => r >= p));
define(['Bool'], typed(parseBool, 'a boolean', (p, r) => p === r));
// Binary values are base64 text; IAM compares them byte for byte.
define(['BinaryEquals'], (p, r) => p.trim() === r.trim());
define(['IpAddress', 'NotIpAddress'], typed(parseIpRange, 'an IP address or CIDR block', (range, address) => ipInRange(address, range)));
define(['ArnEquals', 'ArnNotEquals'], arnValueMatches);
define(['ArnLike', 'ArnNotLike'], arnValueMatches);

interface Operator {
  name: string;
  set?: 'any' | 'all';
  ifExists: boolean;
  base: string;
}

function parseOperator(name: string): Operator {
  let rest = name;
  let set: Operator['set'];
  const prefix = /^(ForAnyValue|ForAllValues):/i.exec(rest);
  if (prefix) {
    set = prefix[1]?.toLowerCase() === 'foranyvalue' ? 'any' : 'all';
    rest = rest.slice(prefix[0].length);
  }
  const ifExists = /IfExists$/i.test(rest);
  if (ifExists) rest = rest.slice(0, -'IfExists'.length);
  return { name, set, ifExists, base: rest.toLowerCase() };
}

function policyValues(raw: unknown): string[] | undefined {
  const list = Array.isArray(raw) ? raw : [raw];
  if (!list.length) return undefined;
  const out: string[] = [];
  for (const v of list) {
    if (typeof v === 'string') out.push(v);
    else if (typeof v === 'number' || typeof v === 'boolean') out.push(String(v));
    else return undefined;
  }
  return out;
}

/** The operator for one request value against all policy values. */
function valueHolds(op: { test: ValueTest; negated: boolean }, values: readonly string[], requestValue: string, ctx: RequestContext, variables: boolean): Tri {
  const results = values.map((v) => op.test(v, requestValue, ctx, variables));
  // A value whose variable cannot be resolved matches nothing; under a negated operator it makes the
  // whole condition fail rather than hold ("this might cause the entire statement to be invalid").
  if (op.negated && results.some((r) => typeof r === 'object' && 'unresolvable' in r)) return false;
  const matched = any(results.map((r) => (typeof r === 'object' && 'unresolvable' in r ? false : r)));
  return op.negated ? not(matched) : matched;
}

function conditionHolds(opName: string, key: string, raw: unknown, ctx: RequestContext, variables: boolean): Tri {
  const op = parseOperator(opName);
  const values = policyValues(raw);
  if (!values) return problem(`${opName}: the values of ${key} are not strings`);
  const state = ctx.get(key);

  if (op.base === 'null') {
    if (op.set || op.ifExists) return problem(`${opName} is not a valid operator`);
    const wanted = values.map(parseBool);
    if (wanted.some((w) => w === undefined)) return problem(`${opName}: ${key} needs "true" or "false"`);
    if (state.state === 'unknown') return unknownOf([key]);
    const absent = state.state === 'absent';
    return wanted.some((w) => w === absent);
  }

  const base = OPERATORS[op.base];
  if (!base) return problem(`unknown condition operator ${opName}`);
  if (state.state === 'unknown') return unknownOf([key]);

  if (op.set === 'all') {
    if (state.state === 'absent') return true;
    return all(state.values.map((v) => valueHolds(base, values, v, ctx, variables)));
  }
  if (op.set === 'any') {
    if (state.state === 'absent') return op.ifExists;
    return any(state.values.map((v) => valueHolds(base, values, v, ctx, variables)));
  }
  if (state.state === 'absent') return op.ifExists || base.negated;
  if (state.multi) return problem(`${opName} on ${key}, which has several values, needs ForAnyValue or ForAllValues`);
  return valueHolds(base, values, state.values[0] ?? '', ctx, variables);
}

/** Does the Condition block hold for the request? */
export function conditionBlockHolds(condition: unknown, ctx: RequestContext, variables: boolean): Tri {
  if (condition === undefined) return true;
  if (!condition || typeof condition !== 'object' || Array.isArray(condition)) return problem('Condition is not an object');
  const parts: Tri[] = [];
  for (const [opName, keys] of Object.entries(condition as Record<string, unknown>)) {
    if (!keys || typeof keys !== 'object' || Array.isArray(keys)) {
      parts.push(problem(`${opName} does not map keys to values`));
      continue;
    }
    for (const [key, raw] of Object.entries(keys as Record<string, unknown>)) parts.push(conditionHolds(opName, key, raw, ctx, variables));
  }
  return all(parts);
}
