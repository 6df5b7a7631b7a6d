import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../test/harness.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

describe('knowledge-base settings', () => {
  it('are read and changed by knowledge editors and admins, audited, validated', async () => {
    const [editor, admin, agent] = await Promise.all([
      t.as('knowledge_editor'),
      t.as('admin'),
      t.as('agent'),
    ]);
    expect((await editor.get('/api/v1/kb/settings')).json().data).toEqual({
      feedbackReplyWorkingDays: 30,
    });
    expect((await agent.get('/api/v1/kb/settings')).statusCode).toBe(403);
    expect(
      (await agent.patch('/api/v1/kb/settings', { feedbackReplyWorkingDays: 5 })).statusCode,
    ).toBe(403);

    const bad = await editor.patch('/api/v1/kb/settings', { feedbackReplyWorkingDays: 0 });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.json().errors[0].path).toBe('feedbackReplyWorkingDays');
    expect((await editor.patch('/api/v1/kb/settings', { unknown: 1 })).statusCode).toBe(400);

    const ok = await editor.patch('/api/v1/kb/settings', { feedbackReplyWorkingDays: 10 });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().data).toEqual({ feedbackReplyWorkingDays: 10 });
    expect((await admin.get('/api/v1/kb/settings')).json().data.feedbackReplyWorkingDays).toBe(10);
    const audit = (
      await admin.get('/api/v1/audit-events?targetType=kb_settings&targetId=workspace')
    ).json().data;
    expect(audit[0]).toMatchObject({
      action: 'kb_settings.update',
      diff: { feedbackReplyWorkingDays: { from: 30, to: 10 } },
    });
  });
});
