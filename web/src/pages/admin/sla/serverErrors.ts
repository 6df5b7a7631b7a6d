import type { FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError, type ProblemFieldError } from '../../../api/client';
import { toNamePath, useErrorMessage, useFieldMessage } from '../../../lib/errors';

/**
 * The server's own rule messages (Zod refinements, code `custom`) and their translation keys:
 * those rules have no stable code of their own, so the message is the key.
 */
const RULE_MESSAGES: Record<string, string> = {
  'start must be before end': 'slaAdmin.week.endBeforeStart',
  'intervals must be in order and must not overlap': 'slaAdmin.week.overlap',
  'the week needs at least one working interval': 'slaAdmin.week.emptyWeek',
  'must be an IANA time zone such as Asia/Shanghai': 'slaAdmin.calendar.badZone',
  'must be greater than 0 (or give workingDays)': 'slaAdmin.policies.badDuration',
};

/**
 * Puts each `errors[]` entry of a problem document on the exact form field it names
 * (`weekly.1.0.end` → that input; `weekly.1` → that day's list), in the UI language. Entries
 * naming no field of the form are answered, for the caller to show above the form.
 */
export function useServerFieldErrors() {
  const { t, i18n } = useTranslation();
  const fieldMessage = useFieldMessage();
  const describe = useErrorMessage();
  const messageOf = (error: Parameters<typeof fieldMessage>[0], item: ProblemFieldError) => {
    const key = RULE_MESSAGES[item.message];
    return key && i18n.exists(key) ? t(key) : fieldMessage(error, item);
  };
  return (
    error: unknown,
    form: FormInstance,
    known: (name: (string | number)[]) => boolean,
    /** The form's name for an API path, e.g. `days.0.date` → `date`. */
    rename: (name: (string | number)[]) => (string | number)[] = (name) => name,
  ) => {
    if (!isApiError(error) || !error.problem.errors?.length) return [describe(error)];
    const unplaced: string[] = [];
    const fields: { name: (string | number)[]; errors: string[] }[] = [];
    for (const item of error.problem.errors) {
      const name = rename(toNamePath(item.path));
      const text = messageOf(error, item);
      if (name.length > 0 && known(name)) fields.push({ name, errors: [text] });
      else unplaced.push(name.length ? `${name.join('.')}: ${text}` : text);
    }
    form.setFields(fields);
    return unplaced;
  };
}
