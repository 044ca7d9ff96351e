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
  do {
    const page = await fetch(token);
    pages.push(page);
    if (token !== undefined) sent.add(token);
    token = next(page);
    if (token !== undefined && sent.has(token)) {
      throw new AwsServiceError(
        'PaginationLoop',
        `AWS returned the pagination token ${token} a second time; the listing would never end`,
        'Run the command again; if it happens again, the service is answering wrongly: report it to AWS Support.',
      );
    }
  } while (token);
  return pages;
}
