/** Only same-app paths are allowed as a post-sign-in destination. */
export function safeNext(value: string | null): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) {
    return '/';
  }
  if (value.startsWith('/sign-in') || value.startsWith('/setup')) return '/';
  return value;
}
