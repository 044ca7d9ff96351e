// Reading policy documents as IAM hands them over: objects, JSON text, or URL-encoded JSON text
// (GetPolicyVersion and GetRolePolicy return the document URL-encoded, RFC 3986).
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_PolicyVersion.html
// A statement may be a single object or an array; Action, Resource and their Not forms a string or an
// array of strings (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html).

export interface Statement {
  sid?: string;
  effect: 'Allow' | 'Deny' | undefined;
  action?: string[];
  notAction?: string[];
  resource?: string[];
  notResource?: string[];
  condition?: unknown;
  /** What is wrong with the statement, if anything (it then possibly applies, whatever its effect). */
  problems: string[];
}

export interface ParsedDocument {
  /** Policy variables are substituted only under Version 2012-10-17. */
  variables: boolean;
  statements: Statement[];
  /** Set when the document itself could not be read. */
  problem?: string;
}

/** Policy text as IAM hands it out - JSON, or URL-encoded JSON (GetRole, GetPolicyVersion) - parsed; undefined when neither. */
export function decodePolicyText(text: string): unknown {
  for (const candidate of [text, safeDecode(text)]) {
    if (candidate === undefined) continue;
    try {
      return JSON.parse(candidate) as unknown;
    } catch {
      // try the next form
    }
  }
  return undefined;
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

function stringList(value: unknown, element: string, problems: string[]): string[] | undefined {
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? value : [value];
  if (!list.length || !list.every((v) => typeof v === 'string')) {
    problems.push(`${element} is not a string or a list of strings`);
    return list.filter((v): v is string => typeof v === 'string');
  }
  return list as string[];
}

function readStatement(raw: unknown): Statement {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { effect: undefined, problems: ['the statement is not an object'] };
  const s = raw as Record<string, unknown>;
  const problems: string[] = [];
  const effect = s.Effect === 'Allow' || s.Effect === 'Deny' ? s.Effect : undefined;
  if (!effect) problems.push('Effect is neither "Allow" nor "Deny"');
  const out: Statement = {
    sid: typeof s.Sid === 'string' && s.Sid ? s.Sid : undefined,
    effect,
    action: stringList(s.Action, 'Action', problems),
    notAction: stringList(s.NotAction, 'NotAction', problems),
    resource: stringList(s.Resource, 'Resource', problems),
    notResource: stringList(s.NotResource, 'NotResource', problems),
    condition: s.Condition,
    problems,
  };
  if (out.action === undefined && out.notAction === undefined) problems.push('the statement has neither Action nor NotAction');
  if (out.action !== undefined && out.notAction !== undefined) problems.push('the statement has both Action and NotAction');
  if (out.resource === undefined && out.notResource === undefined) problems.push('the statement has neither Resource nor NotResource');
  if (out.resource !== undefined && out.notResource !== undefined) problems.push('the statement has both Resource and NotResource');
  // Principal belongs to resource-based policies; in an identity policy IAM refuses it.
  if (s.Principal !== undefined || s.NotPrincipal !== undefined) problems.push('an identity policy statement cannot name a Principal');
  return out;
}

export function parseDocument(document: unknown): ParsedDocument {
  const doc = typeof document === 'string' ? decodePolicyText(document) : document;
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return { variables: false, statements: [], problem: 'the document is not a JSON policy' };
  const d = doc as Record<string, unknown>;
  const raw = d.Statement;
  if (raw === undefined) return { variables: false, statements: [], problem: 'the document has no Statement' };
  const list = Array.isArray(raw) ? raw : [raw];
  return { variables: d.Version === '2012-10-17', statements: list.map(readStatement) };
}
