import { useLayoutEffect } from 'react';

/** Sets the browser tab title while the page is shown. */
export function usePageTitle(title: string): void {
  useLayoutEffect(() => {
    document.title = title;
  }, [title]);
}
