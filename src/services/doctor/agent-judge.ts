// Judging a role for SSM Agent: may it register (ssm:UpdateInstanceInformation) and do its work, for
// this instance (or every instance of a region), with these credentials? The IAM evaluator
// (src/policies/iam) decides each of the agent's requests as IAM would - resources, conditions, Deny,
// the permissions boundary; this file says which requests and which actions matter for the agent at hand.
import { atLeast, SSMMESSAGES_ONLY_AGENT } from '../../policies/agent-version.js';
import { agentRequests, judgeAgentPermissions } from '../../policies/agent-request.js';
import { evaluate, type Evaluation, type IamRequest, type StatementRef } from '../../policies/iam/index.js';
import { AGENT_CORE_ACTIONS } from '../../policies/managed-policies.js';
import { roleArn } from '../../policies/arn.js';

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
  /** Why registration is refused, when an added Allow alone would not help (see Cause). */
  blockedBy: Cause | null;
  /** The same for each other action in `missing`. */
  causes: Record<string, Cause | null>;
}

/**
 * What stands in the way of an action beyond a missing Allow: an explicit Deny (its statement); the
 * permissions boundary, which refuses what the role's own policies allow; or both the role and its
 * boundary lacking it (`role-and-boundary`), so adding to the role alone would not be enough.
 */
export type Cause = { kind: 'deny'; statement: string; policy: string } | { kind: 'boundary'; policy: string } | { kind: 'role-and-boundary'; policy: string };

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
    roleArn: role.arn ?? roleArn(ctx.partition, ctx.account, '/', role.name),
    roleTags: role.tags,
    ...(ctx.instanceTags ? { instanceTags: ctx.instanceTags } : {}),
    route,
    privateIp: ctx.privateIp ?? null,
    vpcId: ctx.vpcId ?? null,
    ...(ctx.now ? { now: ctx.now } : {}),
  }).filter((r) => needed.includes(r.action));
  const j = judgeAgentPermissions({ identity: role.policies, boundary: role.boundary ? [role.boundary] : null }, requests);
  const registration = j.evaluations.find((e) => e.action === REGISTER)?.evaluation;
  const causes: Record<string, Cause | null> = {};
  for (const { action, evaluation } of j.evaluations) {
    if (evaluation.decision !== 'denied' && evaluation.decision !== 'not-allowed') continue;
    causes[action] = causeOf(
      role,
      requests.find((r) => r.action === action)!,
      evaluation,
    );
  }
  return {
    registers: j.registers,
    denied: registration?.decision === 'denied',
    missing: j.missing.filter((a) => a !== REGISTER),
    uncertain: j.uncertain.map((u) => ({ action: u.action, statement: describe(u.statement), keys: u.keys })),
    blockedBy: causes[REGISTER] ?? null,
    causes,
  };
}

function causeOf(role: JudgedRole, request: IamRequest, evaluation: Evaluation): Cause | null {
  if (evaluation.decision === 'denied') {
    const deny = evaluation.reasons[0];
    return deny ? { kind: 'deny', statement: describe(deny), policy: deny.policy } : null;
  }
  if (!role.boundary) return null;
  // The boundary caps the role: it is the cause when the role's own policies would allow the call,
  // and half of it when neither allows it (adding to the role alone would not be enough).
  if (evaluate({ identity: role.policies }, request).decision === 'allowed') return { kind: 'boundary', policy: role.boundary.name };
  if (evaluate({ identity: [role.boundary] }, request).decision !== 'allowed') return { kind: 'role-and-boundary', policy: role.boundary.name };
  return null;
}

/** "statement Sid of POLICY" (or "statement #n of ..."), naming the boundary as such. */
function describe(ref: StatementRef): string {
  const where = ref.kind === 'boundary' ? `permissions boundary ${ref.policy}` : ref.policy;
  return ref.sid ? `statement ${ref.sid} of ${where}` : `statement #${ref.index} of ${where}`;
}
