// Small pieces of wording shared by the renderers.

/** "1 instance", "3 instances". */
export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The document exactly as `--output json` prints it (no undefined fields, dates as strings), which
 * is what --query and `--output text` must see; null for nothing.
 */
export const asJsonValue = (data: unknown): unknown => (data === undefined ? null : JSON.parse(JSON.stringify(data)));
