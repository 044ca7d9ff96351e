// --query against Python's jmespath (the library the aws CLI uses for its own --query), as an
// independent oracle, on the documents the commands print.
import { beforeAll, describe, expect, it } from 'vitest';
import { applyQuery, loadQuery } from '../../../src/cli/query.js';
import { UsageError } from '../../../src/services/errors.js';
import { runPythonWith } from '../../helpers/python.js';

function pythonSearch(cases: [string, unknown][]): unknown[] {
  const script = 'import json, sys, jmespath\nprint(json.dumps([jmespath.search(q, d) for q, d in json.load(sys.stdin)]))';
  return JSON.parse(runPythonWith('jmespath', script, JSON.stringify(cases))) as unknown[];
}

const status = {
  account: '123456789012',
  regions: [
    { region: 'us-east-1', enabled: true, settingValue: 'service-role/R', error: null },
    { region: 'us-east-2', enabled: false, settingValue: '$None', error: null },
    { region: 'eu-west-1', enabled: null, settingValue: null, error: { code: 'AccessDeniedException' } },
  ],
};

describe('--query', () => {
  beforeAll(() => loadQuery('@'));

  it("selects what the aws CLI's jmespath selects", () => {
    const queries = [
      'regions[?enabled].region',
      'regions[?enabled==`false`].region',
      'regions[?error].{r: region, code: error.code}',
      'length(regions)',
      'account',
      'regions[0]',
      'regions[].settingValue | sort(@)',
      'missing',
      'regions[?starts_with(region, `us-`)] | [].region',
    ];
    const cases = queries.map((q) => [q, status] as [string, unknown]);
    expect(queries.map((q) => applyQuery(status, q))).toEqual(pythonSearch(cases));
  });

  it('sees the document as JSON prints it: undefined fields are absent, not null', () => {
    expect(applyQuery({ a: undefined, b: 1 }, 'keys(@)')).toEqual(['b']);
  });

  it('a malformed expression is a usage error naming it', async () => {
    await expect(loadQuery('regions[?')).rejects.toThrow(UsageError);
    await expect(loadQuery('regions[?')).rejects.toThrow(/invalid --query "regions\[\?"/);
    await expect(loadQuery('regions[].region')).resolves.toBe('regions[].region');
  });

  it('an expression that fails on this result is an error that says the command ran', () => {
    expect(() => applyQuery(status, 'length(`1`)')).toThrow(/failed on the result/);
  });
});
