import { describe, expect, it } from 'vitest';
import {
  allowedActions,
  decide,
  REVIEW_STEPS,
  VERSION_STATUSES,
  WORKFLOW_ACTIONS,
  type VersionStatus,
  type WorkflowAction,
  type WorkflowContext,
} from './workflow.js';

const ROLES3 = ['knowledge_editor', 'supervisor', 'reviewer'] as const;
const AUTHOR = 'author';

const ctx = (
  userId: string,
  roles: string[],
  over: Partial<WorkflowContext> = {},
): WorkflowContext => ({
  actor: { userId, roles },
  authorId: AUTHOR,
  reviewRoles: ROLES3,
  approvals: [],
  hasWorkingVersion: false,
  ...over,
});

const author = ctx(AUTHOR, ['knowledge_editor']);
const editor = ctx('ed2', ['knowledge_editor']);
const supervisor = ctx('sup', ['supervisor']);
const reviewer = ctx('rev', ['reviewer']);
const admin = ctx('adm', ['admin']);
const agent = ctx('agt', ['agent']);
const qa = ctx('qa', ['qa_inspector']);

/**
 * The whole table: for each status and actor, exactly the actions allowed. Every other
 * (status, action, actor) combination must be refused.
 */
const EXPECTED: Record<VersionStatus, Record<string, WorkflowAction[]>> = {
  draft: {
    author: ['edit', 'submit'],
    editor: ['edit', 'submit'],
    supervisor: [],
    reviewer: [],
    admin: ['edit', 'submit'],
    agent: [],
    qa: [],
  },
  submitted: {
    author: ['withdraw'],
    editor: ['approve', 'reject', 'withdraw'],
    supervisor: [],
    reviewer: [],
    admin: ['approve', 'reject', 'withdraw'],
    agent: [],
    qa: [],
  },
  initial_review: {
    author: ['withdraw'],
    editor: ['withdraw'],
    supervisor: ['approve', 'reject'],
    reviewer: [],
    admin: ['approve', 'reject', 'withdraw'],
    agent: [],
    qa: [],
  },
  second_review: {
    author: ['withdraw'],
    editor: ['withdraw'],
    supervisor: [],
    reviewer: ['approve', 'reject'],
    admin: ['approve', 'reject', 'withdraw'],
    agent: [],
    qa: [],
  },
  final_approval: {
    author: ['withdraw', 'publish'],
    editor: ['withdraw', 'publish'],
    supervisor: [],
    reviewer: [],
    admin: ['withdraw', 'publish'],
    agent: [],
    qa: [],
  },
  published: {
    author: ['request_revision'],
    editor: ['request_revision'],
    supervisor: ['request_revision'],
    reviewer: ['request_revision'],
    admin: ['request_revision'],
    agent: [],
    qa: ['request_revision'],
  },
  superseded: {
    author: [],
    editor: [],
    supervisor: [],
    reviewer: [],
    admin: [],
    agent: [],
    qa: [],
  },
};
const ACTORS: Record<string, WorkflowContext> = {
  author,
  editor,
  supervisor,
  reviewer,
  admin,
  agent,
  qa,
};

describe('KB workflow state machine', () => {
  for (const status of VERSION_STATUSES) {
    for (const [name, c] of Object.entries(ACTORS)) {
      it(`${status} × ${name}: exactly ${EXPECTED[status][name]!.join(', ') || 'nothing'}`, () => {
        expect(allowedActions(status, c)).toEqual(EXPECTED[status][name]);
        for (const action of WORKFLOW_ACTIONS) {
          const d = decide(status, action, c);
          expect(d.ok, `${status} ${action} ${name}`).toBe(
            EXPECTED[status][name]!.includes(action),
          );
        }
      });
    }
  }

  it('walks the happy path through the three review steps', () => {
    const path: [VersionStatus, WorkflowAction, WorkflowContext, VersionStatus][] = [
      ['draft', 'submit', author, 'submitted'],
      ['submitted', 'approve', editor, 'initial_review'],
      ['initial_review', 'approve', supervisor, 'second_review'],
      ['second_review', 'approve', reviewer, 'final_approval'],
      ['final_approval', 'publish', author, 'published'],
    ];
    for (const [from, action, c, to] of path) {
      const d = decide(from, action, c);
      expect(d).toMatchObject({ ok: true, to });
    }
  });

  it('approve names the step completed; reject at any step goes back to draft', () => {
    REVIEW_STEPS.forEach((step, i) => {
      const from = (['submitted', 'initial_review', 'second_review'] as const)[i]!;
      expect(decide(from, 'approve', admin)).toEqual({ ok: true, to: step, step });
      expect(decide(from, 'reject', admin)).toEqual({ ok: true, to: 'draft', step });
    });
  });

  it('refuses the author their own step, even with the right role', () => {
    const d = decide('submitted', 'approve', author);
    expect(d).toMatchObject({ ok: false, code: 'own_version' });
    const adminAuthor = ctx(AUTHOR, ['admin']);
    expect(decide('second_review', 'approve', adminAuthor)).toMatchObject({
      ok: false,
      code: 'own_version',
    });
    expect(decide('second_review', 'reject', adminAuthor)).toMatchObject({ code: 'own_version' });
  });

  it('refuses one reviewer approving two steps of the same round', () => {
    const both = ctx('multi', ['knowledge_editor', 'supervisor'], {
      approvals: [{ step: 'initial_review', userId: 'multi' }],
    });
    expect(decide('initial_review', 'approve', both)).toMatchObject({
      ok: false,
      code: 'reviewer_already_approved',
    });
    // …but may still reject, and another supervisor may approve.
    expect(decide('initial_review', 'reject', both).ok).toBe(true);
    expect(decide('initial_review', 'approve', supervisor).ok).toBe(true);
  });

  it('uses the roles configured on the category for each step', () => {
    const legal = ['qa_inspector', 'reviewer', 'admin'] as const;
    expect(decide('submitted', 'approve', { ...qa, reviewRoles: legal }).ok).toBe(true);
    expect(decide('submitted', 'approve', { ...editor, reviewRoles: legal })).toMatchObject({
      code: 'step_role_required',
    });
  });

  it('refuses to publish an unapproved version and to edit a published one', () => {
    for (const s of ['draft', 'submitted', 'initial_review', 'second_review'] as const)
      expect(decide(s, 'publish', editor)).toMatchObject({ ok: false, code: 'illegal_transition' });
    expect(decide('published', 'edit', editor)).toMatchObject({ code: 'illegal_transition' });
    expect(decide('superseded', 'edit', admin).ok).toBe(false);
  });

  it('refuses a revision request while another version is in progress', () => {
    expect(
      decide('published', 'request_revision', { ...editor, hasWorkingVersion: true }),
    ).toMatchObject({ ok: false, code: 'revision_in_progress' });
  });
});
