import { z } from 'zod';

const date = z.iso.date().describe('YYYY-MM-DD');
const week = date.refine((d) => new Date(`${d}T00:00:00Z`).getUTCDay() === 1, 'must be a Monday');
const person = z.object({ id: z.string(), name: z.string() });

export const idParams = z.object({ id: z.uuid() });

export const settingsSchema = z
  .object({
    samplePercent: z.number().describe('Share of each agent’s handled tickets sampled weekly (10)'),
    minPerAgent: z.number().int().describe('At least this many items per active agent (1)'),
    samplingWeekday: z
      .number()
      .int()
      .describe('Weekday the job draws last week’s sample (1 = Monday)'),
    samplingHour: z.number().int().describe('Local hour from which the job draws (6)'),
    appealWorkingDays: z.number().int().describe('Working days an agent has to appeal (3)'),
    lowCsatBelow: z.number().int().describe('A CSAT answer below this (0–100) is “low CSAT”'),
    failRatio: z.number().describe('A criterion scored below this share of its scale fails'),
    trainingFailures: z
      .number()
      .int()
      .describe('Failures of one criterion that open a training need'),
    trainingWeeks: z.number().int().describe('… within this many weeks'),
  })
  .meta({ id: 'QaSettings' });

export const settingsBody = z.strictObject({
  samplePercent: z.number().gt(0).max(100).optional(),
  minPerAgent: z.number().int().min(0).max(100).optional(),
  samplingWeekday: z.number().int().min(1).max(7).optional(),
  samplingHour: z.number().int().min(0).max(23).optional(),
  appealWorkingDays: z.number().int().min(1).max(30).optional(),
  lowCsatBelow: z.number().int().min(1).max(100).optional(),
  failRatio: z.number().gt(0).max(1).optional(),
  trainingFailures: z.number().int().min(1).max(50).optional(),
  trainingWeeks: z.number().int().min(1).max(52).optional(),
});

const criterion = z.strictObject({
  key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/),
  label: z.string().trim().min(1).max(100),
  labelEn: z.string().trim().max(100).optional(),
  weight: z.number().min(0).max(100),
  scale: z.number().int().min(1).max(10),
  critical: z.boolean(),
});

export const scorecardSchema = z
  .object({
    version: z.number().int(),
    criteria: z.array(criterion),
    reason: z.string(),
    createdBy: person.nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'QaScorecard' });

export const scorecardBody = z.strictObject({
  criteria: z.array(criterion).min(1).max(30),
  reason: z.string().trim().min(1).max(1000),
  baseVersion: z.number().int().min(1).optional(),
});

export const runSchema = z
  .object({
    id: z.string(),
    weekStart: z.string(),
    seed: z.string().describe('Draw again with this seed to get the same sample'),
    percent: z.number(),
    minPerAgent: z.number().int(),
    source: z.enum(['job', 'manual']),
    candidates: z.number().int(),
    sampled: z.number().int(),
    createdAt: z.string(),
  })
  .meta({ id: 'QaSampleRun' });

export const drawBody = z.strictObject({
  week: week.describe('The Monday of the week to sample (workspace time zone)'),
  seed: z.string().trim().min(1).max(100).optional().describe('Default: a random one (stored)'),
});

const reason = z.enum(['random', 'complaint', 'breached', 'low_csat']);
export const itemSchema = z
  .object({
    id: z.string(),
    ticketId: z.string(),
    ticketNumber: z.string(),
    subject: z.string(),
    agent: person,
    inspector: person.nullable(),
    channel: z.string(),
    category: z.string(),
    reason,
    weekStart: z.string(),
    calibration: z.boolean(),
    status: z.enum(['open', 'scored']),
    myEvaluation: z.enum(['draft', 'submitted']).nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'QaItem' });

export const itemsQuery = z.object({
  status: z.enum(['open', 'scored']).optional(),
  week: week.optional(),
});

export const addItemBody = z.strictObject({
  ticketId: z.uuid(),
  reason: z.enum(['complaint', 'breached', 'low_csat']),
});

export const calibrationBody = z.strictObject({ calibration: z.boolean() });

export const evaluationSchema = z
  .object({
    id: z.string(),
    itemId: z.string(),
    inspector: person,
    scorecardVersion: z
      .number()
      .int()
      .describe('The scorecard version this evaluation is pinned to'),
    scores: z.record(z.string(), z.number()),
    comments: z.record(z.string(), z.string()),
    summary: z.string(),
    total: z.number().nullable().describe('On 100 points; 0 when a critical item failed'),
    criticalFailed: z.boolean(),
    failedCriteria: z.array(z.string()),
    status: z.enum(['draft', 'submitted']),
    submittedAt: z.string().nullable(),
    appealDeadline: z.string().nullable(),
    official: z.boolean().describe('The assigned inspector’s (others are calibration)'),
  })
  .meta({ id: 'QaEvaluation' });

export const evaluationBody = z.strictObject({
  scores: z.record(z.string().max(40), z.number().int().min(0).max(10)),
  comments: z.record(z.string().max(40), z.string().max(2000)).default({}),
  summary: z.string().max(2000).optional(),
  submit: z.boolean().default(false).describe('false: save a draft to come back to'),
});

const finding = z.object({
  kind: z.enum([
    'forbidden_phrase',
    'missing_greeting',
    'missing_closing',
    'sla_missed',
    'citation_contradiction',
  ]),
  eventId: z.string().optional(),
  phrase: z.string().optional(),
  suggestion: z.string().optional(),
  sentence: z.string().optional(),
  start: z.number().optional(),
  end: z.number().optional(),
  target: z.string().optional(),
  occurrence: z.number().optional(),
  dueAt: z.string().optional(),
  breachedAt: z.string().optional(),
  reason: z
    .enum(['changed', 'differs'])
    .optional()
    .describe('citation_contradiction: the figure was in the cited version (changed) or never'),
  articleId: z.string().optional(),
  title: z.string().optional(),
  citedVersion: z.number().optional(),
  currentVersion: z.number().optional(),
  figure: z.string().optional().describe('The figure of the reply the current article contradicts'),
  currentFigures: z.array(z.string()).optional(),
  currentSentence: z.string().optional(),
});
export const checksSchema = z.array(finding).meta({ id: 'QaCheckFindings' });

export const itemDetailSchema = z
  .object({
    item: itemSchema,
    ticket: z.object({
      description: z.string(),
      status: z.string(),
      priority: z.string(),
      receivedAt: z.string(),
    }),
    timeline: z.array(
      z.object({
        id: z.string(),
        kind: z.string(),
        at: z.string(),
        actorName: z.string().nullable(),
        visibility: z.string(),
        body: z.string().nullable(),
      }),
    ),
    checks: checksSchema,
    scorecard: scorecardSchema,
    evaluations: z.array(evaluationSchema),
    spread: z.number().nullable().describe('Calibration: max − min of the submitted totals'),
  })
  .meta({ id: 'QaItemDetail' });

const appealBase = {
  id: z.string(),
  evaluationId: z.string(),
  agent: person,
  reason: z.string(),
  status: z.enum(['pending', 'upheld', 'rejected']),
  revisedTotal: z.number().nullable(),
  decisionNote: z.string().nullable(),
  decidedBy: person.nullable(),
  decidedAt: z.string().nullable(),
  createdAt: z.string(),
};
export const appealSchema = z.object(appealBase).meta({ id: 'QaAppeal' });
export const appealViewSchema = z
  .object({ ...appealBase, evaluation: evaluationSchema, ticketNumber: z.string() })
  .meta({ id: 'QaAppealView' });

export const appealBody = z.strictObject({ reason: z.string().trim().min(1).max(2000) });
export const appealsQuery = z.object({
  status: z.enum(['pending', 'upheld', 'rejected']).optional(),
});
export const decisionBody = z.strictObject({
  decision: z.enum(['upheld', 'rejected']),
  revisedTotal: z.number().min(0).max(100).optional().describe('Required when upheld'),
  note: z.string().trim().min(1).max(2000),
});

export const resultSchema = z
  .object({
    evaluation: evaluationSchema,
    ticketNumber: z.string(),
    subject: z.string(),
    weekStart: z.string(),
    criteria: z.array(criterion),
    appeal: appealSchema.nullable(),
    canAppeal: z.boolean(),
    finalTotal: z.number().describe('The total, or the revised total of an upheld appeal'),
  })
  .meta({ id: 'QaResult' });

const bucket = {
  count: z.number().int(),
  average: z.number().nullable(),
  criticalFails: z.number().int(),
  mostFailed: z.array(z.object({ key: z.string(), count: z.number().int() })),
  previousAverage: z.number().nullable(),
};
export const reportSchema = z
  .object({
    week: z.string(),
    agents: z.array(
      z.object({ userId: z.string(), name: z.string(), teamIds: z.array(z.string()), ...bucket }),
    ),
    teams: z.array(z.object({ teamId: z.string(), name: z.string(), ...bucket })),
    calibration: z.array(
      z.object({
        itemId: z.string(),
        ticketNumber: z.string(),
        totals: z.array(z.number()),
        spread: z.number().nullable(),
      }),
    ),
  })
  .meta({ id: 'QaReport' });
export const reportQuery = z.object({ week });

export const scoresQuery = z.object({
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be YYYY-MM'),
});
export const scoresSchema = z
  .array(z.object({ userId: z.string(), count: z.number().int(), average: z.number() }))
  .meta({ id: 'QaScores' });

export const trainingNeedSchema = z
  .object({
    id: z.string(),
    agent: person,
    criterionKey: z.string(),
    failures: z.number().int(),
    status: z.enum(['open', 'done']),
    createdAt: z.string(),
  })
  .meta({ id: 'QaTrainingNeed' });
