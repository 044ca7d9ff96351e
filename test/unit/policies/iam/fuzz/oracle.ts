// The independent engine, @cloud-copilot/iam-simulate (AGPL-3.0: a dev dependency only, never imported
// from src/). It answers Allowed, ImplicitlyDenied or ExplicitlyDenied for a fully known request context.
import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { Decision } from '../../../../../src/policies/iam/index.js';
import { ACCOUNT, PRINCIPAL, type FuzzCase } from './generator.js';

export async function oracleDecision(c: FuzzCase): Promise<Decision | { error: string }> {
  const contextVariables: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(c.request.known)) contextVariables[k] = Array.isArray(v) ? v.map(String) : String(v);
  const result = await runSimulation(
    {
      request: {
        principal: PRINCIPAL,
        action: c.request.action,
        // Same-account request: identity policies alone decide, no resource policy is involved.
        resource: { resource: c.request.resource, accountId: ACCOUNT },
        contextVariables,
      },
      identityPolicies: c.identity.map((p) => ({ name: p.name, policy: p.document })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(c.boundary ? { permissionBoundaryPolicies: c.boundary.map((p) => ({ name: p.name, policy: p.document })) } : {}),
    },
    {},
  );
  if (result.resultType === 'error') return { error: JSON.stringify(result.errors) };
  const ignored = result.resultType === 'single' ? (result.result.ignoredContextKeys ?? []) : [];
  if (ignored.length) return { error: `the oracle ignored context keys ${ignored.join(', ')}` };
  return { Allowed: 'allowed', ExplicitlyDenied: 'denied', ImplicitlyDenied: 'not-allowed' }[result.overallResult] as Decision;
}
