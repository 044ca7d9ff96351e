import { describe, expect, it } from 'vitest';
import { allPages } from '../../../src/services/paginate.js';
import { AwsServiceError } from '../../../src/services/errors.js';

interface Page {
  items: string[];
  next?: string;
}

/** A listing served from pages keyed by the token that asks for them ('' = the first page). */
function listing(pages: Record<string, Page>) {
  const asked: (string | undefined)[] = [];
  const fetch = async (token: string | undefined): Promise<Page> => {
    asked.push(token);
    const page = pages[token ?? ''];
    if (!page) throw new Error(`no page for token ${String(token)}`);
    return page;
  };
  return { fetch, asked };
}

describe('allPages', () => {
  it('returns every page in order, asking the first with no token and each next with the token the previous one gave', async () => {
    const { fetch, asked } = listing({ '': { items: ['a'], next: 't1' }, t1: { items: ['b'], next: 't2' }, t2: { items: ['c'] } });
    const pages = await allPages(fetch, (p) => p.next);
    expect(pages.map((p) => p.items)).toEqual([['a'], ['b'], ['c']]);
    expect(asked).toEqual([undefined, 't1', 't2']);
  });

  it('makes one call for a listing of one page', async () => {
    const { fetch, asked } = listing({ '': { items: ['a'] } });
    expect(await allPages(fetch, (p) => p.next)).toEqual([{ items: ['a'] }]);
    expect(asked).toEqual([undefined]);
  });

  it('treats an empty token as the last page, as AWS services send it', async () => {
    const { fetch, asked } = listing({ '': { items: ['a'], next: '' } });
    expect(await allPages(fetch, (p) => p.next)).toHaveLength(1);
    expect(asked).toEqual([undefined]);
  });

  it('stops with an error naming the token when AWS sends a token already used, instead of looping for ever', async () => {
    const { fetch, asked } = listing({ '': { items: ['a'], next: 't1' }, t1: { items: ['b'], next: 't2' }, t2: { items: ['c'], next: 't1' } });
    const err = await allPages(fetch, (p) => p.next).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AwsServiceError);
    expect(err).toMatchObject({ code: 'PaginationLoop', message: 'AWS returned the pagination token t1 a second time; the listing would never end' });
    expect(asked).toEqual([undefined, 't1', 't2']);
  });

  it('stops at once when a page names itself as the next one', async () => {
    const { fetch, asked } = listing({ '': { items: ['a'], next: 't1' }, t1: { items: ['b'], next: 't1' } });
    await expect(allPages(fetch, (p) => p.next)).rejects.toMatchObject({ code: 'PaginationLoop' });
    expect(asked).toEqual([undefined, 't1']);
  });

  it('passes a failed call through unchanged, pages read so far or not', async () => {
    const boom = new Error('throttled');
    let calls = 0;
    const fetch = async (): Promise<Page> => {
      calls += 1;
      if (calls === 2) throw boom;
      return { items: [], next: 'again' + calls };
    };
    await expect(allPages(fetch, (p) => p.next)).rejects.toBe(boom);
  });
});
