// --output text against the AWS CLI's own formatter (awscli.text.format_text, from the aws CLI
// installed on this machine), as an independent oracle, on the shapes the commands print and on
// generated documents.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { awsText } from '../../../src/output/aws-text.js';
import { runPythonWith } from '../../helpers/python.js';

/** What the aws CLI prints for each document, in one Python process. */
function awsCliText(docs: unknown[]): string[] {
  const script = [
    'import io, json, sys',
    'import awscli.text',
    'from awscli.text import format_text',
    // The one documented departure: an object printed in a value's column is compact JSON, not a repr.
    // (awscli.text calls str(); a module global of that name comes before the builtin.)
    "awscli.text.str = lambda v: json.dumps(v, separators=(',', ':')) if isinstance(v, (dict, list)) else str(v)",
    'out = []',
    'for doc in json.load(sys.stdin):',
    '    s = io.StringIO()',
    '    format_text(doc, s)',
    '    out.append(s.getvalue())',
    'json.dump(out, sys.stdout)',
  ].join('\n');
  return JSON.parse(runPythonWith('awscli.text', script, JSON.stringify(docs))) as string[];
}

const dhmcStatus = {
  account: '123456789012',
  regions: [
    {
      region: 'us-east-1',
      enabled: true,
      settingValue: 'service-role/AWSSystemsManagerDefaultEC2InstanceManagementRole',
      status: 'Customized',
      lastModifiedDate: '2026-11-28T10:00:00.000Z',
      error: null,
    },
    {
      region: 'us-east-2',
      enabled: null,
      settingValue: null,
      status: null,
      lastModifiedDate: null,
      error: { code: 'AccessDeniedException', message: 'no', hint: 'ask' },
    },
  ],
};
const mutation = {
  account: '123456789012',
  dryRun: false,
  changes: [
    {
      region: null,
      action: 'create',
      resource: 'arn:aws:iam::123456789012:role/R',
      operation: 'iam:CreateRole',
      status: 'applied',
      error: null,
      details: { trustedService: 'ssm.amazonaws.com' },
    },
  ],
  regions: [{ region: 'us-east-1', ok: true, error: null }],
};

describe('--output text (awsText) agrees with the aws CLI', () => {
  it('on the documents the commands print: one line per region and per change, nested objects after their parent', () => {
    const docs = [
      dhmcStatus,
      mutation,
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::b/*' }] },
    ];
    expect(docs.map(awsText)).toEqual(awsCliText(docs));
    expect(awsText(dhmcStatus).split('\n').slice(1, 3)).toEqual([
      'REGIONS\tTrue\tNone\t2026-11-28T10:00:00.000Z\tus-east-1\tservice-role/AWSSystemsManagerDefaultEC2InstanceManagementRole\tCustomized',
      'REGIONS\tNone\t{"code":"AccessDeniedException","message":"no","hint":"ask"}\tNone\tus-east-2\tNone\tNone',
    ]);
  });

  it('on scalars, empty lists and lists of lists, as --query results can be', () => {
    const docs = [null, true, 3, 'x', [], ['a', 'b'], [['a', 'b'], 'c'], { k: [] }];
    expect(docs.map(awsText)).toEqual(awsCliText(docs));
    // awscli raises an error on a list that mixes objects and values; this prints each on its line.
    expect(awsText([{ a: 1 }, 'loose'])).toBe('1\nloose\n');
  });

  it('on generated documents (property, 200 at a time)', () => {
    const key = fc.constantFrom('a', 'b', 'Region', 'ok', 'zeta', 'Z');
    const leaf = fc.oneof(
      fc.constant(null),
      fc.boolean(),
      fc.integer({ min: -1000, max: 1000 }),
      fc.string({ unit: 'grapheme-ascii', maxLength: 8 }).filter((s) => !/[\t\n\r\u0000-\u001f\u007f]/.test(s)),
    );
    const { doc } = fc.letrec((tie) => ({
      doc: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('doc'), { maxLength: 4 }), fc.dictionary(key, tie('doc'), { maxKeys: 4 })),
    }));
    // Lists mixing objects and other values are left out: awscli raises an error on them.
    const mixed = (d: unknown): boolean =>
      Array.isArray(d)
        ? (d.some((e) => typeof e === 'object' && e !== null && !Array.isArray(e)) && d.some((e) => typeof e !== 'object' || e === null || Array.isArray(e))) ||
          d.some(mixed)
        : typeof d === 'object' && d !== null && Object.values(d).some(mixed);
    const docs = fc.sample(doc, { numRuns: 400, seed: 7 }).filter((d) => !mixed(d));
    expect(docs.length).toBeGreaterThan(150);
    expect(docs.map(awsText)).toEqual(awsCliText(docs));
  });

  it('escapes control characters, tabs and newlines inside a value, where the aws CLI would let them split the line', () => {
    expect(awsText({ regions: [{ name: 'a\tb\nc\u001b[2J' }] })).toBe('REGIONS\ta\\tb\\nc\\x1b[2J\n');
  });
});
