// Policy variables: `${key}`, the escapes `${*}`, `${?}`, `${$}`, and `${key, 'default'}`; substituted only
// in Version 2012-10-17 documents; a variable's text is literal; a multivalued or absent key without a
// default cannot be resolved.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
import { describe, expect, it } from 'vitest';
import { RequestContext } from '../../../../src/policies/iam/context.js';
import { literalPieces, piecesText, resolveTemplate, type Piece } from '../../../../src/policies/iam/variables.js';

const ctx = new RequestContext({
  known: { 'aws:username': 'bob', 'aws:PrincipalTag/team': 'a*b', 'aws:TagKeys': ['k1', 'k2'] },
  absent: ['aws:PrincipalTag/*', 'aws:SourceIp', 'a', 'b'],
});

describe('resolveTemplate', () => {
  it.each<[string, unknown]>([
    // Substitution, merged with the literal text around it into one text piece.
    ['${aws:username}', { ok: true, pieces: [{ kind: 'text', text: 'bob' }] }],
    ['a${aws:username}b', { ok: true, pieces: [{ kind: 'text', text: 'abobb' }] }],
    ['user/${aws:username}/x', { ok: true, pieces: [{ kind: 'text', text: 'user/bob/x' }] }],
    // Spaces around the key are not part of it.
    ['${ aws:username }', { ok: true, pieces: [{ kind: 'text', text: 'bob' }] }],
    // A "*" in the variable's value stays literal; a "*" in the template is a wildcard.
    [
      '${aws:PrincipalTag/team}*',
      {
        ok: true,
        pieces: [
          { kind: 'text', text: 'a*b' },
          { kind: 'wild', char: '*' },
        ],
      },
    ],
    [
      'x?y',
      {
        ok: true,
        pieces: [
          { kind: 'text', text: 'x' },
          { kind: 'wild', char: '?' },
          { kind: 'text', text: 'y' },
        ],
      },
    ],
    // Escapes for the special characters.
    ['${*}${?}${$}', { ok: true, pieces: [{ kind: 'text', text: '*?$' }] }],
    // `${key, 'default'}` with the documented ", " separator; '' stands for a quote.
    ["${aws:SourceIp, 'none'}", { ok: true, pieces: [{ kind: 'text', text: 'none' }] }],
    ["${aws:SourceIp, 'it''s'}", { ok: true, pieces: [{ kind: 'text', text: "it's" }] }],
    // A known value wins over the default.
    ["${aws:username, 'nobody'}", { ok: true, pieces: [{ kind: 'text', text: 'bob' }] }],
    // Absent without a default: unresolvable.
    ['${aws:SourceIp}', { ok: false, unresolvable: 'aws:SourceIp' }],
    // A multivalued key cannot be a variable
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html).
    ['${aws:TagKeys}', { ok: false, unresolvable: 'aws:TagKeys' }],
    // Unknown key: unknown, naming it.
    ['${aws:PrincipalAccount}', { unknown: true, keys: ['aws:PrincipalAccount'], problems: [] }],
    // Text after the quoted default is not the default form: the whole body is the key.
    ["${b, 'x' junk}", { unknown: true, keys: ["b, 'x' junk"], problems: [] }],
    // Two commas are not the default form either.
    ["${a, b, 'x'}", { unknown: true, keys: ["a, b, 'x'"], problems: [] }],
  ])('%s', (template, expected) => {
    expect(resolveTemplate(template, ctx, true)).toEqual(expected);
  });

  it('leaves `${...}` as literal text when variables are off (Version 2008-10-17)', () => {
    expect(resolveTemplate('${aws:username}*', ctx, false)).toEqual({
      ok: true,
      pieces: [
        { kind: 'text', text: '${aws:username}' },
        { kind: 'wild', char: '*' },
      ],
    });
  });

  it('turns an unresolvable variable into "any" when asked whether the value could match at all', () => {
    expect(resolveTemplate('p/${aws:SourceIp}', ctx, true, true)).toEqual({ ok: true, pieces: [{ kind: 'text', text: 'p/' }, { kind: 'any' }] });
  });
});

describe('piecesText / literalPieces', () => {
  const pieces: Piece[] = [{ kind: 'text', text: 'a' }, { kind: 'wild', char: '*' }, { kind: 'wild', char: '?' }, { kind: 'any' }, { kind: 'text', text: 'b' }];

  it('piecesText keeps wildcards as characters and drops "any"', () => {
    expect(piecesText(pieces)).toBe('a*?b');
  });

  it('literalPieces turns wildcards into text', () => {
    expect(literalPieces(pieces)).toEqual([
      { kind: 'text', text: 'a' },
      { kind: 'text', text: '*' },
      { kind: 'text', text: '?' },
      { kind: 'any' },
      { kind: 'text', text: 'b' },
    ]);
  });
});
