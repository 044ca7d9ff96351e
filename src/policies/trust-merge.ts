// The trust policy that lets one more service assume a role while keeping everything the role already
// trusts. iam:UpdateAssumeRolePolicy replaces the whole document ("Updates the policy that grants an IAM
// entity permission to assume a role": the PolicyDocument given becomes the role's trust policy,
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateAssumeRolePolicy.html), so a fix that
// sends only the missing service's statement would take the role away from every other principal it
// trusts (ec2.amazonaws.com for an instance profile's role: every instance using it loses credentials).
import { decodePolicyText } from './iam/document.js';
import type { PolicyDocument, PolicyStatement } from './trust.js';

/** The statements of a trust document as IAM returns it (URL-encoded or plain JSON); [] when unreadable. */
export function trustStatements(documentText: string | undefined): PolicyStatement[] {
  const doc = documentText ? decodePolicyText(documentText) : undefined;
  if (!doc) return [];
  // A document that is not an object (a string, a number) has no Statement: the checks below give [].
  const s = (doc as { Statement?: unknown }).Statement;
  // "Statement" may be one object or an array of them (reference_policies_grammar.html: <statement_block>).
  if (Array.isArray(s)) return s.filter((x): x is PolicyStatement => !!x && typeof x === 'object');
  return s && typeof s === 'object' ? [s as PolicyStatement] : [];
}

/** The role's current trust statements, then `added` (the new permission comes last). */
export function trustWithStatement(documentText: string | undefined, added: PolicyStatement): PolicyDocument {
  return { Version: '2012-10-17', Statement: [...trustStatements(documentText), added] };
}

/** The role's current trust plus an Allow of sts:AssumeRole to `service`. */
export function trustAddingService(documentText: string | undefined, service: string): PolicyDocument {
  return trustWithStatement(documentText, { Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' });
}

/** A POSIX shell single-quoted word: a ' inside closes the quote, adds \' and reopens it. */
export function singleQuoted(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The pasteable command that applies `document` as the role's trust policy (compact JSON, one argument). */
export function updateTrustCommand(roleName: string, document: PolicyDocument): string {
  return `aws iam update-assume-role-policy --role-name ${roleName} --policy-document ${singleQuoted(JSON.stringify(document))}`;
}
