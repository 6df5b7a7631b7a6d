import { whenSignedIn } from '../../api/auth';
import {
  dueForReviewQuery,
  kbArticlesQuery,
  kbAwaitingMeQuery,
  kbCategoriesQuery,
} from '../../api/kb';
import { queryClient } from '../../api/queryClient';

/**
 * The knowledge base's data — categories, the first page of articles (no filter, as the page
 * opens), the versions awaiting me and the articles due for review — asked for once /me says
 * there is a session, beside the page's chunks (issue 10). Same query options as the page's.
 */
export function prefetchKnowledge(): void {
  whenSignedIn(() => {
    void queryClient.prefetchQuery(kbCategoriesQuery);
    void queryClient.prefetchInfiniteQuery(kbArticlesQuery({ type: undefined, status: undefined }));
    void queryClient.prefetchQuery(kbAwaitingMeQuery);
    void queryClient.prefetchQuery(dueForReviewQuery);
  });
}
