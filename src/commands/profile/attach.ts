import { applyAttach, attachPlanResult, planAttach, replacements, type AttachResult } from '../../services/profile/attach.js';
import { ConsentError, UsageError } from '../../services/errors.js';
import { failuresExitCode } from '../../output/changes.js';
import { renderAttach } from '../../output/attach.js';
import { resolveScope } from '../scope.js';
import type { CommandDef } from '../types.js';
import { validateInstanceId, validateInstanceProfileName, validateWholeNumber } from '../validate.js';
import { readTags } from './policy-set.js';

function exitCode(r: AttachResult): number {
  return failuresExitCode([...r.instances.filter((i) => i.status === 'failed').map((i) => i.error?.code), ...r.regions.filter((x) => !x.ok).map((x) => x.error?.code)]);
}

export const profileAttachCommand: CommandDef = {
  path: ['profile', 'attach'],
  summary: 'Attach an instance profile to instances chosen by id and/or tag (replacing another only with --replace)',
  options: [
    { flags: '--name <profile>', description: 'the instance profile to attach (required)', kind: 'string' },
    { flags: '--instance-id <id>', description: 'an instance (repeatable, or comma-separated)', kind: 'repeatable' },
    { flags: '--tag <key=value>', description: 'instances with this tag (repeatable: all must match)', kind: 'repeatable' },
    { flags: '--replace', description: 'replace another instance profile (asks for consent, or --yes)', kind: 'boolean' },
    { flags: '--wait', description: 'wait until each association is `associated` (up to --wait-timeout)', kind: 'boolean' },
    { flags: '--concurrency <n>', description: 'instances changed at once (default 8)', kind: 'string' },
  ],
  examples: [
    'ssm-perms profile attach --name SSMInstanceProfile --instance-id i-0123456789abcdef0',
    'ssm-perms profile attach --name SSMInstanceProfile --tag Env=prod --region us-east-1,us-east-2 --dry-run',
    'ssm-perms profile attach --name SSMInstanceProfile --tag Env=prod --replace --yes --wait',
    "ssm-perms profile attach --name SSMInstanceProfile --tag Env=prod --json | jq -r '.instances[] | select(.status == \"failed\") | \"\\(.instanceId) \\(.error.message)\"'",
  ],
  permissions: [
    'sts:GetCallerIdentity',
    'iam:GetInstanceProfile, iam:GetRole, iam:ListAttachedRolePolicies (and iam:GetPolicy, iam:GetPolicyVersion, iam:ListRolePolicies, iam:GetRolePolicy to check a custom role)',
    'ec2:DescribeInstances, ec2:DescribeIamInstanceProfileAssociations',
    'ec2:AssociateIamInstanceProfile, iam:PassRole (on the profile\'s role)',
    'ec2:ReplaceIamInstanceProfileAssociation, ec2:DisassociateIamInstanceProfile (with --replace)',
  ],
  async run(opts, ctx) {
    if (opts.name === undefined) throw new UsageError('MissingOption', 'profile attach needs --name PROFILE', 'Create one first with: ssm-perms profile create');
    const profileName = validateInstanceProfileName(String(opts.name));
    const instanceIds = [...new Set(((opts.instanceId as string[] | undefined) ?? []).flatMap((x) => x.split(',')).map((x) => validateInstanceId(x.trim())))];
    const tags = readTags(opts);
    if (instanceIds.length === 0 && tags.length === 0) {
      throw new UsageError('MissingOption', 'profile attach needs --instance-id ID and/or --tag KEY=VALUE to choose instances', 'It never targets every instance implicitly.');
    }
    const concurrency = validateWholeNumber(opts.concurrency === undefined ? '8' : String(opts.concurrency), '--concurrency', 1, 64);
    const scope = await resolveScope(ctx);
    const plan = await planAttach(ctx.services, {
      partition: scope.partition,
      account: scope.account,
      regions: scope.regions,
      iamRegion: scope.home,
      profileName,
      instanceIds,
      tags,
      replace: opts.replace === true,
      concurrency,
      wait: opts.wait === true,
    });
    if (ctx.flags.dryRun) {
      const r = attachPlanResult(plan);
      return { data: r, text: (s) => renderAttach(r, s), exitCode: 0, warnings: plan.warnings };
    }
    const swaps = replacements(plan);
    if (swaps.length > 0 && !ctx.flags.yes) {
      const list = swaps.slice(0, 10).map((t) => `${t.instanceId} (${t.previousInstanceProfileArn})`).join(', ') + (swaps.length > 10 ? `, and ${swaps.length - 10} more` : '');
      if (!(await ctx.confirm(`Replace the instance profile of ${swaps.length} instance(s): ${list}?`))) {
        throw new ConsentError('ConsentRequired', `not replacing the instance profile of ${swaps.length} instance(s) without consent; nothing was changed`, ctx.canPrompt ? 'Answer y to replace them.' : 'Pass --yes with --replace to replace them.');
      }
    }
    const r = await applyAttach(ctx.services, plan);
    const changed = r.summary.attached + r.summary.replaced;
    return {
      data: r,
      text: (s) => renderAttach(r, s),
      exitCode: exitCode(r),
      warnings: plan.warnings,
      notes: changed > 0 ? ['SSM Agent picks the new credentials up within minutes; restarting the agent (or the instance) makes it sooner.'] : [],
    };
  },
};
