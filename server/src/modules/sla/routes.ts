import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireActor } from '../../context.js';
import { dataOf, pageOf } from '../../lib/http.js';
import { decodeCursor, pageQuery, toPage } from '../../lib/pagination.js';
import { problems } from '../../lib/problem.js';
import { slaCalendarRoutes } from './calendar-routes.js';
import {
  createVersion,
  currentVersionOrSeed,
  diffVersions,
  getVersion,
  listVersions,
  type PolicyVersion,
} from './policies.js';
import { slaPolicy } from './policy.js';
import { previewTargets, suggestPriorityFor } from './preview.js';
import { slaRiskRoutes } from './risk-routes.js';
import { slaSettingsRoutes } from './settings-routes.js';
import {
  type PoliciesInput,
  diffQuery,
  policiesBody,
  policyDiffSchema,
  policyVersionSchema,
  policyVersionSummarySchema,
  previewQuery,
  previewSchema,
  prioritySuggestionQuery,
  prioritySuggestionSchema,
  versionParams,
} from './schemas.js';

/** Stored policies passed the same schema when saved (version 1: policies.test.ts checks it). */
const asDoc = (v: PolicyVersion) => v as PolicyVersion & { policies: PoliciesInput['policies'] };

/** The SLA engine's HTTP API: calendars, versioned policies, and the due-time preview. */
export async function slaRoutes(app: FastifyInstance) {
  await app.register(slaCalendarRoutes);
  await app.register(slaRiskRoutes);
  await app.register(slaSettingsRoutes);
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, clock } = app.deps;
  const tags = ['sla'];

  r.get('/sla/preview', {
    config: { permission: slaPolicy.read },
    schema: {
      tags,
      summary: 'Which targets a ticket with these facts gets, and when each is due',
      querystring: previewQuery,
      response: { 200: dataOf(previewSchema) },
    },
    handler: async (req) => ({ data: await previewTargets(db, req.query, clock.now()) }),
  });

  r.get('/sla/priority-suggestion', {
    config: { permission: slaPolicy.read },
    schema: {
      tags,
      summary: 'The priority suggested for a new ticket from its category, tier and customer tier',
      querystring: prioritySuggestionQuery,
      response: { 200: dataOf(prioritySuggestionSchema) },
    },
    handler: async (req) => ({ data: await suggestPriorityFor(db, req.query) }),
  });

  r.get('/sla/policies', {
    config: { permission: slaPolicy.read },
    schema: {
      tags,
      summary: 'The current version of the ordered policy list (first match wins)',
      response: { 200: dataOf(policyVersionSchema) },
    },
    handler: async () => ({ data: asDoc(await currentVersionOrSeed(db, clock.now())) }),
  });

  r.put('/sla/policies', {
    config: { permission: slaPolicy.policiesWrite },
    schema: {
      tags,
      summary: 'Save the policy list as a new version (versions are never changed)',
      body: policiesBody,
      response: { 201: dataOf(policyVersionSchema) },
    },
    handler: async (req, reply) => {
      const version = await createVersion(
        db,
        req.auditContext(),
        requireActor(req.actor),
        req.body,
      );
      return reply.code(201).send({ data: asDoc(version) });
    },
  });

  r.get('/sla/policies/versions', {
    config: { permission: slaPolicy.read },
    schema: {
      tags,
      summary: 'The version history, newest first',
      querystring: pageQuery,
      response: { 200: pageOf(policyVersionSummarySchema) },
    },
    handler: async (req) => {
      const { limit, cursor } = req.query;
      const rows = await listVersions(db, limit, decodeCursor(cursor, 'int'));
      return toPage(rows, limit, (v) => ({ at: v.createdAt, id: String(v.version) }));
    },
  });

  r.get('/sla/policies/versions/:version', {
    config: { permission: slaPolicy.read },
    schema: {
      tags,
      summary: 'One version of the policy list',
      params: versionParams,
      response: { 200: dataOf(policyVersionSchema) },
    },
    handler: async (req) => {
      const version = await getVersion(db, req.params.version);
      if (!version) throw problems.notFound('Policy version', 'version');
      return { data: asDoc(version) };
    },
  });

  r.get('/sla/policies/diff', {
    config: { permission: slaPolicy.read },
    schema: {
      tags,
      summary: 'What changed between two versions (policies added, removed, changed, reordered)',
      querystring: diffQuery,
      response: { 200: dataOf(policyDiffSchema) },
    },
    handler: async (req) => ({
      data: await diffVersions(db, req.query.from, req.query.to),
    }),
  });
}
