// Region codes and partitions against the AWS SDK's own partition data (@aws-sdk/core's
// partitions.js, the file every SDK client resolves endpoints with): every region AWS lists is in the
// partition AWS says, every pattern agrees with the SDK on generated codes, and anything that is not a
// lower-case region code is refused.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOCUMENTED_PARTITIONS, isRegionCode, PARTITIONS, partitionId, partitionOf } from '../../../src/policies/partition.js';

interface SdkPartition {
  id: string;
  regionRegex: string;
  regions: Record<string, unknown>;
}

function sdkPartitions(): SdkPartition[] {
  const require = createRequire(import.meta.url);
  const core = dirname(require.resolve('@aws-sdk/core/package.json'));
  const text = readFileSync(join(core, 'dist-es/submodules/client/util-endpoints/lib/aws/partitions.js'), 'utf8');
  const json = text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1);
  return (JSON.parse(json) as { partitions: SdkPartition[] }).partitions;
}

const SDK = sdkPartitions();
/** The SDK's answer: a listed region first, then the first pattern that matches (its own order). */
function sdkPartitionOf(region: string): string | undefined {
  return SDK.find((p) => region in p.regions)?.id ?? SDK.find((p) => new RegExp(p.regionRegex).test(region))?.id;
}
// `aws-global`, `aws-cn-global`...: endpoint pseudo-regions, not regions a user gives.
const listed = SDK.flatMap((p) =>
  Object.keys(p.regions)
    .filter((r) => !r.endsWith('-global'))
    .map((r) => [r, p.id] as const),
);

describe('partitions, against the SDK', () => {
  it('the SDK lists regions in every partition (the oracle is not empty)', () => {
    expect(listed.length).toBeGreaterThan(40);
    expect(new Set(listed.map(([, id]) => id))).toEqual(new Set(SDK.map((p) => p.id)));
  });

  it.each(listed)('%s is in %s', (region, id) => {
    expect(isRegionCode(region)).toBe(true);
    expect(partitionOf(region)?.id).toBe(id);
    expect(partitionId(region)).toBe(id);
  });

  it('has one entry per SDK partition, whose home region the SDK lists in it', () => {
    expect(PARTITIONS.map((p) => p.id).sort()).toEqual(SDK.map((p) => p.id).sort());
    for (const p of PARTITIONS) expect(sdkPartitionOf(p.homeRegion), p.id).toBe(p.id);
  });

  it('agrees with the SDK on generated region codes, including ones not launched yet', () => {
    const prefixes = ['us', 'eu', 'ap', 'sa', 'ca', 'me', 'af', 'il', 'mx', 'cn', 'us-gov', 'us-iso', 'us-isob', 'us-isof', 'eu-isoe', 'eusc-de', 'xx', 'aws'];
    const middles = ['east', 'west', 'north', 'south', 'central', 'northeast', 'southeast', 'gov'];
    let checked = 0;
    for (const pre of prefixes) {
      for (const mid of middles) {
        for (const n of ['1', '2', '9', '12']) {
          const region = `${pre}-${mid}-${n}`;
          expect(partitionOf(region)?.id, region).toBe(sdkPartitionOf(region));
          checked++;
        }
      }
    }
    expect(checked).toBe(prefixes.length * middles.length * 4);
  });

  it.each(['US-EAST-1', 'us-east_1', 'us-east-1a', 'us-east-', 'us--1', 'us-east-123', 'aws-global', 'us-*', ' us-east-1', 'us-east-1 ', ''])(
    'refuses %j, which the SDK would pass on or which is not lower case',
    (value) => {
      expect(isRegionCode(value)).toBe(false);
      expect(partitionOf(value)).toBeUndefined();
      expect(() => partitionId(value)).toThrow(`not a region code: ${value}`);
    },
  );

  it('documents DHMC and the S3 buckets in aws, aws-cn and aws-us-gov only', () => {
    expect([...DOCUMENTED_PARTITIONS].sort()).toEqual(['aws', 'aws-cn', 'aws-us-gov']);
  });
});
