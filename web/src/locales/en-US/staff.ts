import { areasOf } from '../areas';

/** The text of the staff pages: every area `public.ts` does not take, loaded after sign-in. */
export default areasOf(
  import.meta.glob<Record<string, unknown>>(
    [
      './*.json',
      '!./{attachments,common,errors,kb,language,portal,surveys,tickets,validation}.json',
    ],
    { eager: true, import: 'default' },
  ),
);
