// Small pieces of wording shared by the renderers.

/** "1 instance", "3 instances". */
export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The document exactly as `--output json` prints it (no undefined fields, dates as strings), which
 * is what --query and `--output text` must see; null for nothing.
 */
export const asJsonValue = (data: unknown): unknown => (data === undefined ? null : JSON.parse(JSON.stringify(data)));

/** The advice after ids or filters that matched nothing, unless every region was already read. */
export const regionalAdvice = (everyRegion: boolean): string => (everyRegion ? '' : '; instances are regional: to look in every region, add --region all');

/** Nothing matched: where it was looked for, and the advice to look in every region unless that was done. */
export function noInstanceMatched(regions: readonly string[], everyRegion: boolean): string {
  if (everyRegion) return `No instance matched in any of the ${plural(regions.length, 'region')} read (--region all).`;
  return `No instance matched${regions.length ? ` in ${regions.join(', ')}` : ''}. Instances are regional: to look in every region, add --region all.`;
}

/** Where ids were looked for: the regions, or their count when they are every region. */
export const lookedIn = (regions: readonly string[], everyRegion: boolean): string =>
  everyRegion ? `any of the ${plural(regions.length, 'region')}` : regions.join(', ') || 'the regions read';
