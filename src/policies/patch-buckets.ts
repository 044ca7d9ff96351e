// The per-region names of AWS's Patch Manager buckets, as AWS lists them in "Reference: Amazon S3
// buckets for patching operations"
// (https://docs.aws.amazon.com/systems-manager/latest/userguide/patch-operations-s3-buckets.html).
// The suffixes are AWS's own and cannot be derived: a region missing here has no documented bucket.

/** `aws-patch-manager-R-<suffix>` (Linux and Windows Server) and `aws-patchmanager-macos-R-<suffix>` share each region's suffix. */
export const PATCH_MANAGER_SUFFIX: Readonly<Record<string, string>> = {
  'us-east-2': '552881074',
  'us-east-1': '1970c647d',
  'us-west-1': '8badb4304',
  'us-west-2': '34d7f99f8',
  'af-south-1': 'bdd5f65a9',
  'ap-east-1': '632356271',
  'ap-south-2': '32f4b4128',
  'ap-southeast-3': 'aa48fc462',
  'ap-southeast-4': '01e2c40d3',
  'ap-south-1': 'cb7c62ff9',
  'ap-northeast-3': '67373598a',
  'ap-northeast-2': '10467995c',
  'ap-southeast-1': '7fdfd9ef7',
  'ap-southeast-2': '17283a275',
  'ap-northeast-1': '4849fa78f',
  'ca-central-1': '3148e69e3',
  'ca-west-1': '9e3a4b2f9',
  'eu-central-1': '9163fdaaf',
  'eu-west-1': '5522fb710',
  'eu-west-2': '902a2bc74',
  'eu-south-1': 'c52f3f594',
  'eu-west-3': '29bf85721',
  'eu-south-2': 'a4cf248b1',
  'eu-north-1': '795879e9b',
  'eu-central-2': '184ce43c8',
  'il-central-1': 'e221cb57b',
  'me-south-1': 'a53fc9dce',
  'me-central-1': '2932f2f80',
  'sa-east-1': 'ddf4b6a09',
};

/** Regions whose patch baseline snapshot bucket carries a suffix (`patch-baseline-snapshot-R-<suffix>`). */
export const PATCH_BASELINE_SNAPSHOT_SUFFIX: Readonly<Record<string, string>> = {
  'af-south-1': 'tbxdb5b9',
  'ap-south-2': '50209442',
  'ap-southeast-3': 'be0a3174',
  'ap-southeast-4': 'dc6f76ce',
  'eu-south-2': 'df2c9d70',
  'me-south-1': 'uduvl7q8',
};

/**
 * Regions without a `R-birdwatcher-prod` bucket: they serve Distributor packages from
 * `aws-ssm-distributor-file-R` instead (the Systems Manager guide's per-bucket notes on the custom S3
 * policy: "except af-south-1 and eu-south-1").
 */
export const NO_BIRDWATCHER_REGIONS: readonly string[] = ['af-south-1', 'eu-south-1'];
