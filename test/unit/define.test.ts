import { describe, expect, it } from 'vitest';
import { stringList } from '../../src/commands/define.js';

describe('stringList (a repeatable option as commander gives it)', () => {
  it.each([
    [undefined, []],
    ['us-east-1', ['us-east-1']],
    [8, ['8']],
    [
      ['a', 'b'],
      ['a', 'b'],
    ],
    [
      [1, true],
      ['1', 'true'],
    ],
  ])('%j -> %j', (value, list) => {
    expect(stringList(value)).toEqual(list);
  });
});
