import { z } from 'zod';
import { KPI_KEYS, type KpiKey } from '../kpi/rules/kpis.js';
import { targetsSchema } from '../kpi/schemas.js';
import { QUEUES } from '../tickets/rules/vocabulary.js';
import { TODAY_FIGURES } from './today.js';

const month = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be YYYY-MM')
  .describe('A month, YYYY-MM, cut in the workspace time zone');

const channel = z.enum(['chat', 'phone', 'email', 'portal', 'walk_in', 'api']);

const scope = {
  channel: channel.optional(),
  category: z.string().trim().min(1).max(64).optional().describe('A ticket category key'),
  tier: z.enum(['L1', 'L2', 'L3']).optional(),
};

export const monthFilterQuery = z.object({
  month,
  teamId: z.uuid().optional().describe('Headline and rows for this team'),
  agentId: z.uuid().optional().describe('Headline and row for this agent'),
  ...scope,
});

export const drillQuery = z.object({
  month,
  kpi: z.enum(KPI_KEYS),
  part: z.enum(['numerator', 'denominator']).default('denominator'),
  subject: z.enum(['total', 'team', 'agent']).default('total'),
  id: z.uuid().optional().describe('The agent or team (required unless subject=total)'),
  ...scope,
});

export const drillListQuery = drillQuery.extend({
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export const exportQuery = monthFilterQuery.extend({
  table: z
    .enum(['kpis', 'trend', 'agents', 'teams', 'tickets'])
    .describe('Which table; tickets = the drill-down given by kpi/part/subject/id'),
  format: z.enum(['xlsx', 'csv']).default('xlsx'),
  kpi: z.enum(KPI_KEYS).optional(),
  part: z.enum(['numerator', 'denominator']).default('denominator'),
  subject: z.enum(['total', 'team', 'agent']).default('total'),
  id: z.uuid().optional(),
});

const status = z.enum(['na', 'info', 'met', 'below_target', 'below_floor']);
const kpiResult = z.object({
  value: z.number().nullable(),
  numerator: z.number(),
  denominator: z.number(),
  status,
});
const kpisSchema = z.object(
  Object.fromEntries(KPI_KEYS.map((k) => [k, kpiResult])) as Record<KpiKey, typeof kpiResult>,
);

export const monthDashboardSchema = z
  .object({
    month: z.string(),
    timeZone: z.string(),
    targetVersion: z.number().int(),
    targets: targetsSchema,
    subject: z.object({
      kind: z.enum(['total', 'team', 'agent']),
      id: z.string().nullable(),
      name: z.string().nullable(),
    }),
    kpis: kpisSchema,
    trend: z.array(z.object({ month: z.string(), kpis: kpisSchema })),
    csatCutoff: z.number().nullable(),
    agents: z.array(
      z.object({
        userId: z.string(),
        name: z.string(),
        teamIds: z.array(z.string()),
        kpis: kpisSchema,
        serviceStar: z.boolean(),
        warnings: z.array(z.enum(KPI_KEYS)),
      }),
    ),
    teams: z.array(z.object({ teamId: z.string(), name: z.string(), kpis: kpisSchema })),
  })
  .meta({ id: 'ReportMonth' });

const drillTicketSchema = z.object({
  id: z.string(),
  number: z.string(),
  subject: z.string(),
  status: z.string(),
  channel: z.string(),
  category: z.string(),
  tier: z.string(),
  receivedAt: z.string(),
  teamName: z.string().nullable(),
  ownerName: z.string().nullable(),
  handlerName: z.string().nullable(),
});

export const drillSchema = z
  .object({
    fact: z.string().describe('The KPI engine fact whose tickets are listed'),
    count: z.number().int().describe('How many items the engine counts (clocks, answers, tickets)'),
    tickets: z.array(drillTicketSchema),
  })
  .meta({ id: 'ReportDrill' });

export const todaySchema = z
  .object({
    date: z.string().describe('Today in the workspace time zone'),
    timeZone: z.string(),
    at: z.string(),
    volume: z.array(z.object({ channel: z.string(), hour: z.number(), count: z.number() })),
    received: z.number().int(),
    queues: z.record(z.string(), z.number()),
    waiting: z.number().int().describe('New or reopened, not yet taken up'),
    oldestWaitingAt: z.string().nullable(),
    slaAtRisk: z.number().int(),
    slaBreached: z.number().int(),
    greenComplaintsOpen: z.number().int(),
    csat: z.object({ answered: z.number().int(), average: z.number().nullable() }),
  })
  .meta({ id: 'ReportToday' });

export const todayDrillQuery = z.object({
  figure: z
    .enum(TODAY_FIGURES)
    .describe('The board figure; the oldest waiting ticket is the first of `waiting`'),
  channel: channel.optional().describe('figure=received: one channel (a bar of the chart)'),
  hour: z.coerce
    .number()
    .int()
    .min(0)
    .max(23)
    .optional()
    .describe('figure=received: one hour of the day, workspace time'),
  queue: z.enum(QUEUES).optional().describe('figure=queue: which queue'),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export const todayExportQuery = todayDrillQuery.omit({ limit: true }).extend({
  format: z.enum(['xlsx', 'csv']).default('xlsx'),
});

export const todayTicketsSchema = z
  .object({
    figure: z.enum(TODAY_FIGURES),
    date: z.string(),
    at: z.string(),
    count: z.number().int().describe('The figure as the board counts it now'),
    withoutTicket: z
      .number()
      .int()
      .describe('Counted items about no ticket (CSAT answers to campaigns; else 0)'),
    tickets: z.array(drillTicketSchema),
  })
  .meta({ id: 'ReportTodayTickets' });

export const ledgerQuery = z.object({ month, ...scope });

const tagCount = z.object({ tag: z.string(), count: z.number().int() });
export const ledgerSchema = z
  .object({
    month: z.string(),
    received: z.number().int(),
    categories: z.array(z.object({ key: z.string(), count: z.number().int() })),
    tags: z.array(tagCount),
    complaintCauses: z.array(tagCount).describe('Tags of the month’s complaints'),
    funnel: z
      .array(
        z.object({
          stage: z.string(),
          tickets: z.number().int(),
          totalMs: z.number(),
          meanMs: z.number(),
        }),
      )
      .describe('Wall-clock time spent in each status, from the status history'),
  })
  .meta({ id: 'ReportLedger' });
