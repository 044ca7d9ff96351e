// Follows an AWS pagination token until the last page. Code that ignores NextToken passes small
// fixtures and breaks at scale, so every listing goes through here.
import { AwsServiceError } from './errors.js';

/**
 * Every page of a listing, in order. A token already sent once ends the run with an error instead of
 * looping for ever: botocore raises PaginationError ("The same next token was received twice") and the
 * SDK's own paginators have `stopOnSameToken` (@smithy/core createPaginator) for the same fault.
 */
export async function allPages<P>(fetch: (token: string | undefined) => Promise<P>, next: (page: P) => string | undefined): Promise<P[]> {
  const pages: P[] = [];
  const sent = new Set<string>();
  let token: string | undefined;
  for (;;) {
    const page = await fetch(token);
    pages.push(page);
    token = next(page);
    // No token, or an empty one, ends the listing.
    if (!token) return pages;
    if (sent.has(token)) {
      throw new AwsServiceError(
        'PaginationLoop',
        `AWS returned the pagination token ${token} a second time; the listing would never end`,
        'Run the command again; if it happens again, the service is answering wrongly: report it to AWS Support.',
      );
    }
    sent.add(token);
  }
}
