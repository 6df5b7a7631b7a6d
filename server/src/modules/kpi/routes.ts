import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../context.js';
import { dataOf } from '../../lib/http.js';
import { localDateOf } from '../sla/rules/calendar.js';
import { kpiPolicy } from './policy.js';
import {
  correctBody,
  idParams,
  monthQuery,
  runBody,
  signBody,
  snapshotSchema,
  targetsBody,
  targetVersionSchema,
  trendQuery,
  trendSchema,
} from './schemas.js';
import {
  correctSnapshot,
  getSnapshot,
  listSnapshots,
  runAssessmentNow,
  signSnapshot,
  trendOf,
  workspaceTimeZone,
} from './snapshots.js';
import { currentTargets, listTargetVersions, saveTargets } from './targets.js';

/** KPI targets, the monthly assessment snapshots, and trends (docs/kpi.md). */
export async function kpiRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, clock } = app.deps;
  const tags = ['kpi'];

  r.get('/kpi/targets', {
    config: { permission: kpiPolicy.read },
    schema: {
      tags,
      summary: 'The current KPI targets and warning floors',
      response: { 200: dataOf(targetVersionSchema) },
    },
    handler: async () => ({ data: await currentTargets(db, clock.now()) }),
  });

  r.get('/kpi/targets/versions', {
    config: { permission: kpiPolicy.read },
    schema: {
      tags,
      summary: 'Every version of the targets, newest first (at most 100)',
      response: { 200: dataOf(z.array(targetVersionSchema)) },
    },
    handler: async () => ({ data: await listTargetVersions(db, clock.now()) }),
  });

  r.put('/kpi/targets', {
    config: { permission: kpiPolicy.targetsWrite },
    schema: {
      tags,
      summary: 'Save the targets as a new version (versions are never changed)',
      body: targetsBody,
      response: { 201: dataOf(targetVersionSchema) },
    },
    handler: async (req, reply) => {
      const v = await saveTargets(db, req.auditContext(), requireActor(req.actor), req.body);
      return reply.code(201).send({ data: v });
    },
  });

  r.get('/kpi/snapshots', {
    config: { permission: kpiPolicy.read },
    schema: {
      tags,
      summary: 'A month’s assessment snapshots, newest first (you see the rows you may see)',
      querystring: monthQuery,
      response: { 200: dataOf(z.array(snapshotSchema)) },
    },
    handler: async (req) => ({
      data: await listSnapshots(db, requireActor(req.actor), req.query.month),
    }),
  });

  r.post('/kpi/snapshots', {
    config: { permission: kpiPolicy.assess },
    schema: {
      tags,
      summary: 'Assess a month now: a new draft, or the month’s draft recomputed',
      body: runBody,
      response: { 200: dataOf(snapshotSchema), 201: dataOf(snapshotSchema) },
    },
    handler: async (req, reply) => {
      const out = await runAssessmentNow(
        db,
        req.auditContext(),
        requireActor(req.actor),
        req.body.month,
      );
      return reply.code(out.created ? 201 : 200).send({ data: out.snapshot });
    },
  });

  r.get('/kpi/snapshots/:id', {
    config: { permission: kpiPolicy.read },
    schema: {
      tags,
      summary: 'One snapshot (you see the rows you may see)',
      params: idParams,
      response: { 200: dataOf(snapshotSchema) },
    },
    handler: async (req) => ({
      data: await getSnapshot(db, requireActor(req.actor), req.params.id),
    }),
  });

  r.post('/kpi/snapshots/:id/sign', {
    config: { permission: kpiPolicy.assess },
    schema: {
      tags,
      summary: 'Sign a draft snapshot; it never changes afterwards',
      params: idParams,
      body: signBody,
      response: { 200: dataOf(snapshotSchema) },
    },
    handler: async (req) => ({
      data: await signSnapshot(
        db,
        req.auditContext(),
        requireActor(req.actor),
        req.params.id,
        req.body,
      ),
    }),
  });

  r.post('/kpi/snapshots/:id/correct', {
    config: { permission: kpiPolicy.assess },
    schema: {
      tags,
      summary: 'Correct a signed snapshot: a new draft linked to it, with the reason',
      params: idParams,
      body: correctBody,
      response: { 201: dataOf(snapshotSchema) },
    },
    handler: async (req, reply) => {
      const s = await correctSnapshot(
        db,
        req.auditContext(),
        requireActor(req.actor),
        req.params.id,
        req.body.reason,
      );
      return reply.code(201).send({ data: s });
    },
  });

  r.get('/kpi/trend', {
    config: { permission: kpiPolicy.read },
    schema: {
      tags,
      summary: 'An agent’s (default: yours) or a team’s KPIs month by month',
      querystring: trendQuery,
      response: { 200: dataOf(z.array(trendSchema)) },
    },
    handler: async (req) => {
      const to =
        req.query.to ?? localDateOf(clock.now().getTime(), await workspaceTimeZone(db)).slice(0, 7);
      return {
        data: await trendOf(db, requireActor(req.actor), { ...req.query, to }),
      };
    },
  });
}
