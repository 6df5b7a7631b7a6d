import { z } from 'zod';
import { pageQuery } from '../../lib/pagination.js';
import { CHANNELS, CUSTOMER_TIERS, PRIORITIES, TIERS } from '../tickets/rules/vocabulary.js';
import { RECIPIENTS } from './rules/escalation.js';
import { TARGET_KINDS } from './rules/policy.js';

// ---------------------------------------------------------------- calendars

const localTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be HH:MM between 00:00 and 24:00');

export const intervalSchema = z
  .strictObject({ start: localTime, end: localTime })
  .refine((i) => i.start < i.end, { message: 'start must be before end', path: ['end'] });

/** One day's working intervals, in order and not overlapping. */
const daySchedule = z
  .array(intervalSchema)
  .max(8)
  .refine((list) => list.every((i, n) => n === 0 || list[n - 1]!.end <= i.start), {
    message: 'intervals must be in order and must not overlap',
  });

export const timeZoneSchema = z
  .string()
  .min(1)
  .max(64)
  .refine(
    (tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    },
    { message: 'must be an IANA time zone such as Asia/Shanghai' },
  )
  .describe('IANA time zone, e.g. Asia/Shanghai');

export const weeklySchema = z
  .array(daySchedule)
  .length(7)
  .refine((week) => week.some((d) => d.length > 0), {
    message: 'the week needs at least one working interval',
  })
  .describe('Seven days, Sunday first, each a list of {start, end} working intervals');

export const calendarBody = z.strictObject({
  name: z.string().trim().min(1).max(100).describe('e.g. 中国大陆工作日'),
  timeZone: timeZoneSchema,
  weekly: weeklySchema,
  makeUpHours: daySchedule
    .nullable()
    .default(null)
    .describe('Working intervals on a make-up day (调休); null = Monday’s'),
  isDefault: z.boolean().default(false).describe('The calendar of teams that chose none'),
});

export const calendarPatchBody = z.strictObject({
  name: calendarBody.shape.name.optional(),
  timeZone: timeZoneSchema.optional(),
  weekly: weeklySchema.optional(),
  makeUpHours: daySchedule.nullable().optional(),
  isDefault: z
    .literal(true)
    .optional()
    .describe('Make this the default (another calendar stops being it)'),
});

export const calendarSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    timeZone: z.string(),
    weekly: z.array(z.array(z.object({ start: z.string(), end: z.string() }))),
    makeUpHours: z.array(z.object({ start: z.string(), end: z.string() })).nullable(),
    isDefault: z.boolean(),
    seedKey: z.string().nullable().describe('cn_workdays or 24x7 for the calendars Kefu ships'),
    teams: z.array(z.object({ id: z.uuid(), name: z.string() })),
    revision: z.number().int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'SlaCalendar' });

export const dayKind = z.enum(['holiday', 'workday']);

export const daySchema = z
  .object({
    date: z.iso.date(),
    kind: dayKind.describe('holiday = no working time; workday = make-up working day (调休)'),
    name: z.string(),
  })
  .meta({ id: 'SlaCalendarDay' });

export const daysBody = z.strictObject({
  days: z
    .array(
      z.strictObject({
        date: z.iso.date(),
        kind: dayKind,
        name: z.string().trim().max(100).default(''),
      }),
    )
    .min(1)
    .max(2000),
});

export const listDaysQuery = pageQuery.extend({
  year: z.coerce.number().int().min(1970).max(2200).optional(),
});

export const dayParams = z.object({ id: z.uuid(), date: z.iso.date() });

export const icsImportBody = z.strictObject({
  ics: z.string().min(1).describe('The text of an .ics file (see docs/sla.md for the format)'),
  mode: z
    .enum(['merge', 'replace'])
    .default('merge')
    .describe('merge: add or change the listed dates; replace: first remove every day'),
});

export const importYearBody = z
  .strictObject({
    year: z.number().int().min(2000).max(2100),
    source: z
      .enum(['bundled', 'ics', 'json'])
      .describe('bundled: the China holiday data shipped with Kefu; ics / json: an uploaded file'),
    text: z.string().min(1).max(2_000_000).optional().describe('The file (ics, json)'),
    mode: z
      .enum(['merge', 'replace'])
      .default('merge')
      .describe('merge: add or change the year’s dates; replace: the year holds exactly these'),
  })
  .refine((b) => b.source === 'bundled' || b.text !== undefined, {
    message: 'required for an ics or json file',
    path: ['text'],
  });

export const importYearResult = z
  .object({
    year: z.number().int(),
    added: z.number().int(),
    changed: z.number().int(),
    unchanged: z.number().int(),
    removed: z.number().int(),
    skipped: z.array(z.object({ summary: z.string(), reason: z.string() })),
  })
  .meta({ id: 'SlaImportYear' });

export const coverageSchema = z
  .object({
    warnDays: z.number().int().describe('The calendarWarningDays setting'),
    bundledYears: z.array(z.number().int()),
    calendars: z.array(
      z.object({
        id: z.uuid(),
        name: z.string(),
        timeZone: z.string(),
        isDefault: z.boolean(),
        years: z.array(z.number().int()).describe('Years with holiday data'),
        observesHolidays: z.boolean().describe('False: no holiday data at all (24×7): no warning'),
        coveredUntil: z.iso.date().nullable(),
        missingFrom: z.iso.date().nullable(),
        missingYear: z.number().int().nullable().describe('The year to import'),
        warn: z.boolean(),
      }),
    ),
  })
  .meta({ id: 'SlaCalendarCoverage' });

export const icsImportResult = z
  .object({
    added: z.number().int(),
    changed: z.number().int(),
    unchanged: z.number().int(),
    removed: z.number().int(),
    skipped: z.array(z.object({ summary: z.string(), reason: z.string() })),
  })
  .meta({ id: 'SlaIcsImport' });

export const teamCalendarBody = z.strictObject({
  calendarId: z.uuid().nullable().describe('null = the default calendar'),
});

// ---------------------------------------------------------------- preview

export const previewQuery = z.object({
  calendarId: z.uuid().optional().describe('Default: the default calendar'),
  receivedAt: z.iso.datetime({ offset: true }),
  channel: z.enum(CHANNELS),
  category: z.string().min(1).max(40),
  tier: z.enum(TIERS),
  priority: z.enum(PRIORITIES),
  customerTier: z.enum(CUSTOMER_TIERS).default('regular'),
  version: z.coerce.number().int().min(1).optional().describe('Default: the current version'),
});

export const prioritySuggestionQuery = z.object({
  category: z.string().min(1).max(40),
  tier: z.enum(TIERS),
  customerTier: z.enum(CUSTOMER_TIERS).optional().describe('Default: the customer’s, else regular'),
  customerId: z.uuid().optional().describe('An existing customer: their tier is used'),
});

export const prioritySuggestionSchema = z
  .object({
    priority: z.enum(PRIORITIES),
    reasons: z.array(z.enum(['tier_l2', 'tier_l3', 'complaint', 'vip'])),
    customerTier: z.enum(CUSTOMER_TIERS),
  })
  .meta({ id: 'SlaPrioritySuggestion' });

const policyRef = z.object({
  key: z.string(),
  name: z.object({ zh: z.string(), en: z.string() }),
});

export const previewSchema = z
  .object({
    policyVersion: z.number().int(),
    policy: policyRef.nullable().describe('The base policy (first first_match match)'),
    applying: z
      .array(policyRef.extend({ applies: z.enum(['first_match', 'always']) }))
      .describe('Every policy that applies, in list order: the base and matching always ones'),
    calendar: z.object({ id: z.uuid(), name: z.string(), timeZone: z.string() }),
    receivedAt: z.iso.datetime(),
    receivedInWorkingHours: z.boolean(),
    targets: z.array(
      z.object({
        kind: z.enum(TARGET_KINDS),
        source: policyRef.describe('The policy this target came from'),
        overruled: z
          .array(
            policyRef.extend({
              limitMs: z.number(),
              dueAt: z.iso.datetime(),
              dueAtLocal: z.string(),
            }),
          )
          .describe('Targets of the same kind from other applying policies, due later'),
        clock: z.enum(['business', '24x7']),
        limitMs: z.number(),
        warnAt: z.iso.datetime(),
        dueAt: z.iso.datetime(),
        dueAtLocal: z.string().describe('The due time in the calendar’s zone, with its offset'),
        pausesWhilePendingCustomer: z.boolean(),
        repeats: z.boolean(),
      }),
    ),
  })
  .meta({ id: 'SlaPreview' });

// ---------------------------------------------------------------- policies

const MAX_MS = 366 * 86_400_000;

export const targetSchema = z
  .strictObject({
    kind: z.enum(TARGET_KINDS),
    durationMs: z
      .number()
      .int()
      .min(0)
      .max(MAX_MS)
      .describe('The limit in milliseconds (0 only with workingDays)'),
    workingDays: z.number().int().min(1).max(250).optional(),
    clock: z.enum(['business', '24x7']),
    pausesWhilePendingCustomer: z.boolean(),
    warnAt: z.number().gt(0).lt(1).default(0.8).describe('Fraction of the limit: warn at 80 %'),
    repeats: z.boolean().default(false),
    onlyOutsideWorkingHours: z.boolean().optional(),
    onlyInsideWorkingHours: z.boolean().optional(),
  })
  .refine((t) => t.durationMs > 0 || t.workingDays !== undefined, {
    message: 'must be greater than 0 (or give workingDays)',
    path: ['durationMs'],
  })
  .refine((t) => !(t.onlyInsideWorkingHours && t.onlyOutsideWorkingHours), {
    message: 'a target cannot apply only inside and only outside working hours',
    path: ['onlyOutsideWorkingHours'],
  });

const list = <T extends z.ZodType>(item: T) => z.array(item).max(50).optional();

export const escalationSchema = z.strictObject({
  warning: z.strictObject({ notify: z.array(z.enum(RECIPIENTS)).max(4) }),
  breach: z.strictObject({
    notify: z.array(z.enum(RECIPIENTS)).max(4),
    raisePriority: z.boolean().default(false),
    raiseTier: z
      .boolean()
      .optional()
      .describe('Also raise the tier one step (L1 → L2 → L3 = green channel)'),
    assignTeamId: z
      .uuid()
      .nullable()
      .optional()
      .describe('Also hand the ticket to this team (404 when it does not exist)'),
  }),
});

export const policySchema = z.strictObject({
  key: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be lower-case letters, digits and _')
    .describe('Stable identifier, e.g. complaint'),
  name: z.strictObject({
    zh: z.string().trim().min(1).max(100),
    en: z.string().trim().min(1).max(100),
  }),
  match: z.strictObject({
    channels: list(z.enum(CHANNELS)),
    categories: list(z.string().min(1).max(40)),
    tiers: list(z.enum(TIERS)),
    priorities: list(z.enum(PRIORITIES)),
    customerTiers: list(z.enum(CUSTOMER_TIERS)),
  }),
  targets: z.array(targetSchema).max(20),
  applies: z
    .enum(['first_match', 'always'])
    .optional()
    .describe(
      'first_match (default): only the first matching such policy applies; always: applies ' +
        'on top of it whenever it matches. Per target kind the earliest due wins.',
    ),
  escalation: escalationSchema
    .optional()
    .describe('Default: warn the owner; breach → owner, team lead, supervisors'),
});

export const policiesBody = z.strictObject({
  policies: z
    .array(policySchema)
    .min(1)
    .max(100)
    .describe('First first_match policy + every matching always policy; per kind the strictest'),
  reason: z.string().trim().min(1).max(1000).describe('Why: shown in the version history'),
  baseVersion: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('The version this edit started from; 409 when another edit came first'),
});

export type PoliciesInput = z.output<typeof policiesBody>;

export const policyVersionSchema = z
  .object({
    version: z.number().int(),
    policies: z.array(policySchema),
    reason: z.string(),
    createdBy: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'SlaPolicyVersion' });

export const policyVersionSummarySchema = policyVersionSchema
  .omit({ policies: true })
  .extend({ policyCount: z.number().int() })
  .meta({ id: 'SlaPolicyVersionSummary' });

export const versionParams = z.object({ version: z.coerce.number().int().min(1) });

export const diffQuery = z.object({
  from: z.coerce.number().int().min(1),
  to: z.coerce.number().int().min(1).optional().describe('Default: the current version'),
});

export const policyDiffSchema = z
  .object({
    from: z.number().int(),
    to: z.number().int(),
    added: z.array(z.string()),
    removed: z.array(z.string()),
    changed: z.array(
      z.object({
        key: z.string(),
        changes: z.array(z.object({ path: z.string(), from: z.unknown(), to: z.unknown() })),
      }),
    ),
    orderChanged: z.boolean(),
  })
  .meta({ id: 'SlaPolicyDiff' });
