// Types for scripts/literal-schema-keys.mjs (the build runs it with plain Node; the tests import it).
export function literalSchemaKeys(text: string): { contents: string; replaced: number };
