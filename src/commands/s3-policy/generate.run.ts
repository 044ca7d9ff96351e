import { regionsWithoutPatchBuckets, s3Policy, S3_POLICY_FEATURE } from '../../policies/s3-policy.js';
import { applyStorePolicy, planStorePolicy, storePlanResult } from '../../services/s3-policy/store.js';
import { ExitCode } from '../../services/errors.js';
import { renderMutation } from '../../output/changes.js';
import { mutationExitCode } from '../../services/exit-codes.js';
import { checkPolicySize } from '../shared/policy-set.js';
import type { Context, Outcome } from '../types.js';
import type { S3PolicyInput } from './generate.js';
import { accountOf, noRegionError } from '../shared/scope.js';

export async function run(input: S3PolicyInput, ctx: Context): Promise<Outcome> {
  const { buckets, vpcEndpoint, crossAccount, encrypted, patchManager, macos, create, attachTo } = input;
  // --create stores the policy in the partition IAM is called in, so its region is resolved in full
  // (down to the profile's region) before the document's ARNs are written; offline, only a region given.
  // Only the VPC endpoint buckets need regions: --create alone goes through the global region when none is given.
  const regions = vpcEndpoint
    ? await ctx.regions({ feature: S3_POLICY_FEATURE, global: true })
    : create
      ? await ctx.regions({ feature: S3_POLICY_FEATURE, global: true })
      : await ctx.givenRegions({ feature: S3_POLICY_FEATURE });
  // Without a region anywhere, say why one is needed here, as the role commands do.
  if (vpcEndpoint && regions!.regions.length === 0) throw noRegionError('the policy of --vpc-endpoint names the Systems Manager buckets of each region');
  const partition = regions?.partition ?? 'aws';
  const endpointRegions = vpcEndpoint ? regions!.regions : [];
  const document = s3Policy({
    partition,
    vpcEndpointRegions: endpointRegions,
    buckets,
    crossAccount,
    encrypted,
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
  if (!create) return { data: document, text: () => JSON.stringify(document, null, 2) + '\n', document: true, exitCode: ExitCode.Ok, warnings };

  // --create resolved the regions in full above, so there is always a home region here.
  const home = regions!.home;
  const account = await accountOf(ctx, home);
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
      warnings,
    });
  }
  const r = { ...(await applyStorePolicy(ctx.services, plan)), policy: document };
  return { data: r, text: (s) => renderMutation(r, s), exitCode: mutationExitCode(r), warnings };
}
