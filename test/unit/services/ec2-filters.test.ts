import { describe, expect, it } from 'vitest';
import { EC2_FILTER_VALUES_PER_CALL, filterBatches } from '../../../src/services/aws/ec2-filters.js';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `i-${i.toString(16).padStart(17, '0')}`);
const values = (filters: { Values: string[] }[]) => filters.reduce((n, f) => n + f.Values.length, 0);

describe('filterBatches', () => {
  it("keeps every call within EC2's 200 filter values, counting the other filters' values too", () => {
    const base = [
      { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] },
      { Name: 'tag:Env', Values: ['prod'] },
    ];
    const batches = filterBatches(base, 'instance-id', ids(450));
    for (const b of batches) expect(values(b)).toBeLessThanOrEqual(EC2_FILTER_VALUES_PER_CALL);
    expect(batches.map((b) => b.at(-1)!.Values.length)).toEqual([195, 195, 60]);
    expect(batches.flatMap((b) => b.at(-1)!.Values)).toEqual(ids(450));
  });

  it('sends the base filters alone when no ids are given, and nothing for an empty id list', () => {
    expect(filterBatches([{ Name: 'tag:A', Values: ['1'] }], 'instance-id', null)).toEqual([[{ Name: 'tag:A', Values: ['1'] }]]);
    expect(filterBatches([], 'instance-id', [])).toEqual([]);
  });

  it('uses every value left, down to a single id per call', () => {
    const base = [{ Name: 'tag:Team', Values: ids(199) }];
    const batches = filterBatches(base, 'instance-id', ['i-a', 'i-b']);
    expect(batches).toEqual([
      [...base, { Name: 'instance-id', Values: ['i-a'] }],
      [...base, { Name: 'instance-id', Values: ['i-b'] }],
    ]);
  });

  it('refuses base filters that leave no room for the ids, rather than sending a call EC2 rejects', () => {
    expect(() => filterBatches([{ Name: 'tag:Team', Values: ids(200) }], 'instance-id', ['i-a'])).toThrow(
      "200 filter values leave no room for instance-id within EC2's 200",
    );
    expect(() => filterBatches([{ Name: 'tag:Team', Values: ids(201) }], 'instance-id', ['i-a'])).toThrow(
      "201 filter values leave no room for instance-id within EC2's 200",
    );
  });
});
