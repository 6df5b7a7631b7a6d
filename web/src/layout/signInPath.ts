/** The sign-in page, coming back to `next` afterwards (router.tsx, RequireAuth). */
export function signInPath(next: string): string {
  return next && next !== '/' ? `/sign-in?next=${encodeURIComponent(next)}` : '/sign-in';
}
