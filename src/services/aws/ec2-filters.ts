// EC2's limit on filter values (FilterLimitExceeded): "The maximum number of filter values specified on a single call is 200"
// (EC2 API reference, DescribeInstances / Filter). It counts every value of every filter together, so
// a call with a state filter of 4 values and 2 tag filters has room for 194 instance ids, not 200.

export interface Ec2Filter {
  Name: string;
  Values: string[];
}

export const EC2_FILTER_VALUES_PER_CALL = 200;

/**
 * The filter lists to send for `base` plus an `idFilter` filter over `ids`, each list within EC2's 200
 * values. No ids (null) means one call with the base filters alone.
 */
export function filterBatches(base: readonly Ec2Filter[], idFilter: string, ids: readonly string[] | null): Ec2Filter[][] {
  if (ids === null) return [[...base]];
  const used = base.reduce((n, f) => n + f.Values.length, 0);
  const room = EC2_FILTER_VALUES_PER_CALL - used;
  if (room < 1) throw new Error(`${used} filter values leave no room for ${idFilter} within EC2's ${EC2_FILTER_VALUES_PER_CALL}`);
  const out: Ec2Filter[][] = [];
  for (let i = 0; i < ids.length; i += room) out.push([...base, { Name: idFilter, Values: ids.slice(i, i + room) }]);
  return out;
}
