import { definePermission, hasAnyRole, isStaff } from '../../access/permissions.js';
import { EDITOR_ROLES, REVISER_ROLES } from './rules/workflow.js';
import type { Role } from '../../access/roles.js';

/**
 * Who may use the knowledge base. Routes check roles only; the per-record rules of the
 * workflow (the role each category assigns to a review step, "not your own version", one
 * reviewer per step) are decided by rules/workflow.ts inside the services.
 */
export const kbPolicy = {
  read: definePermission('kb.read', 'kb:read', isStaff),
  write: definePermission('kb.write', 'kb:write', hasAnyRole(...(EDITOR_ROLES as Role[]))),
  /** Submit, approve, reject, withdraw, publish: the service checks the step's role. */
  workflow: definePermission('kb.workflow', 'kb:write', isStaff),
  revise: definePermission('kb.revise', 'kb:write', hasAnyRole(...(REVISER_ROLES as Role[]))),
  categories: definePermission(
    'kb.categories.write',
    'kb:write',
    hasAnyRole(...(EDITOR_ROLES as Role[])),
  ),
  /** The search dictionary (product and brand names). */
  dictionary: definePermission(
    'kb.dictionary.write',
    'kb:write',
    hasAnyRole(...(EDITOR_ROLES as Role[])),
  ),
  feedback: definePermission('kb.feedback.create', 'kb:write', isStaff),
  feedbackQueue: definePermission(
    'kb.feedback.manage',
    'kb:write',
    hasAnyRole(...(EDITOR_ROLES as Role[])),
  ),
};

/** Only an administrator changes which role reviews each step of a category. */
export const mayConfigureReviewRoles = (roles: readonly string[]) => roles.includes('admin');
