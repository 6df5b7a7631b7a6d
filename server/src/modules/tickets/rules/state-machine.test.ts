import { describe, expect, it } from 'vitest';
import { ROLES } from '../../../access/roles.js';
import {
  checkTransition,
  isLegal,
  legalTargets,
  mayTransition,
  rolesFor,
  type TransitionActor,
} from './state-machine.js';
import { STATUSES, type TicketStatus } from './vocabulary.js';

/** The table the product owner signs off — written out by hand, not derived from the code. */
const EXPECTED: Record<TicketStatus, TicketStatus[]> = {
  new: ['accepted'],
  accepted: ['in_progress', 'resolved'],
  in_progress: ['pending_customer', 'pending_internal', 'resolved', 'closed'],
  pending_customer: ['in_progress', 'resolved', 'closed'],
  pending_internal: ['in_progress', 'resolved', 'closed'],
  resolved: ['closed', 'reopened'],
  closed: ['reopened', 'archived'],
  reopened: ['in_progress', 'pending_customer', 'pending_internal', 'resolved', 'closed'],
  archived: [],
};

const WORKERS = ['agent', 'supervisor', 'specialist', 'admin'];

/** Who may make each legal transition, by hand. */
const EXPECTED_ROLES: Record<string, string[]> = {
  'new>accepted': WORKERS,
  'accepted>in_progress': WORKERS,
  'accepted>resolved': WORKERS,
  'in_progress>pending_customer': WORKERS,
  'in_progress>pending_internal': WORKERS,
  'in_progress>resolved': WORKERS,
  'in_progress>closed': WORKERS,
  'pending_customer>in_progress': WORKERS,
  'pending_customer>resolved': WORKERS,
  'pending_customer>closed': WORKERS,
  'pending_internal>in_progress': WORKERS,
  'pending_internal>resolved': WORKERS,
  'pending_internal>closed': WORKERS,
  'resolved>closed': [...WORKERS, 'customer', 'system'],
  'resolved>reopened': [...WORKERS, 'customer'],
  'closed>reopened': ['agent', 'supervisor', 'admin'],
  'closed>archived': ['supervisor', 'admin', 'system'],
  'reopened>in_progress': WORKERS,
  'reopened>pending_customer': WORKERS,
  'reopened>pending_internal': WORKERS,
  'reopened>resolved': WORKERS,
  'reopened>closed': WORKERS,
};

const ACTORS: TransitionActor[] = [...ROLES, 'system'];

describe('ticket state machine — every from × to pair', () => {
  for (const from of STATUSES) {
    for (const to of STATUSES) {
      const legal = EXPECTED[from].includes(to);
      it(`${from} → ${to} is ${legal ? 'legal' : 'refused'}`, () => {
        expect(isLegal(from, to)).toBe(legal);
        const verdict = checkTransition(ACTORS, from, to);
        if (legal) {
          expect(verdict).toEqual({ ok: true });
        } else {
          expect(verdict).toEqual({ ok: false, reason: 'illegal', allowed: EXPECTED[from] });
        }
      });
    }
  }

  it('lists the legal targets of every status exactly', () => {
    for (const from of STATUSES) expect(legalTargets(from)).toEqual(EXPECTED[from]);
    expect(Object.keys(EXPECTED_ROLES)).toHaveLength(
      STATUSES.reduce((n, s) => n + EXPECTED[s].length, 0),
    );
  });

  it('archived is final: nothing leaves it', () => {
    for (const to of STATUSES) expect(isLegal('archived', to)).toBe(false);
  });

  it('nothing returns to new, and a ticket never stays where it is', () => {
    for (const from of STATUSES) {
      expect(isLegal(from, 'new')).toBe(false);
      expect(isLegal(from, from)).toBe(false);
    }
  });
});

describe('which roles may make which transition', () => {
  for (const [edge, roles] of Object.entries(EXPECTED_ROLES)) {
    const [from, to] = edge.split('>') as [TicketStatus, TicketStatus];
    it(`${from} → ${to}: ${roles.join(', ')}`, () => {
      expect([...rolesFor(from, to)].sort()).toEqual([...roles].sort());
      for (const actor of ACTORS) {
        expect(mayTransition([actor], from, to), actor).toBe(roles.includes(actor));
      }
    });
  }

  it('illegal edges have no roles at all', () => {
    for (const from of STATUSES)
      for (const to of STATUSES)
        if (!EXPECTED[from].includes(to)) expect(rolesFor(from, to)).toEqual([]);
  });

  it('a role refused a legal transition gets not_permitted and its own allowed list', () => {
    expect(checkTransition(['agent'], 'closed', 'archived')).toEqual({
      ok: false,
      reason: 'not_permitted',
      allowed: ['reopened'],
    });
    expect(checkTransition(['customer'], 'in_progress', 'resolved')).toEqual({
      ok: false,
      reason: 'not_permitted',
      allowed: [],
    });
    expect(checkTransition(['qa_inspector'], 'new', 'accepted')).toMatchObject({
      ok: false,
      reason: 'not_permitted',
    });
    expect(checkTransition(['customer'], 'resolved', 'closed')).toEqual({ ok: true });
    expect(checkTransition(['system'], 'resolved', 'reopened')).toMatchObject({ ok: false });
  });

  it('several roles combine', () => {
    expect(mayTransition(['agent', 'supervisor'], 'closed', 'archived')).toBe(true);
    expect(mayTransition(['knowledge_editor', 'reviewer'], 'new', 'accepted')).toBe(false);
  });
});
