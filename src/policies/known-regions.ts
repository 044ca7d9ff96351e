// The regions AWS has, per partition, as the AWS SDK bundled with this release lists them: the
// `regions` of each partition in @aws-sdk/core's partitions.js (dist-es/submodules/client/
// util-endpoints/lib/aws/partitions.js, @aws-sdk/core 3.981.2), without the `<partition>-global`
// endpoint pseudo-regions. test/unit/policies/known-regions.test.ts compares this list with the SDK in
// node_modules, so an SDK upgrade that adds a region fails the tests until the region is added here.
//
// Why a copy and not an import: the offline generators (s3-policy generate --region ...) validate
// regions too and must not load the SDK (design.md, section 8), and the SDK does not export the list
// (only `partition(region)`, which answers for any code its regex matches, known or not).

export const KNOWN_REGIONS: Readonly<Record<string, readonly string[]>> = {
  aws: [
    'af-south-1',
    'ap-east-1',
    'ap-east-2',
    'ap-northeast-1',
    'ap-northeast-2',
    'ap-northeast-3',
    'ap-south-1',
    'ap-south-2',
    'ap-southeast-1',
    'ap-southeast-2',
    'ap-southeast-3',
    'ap-southeast-4',
    'ap-southeast-5',
    'ap-southeast-6',
    'ap-southeast-7',
    'ca-central-1',
    'ca-west-1',
    'eu-central-1',
    'eu-central-2',
    'eu-north-1',
    'eu-south-1',
    'eu-south-2',
    'eu-west-1',
    'eu-west-2',
    'eu-west-3',
    'il-central-1',
    'me-central-1',
    'me-south-1',
    'me-west-1',
    'mx-central-1',
    'sa-east-1',
    'sa-west-1',
    'us-east-1',
    'us-east-2',
    'us-west-1',
    'us-west-2',
  ],
  'aws-cn': ['cn-north-1', 'cn-northwest-1'],
  'aws-eusc': ['eusc-de-east-1'],
  'aws-iso': ['us-iso-east-1', 'us-iso-west-1'],
  'aws-iso-b': ['us-isob-east-1', 'us-isob-west-1'],
  'aws-iso-e': ['eu-isoe-west-1'],
  'aws-iso-f': ['us-isof-east-1', 'us-isof-south-1'],
  'aws-us-gov': ['us-gov-east-1', 'us-gov-west-1'],
};

/** The version of @aws-sdk/core the list was taken from, named in the "unknown region" hint. */
export const KNOWN_REGIONS_SOURCE = '@aws-sdk/core 3.981.2';

const ALL = new Set(Object.values(KNOWN_REGIONS).flat());

export function isKnownRegion(region: string): boolean {
  return ALL.has(region);
}
