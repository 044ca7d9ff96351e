// The region list is the SDK's: every region of every partition in @aws-sdk/core's partitions.js (what
// the clients resolve endpoints with), no more and no fewer, so an SDK upgrade that adds a region fails
// here until known-regions.ts has it too.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isKnownRegion, KNOWN_REGIONS, KNOWN_REGIONS_SOURCE } from '../../../src/policies/known-regions.js';
import { partitionOf } from '../../../src/policies/partition.js';

const require = createRequire(import.meta.url);
const core = dirname(require.resolve('@aws-sdk/core/package.json'));

function sdkRegions(): Record<string, string[]> {
  const text = readFileSync(join(core, 'dist-es/submodules/client/util-endpoints/lib/aws/partitions.js'), 'utf8');
  const data = JSON.parse(text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1)) as { partitions: { id: string; regions: Record<string, unknown> }[] };
  // `aws-global`, `aws-cn-global`...: endpoint pseudo-regions, not regions a user gives.
  return Object.fromEntries(data.partitions.map((p) => [p.id, Object.keys(p.regions).filter((r) => !r.endsWith('-global'))]));
}

describe('known regions', () => {
  it("are the SDK's, partition by partition", () => {
    const sdk = sdkRegions();
    expect(Object.keys(sdk).length).toBeGreaterThan(2);
    expect(Object.fromEntries(Object.entries(KNOWN_REGIONS).map(([id, rs]) => [id, [...rs].sort()]))).toEqual(
      Object.fromEntries(Object.entries(sdk).map(([id, rs]) => [id, rs.sort()])),
    );
  });

  it('name the SDK version they were taken from (the hint tells people to upgrade past it)', () => {
    const version = (JSON.parse(readFileSync(join(core, 'package.json'), 'utf8')) as { version: string }).version;
    expect(KNOWN_REGIONS_SOURCE).toBe(`@aws-sdk/core ${version}`);
  });

  it('each sits in the partition its code says', () => {
    for (const [id, regions] of Object.entries(KNOWN_REGIONS)) for (const r of regions) expect(partitionOf(r)?.id, r).toBe(id);
  });

  it.each(['us-east-1', 'cn-northwest-1', 'us-gov-east-1', 'eusc-de-east-1', 'mx-central-1'])('%s is known', (r) => expect(isKnownRegion(r)).toBe(true));
  it.each(['us-east-7', 'eu-west-9', 'cn-south-1', 'us-gov-north-1', 'aws-global', 'US-EAST-1', ''])('%s is not', (r) => expect(isKnownRegion(r)).toBe(false));
});
