// The shapes the IAM evaluator reads and returns. Pure data: no I/O, no AWS SDK.

/** A value in the request context. Arrays are multivalued keys (aws:TagKeys, aws:CalledVia...). */
export type ContextValue = string | number | boolean | readonly (string | number | boolean)[];

/** A policy document as IAM holds it: an object, JSON text, or URL-encoded JSON text. */
export interface NamedPolicy {
  name: string;
  document: unknown;
}

/**
 * One request as IAM would authorize it. Keys in `known` have values; keys in `absent` are known to be
 * missing from the request context (an entry ending in `*` names every key with that prefix, e.g.
 * `aws:RequestTag/*`); every other key is unknown. Key names are case-insensitive, as in IAM.
 */
export interface IamRequest {
  action: string;
  /** The resource ARN, or `*` for actions that have no resource type. */
  resource: string;
  known: Readonly<Record<string, ContextValue>>;
  absent?: readonly string[];
}

export interface PolicySet {
  identity: readonly NamedPolicy[];
  /** The permissions boundary; null, undefined or an empty list mean the principal has none. */
  boundary?: readonly NamedPolicy[] | null;
}

export type Decision = 'allowed' | 'denied' | 'not-allowed' | 'uncertain';

export interface StatementRef {
  /** 'identity' for the principal's policies, 'boundary' for its permissions boundary. */
  kind: 'identity' | 'boundary';
  policy: string;
  /** 1-based position of the statement in its policy (0 when the document could not be read at all). */
  index: number;
  sid?: string;
  /** The Sid when there is one, otherwise "policy <name> statement #n". */
  label: string;
}

export interface UncertainStatement {
  statement: StatementRef;
  /** Context keys whose value or presence is unknown and that the statement depends on. */
  keys: string[];
  /** Why the statement could not be decided apart from unknown keys (malformed parts). */
  problems?: string[];
}

export interface Evaluation {
  decision: Decision;
  /** The statements that decided it. */
  reasons: StatementRef[];
  /** Statements that possibly apply because of unknown keys or malformed parts. */
  uncertain: UncertainStatement[];
}
