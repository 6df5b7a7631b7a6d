import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../context.js';
import { dataOf } from '../../lib/http.js';
import { addMonths } from '../kpi/rules/assessment.js';
import { decideAppeal, fileAppeal, listAppeals, myResults } from './appeals.js';
import {
  addItem,
  checksForTicket,
  getItem,
  listItems,
  saveEvaluation,
  setCalibration,
} from './items.js';
import { qaPolicy } from './policy.js';
import { listTrainingNeeds, qaAverages, weeklyReport } from './report.js';
import { drawWeek, listRuns } from './sampling.js';
import {
  addItemBody,
  appealBody,
  appealSchema,
  appealsQuery,
  appealViewSchema,
  calibrationBody,
  checksSchema,
  decisionBody,
  drawBody,
  evaluationBody,
  evaluationSchema,
  idParams,
  itemDetailSchema,
  itemSchema,
  itemsQuery,
  reportQuery,
  reportSchema,
  resultSchema,
  runSchema,
  scorecardBody,
  scorecardSchema,
  scoresQuery,
  scoresSchema,
  settingsBody,
  settingsSchema,
  trainingNeedSchema,
} from './schemas.js';
import {
  currentScorecard,
  getQaSettings,
  listScorecards,
  saveScorecard,
  updateQaSettings,
} from './settings.js';

/** Quality inspection: sampling, scoring, checks, results, appeals, reports (docs/qa.md). */
export async function qaRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, clock } = app.deps;
  const tags = ['qa'];

  r.get('/qa/settings', {
    config: { permission: qaPolicy.read },
    schema: { tags, summary: 'QA settings', response: { 200: dataOf(settingsSchema) } },
    handler: async () => ({ data: await getQaSettings(db) }),
  });

  r.patch('/qa/settings', {
    config: { permission: qaPolicy.settingsWrite },
    schema: {
      tags,
      summary: 'Change QA settings',
      body: settingsBody,
      response: { 200: dataOf(settingsSchema) },
    },
    handler: async (req) => ({ data: await updateQaSettings(db, req.auditContext(), req.body) }),
  });

  r.get('/qa/scorecards', {
    config: { permission: qaPolicy.read },
    schema: {
      tags,
      summary: 'Every scorecard version, newest (current) first',
      response: { 200: dataOf(z.array(scorecardSchema)) },
    },
    handler: async () => ({ data: await listScorecards(db, clock.now()) }),
  });

  r.get('/qa/scorecards/current', {
    config: { permission: qaPolicy.read },
    schema: { tags, summary: 'The current scorecard', response: { 200: dataOf(scorecardSchema) } },
    handler: async () => ({ data: await currentScorecard(db, clock.now()) }),
  });

  r.put('/qa/scorecards', {
    config: { permission: qaPolicy.settingsWrite },
    schema: {
      tags,
      summary: 'Save the scorecard as a new version (evaluations keep theirs)',
      body: scorecardBody,
      response: { 201: dataOf(scorecardSchema) },
    },
    handler: async (req, reply) => {
      const v = await saveScorecard(db, req.auditContext(), requireActor(req.actor), req.body);
      return reply.code(201).send({ data: v });
    },
  });

  r.get('/qa/samples', {
    config: { permission: qaPolicy.inspect },
    schema: {
      tags,
      summary: 'The weekly sample runs, newest first (with their seeds)',
      response: { 200: dataOf(z.array(runSchema)) },
    },
    handler: async () => ({ data: await listRuns(db) }),
  });

  r.post('/qa/samples', {
    config: { permission: qaPolicy.inspect },
    schema: {
      tags,
      summary: 'Draw a week’s sample now (a week is drawn once)',
      body: drawBody,
      response: { 201: dataOf(runSchema) },
    },
    handler: async (req, reply) => {
      const ctx = req.auditContext();
      const actor = requireActor(req.actor);
      const run = await db.transaction((tx) =>
        drawWeek(tx, ctx, actor, {
          weekStart: req.body.week,
          seed: req.body.seed,
          source: 'manual',
        }),
      );
      return reply.code(201).send({ data: run });
    },
  });

  r.get('/qa/items', {
    config: { permission: qaPolicy.inspect },
    schema: {
      tags,
      summary: 'The inspection queue (an inspector: their items, calibration and unassigned ones)',
      querystring: itemsQuery,
      response: { 200: dataOf(z.array(itemSchema)) },
    },
    handler: async (req) => ({ data: await listItems(db, requireActor(req.actor), req.query) }),
  });

  r.post('/qa/items', {
    config: { permission: qaPolicy.inspect },
    schema: {
      tags,
      summary: 'Add a complaint, breached or low-CSAT ticket to the sample by hand',
      body: addItemBody,
      response: { 201: dataOf(itemSchema) },
    },
    handler: async (req, reply) => {
      const item = await addItem(db, req.auditContext(), requireActor(req.actor), req.body);
      return reply.code(201).send({ data: item });
    },
  });

  r.get('/qa/items/:id', {
    config: { permission: qaPolicy.inspect },
    schema: {
      tags,
      summary: 'One item: ticket timeline, automatic checks, scorecard, evaluations',
      params: idParams,
      response: { 200: dataOf(itemDetailSchema) },
    },
    handler: async (req) => ({
      data: await getItem(db, requireActor(req.actor), req.params.id, clock.now()),
    }),
  });

  r.post('/qa/items/:id/calibration', {
    config: { permission: qaPolicy.decide },
    schema: {
      tags,
      summary: 'Open (or close) an item for calibration by several inspectors',
      params: idParams,
      body: calibrationBody,
      response: { 200: dataOf(itemSchema) },
    },
    handler: async (req) => ({
      data: await setCalibration(
        db,
        req.auditContext(),
        requireActor(req.actor),
        req.params.id,
        req.body.calibration,
      ),
    }),
  });

  r.put('/qa/items/:id/evaluation', {
    config: { permission: qaPolicy.inspect },
    schema: {
      tags,
      summary: 'Save your evaluation of an item as a draft, or submit it',
      params: idParams,
      body: evaluationBody,
      response: { 200: dataOf(evaluationSchema) },
    },
    handler: async (req) => ({
      data: await saveEvaluation(db, req.auditContext(), requireActor(req.actor), req.params.id, {
        scores: req.body.scores,
        comments: req.body.comments,
        summary: req.body.summary,
        submit: req.body.submit,
      }),
    }),
  });

  r.get('/qa/tickets/:id/checks', {
    config: { permission: qaPolicy.inspect },
    schema: {
      tags,
      summary: 'Run the automatic checks on any ticket',
      params: idParams,
      response: { 200: dataOf(checksSchema) },
    },
    handler: async (req) => ({ data: await checksForTicket(db, req.params.id) }),
  });

  r.get('/qa/results', {
    config: { permission: qaPolicy.results },
    schema: {
      tags,
      summary: 'Your evaluations, with appeals and deadlines',
      response: { 200: dataOf(z.array(resultSchema)) },
    },
    handler: async (req) => ({
      data: await myResults(db, requireActor(req.actor), clock.now()),
    }),
  });

  r.post('/qa/evaluations/:id/appeal', {
    config: { permission: qaPolicy.results },
    schema: {
      tags,
      summary: 'Appeal one of your evaluations (within the appeal window)',
      params: idParams,
      body: appealBody,
      response: { 201: dataOf(appealSchema) },
    },
    handler: async (req, reply) => {
      const a = await fileAppeal(
        db,
        req.auditContext(),
        requireActor(req.actor),
        req.params.id,
        req.body.reason,
      );
      return reply.code(201).send({ data: a });
    },
  });

  r.get('/qa/appeals', {
    config: { permission: qaPolicy.decide },
    schema: {
      tags,
      summary: 'Appeals you may decide (pending first)',
      querystring: appealsQuery,
      response: { 200: dataOf(z.array(appealViewSchema)) },
    },
    handler: async (req) => ({
      data: await listAppeals(db, requireActor(req.actor), req.query.status),
    }),
  });

  r.post('/qa/appeals/:id/decision', {
    config: { permission: qaPolicy.decide },
    schema: {
      tags,
      summary: 'Uphold (with a revised total) or reject an appeal; the evaluation is kept',
      params: idParams,
      body: decisionBody,
      response: { 200: dataOf(appealSchema) },
    },
    handler: async (req) => ({
      data: await decideAppeal(db, req.auditContext(), requireActor(req.actor), req.params.id, {
        decision: req.body.decision,
        revisedTotal: req.body.revisedTotal,
        note: req.body.note,
      }),
    }),
  });

  r.get('/qa/report', {
    config: { permission: qaPolicy.read },
    schema: {
      tags,
      summary: 'The weekly QA report per agent and team (you see the rows you may see)',
      querystring: reportQuery,
      response: { 200: dataOf(reportSchema) },
    },
    handler: async (req) => ({
      data: await weeklyReport(db, requireActor(req.actor), req.query.week),
    }),
  });

  r.get('/qa/scores', {
    config: { permission: qaPolicy.decide },
    schema: {
      tags,
      summary: 'QA averages per agent over the weeks starting in a month (for the assessment)',
      querystring: scoresQuery,
      response: { 200: dataOf(scoresSchema) },
    },
    handler: async (req) => {
      const m = req.query.month;
      const avgs = await qaAverages(db, `${m}-01`, `${addMonths(m, 1)}-01`);
      return { data: [...avgs.entries()].map(([userId, v]) => ({ userId, ...v })) };
    },
  });

  r.get('/qa/training-needs', {
    config: { permission: qaPolicy.decide },
    schema: {
      tags,
      summary: 'Training needs opened by repeated failures of a criterion',
      response: { 200: dataOf(z.array(trainingNeedSchema)) },
    },
    handler: async (req) => ({ data: await listTrainingNeeds(db, requireActor(req.actor)) }),
  });
}
