// The build's rewrite of the SDK's schema modules (scripts/literal-schema-keys.mjs): computed keys naming
// a module-level string constant become that string, nothing else changes, and the SDK versions this
// project pins still write their schemas in the form the rewrite expects (else the bundle would silently
// keep every shape of every service again).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { literalSchemaKeys } from '../../../scripts/literal-schema-keys.mjs';

/** Evaluates a module body of `const` declarations and returns the value of `expr`. */
function evaluate(body: string, expr: string): unknown {
  return new Function(`${body}\nreturn ${expr};`)();
}

describe('literalSchemaKeys', () => {
  const source = [
    'const _xN = "xmlName";',
    'const _eQN = "ec2QueryName";',
    'const _pr = "__proto__";',
    'const _esc = "a\\"b";',
    'var A$ = [3, "ns", "A", 0, [_xN], [[0, { [_eQN]: `InstanceId`, [_xN]: _xN }], [0, { [_pr]: 1, [_esc]: 2, [other]: 3 }]]];',
  ].join('\n');

  it('writes a computed key naming a string constant as that string', () => {
    const { contents, replaced } = literalSchemaKeys(source);
    expect(contents).toContain('{ "ec2QueryName": `InstanceId`, "xmlName": _xN }');
    expect(replaced).toBe(2);
  });

  it('leaves __proto__, escaped strings, unknown names and every value alone', () => {
    const { contents } = literalSchemaKeys(source);
    expect(contents).toContain('{ [_pr]: 1, [_esc]: 2, [other]: 3 }');
    expect(contents).toContain('[_xN], [[0');
  });

  it('gives objects equal to the original ones', () => {
    const before = evaluate(`const other = "o";\n${source}`, 'A$');
    const after = evaluate(`const other = "o";\n${literalSchemaKeys(source).contents}`, 'A$');
    expect(after).toEqual(before);
    // The __proto__ key stays an own property, as the computed key made it.
    const own = (after as unknown[][][][])[5]![1]![1] as object;
    expect(Object.keys(own)).toContain('__proto__');
  });

  // The packages the bundle takes schemas from: if an SDK update writes its traits another way, the
  // rewrite finds nothing and this says so.
  const require = createRequire(import.meta.url);
  for (const pkg of ['@aws-sdk/client-ec2', '@aws-sdk/client-ssm', '@aws-sdk/client-iam', '@aws-sdk/client-sts', '@aws-sdk/client-organizations']) {
    it(`leaves no computed key of a string constant in ${pkg}'s schemas`, () => {
      const file = join(dirname(require.resolve(`${pkg}/package.json`)), 'dist-es/schemas/schemas_0.js');
      const text = readFileSync(file, 'utf8');
      const { contents, replaced } = literalSchemaKeys(text);
      expect(replaced).toBeGreaterThan(0);
      const constants = new Set([...text.matchAll(/^const (_\w+) = "/gm)].map((m) => m[1]));
      const left = [...contents.matchAll(/\[(_\w+)\]:/g)].map((m) => m[1]).filter((n) => constants.has(n));
      expect(left).toEqual([]);
    });
  }
});
