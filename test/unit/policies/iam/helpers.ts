// Small builders for the evaluator's unit tests.
import { evaluate, type ContextValue, type Evaluation, type NamedPolicy } from '../../../../src/policies/iam/index.js';

export const ACCOUNT = '111122223333';
export const INSTANCE = `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/i-0123456789abcdef0`;

export const doc = (...Statement: unknown[]) => ({ Version: '2012-10-17', Statement });
export const named = (name: string, document: unknown): NamedPolicy => ({ name, document });

/** Evaluates an Allow of ssm:UpdateInstanceInformation on the instance under `condition`. */
export function underCondition(condition: unknown, known: Record<string, ContextValue> = {}, absent: string[] = ['*']): Evaluation['decision'] {
  const policy = doc({ Effect: 'Allow', Action: 'ssm:UpdateInstanceInformation', Resource: '*', Condition: condition });
  return evaluate({ identity: [named('p', policy)] }, { action: 'ssm:UpdateInstanceInformation', resource: INSTANCE, known, absent }).decision;
}

/** Evaluates an Allow of every action on `resource` entries, against a request for `requestResource`. */
export function onResource(
  resource: unknown,
  requestResource: string,
  known: Record<string, ContextValue> = {},
  absent: string[] = ['*'],
  element = 'Resource',
  version = '2012-10-17',
): Evaluation['decision'] {
  const policy = { Version: version, Statement: [{ Effect: 'Allow', Action: '*', [element]: resource }] };
  return evaluate({ identity: [named('p', policy)] }, { action: 'ssm:GetParameter', resource: requestResource, known, absent }).decision;
}
