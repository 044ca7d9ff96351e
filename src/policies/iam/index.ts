// IAM identity-policy evaluator: does a principal's identity policies (and permissions boundary) allow an
// action on a resource in a given request context? Pure code: no I/O, no AWS SDK.
export { evaluate } from './evaluate.js';
export type { ContextValue, Decision, Evaluation, IamRequest, NamedPolicy, PolicySet, StatementRef, UncertainStatement } from './types.js';
