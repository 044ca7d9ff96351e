// Follows an AWS pagination token until the last page. Code that ignores NextToken passes small
// fixtures and breaks at scale, so every listing goes through here.
export async function allPages<P>(fetch: (token: string | undefined) => Promise<P>, next: (page: P) => string | undefined): Promise<P[]> {
  const pages: P[] = [];
  let token: string | undefined;
  do {
    const page = await fetch(token);
    pages.push(page);
    token = next(page);
  } while (token);
  return pages;
}

/** Splits a list into chunks, for filters that take a bounded number of values. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, i * size + size));
}
