import type { FormRule } from 'antd';
import type { TFunction } from 'i18next';

export const MIN_PASSWORD_LENGTH = 10;

/** Form rule: this field must equal the field `other`. */
export function confirmRule(other: string, t: TFunction): FormRule {
  return ({ getFieldValue }) => ({
    validator(_, value: unknown) {
      if (!value || getFieldValue(other) === value) return Promise.resolve();
      return Promise.reject(new Error(t('validation.passwordMismatch')));
    },
  });
}
