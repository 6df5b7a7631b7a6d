import { Button, Flex } from 'antd';
import { useTranslation } from 'react-i18next';

interface InfiniteLike {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => Promise<unknown>;
}

/** "Load more" button for cursor-paginated lists (hidden when there is no nextCursor). */
export function LoadMore({ query }: { query: InfiniteLike }) {
  const { t } = useTranslation();
  if (!query.hasNextPage) return null;
  return (
    <Flex justify="center" style={{ marginTop: 16 }}>
      <Button
        onClick={() => void query.fetchNextPage()}
        loading={query.isFetchingNextPage}
        data-testid="load-more"
      >
        {t('common.loadMore')}
      </Button>
    </Flex>
  );
}
