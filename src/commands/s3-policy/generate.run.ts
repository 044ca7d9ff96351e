import { regionsWithoutPatchBuckets, s3Policy, S3_POLICY_FEATURE } from '../../policies/s3-policy.js';
import { applyStorePolicy, planStorePolicy, storePlanResult } from '../../services/profile/store-policy.js';
import { callerIdentity } from '../../services/account.js';
import { ExitCode, UsageError } from '../../services/errors.js';
import { renderMutation } from '../../output/changes.js';
import { mutationExitCode } from '../../services/exit-codes.js';
import { checkPolicySize } from '../shared/policy-set.js';
import { validateBucketName, validatePolicyName, validateRoleName } from '../shared/validate.js';
import type { Context, Outcome } from '../types.js';

export async function run(opts: Record<string, unknown>, ctx: Context): Promise<Outcome> {
  const buckets = [...new Set(((opts.bucket as string[] | undefined) ?? []).flatMap((b) => b.split(',')).map((b) => validateBucketName(b)))];
  const vpcEndpoint = opts.vpcEndpoint === true;
  if (!vpcEndpoint && buckets.length === 0) {
    throw new UsageError(
      'MissingOption',
      's3-policy generate needs --vpc-endpoint (with --region) and/or --bucket NAME',
      'Statement 1 (--vpc-endpoint) is for instances that reach S3 through a VPC endpoint; statement 2 (--bucket) for buckets of yours that Systems Manager writes to.',
    );
  }
  if (buckets.length === 0 && (opts.crossAccount || opts.encrypted)) {
    throw new UsageError('ConflictingOptions', '--cross-account and --encrypted describe your buckets: add --bucket NAME', null);
  }
  const create = opts.create === undefined ? undefined : validatePolicyName(String(opts.create), '--create');
  const attachTo = opts.attachTo === undefined ? undefined : validateRoleName(String(opts.attachTo), '--attach-to');
  if (attachTo && !create) throw new UsageError('MissingOption', '--attach-to needs --create NAME (the policy must be stored before it can be attached)', null);

  const regions = vpcEndpoint ? await ctx.regions({ feature: S3_POLICY_FEATURE }) : await ctx.givenRegions({ feature: S3_POLICY_FEATURE });
  const partition = regions?.partition ?? 'aws';
  const endpointRegions = vpcEndpoint ? regions!.regions : [];
  const patchManager = opts.patchManager !== false;
  const macos = opts.macos === true;
  if (!vpcEndpoint && (macos || !patchManager))
    throw new UsageError('ConflictingOptions', '--macos and --no-patch-manager choose AWS-managed buckets: add --vpc-endpoint', null);
  const document = s3Policy({
    partition,
    vpcEndpointRegions: endpointRegions,
    buckets,
    crossAccount: opts.crossAccount === true,
    encrypted: opts.encrypted === true,
    patchManager,
    macos,
  });
  checkPolicySize(document);
  const undocumented = patchManager || macos ? regionsWithoutPatchBuckets(endpointRegions) : [];
  const warnings = undocumented.length
    ? [
        `AWS lists no Patch Manager bucket for ${undocumented.join(', ')}: the policy has none for ${undocumented.length === 1 ? 'it' : 'them'} (see "Reference: Amazon S3 buckets for patching operations")`,
      ]
    : [];
  if (!create) return { data: document, text: () => JSON.stringify(document, null, 2) + '\n', exitCode: ExitCode.Ok, warnings };

  const home = regions?.home ?? (await ctx.regions()).home;
  const account = (await callerIdentity(ctx.services, home)).account;
  const plan = await planStorePolicy(ctx.services, { iamRegion: home, partition, account, name: create, document, attachTo });
  if (ctx.flags.dryRun) {
    const r = { ...storePlanResult(plan), policy: document };
    return { data: r, text: (s) => renderMutation(r, s), exitCode: ExitCode.Ok, warnings };
  }
  if (plan.replaces.length) {
    await ctx.requireConsent({
      question: `This replaces ${plan.replaces.join('; ')}. Continue?`,
      refused: `not replacing ${plan.replaces.join('; ')}`,
      answer: 'replace it',
    });
  }
  const r = { ...(await applyStorePolicy(ctx.services, plan)), policy: document };
  return { data: r, text: (s) => renderMutation(r, s), exitCode: mutationExitCode(r), warnings };
}
