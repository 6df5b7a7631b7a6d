import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router/dom';
import { queryClient } from './api/queryClient';
import { router } from './router';

/**
 * The root: data and routes only. antd's `ConfigProvider` and `App` wrap the antd pages in
 * `layout/AntdRoot` (router.tsx), so the public pages' first load carries no antd.
 */
export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  );
}
