import { useTranslation } from 'react-i18next';
import type { VersionStatus } from '../../api/kb';

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
  };
}
