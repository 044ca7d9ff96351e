// Reading identity-policy documents: the grammar's shapes (statement object or list; Action, Resource
// and their Not forms a string or a list of strings) and what we report when a statement breaks it.
// Grammar: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
// Elements: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html
// (Principal: "You cannot use the Principal element in an identity-based policy",
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html)
import { describe, expect, it } from 'vitest';
import { decodePolicyText, parseDocument } from '../../../../src/policies/iam/document.js';

const ok = { Effect: 'Allow', Action: 'ssm:SendCommand', Resource: '*' };

function statement(raw: unknown) {
  const parsed = parseDocument({ Version: '2012-10-17', Statement: [raw] });
  expect(parsed.statements).toHaveLength(1);
  const [s] = parsed.statements;
  if (!s) throw new Error('no statement');
  return s;
}

describe('parseDocument: the document', () => {
  it.each([
    ['null', null],
    ['a number', 42],
    ['a list', [ok]],
    ['text that is neither JSON nor URL-encoded JSON', 'not a policy %zz'],
  ])('%s is not a JSON policy', (_name, doc) => {
    expect(parseDocument(doc)).toStrictEqual({ variables: false, statements: [], problem: 'the document is not a JSON policy' });
  });

  it('a document without Statement says so', () => {
    expect(parseDocument({ Version: '2012-10-17' })).toStrictEqual({ variables: false, statements: [], problem: 'the document has no Statement' });
  });

  it('a single statement object reads as a one-statement list, variables on under 2012-10-17', () => {
    expect(parseDocument({ Version: '2012-10-17', Statement: ok })).toEqual({
      variables: true,
      statements: [{ effect: 'Allow', action: ['ssm:SendCommand'], resource: ['*'], problems: [] }],
    });
  });

  it('reads URL-encoded JSON text as IAM returns it (GetPolicyVersion, RFC 3986)', () => {
    // https://docs.aws.amazon.com/IAM/latest/APIReference/API_PolicyVersion.html
    const text = encodeURIComponent(JSON.stringify({ Version: '2008-10-17', Statement: ok }));
    expect(parseDocument(text)).toEqual({
      variables: false,
      statements: [{ effect: 'Allow', action: ['ssm:SendCommand'], resource: ['*'], problems: [] }],
    });
  });
});

describe('decodePolicyText', () => {
  it.each([
    ['plain JSON', '{"a":1}', { a: 1 }],
    ['URL-encoded JSON', '%7B%22a%22%3A1%7D', { a: 1 }],
    ['malformed percent-encoding', '%E0%A4%A', undefined],
    ['neither', 'hello', undefined],
  ])('%s', (_name, text, expected) => {
    expect(decodePolicyText(text)).toStrictEqual(expected);
  });
});

describe('parseDocument: statements that are not objects', () => {
  it.each([
    ['null', null],
    ['a number', 7],
    ['a string', 'Allow'],
    ['a list', [ok]],
    ['false', false],
  ])('%s', (_name, raw) => {
    expect(statement(raw)).toStrictEqual({ effect: undefined, problems: ['the statement is not an object'] });
  });
});

describe('parseDocument: statement fields', () => {
  it('a well-formed statement has no problems and keeps its lists', () => {
    expect(
      statement({
        Sid: 'S1',
        Effect: 'Deny',
        NotAction: ['ssm:SendCommand', 'ssm:StartSession'],
        NotResource: 'arn:aws:ssm:*:*:document/X',
        Condition: { Bool: { 'aws:SecureTransport': 'true' } },
      }),
    ).toStrictEqual({
      sid: 'S1',
      effect: 'Deny',
      action: undefined,
      notAction: ['ssm:SendCommand', 'ssm:StartSession'],
      resource: undefined,
      notResource: ['arn:aws:ssm:*:*:document/X'],
      condition: { Bool: { 'aws:SecureTransport': 'true' } },
      problems: [],
    });
  });

  it.each([
    ['an empty Sid', ''],
    ['a numeric Sid', 5],
    ['no Sid', undefined],
  ])('%s gives no sid', (_name, sid) => {
    expect(statement({ ...ok, Sid: sid }).sid).toBeUndefined();
  });

  it.each([
    ['missing', undefined],
    ['lower-case', 'allow'],
    ['a boolean', true],
  ])('Effect %s is a problem', (_name, effect) => {
    const s = statement({ ...ok, Effect: effect });
    expect(s.effect).toBeUndefined();
    expect(s.problems).toStrictEqual(['Effect is neither "Allow" nor "Deny"']);
  });

  it.each([
    ['Action', 'action'],
    ['NotAction', 'notAction'],
    ['Resource', 'resource'],
    ['NotResource', 'notResource'],
  ] as const)('%s with a non-string keeps the strings and names the problem', (element, field) => {
    const raw: Record<string, unknown> = { Effect: 'Allow', Action: '*', Resource: '*' };
    if (element.startsWith('Not')) delete raw[element.slice(3)];
    raw[element] = ['a:b', 5, null, 'c:d'];
    const s = statement(raw);
    expect(s[field]).toStrictEqual(['a:b', 'c:d']);
    expect(s.problems).toStrictEqual([`${element} is not a string or a list of strings`]);
  });

  it.each([
    ['an empty list', [], []],
    ['a number', 3, []],
    ['a list of numbers', [1, 2], []],
  ])('Action as %s is a problem', (_name, action, kept) => {
    const s = statement({ ...ok, Action: action });
    expect(s.action).toStrictEqual(kept);
    expect(s.problems).toStrictEqual(['Action is not a string or a list of strings']);
  });

  it.each([
    ['neither Action nor NotAction', { Effect: 'Allow', Resource: '*' }, ['the statement has neither Action nor NotAction']],
    ['both Action and NotAction', { ...ok, NotAction: 'ssm:StartSession' }, ['the statement has both Action and NotAction']],
    ['neither Resource nor NotResource', { Effect: 'Allow', Action: '*' }, ['the statement has neither Resource nor NotResource']],
    ['both Resource and NotResource', { ...ok, NotResource: '*' }, ['the statement has both Resource and NotResource']],
    ['a Principal', { ...ok, Principal: '*' }, ['an identity policy statement cannot name a Principal']],
    ['a NotPrincipal', { ...ok, NotPrincipal: { AWS: '*' } }, ['an identity policy statement cannot name a Principal']],
    [
      'several faults at once',
      { Effect: 'Permit', Action: [], NotResource: 1, Principal: '*' },
      [
        'Effect is neither "Allow" nor "Deny"',
        'Action is not a string or a list of strings',
        'NotResource is not a string or a list of strings',
        'an identity policy statement cannot name a Principal',
      ],
    ],
  ])('%s', (_name, raw, problems) => {
    expect(statement(raw).problems).toStrictEqual(problems);
  });
});
