/**
 * What the SLA engine needs before its first ticket: the two calendars Kefu ships and version 1
 * of the policy list (SPEC chapter 3). Idempotent and safe when two processes start together:
 * every insert is keyed (seed key, policy version) and does nothing when the row exists, and
 * the yearly holiday data is merged under a row lock. Called from main.ts at start-up; the
 * clock functions call it too when they find no policy version (a fresh test database).
 */
import { eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { slaCalendarDays, slaCalendars, slaPolicyVersions } from '../../db/schema/index.js';
import holidays from './data/cn-holidays.json' with { type: 'json' };
import { DEFAULT_SLA_POLICIES } from './rules/defaults.js';
import { DEFAULT_ESCALATION, type StoredPolicy } from './rules/escalation.js';

export const CN_CALENDAR_KEY = 'cn_workdays';
export const ALWAYS_OPEN_KEY = '24x7';

const officeHours = [
  { start: '09:00', end: '12:00' },
  { start: '13:30', end: '18:00' },
];
const allDay = [{ start: '00:00', end: '24:00' }];

/** Version 1: SPEC chapter 3's limits with the default escalation chain written out. */
export const INITIAL_POLICIES: StoredPolicy[] = DEFAULT_SLA_POLICIES.map((p) => ({
  ...p,
  escalation: DEFAULT_ESCALATION,
}));

export interface SeedResult {
  calendarsCreated: number;
  holidayYearsAdded: number[];
  policyVersionCreated: boolean;
}

export function seedSlaDefaults(ex: Executor, now: Date): Promise<SeedResult> {
  return ex.transaction(async (tx) => {
    const created = await tx
      .insert(slaCalendars)
      .values([
        {
          seedKey: CN_CALENDAR_KEY,
          name: '中国大陆工作日',
          timeZone: 'Asia/Shanghai',
          weekly: [[], officeHours, officeHours, officeHours, officeHours, officeHours, []],
          makeUpHours: null,
          isDefault: true,
          createdAt: now,
          updatedAt: now,
        },
        {
          seedKey: ALWAYS_OPEN_KEY,
          name: '24×7',
          timeZone: 'Asia/Shanghai',
          weekly: Array.from({ length: 7 }, () => allDay),
          createdAt: now,
          updatedAt: now,
        },
      ])
      .onConflictDoNothing()
      .returning({ id: slaCalendars.id });
    const holidayYearsAdded = await mergeBundledHolidays(tx, now);
    const version = await tx
      .insert(slaPolicyVersions)
      .values({
        version: 1,
        policies: INITIAL_POLICIES,
        reason: 'Defaults of the service manual (SPEC chapter 3)',
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning({ version: slaPolicyVersions.version });
    return {
      calendarsCreated: created.length,
      holidayYearsAdded,
      policyVersionCreated: version.length > 0,
    };
  });
}

/**
 * Adds to the China calendar the years of `data/cn-holidays.json` it has not received yet, so a
 * release with next year's data brings it in at start-up. Dates the administrator already set
 * are left as they are.
 */
async function mergeBundledHolidays(tx: Executor, now: Date): Promise<number[]> {
  const [cal] = await tx
    .select({ id: slaCalendars.id, years: slaCalendars.bundledYears })
    .from(slaCalendars)
    .where(eq(slaCalendars.seedKey, CN_CALENDAR_KEY))
    .for('update');
  if (!cal) return [];
  const missing = holidays.years.filter((y) => !cal.years.includes(y));
  if (missing.length === 0) return [];
  const days = holidays.days
    .filter((d) => missing.includes(Number(d.date.slice(0, 4))))
    .map((d) => ({
      calendarId: cal.id,
      date: d.date,
      kind: d.kind as 'holiday' | 'workday',
      name: d.nameZh,
    }));
  if (days.length) await tx.insert(slaCalendarDays).values(days).onConflictDoNothing();
  await tx
    .update(slaCalendars)
    .set({
      bundledYears: [...cal.years, ...missing].sort(),
      revision: sql`${slaCalendars.revision} + 1`,
      updatedAt: now,
    })
    .where(eq(slaCalendars.id, cal.id));
  return missing;
}
