import type { Actor } from '../../access/actor.js';
import { definePermission, hasAnyRole } from '../../access/permissions.js';

/**
 * Who may call the survey routes. Administrators edit templates, settings and campaigns;
 * supervisors read them. Answers: agents see their own, supervisors their teams', admins all —
 * a record rule applied by the service (`answersScope`), on top of the role check here.
 */
export const surveysPolicy = {
  templatesRead: definePermission(
    'surveyTemplates.read',
    'surveys:read',
    hasAnyRole('supervisor', 'admin'),
  ),
  templatesManage: definePermission('surveyTemplates.manage', 'surveys:admin', hasAnyRole('admin')),
  settingsRead: definePermission(
    'surveySettings.read',
    'surveys:read',
    hasAnyRole('supervisor', 'admin'),
  ),
  settingsManage: definePermission('surveySettings.manage', 'surveys:admin', hasAnyRole('admin')),
  responses: definePermission(
    'surveyResponses.list',
    'surveys:read',
    hasAnyRole('agent', 'supervisor', 'admin'),
  ),
  campaignsRead: definePermission(
    'surveyCampaigns.read',
    'surveys:read',
    hasAnyRole('supervisor', 'admin'),
  ),
  campaignsManage: definePermission('surveyCampaigns.manage', 'surveys:admin', hasAnyRole('admin')),
};

export type AnswersScope = 'all' | 'team' | 'own';

/** Which answers an actor sees: admins all, supervisors their teams', agents their own. */
export function answersScope(actor: Pick<Actor, 'roles'>): AnswersScope {
  if (actor.roles.includes('admin')) return 'all';
  if (actor.roles.includes('supervisor')) return 'team';
  return 'own';
}
