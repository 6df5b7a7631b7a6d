import { useTranslation } from 'react-i18next';
import type { KbArticle, VersionStatus } from '../../api/kb';

export const STATUS_COLORS: Record<VersionStatus, string> = {
  draft: 'default',
  submitted: 'processing',
  initial_review: 'processing',
  second_review: 'processing',
  final_approval: 'cyan',
  published: 'success',
  superseded: 'default',
};

/** Labels of the KB enums, from the `kb` locale key. */
export function useKbLabels() {
  const { t } = useTranslation();
  return {
    type: (v: string) => t(`kb.types.${v}`),
    audience: (v: string) => t(`kb.audiences.${v.replace(':', '_')}`),
    status: (v: string) => t(`kb.statuses.${v}`),
    action: (v: string) => t(`kb.actions.${v}`),
    event: (v: string) => t(`kb.events.${v}`, { defaultValue: v }),
    step: (v: string) => t(`kb.steps.${v}`, { defaultValue: v }),
    /** "Initial review by: Knowledge editor" — who acts next on the version in progress. */
    nextStep: (n: NonNullable<KbArticle['nextStep']>) =>
      t(`kb.next.${n.action}`, {
        step: n.step ? t(`kb.steps.${n.step}`) : '',
        role: n.role === 'author' ? t('kb.next.author') : t(`roles.${n.role}`),
      }),
    /** Field names of an edit event ("title, body") in words. */
    fields: (list: string) =>
      list
        .split(/,\s*/)
        .filter(Boolean)
        .map((f) => t(`kb.fields.${f}`, { defaultValue: f }))
        .join(t('kb.listSeparator')),
  };
}
