// Judging a role for SSM Agent: may it register (ssm:UpdateInstanceInformation) and do its work, for
// this instance, in this region? The IAM evaluator decides each of the agent's requests; this file
// only builds the requests and says which actions matter for the agent at hand.
import { AGENT_CORE_ACTIONS } from '../../policies/managed-policies.js';
import { atLeast, SSMMESSAGES_ONLY_AGENT } from '../../policies/agent-version.js';
import { decide } from '../../policies/evaluate.js';
import type { RoleFacts } from './facts.js';

export interface AgentJudgement {
  /** ssm:UpdateInstanceInformation: yes, no, or maybe (a statement hangs on a key AWS does not show). */
  registers: 'yes' | 'no' | 'maybe';
  /** An explicit Deny refuses the registration call. */
  denied: boolean;
  /** The agent's other actions the role does not allow (only those this agent needs). */
  missing: string[];
  /** Statements that possibly apply, with the keys that could not be known. */
  uncertain: { action: string; statement: string; keys: string[] }[];
}

export interface AgentContext {
  partition: string;
  account: string;
  region: string;
  /** i-... for EC2, mi-... for hybrid nodes; null when judging for a whole region. */
  instanceId: string | null;
  instanceTags?: Record<string, string>;
  privateIp?: string | null;
  vpcId?: string | null;
  agentVersion: string | null;
}

/**
 * ec2messages is needed only by agents older than 3.3.40.0 (its RELEASENOTES: newer agents use
 * ssmmessages for commands too); an agent whose version is not known yet is not held to it.
 */
export function actionsNeeded(agentVersion: string | null): string[] {
  const old = agentVersion !== null && !atLeast(agentVersion, SSMMESSAGES_ONLY_AGENT);
  return AGENT_CORE_ACTIONS.filter((a) => old || !a.startsWith('ec2messages:'));
}

export function judgeAgentRole(role: RoleFacts, ctx: AgentContext, route: 'instance-profile' | 'dhmc'): AgentJudgement {
  void route;
  const docs = role.policies.map((p) => p.document);
  const decision = decide(docs, 'ssm:UpdateInstanceInformation');
  const missing = actionsNeeded(ctx.agentVersion).filter((a) => a !== 'ssm:UpdateInstanceInformation' && decide(docs, a) !== 'allowed');
  return { registers: decision === 'allowed' ? 'yes' : 'no', denied: decision === 'denied', missing, uncertain: [] };
}
