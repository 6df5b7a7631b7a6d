/**
 * The authoring workflow of a manual article version (SPEC 5): draft → submitted → initial review
 * (初审) → second review (复审) → final approval (终审) → published. Pure: no I/O, no clock.
 *
 * A status names the last step completed: `submitted` awaits the initial review,
 * `initial_review` (passed) awaits the second review, `second_review` awaits the final approval,
 * `final_approval` (passed) awaits publication. A rejection at any review step sends the version
 * back to `draft` and clears that round's approvals.
 */

export const VERSION_STATUSES = [
  'draft',
  'submitted',
  'initial_review',
  'second_review',
  'final_approval',
  'published',
  'superseded',
] as const;
export type VersionStatus = (typeof VERSION_STATUSES)[number];

export const REVIEW_STEPS = ['initial_review', 'second_review', 'final_approval'] as const;
export type ReviewStep = (typeof REVIEW_STEPS)[number];

/** Actions the API accepts on a version, plus `edit` and `request_revision` for the UI. */
export const WORKFLOW_ACTIONS = [
  'edit',
  'submit',
  'approve',
  'reject',
  'withdraw',
  'publish',
  'request_revision',
] as const;
export type WorkflowAction = (typeof WORKFLOW_ACTIONS)[number];

/** Roles that write and publish the manual. Administrators may act at any step. */
export const EDITOR_ROLES: readonly string[] = ['knowledge_editor', 'admin'];
/** Roles that may ask for a revision of a published article. */
export const REVISER_ROLES: readonly string[] = [
  'knowledge_editor',
  'supervisor',
  'reviewer',
  'qa_inspector',
  'admin',
];

export interface WorkflowContext {
  actor: { userId: string; roles: readonly string[] };
  /** Author of the version (who drafted it or asked for the revision). */
  authorId: string;
  /** Role deciding each step, configured on the category: [initial, second, final]. */
  reviewRoles: readonly [string, string, string];
  /** Approvals of the current round. */
  approvals: readonly { step: ReviewStep; userId: string }[];
  /** Whether the article already has a version in progress (for `request_revision`). */
  hasWorkingVersion: boolean;
}

export type RefusalCode =
  | 'illegal_transition'
  | 'own_version'
  | 'step_role_required'
  | 'reviewer_already_approved'
  | 'editor_role_required'
  | 'revision_in_progress';

export type Decision =
  | { ok: true; to: VersionStatus; step?: ReviewStep }
  | { ok: false; code: RefusalCode; detail: string };

/** The review step a status is waiting for, if any. */
export function awaitedStep(status: VersionStatus): ReviewStep | undefined {
  if (status === 'submitted') return 'initial_review';
  if (status === 'initial_review') return 'second_review';
  if (status === 'second_review') return 'final_approval';
  return undefined;
}

const isEditor = (ctx: WorkflowContext) => ctx.actor.roles.some((r) => EDITOR_ROLES.includes(r));
const isAuthor = (ctx: WorkflowContext) => ctx.actor.userId === ctx.authorId;
const IN_REVIEW: readonly VersionStatus[] = [
  'submitted',
  'initial_review',
  'second_review',
  'final_approval',
];

const refuse = (code: RefusalCode, detail: string): Decision => ({ ok: false, code, detail });
const illegal = (status: VersionStatus, action: WorkflowAction) =>
  refuse('illegal_transition', `A ${status} version cannot be asked to ${action}.`);

function reviewDecision(status: VersionStatus, action: 'approve' | 'reject', ctx: WorkflowContext) {
  const step = awaitedStep(status);
  if (!step) return illegal(status, action);
  const role = ctx.reviewRoles[REVIEW_STEPS.indexOf(step)]!;
  if (!ctx.actor.roles.includes(role) && !ctx.actor.roles.includes('admin'))
    return refuse('step_role_required', `The ${step} step is decided by the ${role} role.`);
  if (isAuthor(ctx))
    return refuse('own_version', 'The author of a version cannot review their own version.');
  if (action === 'approve' && ctx.approvals.some((a) => a.userId === ctx.actor.userId))
    return refuse(
      'reviewer_already_approved',
      'Each review step needs a different reviewer; you approved an earlier step.',
    );
  return action === 'approve'
    ? { ok: true as const, to: step, step }
    : { ok: true as const, to: 'draft' as const, step };
}

/** Whether `action` may happen to a version in `status`, and the status it leads to. */
export function decide(
  status: VersionStatus,
  action: WorkflowAction,
  ctx: WorkflowContext,
): Decision {
  switch (action) {
    case 'edit':
    case 'submit':
      if (status !== 'draft') return illegal(status, action);
      if (!isEditor(ctx) && !isAuthor(ctx))
        return refuse('editor_role_required', 'Only the author or a knowledge editor may do this.');
      return { ok: true, to: action === 'edit' ? 'draft' : 'submitted' };
    case 'approve':
    case 'reject':
      return reviewDecision(status, action, ctx);
    case 'withdraw':
      if (!IN_REVIEW.includes(status)) return illegal(status, action);
      if (!isEditor(ctx) && !isAuthor(ctx))
        return refuse(
          'editor_role_required',
          'Only the author or a knowledge editor may withdraw.',
        );
      return { ok: true, to: 'draft' };
    case 'publish':
      if (status !== 'final_approval')
        return refuse(
          'illegal_transition',
          `Only a version that passed final approval can be published (this one is ${status}).`,
        );
      if (!isEditor(ctx))
        return refuse('editor_role_required', 'Publishing is done by a knowledge editor.');
      return { ok: true, to: 'published' };
    case 'request_revision':
      if (status !== 'published') return illegal(status, action);
      if (!ctx.actor.roles.some((r) => REVISER_ROLES.includes(r)))
        return refuse('editor_role_required', 'Your role cannot request revisions.');
      if (ctx.hasWorkingVersion)
        return refuse(
          'revision_in_progress',
          'A new version of this article is already in progress.',
        );
      return { ok: true, to: 'draft' };
  }
}

/** Every action the actor may take on a version in `status` — what the UI shows as buttons. */
export function allowedActions(status: VersionStatus, ctx: WorkflowContext): WorkflowAction[] {
  return WORKFLOW_ACTIONS.filter((a) => decide(status, a, ctx).ok);
}
