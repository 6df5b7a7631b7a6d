import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ESCALATION,
  escalationChanges,
  notificationTitle,
  PRIORITY_STEPS,
  stepUp,
  TIER_STEPS,
  type Escalation,
} from './escalation.js';

const TEAM = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';
const chain = (breach: Partial<Escalation['breach']>): Escalation => ({
  warning: { notify: ['owner'] },
  breach: { notify: ['owner'], raisePriority: false, ...breach },
});
const ticket = { priority: 'general', tier: 'L1', teamId: null as string | null };

describe('stepUp', () => {
  it('climbs one step and stops at the top', () => {
    expect(stepUp(PRIORITY_STEPS, 'general')).toBe('important');
    expect(stepUp(PRIORITY_STEPS, 'important')).toBe('urgent');
    expect(stepUp(PRIORITY_STEPS, 'urgent')).toBeNull();
    expect(stepUp(TIER_STEPS, 'L1')).toBe('L2');
    expect(stepUp(TIER_STEPS, 'L2')).toBe('L3');
    expect(stepUp(TIER_STEPS, 'L3')).toBeNull();
    expect(stepUp(TIER_STEPS, 'L9')).toBeNull();
  });
});

describe('escalationChanges', () => {
  it('the default chain changes nothing; a warning never changes anything', () => {
    expect(escalationChanges('breach', DEFAULT_ESCALATION, ticket)).toEqual({});
    const all = chain({ raisePriority: true, raiseTier: true, assignTeamId: TEAM });
    expect(escalationChanges('warning', all, ticket)).toEqual({});
  });

  it('raises priority and tier one step and hands the ticket to the team', () => {
    const all = chain({ raisePriority: true, raiseTier: true, assignTeamId: TEAM });
    expect(escalationChanges('breach', all, ticket)).toEqual({
      priority: { from: 'general', to: 'important' },
      tier: { from: 'L1', to: 'L2' },
      teamId: { from: null, to: TEAM },
    });
    expect(
      escalationChanges('breach', all, { priority: 'important', tier: 'L2', teamId: OTHER }),
    ).toEqual({
      priority: { from: 'important', to: 'urgent' },
      tier: { from: 'L2', to: 'L3' },
      teamId: { from: OTHER, to: TEAM },
    });
  });

  it('leaves what is already at the top or already there', () => {
    const all = chain({ raisePriority: true, raiseTier: true, assignTeamId: TEAM });
    expect(
      escalationChanges('breach', all, { priority: 'urgent', tier: 'L3', teamId: TEAM }),
    ).toEqual({});
  });

  it('does only what the chain asks', () => {
    expect(escalationChanges('breach', chain({ raisePriority: true }), ticket)).toEqual({
      priority: { from: 'general', to: 'important' },
    });
    expect(escalationChanges('breach', chain({ raiseTier: true }), ticket)).toEqual({
      tier: { from: 'L1', to: 'L2' },
    });
    expect(escalationChanges('breach', chain({ assignTeamId: null }), ticket)).toEqual({});
  });
});

describe('notificationTitle', () => {
  it('is written in the recipient’s language', () => {
    expect(notificationTitle('breach', 'first_response', 'T-1', 'en-US')).toBe(
      'SLA breached: ticket T-1 — First response is overdue',
    );
    expect(notificationTitle('warning', 'resolution', 'T-1', 'zh-CN')).toBe(
      'SLA 预警：工单 T-1「解决答复」即将到期',
    );
  });
});
