// The AWS SDK clients describe every shape of their service in one module (dist-es/schemas/schemas_0.js),
// with member traits written as computed keys: `{ [_xN]: _iI }`, where `_xN` is a module-level
// `const _xN = "xmlName"`. esbuild cannot prove a computed key free of side effects, so it keeps every
// schema of the service, whatever the commands imported: for EC2 about 3,400 shapes, ~55 MB of memory once
// loaded (bench/README.md, "doctor at fleet scale"). Writing those keys as the string literals they are
// lets the bundle keep only the shapes of the commands ssm-perms sends (services/aws/sdk/). The key
// `__proto__` is left alone: as a literal it would set the prototype instead of a property.
export function literalSchemaKeys(text) {
  const strings = new Map([...text.matchAll(/^const (_\w+) = ("[^"\\]*");$/gm)].map((m) => [m[1], m[2]]));
  let replaced = 0;
  const contents = text.replace(/\[(_\w+)\]:/g, (key, name) => {
    const value = strings.get(name);
    if (value === undefined || value === '"__proto__"') return key;
    replaced += 1;
    return `${value}:`;
  });
  return { contents, replaced };
}
