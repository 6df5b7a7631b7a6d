import { z } from 'zod';
import { KPI_KEYS, type KpiKey } from '../kpi/rules/kpis.js';
import { targetsSchema } from '../kpi/schemas.js';
import { PERIOD_PATTERN } from './rules/period.js';

const period = z
  .string()
  .regex(PERIOD_PATTERN, 'must be YYYY-MM or YYYY-Qn')
  .describe('A month (YYYY-MM) or a quarter (YYYY-Q1 … YYYY-Q4), in the workspace time zone');
const scope = {
  channel: z.enum(['chat', 'phone', 'email', 'portal', 'walk_in', 'api']).optional(),
  category: z.string().trim().min(1).max(64).optional(),
  tier: z.enum(['L1', 'L2', 'L3']).optional(),
};
const lang = z.enum(['zh-CN', 'en-US']).default('zh-CN');

export const serviceReportQuery = z.object({ period, ...scope });
export const serviceReportPdfQuery = serviceReportQuery.extend({ lang });

const kpiResult = z.object({
  value: z.number().nullable(),
  numerator: z.number(),
  denominator: z.number(),
  status: z.enum(['na', 'info', 'met', 'below_target', 'below_floor']),
});
const kpis = z.object(
  Object.fromEntries(KPI_KEYS.map((k) => [k, kpiResult])) as Record<KpiKey, typeof kpiResult>,
);
const tagCount = z.object({ tag: z.string(), count: z.number().int() });

export const repeatSummarySchema = z
  .object({
    period: z.string(),
    windowDays: z.number().int(),
    received: z.number().int(),
    repeatTickets: z.number().int().describe('Repeating by customer or by subject (each once)'),
    byCustomer: z.object({ tickets: z.number().int(), customers: z.number().int() }),
    bySubject: z.object({ tickets: z.number().int(), patterns: z.number().int() }),
    topCustomers: z.array(
      z.object({
        key: z.string().describe('The customer id (for the drill-down)'),
        name: z.string().describe('Masked'),
        repeats: z.number().int(),
        tickets: z.number().int(),
      }),
    ),
    topSubjects: z.array(
      z.object({
        key: z.string().describe('The normalised subject pattern'),
        repeats: z.number().int(),
        tickets: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'ReportRepeats' });

export const serviceReportSchema = z
  .object({
    period: z.string(),
    kind: z.enum(['month', 'quarter']),
    months: z.array(z.string()),
    timeZone: z.string(),
    generatedAt: z.string(),
    targetVersion: z.number().int(),
    targets: targetsSchema,
    kpis: kpis.describe('The period as a whole (its months’ facts summed, evaluated once)'),
    monthly: z.array(z.object({ month: z.string(), kpis })),
    trend: z.array(z.object({ month: z.string(), kpis })),
    assessments: z.array(
      z.object({
        month: z.string(),
        agents: z.number().int(),
        serviceStars: z.array(z.object({ name: z.string() })),
        warnings: z.array(z.object({ name: z.string(), kpis: z.array(z.enum(KPI_KEYS)) })),
      }),
    ),
    ledger: z.object({
      received: z.number().int(),
      categories: z.array(
        z.object({
          key: z.string(),
          count: z.number().int(),
          labelZh: z.string().nullable(),
          labelEn: z.string().nullable(),
        }),
      ),
      complaintCauses: z.array(tagCount),
      funnel: z.array(
        z.object({
          stage: z.string(),
          tickets: z.number().int(),
          totalMs: z.number(),
          meanMs: z.number(),
        }),
      ),
    }),
    repeats: repeatSummarySchema,
  })
  .meta({ id: 'ServiceReport' });

export const repeatQuery = z.object({ period, ...scope });
export const repeatTicketsQuery = repeatQuery.extend({
  kind: z.enum(['customer', 'subject']),
  key: z.string().min(1).max(500).optional().describe('One customer id or subject pattern'),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export const repeatTicketsSchema = z
  .object({
    count: z.number().int(),
    tickets: z.array(
      z.object({
        id: z.string(),
        number: z.string(),
        subject: z.string(),
        status: z.string(),
        channel: z.string(),
        category: z.string(),
        receivedAt: z.string(),
        teamName: z.string().nullable(),
        ownerName: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'ReportRepeatTickets' });

export const reportSettingsSchema = z
  .object({
    repeatWindowDays: z
      .number()
      .int()
      .min(1)
      .max(365)
      .describe('Repeat problems: another ticket within this many days'),
  })
  .meta({ id: 'ReportSettings' });

const scheduleFields = {
  name: z.string().trim().min(1).max(120),
  period: z.enum(['month', 'quarter']),
  recipients: z
    .array(z.email().max(254).toLowerCase())
    .min(1)
    .max(50)
    .refine((xs) => new Set(xs).size === xs.length, 'recipients must be different'),
  locale: z.enum(['zh-CN', 'en-US']),
  enabled: z.boolean(),
};
export const scheduleInput = z.strictObject({
  ...scheduleFields,
  locale: scheduleFields.locale.default('zh-CN'),
  enabled: scheduleFields.enabled.default(true),
});
export const schedulePatch = z.strictObject(scheduleFields).partial();
export const scheduleParams = z.object({ id: z.uuid() });
export const scheduleSchema = z
  .object({
    id: z.string(),
    ...scheduleFields,
    recipients: z.array(z.string()),
    lastPeriod: z.string().nullable().describe('The last period mailed'),
    lastSentAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'ReportSchedule' });

export const businessFunnelSchema = z
  .object({
    month: z.string(),
    calendar: z.string().nullable().describe('The default SLA calendar (null: round the clock)'),
    funnel: z.array(
      z.object({
        stage: z.string(),
        tickets: z.number().int(),
        totalMs: z.number(),
        meanMs: z.number(),
      }),
    ),
  })
  .meta({ id: 'ReportBusinessFunnel' });
