import { z } from 'zod';
import { emptyFacts, KPI_KEYS, type KpiFacts, type KpiKey } from './rules/kpis.js';

const month = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be YYYY-MM')
  .describe('A month, YYYY-MM, cut in the workspace time zone (Asia/Shanghai by default)');

const limit = z.number().min(0).max(1e12).nullable();
const targetSchema = z.strictObject({
  target: limit.describe('Met at this value or better; null = no target (informational)'),
  floor: limit.describe('Worse than this = a written warning; null = no floor'),
});
const targetsShape = Object.fromEntries(KPI_KEYS.map((k) => [k, targetSchema])) as Record<
  KpiKey,
  typeof targetSchema
>;
export const targetsSchema = z.strictObject(targetsShape);

export const targetsBody = z.strictObject({
  targets: targetsSchema,
  reason: z.string().trim().min(1).max(1000).describe('Why the targets change (kept forever)'),
  baseVersion: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('409 unless this is the current version'),
});

const person = z.object({ id: z.string(), name: z.string() });

export const targetVersionSchema = z
  .object({
    version: z.number().int(),
    targets: targetsSchema,
    reason: z.string(),
    createdBy: person.nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'KpiTargetVersion' });

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
const factsSchema = z
  .object(
    Object.fromEntries(Object.keys(emptyFacts()).map((k) => [k, z.number()])) as Record<
      keyof KpiFacts,
      z.ZodNumber
    >,
  )
  .describe('The counts the KPIs are computed from (docs/kpi.md)');
const grade = z.enum(['A', 'B', 'C']).nullable();

export const snapshotSchema = z
  .object({
    id: z.uuid(),
    month: z.string(),
    status: z.enum(['draft', 'signed']),
    revision: z.number().int().describe('Sign with the revision you reviewed'),
    source: z.enum(['job', 'manual', 'correction']),
    targetVersion: z.number().int().describe('The target version the month was assessed with'),
    computedAt: z.string(),
    computedBy: person.nullable(),
    supersedesId: z.string().nullable().describe('The signed snapshot this one corrects'),
    supersededById: z.string().nullable(),
    correctionReason: z.string().nullable(),
    signedAt: z.string().nullable(),
    signedBy: person.nullable(),
    signNote: z.string().nullable(),
    results: z.object({
      month: z.string(),
      timeZone: z.string(),
      targets: targetsSchema,
      csatCutoff: z.number().nullable().describe('The CSAT of the top 10 % of agents'),
      quarterEnd: z.boolean(),
      agents: z.array(
        z.object({
          userId: z.string(),
          name: z.string(),
          teamIds: z.array(z.string()),
          facts: factsSchema,
          kpis: kpisSchema,
          outcome: z.object({
            serviceStar: z.boolean(),
            warnings: z.array(z.enum(KPI_KEYS)),
            trainingRequired: z.boolean(),
            grade,
            quarterRating: grade,
          }),
          qa: z
            .object({ count: z.number(), average: z.number() })
            .nullable()
            .describe('QA average of the weeks starting in the month (informational)'),
        }),
      ),
      teams: z.array(
        z.object({
          teamId: z.string(),
          name: z.string(),
          facts: factsSchema,
          kpis: kpisSchema,
          recognised: z.boolean().nullable(),
        }),
      ),
    }),
  })
  .meta({ id: 'KpiSnapshot' });

export const runBody = z.strictObject({ month });
export const monthQuery = z.object({ month });
export const idParams = z.object({ id: z.uuid() });
export const signBody = z.strictObject({
  revision: z.number().int().min(1).describe('The revision reviewed; 409 if it was recomputed'),
  note: z.string().trim().max(1000).optional(),
});
export const correctBody = z.strictObject({
  reason: z.string().trim().min(1).max(1000).describe('Why the signed snapshot is corrected'),
});
export const trendQuery = z.object({
  userId: z.uuid().optional().describe('Default: yourself'),
  teamId: z.uuid().optional(),
  to: month.optional().describe('Last month of the trend; default: the current month'),
  months: z.coerce.number().int().min(1).max(24).default(6),
});
export const trendSchema = z
  .object({
    month: z.string(),
    snapshotId: z.string().nullable(),
    signed: z.boolean(),
    values: z.record(z.string(), z.number().nullable()),
    statuses: z.record(z.string(), status),
  })
  .meta({ id: 'KpiTrendPoint' });
