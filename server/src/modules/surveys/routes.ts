import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../context.js';
import { dataOf, pageOf } from '../../lib/http.js';
import { decodeCursor, encodeCursor } from '../../lib/pagination.js';
import { answerSurvey, optOut, viewSurvey } from './answers.js';
import { createCampaign, listCampaigns, runCampaign } from './campaigns.js';
import { surveysPolicy } from './policy.js';
import { listResponses, ticketSurvey } from './responses.js';
import {
  answerBody,
  campaignSchema,
  createCampaignBody,
  createTemplateBody,
  publicSurveySchema,
  responseSchema,
  responsesQuery,
  settingsPatch,
  settingsSchema,
  templateSchema,
  templateVersionSchema,
  tokenParams,
  updateTemplateBody,
} from './schemas.js';
import { getSurveySettings, updateSurveySettings } from './settings.js';
import { createTemplate, listTemplates, templateVersions, updateTemplate } from './templates.js';

const idParams = z.object({ id: z.uuid() });

export async function surveysRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, clock, config } = app.deps;
  const tags = ['surveys'];
  const rateLimit = { max: config.KEFU_PUBLIC_RATE_PER_MINUTE, timeWindow: '1 minute' };

  // --- The customer's side: public, rate limited, by single-use link. ---
  r.get('/public/surveys/:token', {
    config: { public: true, rateLimit },
    schema: {
      tags,
      summary: 'A survey link: its questions and whether it can still be answered',
      params: tokenParams,
      response: { 200: dataOf(publicSurveySchema) },
      security: [],
    },
    handler: async (req) => ({ data: await viewSurvey(db, req.params.token, clock.now()) }),
  });

  r.post('/public/surveys/:token/answer', {
    config: { public: true, rateLimit },
    schema: {
      tags,
      summary: 'Answer a survey — once (409 answered, 410 expired, 422 answers that do not fit)',
      params: tokenParams,
      body: answerBody,
      response: { 200: dataOf(z.object({ state: z.literal('answered') })) },
      security: [],
    },
    handler: async (req) => {
      const ctx = { ...req.auditContext(), actorName: 'customer:survey' };
      return { data: await answerSurvey(db, ctx, req.params.token, req.body) };
    },
  });

  r.post('/public/surveys/:token/opt-out', {
    config: { public: true, rateLimit },
    schema: {
      tags,
      summary: 'The customer asks for no more surveys',
      params: tokenParams,
      response: { 200: dataOf(z.object({ optedOut: z.literal(true) })) },
      security: [],
    },
    handler: async (req) => {
      const ctx = { ...req.auditContext(), actorName: 'customer:survey' };
      return { data: await optOut(db, ctx, req.params.token) };
    },
  });

  // --- Templates ---
  r.get('/survey-templates', {
    config: { permission: surveysPolicy.templatesRead },
    schema: {
      tags,
      summary: 'Survey templates (current versions)',
      response: { 200: dataOf(z.array(templateSchema)) },
    },
    handler: async () => ({ data: await listTemplates(db) }),
  });

  r.post('/survey-templates', {
    config: { permission: surveysPolicy.templatesManage },
    schema: {
      tags,
      summary: 'Create a survey template of 1–3 questions',
      body: createTemplateBody,
      response: { 201: dataOf(templateSchema) },
    },
    handler: async (req, reply) => {
      reply.code(201);
      return { data: await createTemplate(db, req.auditContext(), req.body) };
    },
  });

  r.patch('/survey-templates/:id', {
    config: { permission: surveysPolicy.templatesManage },
    schema: {
      tags,
      summary: 'Edit a template (a changed text is a new version; answers keep theirs)',
      params: idParams,
      body: updateTemplateBody,
      response: { 200: dataOf(templateSchema) },
    },
    handler: async (req) => ({
      data: await updateTemplate(db, req.auditContext(), req.params.id, req.body),
    }),
  });

  r.get('/survey-templates/:id/versions', {
    config: { permission: surveysPolicy.templatesRead },
    schema: {
      tags,
      summary: 'Every version of a template, newest first',
      params: idParams,
      response: { 200: dataOf(z.array(templateVersionSchema)) },
    },
    handler: async (req) => ({ data: await templateVersions(db, req.params.id) }),
  });

  // --- Settings ---
  r.get('/survey-settings', {
    config: { permission: surveysPolicy.settingsRead },
    schema: {
      tags,
      summary: 'When and how surveys go out, the low-score threshold',
      response: { 200: dataOf(settingsSchema) },
    },
    handler: async () => ({ data: await getSurveySettings(db) }),
  });

  r.patch('/survey-settings', {
    config: { permission: surveysPolicy.settingsManage },
    schema: {
      tags,
      summary: 'Change the survey settings (administrators)',
      body: settingsPatch,
      response: { 200: dataOf(settingsSchema) },
    },
    handler: async (req) => ({
      data: await db.transaction((tx) => updateSurveySettings(tx, req.auditContext(), req.body)),
    }),
  });

  // --- Answers ---
  r.get('/survey-responses', {
    config: { permission: surveysPolicy.responses },
    schema: {
      tags,
      summary: 'Survey invitations and answers, newest first (agents: own; supervisors: team)',
      querystring: responsesQuery,
      response: { 200: pageOf(responseSchema) },
    },
    handler: async (req) => {
      const { limit, cursor, ...filter } = req.query;
      const settings = await getSurveySettings(db);
      const rows = await listResponses(
        db,
        requireActor(req.actor),
        filter,
        limit,
        decodeCursor(cursor),
        settings.lowScoreThreshold,
        clock.now(),
      );
      const data = rows.slice(0, limit);
      const last = data[data.length - 1];
      await req.auditRead('survey_response', null, { count: data.length });
      return {
        data,
        nextCursor:
          rows.length > limit && last ? encodeCursor({ at: last.sentAt, id: last.id }) : null,
      };
    },
  });

  r.get('/tickets/:id/survey', {
    config: { permission: surveysPolicy.responses },
    schema: {
      tags,
      summary: 'The satisfaction survey of a ticket (null: none, or not yours to see)',
      params: idParams,
      response: { 200: dataOf(responseSchema.nullable()) },
    },
    handler: async (req) => ({
      data: await ticketSurvey(db, requireActor(req.actor), req.params.id, clock.now()),
    }),
  });

  // --- Monthly campaigns ---
  r.get('/survey-campaigns', {
    config: { permission: surveysPolicy.campaignsRead },
    schema: {
      tags,
      summary: 'Monthly campaigns with sent, answered and response rate',
      response: { 200: dataOf(z.array(campaignSchema)) },
    },
    handler: async () => ({ data: await listCampaigns(db) }),
  });

  r.post('/survey-campaigns', {
    config: { permission: surveysPolicy.campaignsManage },
    schema: {
      tags,
      summary: 'Create the campaign of a month (409 if the month has one)',
      body: createCampaignBody,
      response: { 201: dataOf(campaignSchema) },
    },
    handler: async (req, reply) => {
      reply.code(201);
      return { data: await createCampaign(db, req.auditContext(), req.body) };
    },
  });

  r.post('/survey-campaigns/:id/run', {
    config: { permission: surveysPolicy.campaignsManage },
    schema: {
      tags,
      summary: 'Send the campaign to every eligible customer not yet asked (no duplicates)',
      params: idParams,
      response: { 200: dataOf(campaignSchema) },
    },
    handler: async (req) => ({ data: await runCampaign(db, req.auditContext(), req.params.id) }),
  });
}
