import { areasOf } from '../areas';

/**
 * The text of the public pages (help centre, portal, confirmation, survey) and what every page
 * shows (errors, language switch): downloaded first. Keep this list the same in every language
 * (locales.test.ts checks it); `staff.ts` takes every other area.
 */
export default areasOf(
  import.meta.glob<Record<string, unknown>>(
    './{attachments,common,errors,kb,language,portal,surveys,tickets,validation}.json',
    { eager: true, import: 'default' },
  ),
);
