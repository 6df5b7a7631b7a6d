/**
 * What the SLA engine needs before its first ticket: the two calendars Kefu ships and version 1
 * of the policy list (SPEC chapter 3). Idempotent and safe when two processes start together:
 * every insert is keyed (seed key, policy version) and does nothing when the row exists, and
 * the yearly holiday data is merged under a row lock. Called from main.ts at start-up; the
 * clock functions call it too when they find no policy version (a fresh test database).
 */
import { isDeepStrictEqual } from 'node:util';
import { desc, eq, sql } from 'drizzle-orm';
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

/**
 * Version 1 as Kefu shipped it before issue 9: plain first-match, so an urgent L2 e-mail got
 * the level-2 policy's 3 working days and the urgency limits were lost. Kept to recognise a list
 * no administrator has changed, which start-up then upgrades (`upgradeLegacyUrgency`).
 */
export const LEGACY_INITIAL_POLICIES: StoredPolicy[] = INITIAL_POLICIES.map((p) => {
  if (p.applies !== 'always') return p;
  const { applies: _, ...rest } = p;
  const resolution = { ...p.targets[0]!, kind: 'resolution' as const, durationMs: 24 * 3_600_000 };
  return { ...rest, targets: [...p.targets, resolution] };
});

export const URGENCY_UPGRADE_REASON =
  'Urgency limits apply whatever the tier (SPEC 3, issue 9): the urgent and important ' +
  'policies apply on top of the first match; the stricter target of a kind wins.';

export interface SeedResult {
  calendarsCreated: number;
  holidayYearsAdded: number[];
  policyVersionCreated: boolean;
  /** The version written when an unchanged pre-issue-9 list was upgraded. */
  urgencyUpgradeVersion?: number;
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
    const upgraded = await upgradeLegacyUrgency(tx, now);
    return {
      calendarsCreated: created.length,
      holidayYearsAdded,
      policyVersionCreated: version.length > 0,
      ...(upgraded ? { urgencyUpgradeVersion: upgraded } : {}),
    };
  });
}

/**
 * When the current policy list is exactly the shipped pre-issue-9 version 1 (no administrator
 * changed it), writes the next version with today's defaults, so urgency limits hold whatever
 * the tier. A list an administrator edited is left alone (docs/sla.md: tick "always applies" on
 * the urgency policies). Tickets already running stay pinned to their version.
 */
async function upgradeLegacyUrgency(tx: Executor, now: Date): Promise<number | null> {
  const [current] = await tx
    .select({ version: slaPolicyVersions.version, policies: slaPolicyVersions.policies })
    .from(slaPolicyVersions)
    .orderBy(desc(slaPolicyVersions.version))
    .limit(1);
  if (!current) return null;
  // Through JSON, as stored (undefined fields dropped); key order does not matter.
  const legacy: unknown = JSON.parse(JSON.stringify(LEGACY_INITIAL_POLICIES));
  if (!isDeepStrictEqual(current.policies, legacy)) return null;
  const [row] = await tx
    .insert(slaPolicyVersions)
    .values({
      version: current.version + 1,
      policies: INITIAL_POLICIES,
      reason: URGENCY_UPGRADE_REASON,
      createdAt: now,
    })
    .onConflictDoNothing()
    .returning({ version: slaPolicyVersions.version });
  return row?.version ?? null;
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
