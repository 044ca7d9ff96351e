// ARN matching for the Resource / NotResource elements and for the Arn* condition operators.
//
// Resource: "You can use wildcard characters (* and ?) within the individual segments of an ARN (the
// parts separated by colons) ... If the * wildcard is the last character of a resource ARN segment, it
// can expand to match beyond the colon boundaries."
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
// So within partition, service, region and account a wildcard stays inside its segment, except a `*`
// that ends the segment (which is also how a short `arn:aws:ssm:*` covers every ssm ARN). The resource
// part (everything after the fifth colon) is one segment whose wildcards match anything, `/` and `:`
// included ("The asterisk (*) character can expand to replace everything within a segment, including
// characters like a forward slash (/)", same page). Matching is case-sensitive.
//
// Arn* operators: "Each of the six colon-delimited components of the ARN is checked separately and
// each can include multi-character match wildcards (*) or single-character match wildcards (?)."
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
import type { RequestContext } from './context.js';
import { problem, unknownOf, type Tri, type Unknown } from './tri.js';
import { resolveTemplate, type Piece } from './variables.js';
import { piecesSource } from './wildcard.js';

/** Splits at the first `max` colons that are not inside a `${...}` variable. */
export function splitArn(text: string, max = 5, variables = true): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length && parts.length < max; i++) {
    if (variables && text[i] === '$' && text[i + 1] === '{') {
      const end = text.indexOf('}', i + 2);
      if (end !== -1) {
        i = end;
        continue;
      }
    }
    if (text[i] === ':') {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

export type EntryMatch = Tri | { unresolvable: string };

function resolveSegments(
  segments: readonly string[],
  ctx: RequestContext,
  variables: boolean,
  unresolvedAsWildcard = false,
): Piece[][] | Unknown | { unresolvable: string } {
  const out: Piece[][] = [];
  const unknowns: Unknown[] = [];
  for (const s of segments) {
    const r = resolveTemplate(s, ctx, variables, unresolvedAsWildcard);
    if ('unknown' in r) unknowns.push(r);
    else if (!r.ok) return { unresolvable: r.unresolvable };
    else out.push(r.pieces);
  }
  if (unknowns.length) return unknownOf(unknowns.flatMap((u) => u.keys));
  return out;
}

/**
 * Does one Resource / NotResource entry match the request's resource? An entry whose variable cannot be
 * resolved is `unresolvable` only when it could otherwise match; when the rest of the ARN already rules
 * the request out (another service, region, type...), the variable never comes into play.
 */
export function resourceEntryMatches(entry: string, requestResource: string, ctx: RequestContext, variables: boolean): EntryMatch {
  if (entry === '*') return true;
  if (!entry.startsWith('arn:')) return problem(`resource "${entry}" is neither "*" nor an ARN`);
  // A request for an action with no resource type carries "*", which only a "*" entry covers.
  if (!requestResource.startsWith('arn:')) return false;
  const segments = splitArn(entry, 5, variables);
  const resolved = resolveSegments(segments, ctx, variables);
  if ('unresolvable' in resolved) {
    const loose = resolveSegments(segments, ctx, variables, true);
    if (!Array.isArray(loose)) return loose;
    return segmentsMatch(loose, requestResource) ? resolved : false;
  }
  if (!Array.isArray(resolved)) return resolved;
  return segmentsMatch(resolved, requestResource);
}

function segmentsMatch(segments: readonly Piece[][], requestResource: string): boolean {
  const last = segments[segments.length - 1] ?? [];
  const endsWithStar = last.at(-1)?.kind === 'wild' && (last.at(-1) as { char: string }).char === '*';
  if (segments.length < 6 && !endsWithStar) return false; // too short to name a full ARN
  const source = segments
    .map((pieces, i) => {
      if (i >= 5) return piecesSource(pieces);
      const tail = pieces.at(-1);
      if (tail?.kind === 'wild' && tail.char === '*') {
        return piecesSource(pieces.slice(0, -1), { star: '[^:]*', question: '[^:]' }) + '[\\s\\S]*';
      }
      return piecesSource(pieces, { star: '[^:]*', question: '[^:]' });
    })
    .join(':');
  return new RegExp(`^${source}$`).test(requestResource);
}

/** ArnLike / ArnEquals of one policy value against one request value, component by component. */
export function arnValueMatches(policyValue: string, requestValue: string, ctx: RequestContext, variables: boolean): EntryMatch {
  const policyParts = splitArn(policyValue, 5, variables);
  if (policyParts.length < 6 || policyParts[0] !== 'arn') return problem(`"${policyValue}" is not an ARN`);
  const requestParts = splitArn(requestValue, 5, false);
  if (requestParts.length < 6) return problem(`request value "${requestValue}" is not an ARN`);
  const componentsMatch = (parts: readonly Piece[][]) => parts.every((pieces, i) => new RegExp(`^${piecesSource(pieces)}$`).test(requestParts[i] ?? ''));
  const resolved = resolveSegments(policyParts, ctx, variables);
  if ('unresolvable' in resolved) {
    // As for Resource: an unresolvable variable matters only if the value could otherwise match.
    const loose = resolveSegments(policyParts, ctx, variables, true);
    if (!Array.isArray(loose)) return loose;
    return componentsMatch(loose) ? resolved : false;
  }
  if (!Array.isArray(resolved)) return resolved;
  return componentsMatch(resolved);
}
