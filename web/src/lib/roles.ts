import { useTranslation } from 'react-i18next';
import { ROLES } from '../api/types';

const KNOWN = new Set<string>(ROLES);

/** Translated label for a role id; unknown roles fall back to the id itself. */
export function useRoleLabel(): (role: string) => string {
  const { t } = useTranslation();
  return (role) => (KNOWN.has(role) ? t(`roles.${role}`) : role);
}

export function useRoleOptions(extra: readonly string[] = []) {
  const label = useRoleLabel();
  const all = [...ROLES, ...extra.filter((role) => !KNOWN.has(role))];
  return all.map((role) => ({ value: role, label: label(role) }));
}

export const ROLE_COLORS: Record<string, string> = {
  admin: 'red',
  supervisor: 'volcano',
  agent: 'blue',
  specialist: 'geekblue',
  qa_inspector: 'purple',
  knowledge_editor: 'cyan',
  reviewer: 'gold',
  customer: 'default',
};
