// Trust (assume-role) policy documents, and the check that an existing role trusts a service.
import { decodePolicyText } from './iam/document.js';

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: unknown;
  NotPrincipal?: unknown;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export const SSM_SERVICE_PRINCIPAL = 'ssm.amazonaws.com';
export const EC2_SERVICE_PRINCIPAL = 'ec2.amazonaws.com';

/** The trust policy of the guide: `service` may call sts:AssumeRole. */
export function serviceTrustPolicy(service: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
  };
}

function asList(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

/**
 * IAM returns trust policies URL-encoded (GetRole's AssumeRolePolicyDocument); other paths give JSON.
 * Returns undefined when the text is not a JSON policy.
 */
export function parsePolicyDocument(text: string | undefined): { Statement?: unknown } | undefined {
  if (!text) return undefined;
  const doc = decodePolicyText(text);
  return doc && typeof doc === 'object' ? (doc as { Statement?: unknown }) : undefined;
}

function statements(doc: { Statement?: unknown } | undefined): PolicyStatement[] {
  if (!doc) return [];
  const s = doc.Statement;
  if (Array.isArray(s)) return s as PolicyStatement[];
  return s && typeof s === 'object' ? [s as PolicyStatement] : [];
}

export interface TrustCheck {
  trusted: boolean;
  /** Conditions on the allowing statement (they may narrow who can assume the role). */
  conditional: boolean;
}

/**
 * Does the trust policy let `service` assume the role? An Allow statement naming the service principal
 * with sts:AssumeRole (or sts:* / *) counts, unless a Deny statement names the same principal.
 */
export function checkServiceTrust(documentText: string | undefined, service: string): TrustCheck {
  const stmts = statements(parsePolicyDocument(documentText));
  const names = (p: unknown): string[] => {
    if (p === '*') return ['*'];
    if (p && typeof p === 'object') return asList((p as { Service?: unknown }).Service);
    return [];
  };
  const coversAssume = (s: PolicyStatement) => asList(s.Action).some((a) => ['sts:assumerole', 'sts:*', '*'].includes(a.toLowerCase()));
  const namesService = (s: PolicyStatement) => names(s.Principal).some((n) => n === service || n === '*');

  const denied = stmts.some((s) => s.Effect === 'Deny' && namesService(s) && coversAssume(s) && !s.Condition);
  const allowing = stmts.filter((s) => s.Effect === 'Allow' && namesService(s) && coversAssume(s));
  return {
    trusted: !denied && allowing.length > 0,
    conditional: allowing.length > 0 && allowing.every((s) => s.Condition !== undefined),
  };
}
