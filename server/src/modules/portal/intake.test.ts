import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portalSettings, users } from '../../db/schema/index.js';
import { createTestContext, type TestContext } from '../../test/harness.js';
import { registerTicket } from '../tickets/test-support.js';
import { portalIntakeUser } from './settings.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

const pick = async () => (await portalIntakeUser(t.database.db))?.id ?? null;
const setActive = (ids: string[], active: boolean) =>
  t.database.db.update(users).set({ active }).where(inArray(users.id, ids));
const setIntake = (id: string | null) =>
  t.database.db.update(portalSettings).set({ intakeUserId: id }).where(eq(portalSettings.id, true));

describe('who receives a portal request, chat or mail', () => {
  it('the configured user while active, else the least busy agent, else a supervisor, else nobody', async () => {
    await t.database.db.update(users).set({ active: false });
    expect(await pick()).toBeNull();
    const admin = await t.buildUser({ roles: ['admin'] });
    expect(await pick()).toBeNull(); // never an administrator just for being one

    const supervisor = await t.buildUser({ roles: ['supervisor'], name: '主管' });
    expect(await portalIntakeUser(t.database.db)).toEqual({
      id: supervisor.id,
      name: '主管',
      email: supervisor.email,
      roles: ['supervisor'],
    });

    t.clock.advance(1000);
    const busy = await t.as('agent');
    t.clock.advance(1000);
    const idle = await t.buildUser({ roles: ['agent'] });
    expect(await pick()).toBe(busy.user.id); // a tie: the longest-standing agent
    await registerTicket(busy);
    expect(await pick()).toBe(idle.id); // fewer open tickets

    await setIntake(admin.id);
    expect(await pick()).toBe(admin.id); // configured: whoever the administrator chose
    await setActive([admin.id], false);
    expect(await pick()).toBe(idle.id); // configured but inactive: the front line
    await setActive([busy.user.id, idle.id], false);
    expect(await pick()).toBe(supervisor.id);
    await setIntake(null);
  });
});
