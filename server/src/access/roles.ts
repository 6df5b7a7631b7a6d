/** The roles of SPEC chapter 12's multi-role permissions; labels live in the web locales. */
export const ROLES = [
  'admin',
  'supervisor',
  'agent',
  'specialist',
  'qa_inspector',
  'knowledge_editor',
  'reviewer',
  'customer',
] as const;

export type Role = (typeof ROLES)[number];

export const STAFF_ROLES: readonly Role[] = ROLES.filter((r) => r !== 'customer');

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
