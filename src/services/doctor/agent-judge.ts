// Judging a role for SSM Agent: may it register (ssm:UpdateInstanceInformation) and do its work, for
// this instance (or every instance of a region), with these credentials? The IAM evaluator
// (src/policies/iam) decides each of the agent's requests as IAM would - resources, conditions, Deny,
// the permissions boundary; this file says which requests and which actions matter for the agent at hand.
import { atLeast, SSMMESSAGES_ONLY_AGENT } from '../../policies/agent-version.js';
import { agentRequests, judgeAgentPermissions } from '../../policies/agent-request.js';
import { AGENT_CORE_ACTIONS } from '../../policies/managed-policies.js';

const REGISTER = 'ssm:UpdateInstanceInformation';

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

/** What the judge needs of a role: its ARN and tags, its identity policies and its permissions boundary. */
export interface JudgedRole {
  arn: string | null;
  name: string;
  tags: Record<string, string>;
  policies: readonly { name: string; document: string }[];
  boundary: { name: string; document: string } | null;
}

export interface AgentContext {
  partition: string;
  account: string;
  region: string;
  /** i-... for EC2, mi-... for hybrid nodes; null when judging for every instance of a region. */
  instanceId: string | null;
  instanceTags?: Record<string, string>;
  privateIp?: string | null;
  vpcId?: string | null;
  agentVersion: string | null;
  /** The time of the request (aws:CurrentTime, aws:EpochTime); unknown when not given. */
  now?: Date;
}

/**
 * ec2messages is needed only by agents older than 3.3.40.0 (its RELEASENOTES: newer agents use
 * ssmmessages for commands too); an agent whose version is not known yet is not held to it.
 */
export function actionsNeeded(agentVersion: string | null): string[] {
  const old = agentVersion !== null && !atLeast(agentVersion, SSMMESSAGES_ONLY_AGENT);
  return AGENT_CORE_ACTIONS.filter((a) => old || !a.startsWith('ec2messages:'));
}

export function judgeAgentRole(role: JudgedRole, ctx: AgentContext, route: 'instance-profile' | 'dhmc'): AgentJudgement {
  const needed = actionsNeeded(ctx.agentVersion);
  const requests = agentRequests({
    partition: ctx.partition,
    region: ctx.region,
    account: ctx.account,
    // For a whole region the request names instance/* literally: only a statement that covers every
    // instance of the region allows it, and one scoped to some instances does not.
    instanceId: ctx.instanceId ?? '*',
    roleArn: role.arn ?? `arn:${ctx.partition}:iam::${ctx.account}:role/${role.name}`,
    roleTags: role.tags,
    ...(ctx.instanceTags ? { instanceTags: ctx.instanceTags } : {}),
    route,
    privateIp: ctx.privateIp ?? null,
    vpcId: ctx.vpcId ?? null,
    ...(ctx.now ? { now: ctx.now } : {}),
  }).filter((r) => needed.includes(r.action));
  const j = judgeAgentPermissions({ identity: role.policies, boundary: role.boundary ? [role.boundary] : null }, requests);
  const registration = j.evaluations.find((e) => e.action === REGISTER)?.evaluation.decision;
  return {
    registers: j.registers,
    denied: registration === 'denied',
    missing: j.missing.filter((a) => a !== REGISTER),
    uncertain: j.uncertain.map((u) => {
      const where = u.statement.kind === 'boundary' ? `permissions boundary ${u.statement.policy}` : u.statement.policy;
      return { action: u.action, statement: u.statement.sid ? `statement ${u.statement.sid} of ${where}` : `statement #${u.statement.index} of ${where}`, keys: u.keys };
    }),
  };
}
