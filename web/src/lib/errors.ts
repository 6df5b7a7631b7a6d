import { App } from 'antd';
import type { FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError, type ApiError, type ProblemFieldError } from '../api/client';
import { TRANSLATED_CODES, useErrorMessage } from './errorMessage';

export { useErrorMessage };

/** `"email"`, `"/teamIds/0"`, `"body.roles.1"` → antd NamePath. */
export function toNamePath(path: string): (string | number)[] {
  return path
    .replace(/^\/+/, '')
    .split(/[./]/)
    .filter((part) => part !== '' && part !== 'body')
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/**
 * Returns `(error, form?) => void`: shows the problem's message in a toast and, when a form is
 * given, puts each `errors[].path` message on the matching form field.
 */
export function useApiErrorHandler() {
  const { message } = App.useApp();
  const describe = useErrorMessage();
  const fieldMessage = useFieldMessage();
  return (error: unknown, form?: FormInstance) => {
    if (form && isApiError(error)) {
      applyFieldErrors(form, error, fieldMessage);
      // A taken email may come without a field path; point at the field anyway.
      if (error.code === 'email_taken' && !error.problem.errors?.length) {
        form.setFields([{ name: 'email', errors: [describe(error)] }]);
      }
    }
    void message.error(describe(error));
  };
}

/** Generic codes whose field messages are the server's own (validation details). */
const GENERIC_CODES = new Set(['validation_failed', 'invalid_request']);

type FieldMessage = (error: ApiError, item: ProblemFieldError) => string;

/**
 * The server's field messages are short English fragments. Prefer a translation: the problem's
 * own code when it is specific (e.g. `email_taken`), else `errors.fields.<path>`, else the
 * field error's own code (`errors.fieldCodes.<code>`), else as sent.
 */
export function useFieldMessage(): FieldMessage {
  const { t, i18n } = useTranslation();
  return (error, item) => {
    const code = error.code;
    if (code && !GENERIC_CODES.has(code) && TRANSLATED_CODES.has(code)) {
      return t(`errors.codes.${code}`);
    }
    const key = `errors.fields.${item.path}`;
    if (i18n.exists(key)) return t(key);
    const byCode = `errors.fieldCodes.${item.code ?? ''}`;
    return item.code && i18n.exists(byCode) ? t(byCode) : item.message;
  };
}

export function applyFieldErrors(
  form: FormInstance,
  error: ApiError,
  fieldMessage: FieldMessage = (_, item) => item.message,
): void {
  const byField = new Map<string, { name: (string | number)[]; errors: string[] }>();
  for (const item of error.problem.errors ?? []) {
    const name = toNamePath(item.path);
    // Errors on array items (e.g. roles.1) belong to the list field as a whole.
    const fieldName = name.length > 1 && typeof name[1] === 'number' ? name.slice(0, 1) : name;
    if (fieldName.length === 0) continue;
    const key = fieldName.join('.');
    const entry = byField.get(key) ?? { name: fieldName, errors: [] };
    entry.errors.push(fieldMessage(error, item));
    byField.set(key, entry);
  }
  if (byField.size > 0) form.setFields([...byField.values()]);
}
