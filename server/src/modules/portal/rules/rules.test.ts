import { describe, expect, it } from 'vitest';
import {
  formatCode,
  isCodeShape,
  judgeCode,
  mayResend,
  nameFromEmail,
  normaliseEmail,
  RESEND_COOLDOWN_MS,
} from './codes.js';
import { presentPortalEvent } from './timeline.js';

const now = new Date('2026-03-02T02:00:00Z');
const later = (ms: number) => new Date(now.getTime() + ms);

describe('sign-in codes', () => {
  const open = { expiresAt: later(600_000), usedAt: null, attempts: 0 };

  it('accepts the right code while valid, unused and under the attempt limit', () => {
    expect(judgeCode(open, now, 5, true)).toBe('ok');
    expect(judgeCode(open, now, 5, false)).toBe('wrong');
    expect(judgeCode({ ...open, attempts: 4 }, now, 5, true)).toBe('ok');
  });

  it('refuses an expired code, at the exact second too', () => {
    expect(judgeCode(open, later(600_000), 5, true)).toBe('expired');
    expect(judgeCode(open, later(599_999), 5, true)).toBe('ok');
  });

  it('refuses after the attempts are used up, even with the right digits', () => {
    expect(judgeCode({ ...open, attempts: 5 }, now, 5, true)).toBe('exhausted');
  });

  it('refuses a used code before anything else', () => {
    expect(judgeCode({ ...open, usedAt: now, attempts: 9 }, later(10 ** 9), 5, true)).toBe('used');
  });

  it('shapes and pads codes', () => {
    expect(formatCode(42)).toBe('000042');
    expect(isCodeShape('000042')).toBe(true);
    expect(isCodeShape('42')).toBe(false);
    expect(isCodeShape('12345a')).toBe(false);
    expect(isCodeShape('1234567')).toBe(false);
  });

  it('mails a new code only after the cool-down', () => {
    expect(mayResend(null, now)).toBe(true);
    expect(mayResend(now, later(RESEND_COOLDOWN_MS - 1))).toBe(false);
    expect(mayResend(now, later(RESEND_COOLDOWN_MS))).toBe(true);
  });

  it('normalises emails and derives a display name', () => {
    expect(normaliseEmail('  Li.Hua@Example.COM ')).toBe('li.hua@example.com');
    expect(nameFromEmail('li.hua@example.com')).toBe('li.hua');
    expect(nameFromEmail('@example.com')).toBe('@example.com');
  });
});

describe('the customer view of the timeline', () => {
  const base = {
    id: '00000000-0000-4000-8000-000000000001',
    at: now,
    body: null,
  };

  it('shows staff by display name only and drops internal data', () => {
    const e = presentPortalEvent({
      ...base,
      kind: 'created',
      actorId: '00000000-0000-4000-8000-0000000000aa',
      actorName: '王客服',
      data: {
        number: 'KF-1',
        channel: 'phone',
        category: 'consultation',
        tier: 'L1',
        enteredBy: { id: 'x', name: 'y' },
      },
    });
    expect(e).toMatchObject({ author: 'staff', authorName: '王客服' });
    expect(e.data).toEqual({ number: 'KF-1', channel: 'phone', category: 'consultation' });
    expect(JSON.stringify(e)).not.toContain('0000000000aa');
  });

  it('marks the customer’s own entries and system entries', () => {
    const mineEntry = presentPortalEvent({
      ...base,
      kind: 'reply',
      actorId: null,
      actorName: null,
      body: 'hi',
      data: { by: 'customer' },
    });
    expect(mineEntry).toMatchObject({ author: 'you', authorName: null, data: {} });
    const system = presentPortalEvent({
      ...base,
      kind: 'status',
      actorId: null,
      actorName: null,
      data: { by: 'system', from: 'resolved', to: 'closed', closeKind: 'auto_no_reply' },
    });
    expect(system).toMatchObject({
      author: 'system',
      data: { from: 'resolved', to: 'closed', closeKind: 'auto_no_reply' },
    });
  });

  const file = {
    id: '00000000-0000-4000-8000-0000000000f1',
    filename: '发票.pdf',
    mimeType: 'application/pdf',
    size: 1234,
    visibility: 'public',
  };

  it('keeps public files of uploads and replies, with their customer-facing fields only', () => {
    const upload = presentPortalEvent({
      ...base,
      kind: 'attachment',
      actorId: null,
      actorName: null,
      data: { by: 'customer', attachment: { ...file, sha256: 'ab', storageKey: 'k' } },
    });
    expect(upload).toMatchObject({ author: 'you' });
    expect(upload.data).toEqual({
      attachment: { id: file.id, filename: '发票.pdf', mimeType: 'application/pdf', size: 1234 },
    });
    const reply = presentPortalEvent({
      ...base,
      kind: 'reply',
      actorId: '00000000-0000-4000-8000-0000000000aa',
      actorName: '王客服',
      data: {
        attachments: [
          file,
          { ...file, id: '00000000-0000-4000-8000-0000000000f2', visibility: 'internal' },
        ],
      },
    });
    expect(reply.data).toEqual({
      attachments: [{ id: file.id, filename: '发票.pdf', mimeType: 'application/pdf', size: 1234 }],
    });
  });

  it('drops internal, malformed or missing file references', () => {
    const of = (kind: string, data: Record<string, unknown>) =>
      presentPortalEvent({ ...base, kind, actorId: null, actorName: null, data }).data;
    expect(of('attachment', { attachment: { ...file, visibility: 'internal' } })).toEqual({});
    expect(of('attachment', { attachment: 'x' })).toEqual({});
    expect(of('attachment', { attachment: { visibility: 'public', id: 1 } })).toEqual({});
    expect(of('reply', { attachments: 'x' })).toEqual({});
    expect(of('reply', { attachments: [{ ...file, visibility: 'internal' }] })).toEqual({});
    expect(
      of('attachment', { attachment: { id: file.id, filename: 'a', visibility: 'public' } }),
    ).toEqual({
      attachment: { id: file.id, filename: 'a', mimeType: 'application/octet-stream', size: 0 },
    });
  });

  it('keeps nothing of kinds it does not know', () => {
    expect(
      presentPortalEvent({
        ...base,
        kind: 'assignment',
        actorId: null,
        actorName: null,
        data: { handler: { id: 'x' } },
      }).data,
    ).toEqual({});
  });
});
