// Judging a role for SSM Agent: may it register (ssm:UpdateInstanceInformation) and do its work, for
// this instance (or every instance of a region), with these credentials? The IAM evaluator
// (src/policies/iam) decides each of the agent's requests as IAM would - resources, conditions, Deny,
// the permissions boundary; this file says which requests and which actions matter for the agent at hand.
import { atLeast, SSMMESSAGES_ONLY_AGENT } from '../../policies/agent-version.js';
import { agentRequests, judgeAgentPermissions } from '../../policies/agent-request.js';
import { evaluate, type Evaluation, type IamRequest, type NamedPolicy, type StatementRef } from '../../policies/iam/index.js';
import { decodePolicyText, parseDocument } from '../../policies/iam/document.js';
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

/**
 * A role's documents as IAM text (JSON or URL-encoded JSON), decoded once: doctor judges the same role
 * for every instance that uses it, and the evaluator would decode each document again for each of the
 * agent's requests. It takes a decoded document as it takes text (policies/iam/document.ts parseDocument),
 * so the judgement is the same; text that decodes to nothing stays text and reads as unreadable there.
 */
const decodedDocuments = new Map<string, unknown>();
const decodedLists = new WeakMap<readonly NamedPolicy[], NamedPolicy[]>();
function decoded(list: readonly { name: string; document: string }[]): NamedPolicy[] {
  let out = decodedLists.get(list);
  if (!out) {
    out = list.map(({ name, document }) => {
      if (!decodedDocuments.has(document)) decodedDocuments.set(document, decodePolicyText(document) ?? document);
      return { name, document: decodedDocuments.get(document) };
    });
    decodedLists.set(list, out);
  }
  return out;
}

/**
 * Whether the role's documents decide every request of the agent by its action alone: no statement
 * has a Condition, a NotResource or a Resource other than "*", and every document and statement reads
 * cleanly. Then the instance's id, tags, address, VPC and the time - what differs from one instance's
 * requests to another's - cannot change a decision (only conditions, policy variables and resource
 * patterns read them: IAM policy evaluation logic,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html), and one
 * judgement serves every instance with the same route, region and agent actions. AWS's own
 * AmazonSSMManagedInstanceCore and AmazonSSMManagedEC2InstanceDefaultPolicy are of this kind.
 */
function decidedByAction(role: JudgedRole): boolean {
  const documents = [...decoded(role.policies), ...(role.boundary ? decoded([role.boundary]) : [])].map((p) => parseDocument(p.document));
  return documents.every(
    (d) =>
      !d.problem && d.statements.every((s) => !s.problems.length && s.condition === undefined && !s.notResource && (s.resource ?? []).every((r) => r === '*')),
  );
}

/** Judgements of roles decided by action alone, per route, region and set of actions (see decidedByAction). */
const judgements = new WeakMap<JudgedRole, { byAction: boolean; memo: Map<string, AgentJudgement> }>();

export function judgeAgentRole(role: JudgedRole, ctx: AgentContext, route: 'instance-profile' | 'dhmc'): AgentJudgement {
  const needed = actionsNeeded(ctx.agentVersion);
  let known = judgements.get(role);
  if (!known) judgements.set(role, (known = { byAction: decidedByAction(role), memo: new Map() }));
  if (!known.byAction) return judgeFor(role, ctx, route, needed);
  const key = [route, ctx.partition, ctx.account, ctx.region, ...needed].join(' ');
  let j = known.memo.get(key);
  if (!j) known.memo.set(key, (j = judgeFor(role, ctx, route, needed)));
  // A copy: the memo's lists are never handed out to be changed.
  return { ...j, missing: [...j.missing], uncertain: [...j.uncertain], causes: { ...j.causes } };
}

function judgeFor(role: JudgedRole, ctx: AgentContext, route: 'instance-profile' | 'dhmc', needed: readonly string[]): AgentJudgement {
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
  const policies = { identity: decoded(role.policies), boundary: role.boundary ? decoded([role.boundary]) : null };
  const j = judgeAgentPermissions(policies, requests);
  const registration = j.evaluations.find((e) => e.action === REGISTER)?.evaluation;
  const causes: Record<string, Cause | null> = {};
  for (const { action, evaluation } of j.evaluations) {
    if (evaluation.decision !== 'denied' && evaluation.decision !== 'not-allowed') continue;
    causes[action] = causeOf(
      role,
      policies,
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

function causeOf(
  role: JudgedRole,
  policies: { identity: NamedPolicy[]; boundary: NamedPolicy[] | null },
  request: IamRequest,
  evaluation: Evaluation,
): Cause | null {
  if (evaluation.decision === 'denied') {
    const deny = evaluation.reasons[0];
    return deny ? { kind: 'deny', statement: describe(deny), policy: deny.policy } : null;
  }
  if (!role.boundary) return null;
  // The boundary caps the role: it is the cause when the role's own policies would allow the call,
  // and half of it when neither allows it (adding to the role alone would not be enough).
  if (evaluate({ identity: policies.identity }, request).decision === 'allowed') return { kind: 'boundary', policy: role.boundary.name };
  if (evaluate({ identity: policies.boundary ?? [] }, request).decision !== 'allowed') return { kind: 'role-and-boundary', policy: role.boundary.name };
  return null;
}

/** "statement Sid of POLICY" (or "statement #n of ..."), naming the boundary as such. */
function describe(ref: StatementRef): string {
  const where = ref.kind === 'boundary' ? `permissions boundary ${ref.policy}` : ref.policy;
  return ref.sid ? `statement ${ref.sid} of ${where}` : `statement #${ref.index} of ${where}`;
}
