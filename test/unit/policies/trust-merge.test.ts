// trustStatements: the statements of a trust document as IAM returns it, for the fixes that keep a
// role's current trust; whatever cannot be a statement is left out rather than sent back to IAM.
import { describe, expect, it } from 'vitest';
import { trustAddingService, trustStatements } from '../../../src/policies/trust-merge.js';

const ec2 = { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' };

describe('trustStatements', () => {
  it('reads an array of statements, URL-encoded (as IAM returns it) or plain', () => {
    const doc = { Version: '2012-10-17', Statement: [ec2] };
    expect(trustStatements(JSON.stringify(doc))).toEqual([ec2]);
    expect(trustStatements(encodeURIComponent(JSON.stringify(doc)))).toEqual([ec2]);
  });

  it('reads a single statement object as a list of one (the grammar allows both)', () => {
    expect(trustStatements(JSON.stringify({ Version: '2012-10-17', Statement: ec2 }))).toEqual([ec2]);
  });

  it('leaves out array entries that are not objects', () => {
    expect(trustStatements(JSON.stringify({ Statement: [null, 'x', 3, ec2, [], false] }))).toEqual([ec2, []]);
  });

  it('is empty for no document, an unreadable one, a document that is not an object, or a Statement that is not one', () => {
    expect(trustStatements(undefined)).toEqual([]);
    expect(trustStatements('')).toEqual([]);
    expect(trustStatements('not json')).toEqual([]);
    expect(trustStatements('"a string"')).toEqual([]);
    expect(trustStatements('null')).toEqual([]);
    expect(trustStatements(JSON.stringify({ Statement: 'x' }))).toEqual([]);
    expect(trustStatements(JSON.stringify({ Statement: null }))).toEqual([]);
    expect(trustStatements(JSON.stringify({ Version: '2012-10-17' }))).toEqual([]);
  });

  it('trustAddingService keeps the current statements and adds the service last', () => {
    expect(trustAddingService(JSON.stringify({ Statement: [ec2] }), 'ssm.amazonaws.com').Statement).toEqual([
      ec2,
      { Effect: 'Allow', Principal: { Service: 'ssm.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ]);
  });
});
